/**
 * Pure: how `/asset find <query>` text is understood. Time comes in as `now` (for `status:overdue`).
 * A query is free text, an optional @person and filters (`status:`, `category:`, `location:`), in any
 * order; everything given must hold for an asset to match.
 */
import { assetStatuses, type AssetStatus } from './asset.js';
import { equalityKey, searchTerms } from './asset-search-keys.js';

export type StatusFilter = { kind: 'status'; status: AssetStatus } | { kind: 'overdue'; asOf: Date };

export interface AssetSearch {
  /** Free text as typed (whitespace collapsed), or undefined when only filters were given. */
  text: string | undefined;
  /** The normalised words (see `searchTerms`) every match must have a key for; empty without text. */
  terms: string[];
  /** Assets held by this Slack user. */
  holderId: string | undefined;
  status: StatusFilter | undefined;
  /** Compared case-insensitively as a whole ("docking station"), shown as typed. */
  category: string | undefined;
  location: string | undefined;
}

export const searchFilterKeys = ['status', 'category', 'location'] as const;
export type SearchFilterKey = (typeof searchFilterKeys)[number];

/** What `status:` accepts, as a person types it (dashes), besides `overdue`. */
export const statusFilterWords: Record<string, AssetStatus | 'overdue'> = {
  ...Object.fromEntries(assetStatuses.map((status) => [status.replace(/_/g, '-'), status])),
  'in-stock': 'available',
  overdue: 'overdue',
};

const mention = /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$/;
const bareUserId = /^[UW][A-Z0-9]{8,}$/;
/** C0 controls other than tab and newline, and DEL: never typed on purpose, and refused by the database in places. */
function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if ((code < 0x20 && code !== 0x09 && code !== 0x0a) || code === 0x7f) return true;
  }
  return false;
}
const filterKey = /^([A-Za-z][A-Za-z_]*):/;
const openingQuotes = new Set(['"', '\u201C', '\u201D']);
const closingQuote = /["\u201C\u201D]/;

export const minSearchLength = 2;
export const maxSearchLength = 200;

export type SearchParseError =
  | { reason: 'empty' | 'too_short' | 'too_long' | 'control_characters' | 'unclosed_quote' | 'no_words' }
  | { reason: 'unknown_filter' | 'repeated_filter' | 'missing_filter_value'; filter: string }
  | { reason: 'unknown_status'; value: string };

export type SearchParseResult = { ok: true; search: AssetSearch } | ({ ok: false } & SearchParseError);

type Token =
  | { kind: 'word'; text: string }
  | { kind: 'filter'; key: string; value: string }
  | { kind: 'mention'; userId: string };

/** Splits the query into words, quoted phrases, `key:value` filters and mentions. Slack's curly quotes count as quotes. */
function tokenize(text: string): Token[] | SearchParseError {
  const tokens: Token[] = [];
  let pos = 0;
  const readValue = (): string | undefined => {
    if (openingQuotes.has(text[pos] ?? '')) {
      const close = text.slice(pos + 1).search(closingQuote);
      if (close < 0) return undefined;
      const value = text.slice(pos + 1, pos + 1 + close);
      pos += close + 2;
      return value;
    }
    const end = text.indexOf(' ', pos);
    const value = text.slice(pos, end < 0 ? text.length : end);
    pos += value.length;
    return value;
  };
  while (pos < text.length) {
    if (text[pos] === ' ') {
      pos++;
      continue;
    }
    const rest = text.slice(pos);
    const mentioned = /^<@[^>]*>/.exec(rest);
    const userMatch = mentioned ? mention.exec(mentioned[0]) : null;
    if (mentioned && userMatch?.[1]) {
      tokens.push({ kind: 'mention', userId: userMatch[1] });
      pos += mentioned[0].length;
      continue;
    }
    const keyMatch = filterKey.exec(rest);
    if (keyMatch?.[1]) {
      pos += keyMatch[0].length;
      const value = readValue();
      if (value === undefined) return { reason: 'unclosed_quote' };
      tokens.push({ kind: 'filter', key: keyMatch[1].toLowerCase(), value: value.trim() });
      continue;
    }
    const value = readValue();
    if (value === undefined) return { reason: 'unclosed_quote' };
    tokens.push({ kind: 'word', text: value });
  }
  return tokens;
}

function readStatus(value: string, now: Date): StatusFilter | undefined {
  const status = statusFilterWords[value.toLowerCase().replace(/[\s_]+/g, '-')];
  if (status === undefined) return undefined;
  return status === 'overdue' ? { kind: 'overdue', asOf: now } : { kind: 'status', status };
}

export function parseAssetSearch(raw: string, now: Date): SearchParseResult {
  if (hasControlCharacter(raw)) return { ok: false, reason: 'control_characters' };
  const text = raw.trim().replace(/\s+/g, ' ');
  if (text === '') return { ok: false, reason: 'empty' };
  if (text.length > maxSearchLength) return { ok: false, reason: 'too_long' };
  const search: AssetSearch = {
    text: undefined,
    terms: [],
    holderId: undefined,
    status: undefined,
    category: undefined,
    location: undefined,
  };
  if (bareUserId.test(text)) return { ok: true, search: { ...search, holderId: text } };
  const tokens = tokenize(text);
  if (!Array.isArray(tokens)) return { ok: false, ...tokens };
  const words: string[] = [];
  const seen = new Set<string>();
  for (const token of tokens) {
    if (token.kind === 'word') {
      words.push(token.text);
      continue;
    }
    const key = token.kind === 'mention' ? 'holder' : token.key;
    if (seen.has(key)) return { ok: false, reason: 'repeated_filter', filter: key };
    seen.add(key);
    if (token.kind === 'mention') {
      search.holderId = token.userId;
      continue;
    }
    if (!(searchFilterKeys as readonly string[]).includes(token.key)) {
      return { ok: false, reason: 'unknown_filter', filter: token.key };
    }
    if (equalityKey(token.value) === '') return { ok: false, reason: 'missing_filter_value', filter: key };
    const value = token.value.replace(/\s+/g, ' ');
    if (key === 'status') {
      search.status = readStatus(value, now);
      if (!search.status) return { ok: false, reason: 'unknown_status', value };
    } else if (key === 'category') {
      search.category = value;
    } else {
      search.location = value;
    }
  }
  const freeText = words.join(' ').trim().replace(/\s+/g, ' ');
  if (freeText !== '') {
    if (seen.size === 0 && freeText.length < minSearchLength) return { ok: false, reason: 'too_short' };
    search.text = freeText;
    search.terms = searchTerms(freeText);
    if (search.terms.length === 0) return { ok: false, reason: 'no_words' };
  }
  return { ok: true, search };
}

/** A plain text search, as `parseAssetSearch` reads text without filters or a mention. */
export function textSearch(text: string): AssetSearch {
  return {
    text,
    terms: searchTerms(text),
    holderId: undefined,
    status: undefined,
    category: undefined,
    location: undefined,
  };
}

/** True when the search is plain text that could be one exact tag or serial number. */
export function isSingleWordSearch(search: AssetSearch): search is AssetSearch & { text: string } {
  return (
    search.text !== undefined &&
    !search.text.includes(' ') &&
    search.holderId === undefined &&
    search.status === undefined &&
    search.category === undefined &&
    search.location === undefined
  );
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
  /** True when counting stopped at a cap: there are at least `total` matches. */
  totalCapped?: boolean;
}

export function hasNextPage(page: PageOf<unknown>): boolean {
  if (page.totalCapped && page.items.length === page.limit) return true;
  return page.offset + page.items.length < page.total;
}
