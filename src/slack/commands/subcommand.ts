import type { RespondFn } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Capability, Person } from '../../domain/index.js';
import type { SlackDeps } from '../deps.js';

export interface SubcommandContext {
  teamId: string;
  userId: string;
  channelId: string;
  triggerId: string;
  /** The person acting; the service they call decides what they may do. */
  person: Person;
  /** The text after the subcommand name, trimmed. */
  args: string;
  respond: RespondFn;
  client: WebClient;
  deps: SlackDeps;
}

export interface Subcommand {
  name: string;
  usage: string;
  description: string;
  /** Who it is for: help lists it only to them, and the dispatcher refuses others early (services check again). */
  capability: Capability;
  run(ctx: SubcommandContext): Promise<void>;
}

export async function replyEphemeral(
  ctx: Pick<SubcommandContext, 'respond'>,
  message: { text: string; blocks?: unknown[] },
) {
  await ctx.respond({ response_type: 'ephemeral', ...message } as Parameters<RespondFn>[0]);
}
