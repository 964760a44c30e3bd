/** Replies shared by a command and its pager buttons: one service call, one builder. */
import { parseAssetSearch, type Person } from '../../domain/index.js';
import { buildFindResults, findPageSize } from '../blocks/find.blocks.js';
import { buildHistoryMessage, historyPageSize } from '../blocks/history.blocks.js';
import { buildMineMessage } from '../blocks/mine.blocks.js';
import type { SlackDeps } from '../deps.js';
import { describeError, describeSearchError } from '../messages.js';
import { messageContextOf, valueOf } from './interaction.js';

export type Reply = (message: { text: string; blocks?: unknown[] }) => Promise<unknown>;

/** What a person holds, their open requests and open transfers, one page. */
export async function answerMine(deps: SlackDeps, actor: Person, page: number, reply: Reply): Promise<void> {
  const [held, requests, transfers] = await Promise.all([
    deps.assets.heldByMe(actor),
    deps.requests.openForMe(actor),
    deps.transfers.openForMe(actor),
  ]);
  const data = {
    viewerId: actor.slackUserId,
    held: valueOf(held),
    requests: valueOf(requests),
    transfers: valueOf(transfers),
  };
  await reply(buildMineMessage(data, messageContextOf(deps)(), page));
}

/** One page of an asset's history, newest first. */
export async function answerHistory(
  deps: SlackDeps,
  actor: Person,
  tag: string,
  offset: number,
  reply: Reply,
): Promise<void> {
  const ctx = messageContextOf(deps)();
  const result = await deps.assets.history(actor, tag, { offset, limit: historyPageSize });
  if (!result.ok) {
    await reply({ text: describeError(result.error, ctx) });
    return;
  }
  await reply(buildHistoryMessage(result.value.tag, result.value.entries, ctx));
}

/** Runs a search and answers with one page. */
export async function answerFind(
  deps: SlackDeps,
  actor: Person,
  query: string,
  offset: number,
  reply: Reply,
): Promise<void> {
  const parsed = parseAssetSearch(query, deps.clock.now());
  if (!parsed.ok) {
    await reply({ text: describeSearchError(parsed) });
    return;
  }
  const page = valueOf(await deps.assets.find(actor, parsed.search, { offset, limit: findPageSize }));
  await reply(buildFindResults(query.trim(), parsed.search, page, messageContextOf(deps)()));
}
