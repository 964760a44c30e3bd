import {
  authorize,
  fail,
  initialRoles,
  ok,
  type Clock,
  type Person,
  type Result,
  type Role,
} from '../domain/index.js';
import type { PersonRepository, SlackDirectory } from './ports.js';
import type { Logger } from '../platform/logger.js';

/** Profiles are re-read from Slack at most this often; in between the stored copy answers. */
const profileCacheMs = 6 * 60 * 60 * 1000;

export interface PeopleServiceDeps {
  people: PersonRepository;
  directory: SlackDirectory;
  clock: Clock;
  adminUserIds: readonly string[];
  logger: Logger;
}

export class PeopleService {
  constructor(private readonly deps: PeopleServiceDeps) {}

  /**
   * The person behind a Slack user id, read through the cache. When Slack cannot be reached a stored
   * profile is still used; a person never seen before cannot be resolved then and the error propagates.
   */
  async resolve(teamId: string, slackUserId: string): Promise<Person | undefined> {
    const { people, directory, clock, logger } = this.deps;
    const cached = await people.find(teamId, slackUserId);
    const now = clock.now();
    if (cached && now.getTime() - cached.profileRefreshedAt.getTime() < profileCacheMs) return cached;
    let profile;
    try {
      profile = await directory.lookupUser(teamId, slackUserId);
    } catch (err) {
      if (cached) {
        logger.warn({ err, teamId, slackUserId }, 'users.info failed; using the stored profile');
        return cached;
      }
      throw err;
    }
    if (!profile) return cached;
    return people.upsertProfile(teamId, profile, now, initialRoles(slackUserId, this.deps.adminUserIds));
  }

  /** IT staff and admins: whose homes show the IT queue. */
  itStaff(teamId: string): Promise<Person[]> {
    return this.deps.people.listByRole(teamId, ['it', 'admin']);
  }

  /** IT staff and admins who opened their Home within `withinMs`: whose open homes a queue change makes stale. */
  itStaffViewingHome(teamId: string, withinMs: number): Promise<Person[]> {
    const since = new Date(this.deps.clock.now().getTime() - withinMs);
    return this.deps.people.listByRoleViewingHome(teamId, ['it', 'admin'], since);
  }

  /** Remembers that a person opened their Home (so later changes refresh it while they may be looking). */
  homeOpened(teamId: string, slackUserId: string): Promise<void> {
    return this.deps.people.markHomeOpened(teamId, slackUserId, this.deps.clock.now());
  }

  /** People by id as stored (no Slack lookup), e.g. to show their roles. */
  known(teamId: string, slackUserIds: string[]): Promise<Person[]> {
    return this.deps.people.findMany(teamId, slackUserIds);
  }

  /** An admin sets someone's roles (everyone stays an employee). */
  async setRoles(actor: Person, slackUserId: string, roles: Role[]): Promise<Result<Person>> {
    const allowed = authorize(actor, 'people.manage');
    if (!allowed.ok) return allowed;
    if (!(await this.resolve(actor.teamId, slackUserId)))
      return fail('person.not_found', { userId: slackUserId });
    const updated = await this.deps.people.setRoles(actor.teamId, slackUserId, roles);
    return updated ? ok(updated) : fail('person.not_found', { userId: slackUserId });
  }

  /** An admin records someone's department and manager. */
  async setOrganisation(
    actor: Person,
    slackUserId: string,
    organisation: { department?: string; managerSlackUserId?: string },
  ): Promise<Result<Person>> {
    const allowed = authorize(actor, 'people.manage');
    if (!allowed.ok) return allowed;
    if (!(await this.resolve(actor.teamId, slackUserId)))
      return fail('person.not_found', { userId: slackUserId });
    const updated = await this.deps.people.setOrganisation(actor.teamId, slackUserId, organisation);
    return updated ? ok(updated) : fail('person.not_found', { userId: slackUserId });
  }
}
