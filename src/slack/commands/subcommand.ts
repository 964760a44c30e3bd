import type { RespondFn } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Capability, Person } from '../../domain/index.js';
import type { SlackDeps } from '../deps.js';

export interface SubcommandContext {
  teamId: string;
  userId: string;
  channelId: string;
  triggerId: string;
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
  /** Who may run it; the dispatcher refuses everyone else before `run` is called. */
  capability: Capability;
  /** Words describing the action for a refusal ("add assets"). */
  refusal: string;
  run(ctx: SubcommandContext): Promise<void>;
}

export async function replyEphemeral(
  ctx: Pick<SubcommandContext, 'respond'>,
  message: { text: string; blocks?: unknown[] },
) {
  await ctx.respond({ response_type: 'ephemeral', ...message } as Parameters<RespondFn>[0]);
}
