/** How a fake Slack is set up: its identity, token, scopes, clock, limits and seeded directory. */
import type { RateLimitSettings } from './rate-limiter.js';
import type { NewFakeChannel, NewFakeUser } from './types.js';

/** The bot scopes an asset bot needs (SLACK.md). */
export const DEFAULT_BOT_SCOPES: readonly string[] = [
  'commands',
  'chat:write',
  'chat:write.public',
  'users:read',
  'users:read.email',
  'im:write',
];

export interface FakeSlackOptions {
  /** 0 (default) picks a free port on 127.0.0.1. */
  port?: number;
  botToken?: string;
  signingSecret?: string;
  teamId?: string;
  teamName?: string;
  teamDomain?: string;
  botUserId?: string;
  botId?: string;
  botName?: string;
  appId?: string;
  /** Scopes granted to the bot token (default: DEFAULT_BOT_SCOPES). */
  scopes?: readonly string[];
  /** Clock for trigger expiry, response_url lifetime, rate windows and message timestamps. */
  now?: () => number;
  /** Slack's limits by default; `false` turns every limit off (benchmarks). */
  rateLimits?: RateLimitSettings | false;
  /** Refuse blocks sent without a fallback `text` (SLACK.md house rule; Slack itself only warns). */
  requireFallbackText?: boolean;
  users?: NewFakeUser[];
  channels?: NewFakeChannel[];
}
