import { buildMineMessage } from '../../blocks/mine.blocks.js';
import type { SlackDeps } from '../../deps.js';
import { replyEphemeral, type Subcommand } from '../subcommand.js';

/** Loads what a person holds, their open requests and open transfers, and answers with one page; shared with the pager. */
export async function answerMine(
  deps: SlackDeps,
  teamId: string,
  userId: string,
  page: number,
  reply: (message: { text: string; blocks?: unknown[] }) => Promise<unknown>,
): Promise<void> {
  const [held, requests, transfers] = await Promise.all([
    deps.assets.heldBy(teamId, userId),
    deps.requests.openFor(teamId, userId),
    deps.transfers.openInvolving(teamId, userId),
  ]);
  const ctx = { timeZone: deps.settings.timeZone, now: deps.clock.now() };
  await reply(buildMineMessage({ viewerId: userId, held, requests, transfers }, ctx, page));
}

export const mineSubcommand: Subcommand = {
  name: 'mine',
  usage: '/asset mine',
  description: 'what you hold (return it, report a problem, hand it on), your requests and transfers',
  capability: 'asset.view_own',
  refusal: 'see your assets',
  async run(ctx) {
    await answerMine(ctx.deps, ctx.teamId, ctx.userId, 0, (message) => replyEphemeral(ctx, message));
  },
};
