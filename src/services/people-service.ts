import { initialRoles, type Clock, type Person } from '../domain/index.js';
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
}
