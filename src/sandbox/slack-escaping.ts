/**
 * Pure: what Slack's client does to what a person typed before it reaches an app. Slack's control
 * characters `&`, `<`, `>` become entities, and (for a slash command declared with `should_escape`, and
 * for messages) mentions of people and channels become Slack's escaped form: `@sara` (or the full or
 * display name, as the mention picker offers people) -> `<@U…|sara>`, `#general` -> `<#C…|general>`.
 * Unknown names, e-mail addresses and anything inside `code` stay text.
 */

export interface MentionablePerson {
  id: string;
  /** The handle (`users.info` `name`): what Slack puts after the `|` of an escaped mention. */
  name: string;
  realName: string;
  displayName: string;
}

export interface LinkableChannel {
  id: string;
  name: string;
}

export interface Directory {
  people: MentionablePerson[];
  /** The channels the person can see (a private channel they are not in stays text). */
  channels: LinkableChannel[];
}

/**
 * `command`: a slash command's text with escaping on (`<@U…|handle>`, `<#C…|name>`);
 * `command_unescaped`: with `should_escape: false`, where only the control characters change;
 * `message`: a message's text (`<@U…>`, `<#C…>`, the forms Slack's messages carry).
 */
export type EscapeMode = 'command' | 'command_unescaped' | 'message';

interface Candidate {
  key: string;
  token: string;
}

/** A mention starts at the beginning, after a space or opening punctuation: never inside a word or an e-mail. */
const mentionMayFollow = /[\s([{"'“‘,;]/u;
/** Characters that would continue a name: `@sara` is not a mention in `@sarah` or `@sara_o`. */
const nameContinues = /[\p{L}\p{N}_-]/u;

function encodeControlCharacters(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Keys that name exactly one target, longest first (so `@Sara Ortiz` wins over `@sara`). A handle is
 * unique and always names its owner; a full or display name shared by two people names nobody (Slack
 * would make the person pick; typed, it stays text).
 */
function candidates(entries: Array<{ handle: string; names: string[]; token: string }>): Candidate[] {
  const normal = (key: string) => key.trim().toLowerCase();
  const byKey = new Map<string, string>();
  for (const entry of entries) byKey.set(normal(entry.handle), entry.token);
  const byName = new Map<string, Set<string>>();
  for (const entry of entries) {
    for (const key of entry.names.map(normal)) {
      if (key === '' || byKey.has(key)) continue;
      byName.set(key, (byName.get(key) ?? new Set<string>()).add(entry.token));
    }
  }
  for (const [key, tokens] of byName) {
    const [only] = tokens;
    if (tokens.size === 1 && only !== undefined) byKey.set(key, only);
  }
  return [...byKey]
    .filter(([key]) => key !== '')
    .map(([key, token]) => ({ key, token }))
    .sort((a, b) => b.key.length - a.key.length);
}

function endsName(text: string, at: number): boolean {
  const next = text[at];
  if (next === undefined) return true;
  // A full stop ends a sentence (`@sara.`) but not a longer handle (`@sara.o`).
  if (next === '.') {
    const after = text[at + 1];
    return after === undefined || !nameContinues.test(after);
  }
  return !nameContinues.test(next);
}

function matchAt(text: string, start: number, list: Candidate[]): Candidate | undefined {
  const lower = text.toLowerCase();
  return list.find((c) => lower.startsWith(c.key, start) && endsName(text, start + c.key.length));
}

function escapePlain(text: string, people: Candidate[], channels: Candidate[]): string {
  let out = '';
  let plainFrom = 0;
  for (let i = 0; i < text.length; i += 1) {
    const sigil = text[i];
    if (sigil !== '@' && sigil !== '#') continue;
    const before = text[i - 1];
    if (before !== undefined && !mentionMayFollow.test(before)) continue;
    const found = matchAt(text, i + 1, sigil === '@' ? people : channels);
    if (found === undefined) continue;
    out += encodeControlCharacters(text.slice(plainFrom, i)) + found.token;
    i += found.key.length;
    plainFrom = i + 1;
  }
  return out + encodeControlCharacters(text.slice(plainFrom));
}

/** Escapes typed text as Slack's client sends it to an app (see the header). */
export function escapeTypedText(text: string, directory: Directory, mode: EscapeMode): string {
  if (mode === 'command_unescaped') return encodeControlCharacters(text);
  const withNames = mode === 'command';
  const people = candidates(
    directory.people.map((p) => ({
      handle: p.name,
      names: [p.realName, p.displayName],
      token: withNames ? `<@${p.id}|${p.name}>` : `<@${p.id}>`,
    })),
  );
  const channels = candidates(
    directory.channels.map((c) => ({
      handle: c.name,
      names: [],
      token: withNames ? `<#${c.id}|${c.name}>` : `<#${c.id}>`,
    })),
  );
  // Code spans (```pre``` and `code`) stay as typed apart from the control characters.
  const code = /```[\s\S]*?```|`[^`\n]+`/g;
  let out = '';
  let from = 0;
  for (const match of text.matchAll(code)) {
    out += escapePlain(text.slice(from, match.index), people, channels);
    out += encodeControlCharacters(match[0]);
    from = match.index + match[0].length;
  }
  return out + escapePlain(text.slice(from), people, channels);
}
