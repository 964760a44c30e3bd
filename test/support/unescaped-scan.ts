/**
 * Finds Slack control sequences in what the app sent that no code path of ours writes on purpose: a
 * broadcast (`<!channel>`, `<!here>`, `<!everyone>`, `<!subteam^…>`), or a mention of one of
 * `forbiddenMentions` (ids a test planted in user strings). Either means a user's string reached Slack unescaped.
 */
import type { JsonValue, RecordedCall } from '@custodian/fake-slack';

export interface UnescapedFinding {
  method: string;
  path: string;
  sequence: string;
  text: string;
}

const controlSequence = /<([!@#])([^>|]*)(?:\|[^>]*)?>/g;

function* textsOf(value: JsonValue, path: string): Generator<{ path: string; text: string }> {
  if (typeof value === 'string') {
    if (/(^|\.)(text|value)$/.test(path) || path === '') yield { path, text: value };
    return;
  }
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) yield* textsOf(item, `${path}[${i}]`);
    return;
  }
  if (value && typeof value === 'object') {
    // Slack shows plain_text as typed: a sequence there is text, not a ping.
    if ((value as { type?: unknown }).type === 'plain_text') return;
    for (const [key, item] of Object.entries(value)) {
      // `view` and `blocks` may arrive as JSON strings in form-encoded Web API calls.
      if ((key === 'blocks' || key === 'view') && typeof item === 'string') {
        try {
          yield* textsOf(JSON.parse(item) as JsonValue, `${path}.${key}`);
          continue;
        } catch {
          // not JSON: scanned as text below
        }
      }
      yield* textsOf(item as JsonValue, path ? `${path}.${key}` : key);
    }
  }
}

export function findUnescapedSequences(
  calls: RecordedCall[],
  forbiddenMentions: ReadonlySet<string> = new Set(),
): UnescapedFinding[] {
  const findings: UnescapedFinding[] = [];
  for (const call of calls) {
    for (const { path, text } of textsOf(call.args as JsonValue, '')) {
      for (const match of text.matchAll(controlSequence)) {
        const [sequence, kind, target = ''] = match;
        const broadcast = kind === '!';
        const strangerMention = kind === '@' && forbiddenMentions.has(target);
        if (broadcast || strangerMention)
          findings.push({ method: call.method, path, sequence, text: text.slice(0, 200) });
      }
    }
  }
  return findings;
}
