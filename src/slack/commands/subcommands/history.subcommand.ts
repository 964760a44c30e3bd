import { buildHistoryMessage, historyPageSize } from '../../blocks/history.blocks.js';
import type { SlackDeps } from '../../deps.js';
import { describeError } from '../../messages.js';
import { replyEphemeral, type Subcommand } from '../subcommand.js';

export const historyUsage = '/asset history <tag>';

/** One page of an asset's history, newest first; shared by the command and the pager buttons. */
export async function answerHistory(
  deps: SlackDeps,
  teamId: string,
  tag: string,
  offset: number,
  reply: (message: { text: string; blocks?: unknown[] }) => Promise<unknown>,
): Promise<void> {
  const ctx = { timeZone: deps.settings.timeZone, now: deps.clock.now() };
  const result = await deps.assets.history(teamId, tag, { offset, limit: historyPageSize });
  if (!result.ok) {
    await reply({ text: describeError(result.error, ctx) });
    return;
  }
  await reply(buildHistoryMessage(result.value.tag, result.value.entries, ctx));
}

export const historySubcommand: Subcommand = {
  name: 'history',
  usage: historyUsage,
  description: 'every movement and change of an asset, newest first',
  capability: 'asset.history',
  refusal: 'see asset history',
  async run(ctx) {
    const tag = ctx.args.split(/\s+/)[0] ?? '';
    if (tag === '' || tag.length > 40) {
      await replyEphemeral(ctx, {
        text: `Which asset? \`${historyUsage}\`, e.g. \`/asset history LAP-0042\`.`,
      });
      return;
    }
    await answerHistory(ctx.deps, ctx.teamId, tag, 0, (message) => replyEphemeral(ctx, message));
  },
};
