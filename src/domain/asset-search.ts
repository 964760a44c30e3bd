/** Pure: how `/asset find <query>` text is understood. */

export type AssetSearch = { kind: 'holder'; holderId: string } | { kind: 'text'; text: string };

const mention = /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$/;
const bareUserId = /^[UW][A-Z0-9]{8,}$/;

export const minSearchLength = 2;
export const maxSearchLength = 100;

export type SearchParseError = 'empty' | 'too_short' | 'too_long';

export function parseAssetSearch(
  raw: string,
): { ok: true; search: AssetSearch } | { ok: false; reason: SearchParseError } {
  const text = raw.trim().replace(/\s+/g, ' ');
  if (text === '') return { ok: false, reason: 'empty' };
  const userMatch = mention.exec(text);
  if (userMatch?.[1]) return { ok: true, search: { kind: 'holder', holderId: userMatch[1] } };
  if (bareUserId.test(text)) return { ok: true, search: { kind: 'holder', holderId: text } };
  if (text.length < minSearchLength) return { ok: false, reason: 'too_short' };
  if (text.length > maxSearchLength) return { ok: false, reason: 'too_long' };
  return { ok: true, search: { kind: 'text', text } };
}

export interface Page {
  offset: number;
  limit: number;
}

export interface PageOf<T> {
  items: T[];
  total: number;
  offset: number;
  limit: number;
}

export function hasNextPage(page: PageOf<unknown>): boolean {
  return page.offset + page.items.length < page.total;
}
