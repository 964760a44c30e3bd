import type { Person, Role } from '../../domain/index.js';
import type { DirectoryProfile, PersonRepository } from '../../services/ports.js';
import type { PersonDoc, PersonModel } from '../models/person.model.js';

function toPerson(doc: PersonDoc): Person {
  return {
    teamId: doc.teamId,
    slackUserId: doc.slackUserId,
    name: doc.name,
    displayName: doc.displayName,
    email: doc.email ?? undefined,
    department: doc.department ?? undefined,
    title: doc.title ?? undefined,
    managerSlackUserId: doc.managerSlackUserId ?? undefined,
    roles: doc.roles as Role[],
    timeZone: doc.timeZone ?? undefined,
    deactivated: doc.deactivated,
    isBot: doc.isBot ?? false,
    profileRefreshedAt: doc.profileRefreshedAt,
  };
}

export class MongoPersonRepository implements PersonRepository {
  constructor(private readonly model: PersonModel) {}

  async find(teamId: string, slackUserId: string): Promise<Person | undefined> {
    const doc = await this.model.findOne({ teamId, slackUserId }).lean<PersonDoc>();
    return doc ? toPerson(doc) : undefined;
  }

  async findMany(teamId: string, slackUserIds: string[]): Promise<Person[]> {
    if (slackUserIds.length === 0) return [];
    const docs = await this.model.find({ teamId, slackUserId: { $in: slackUserIds } }).lean<PersonDoc[]>();
    return docs.map(toPerson);
  }

  async upsertProfile(
    teamId: string,
    profile: DirectoryProfile,
    refreshedAt: Date,
    ensureRoles: Role[],
  ): Promise<Person> {
    const set: Record<string, unknown> = {
      name: profile.name,
      displayName: profile.displayName,
      deactivated: profile.deactivated,
      isBot: profile.isBot,
      profileRefreshedAt: refreshedAt,
    };
    const unset: Record<string, 1> = {};
    for (const [field, value] of [
      ['email', profile.email],
      ['title', profile.title],
      ['timeZone', profile.timeZone],
    ] as const) {
      if (value === undefined) unset[field] = 1;
      else set[field] = value;
    }
    const update: Record<string, unknown> = { $set: set, $addToSet: { roles: { $each: ensureRoles } } };
    if (Object.keys(unset).length > 0) update['$unset'] = unset;
    const doc = await this.model
      .findOneAndUpdate({ teamId, slackUserId: profile.slackUserId }, update, {
        upsert: true,
        returnDocument: 'after',
      })
      .lean<PersonDoc>();
    if (!doc) throw new Error(`upsert of person ${profile.slackUserId} returned nothing`);
    return toPerson(doc);
  }

  async listByRole(teamId: string, roles: Role[]): Promise<Person[]> {
    const docs = await this.model
      .find({ teamId, roles: { $in: roles }, deactivated: { $ne: true } })
      .sort({ name: 1 })
      .limit(500)
      .lean<PersonDoc[]>();
    return docs.map(toPerson);
  }

  async listByRoleViewingHome(teamId: string, roles: Role[], since: Date): Promise<Person[]> {
    const docs = await this.model
      .find({ teamId, roles: { $in: roles }, homeOpenedAt: { $gte: since }, deactivated: { $ne: true } })
      .limit(500)
      .lean<PersonDoc[]>();
    return docs.map(toPerson);
  }

  async markHomeOpened(teamId: string, slackUserId: string, at: Date): Promise<void> {
    await this.model.updateOne({ teamId, slackUserId }, { $set: { homeOpenedAt: at } });
  }

  async setRoles(teamId: string, slackUserId: string, roles: Role[]): Promise<Person | undefined> {
    const withEmployee = roles.includes('employee') ? roles : (['employee', ...roles] as Role[]);
    const doc = await this.model
      .findOneAndUpdate(
        { teamId, slackUserId },
        { $set: { roles: withEmployee } },
        { returnDocument: 'after' },
      )
      .lean<PersonDoc>();
    return doc ? toPerson(doc) : undefined;
  }

  async setOrganisation(
    teamId: string,
    slackUserId: string,
    organisation: { department?: string; managerSlackUserId?: string },
  ): Promise<Person | undefined> {
    const set = Object.fromEntries(Object.entries(organisation).filter(([, v]) => v !== undefined));
    const doc = await this.model
      .findOneAndUpdate({ teamId, slackUserId }, { $set: set }, { returnDocument: 'after' })
      .lean<PersonDoc>();
    return doc ? toPerson(doc) : undefined;
  }
}
