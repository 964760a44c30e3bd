import type { WebClient } from '@slack/web-api';
import type { DirectoryProfile, SlackDirectory } from '../services/ports.js';

interface SlackUser {
  id?: string;
  name?: string;
  real_name?: string;
  deleted?: boolean;
  is_bot?: boolean;
  tz?: string;
  profile?: { email?: string; real_name?: string; display_name?: string; title?: string };
}

export function toDirectoryProfile(user: SlackUser, fallbackId: string): DirectoryProfile {
  const realName = user.real_name || user.profile?.real_name || user.name || fallbackId;
  return {
    slackUserId: user.id ?? fallbackId,
    name: realName,
    displayName: user.profile?.display_name || realName,
    email: user.profile?.email || undefined,
    title: user.profile?.title || undefined,
    timeZone: user.tz || undefined,
    deactivated: Boolean(user.deleted),
    isBot: Boolean(user.is_bot),
  };
}

/** The people directory as Slack's users.info answers it. */
export class SlackWebDirectory implements SlackDirectory {
  constructor(private readonly client: () => WebClient) {}

  async lookupUser(_teamId: string, slackUserId: string): Promise<DirectoryProfile | undefined> {
    try {
      const result = await this.client().users.info({ user: slackUserId });
      return result.user ? toDirectoryProfile(result.user as SlackUser, slackUserId) : undefined;
    } catch (err) {
      if ((err as { data?: { error?: string } }).data?.error === 'user_not_found') return undefined;
      throw err;
    }
  }
}
