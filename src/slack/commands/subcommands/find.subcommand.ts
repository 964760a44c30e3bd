import { parseAssetSearch, maxSearchLength, minSearchLength } from '../../../domain/index.js';
import { buildFindResults, findPageSize } from '../../blocks/find.blocks.js';
import { replyEphemeral, type Subcommand, type SubcommandContext } from '../subcommand.js';
import type { SlackDeps } from '../../deps.js';

const searchErrors = {
  empty: 'Tell me what to look for: `/asset find LAP-0042`, `/asset find macbook`, or `/asset find @person`.',
  too_short: `Search text needs at least ${minSearchLength} characters.`,
  too_long: `Search text can be at most ${maxSearchLength} characters.`,
} as const;

/** Runs a search and answers with one page; shared by the command and the pager buttons. */
export async function answerFind(
  deps: SlackDeps,
  teamId: string,
  query: string,
  offset: number,
  reply: (message: { text: string; blocks?: unknown[] }) => Promise<unknown>,
): Promise<void> {
  const parsed = parseAssetSearch(query);
  if (!parsed.ok) {
    await reply({ text: searchErrors[parsed.reason] });
    return;
  }
  const page = await deps.assets.find(teamId, parsed.search, { offset, limit: findPageSize });
  const ctx = { timeZone: deps.settings.timeZone, now: deps.clock.now() };
  await reply(buildFindResults(query.trim(), parsed.search, page, ctx));
}

export const findSubcommand: Subcommand = {
  name: 'find',
  usage: '/asset find <tag | serial | name | @person>',
  description: 'look up assets: status, holder and location',
  capability: 'asset.find',
  refusal: 'search assets',
  async run(ctx: SubcommandContext) {
    await answerFind(ctx.deps, ctx.teamId, ctx.args, 0, (message) => replyEphemeral(ctx, message));
  },
};
