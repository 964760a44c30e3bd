/**
 * Pure: turns MongoDB (PCRE-flavoured) regular expressions into JS RegExp objects.
 */
import type { BSONRegExp } from 'bson';
import { EngineError } from '../errors.js';

const VALID_OPTIONS = new Set(['i', 'm', 's', 'x', 'u']);

/** Removes unescaped whitespace and #-comments outside character classes (PCRE's "x" option). */
function stripExtended(pattern: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      out += c + (pattern[i + 1] ?? '');
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      continue;
    }
    if (c === '#') {
      while (i < pattern.length && pattern[i] !== '\n') i++;
      continue;
    }
    if (/\s/.test(c)) continue;
    out += c;
  }
  return out;
}

/**
 * Compiles a MongoDB regex (pattern + option letters i, m, s, x, u) into a JS RegExp. Leading
 * PCRE inline flags such as `(?i)` become RegExp flags. Invalid options or patterns throw the
 * errors mongod reports (51108, 51091).
 */
export function compileRegex(pattern: string, options: string): RegExp {
  let flags = '';
  let extended = false;
  for (const o of options) {
    if (!VALID_OPTIONS.has(o)) throw new EngineError(51108, `invalid flag in regex options: ${o}`);
    if (o === 'x') extended = true;
    else if (o !== 'u' && !flags.includes(o)) flags += o;
  }
  let source = pattern;
  const inline = /^\(\?([imsx]+)\)/.exec(source);
  if (inline) {
    source = source.slice(inline[0].length);
    for (const o of inline[1]!) {
      if (o === 'x') extended = true;
      else if (!flags.includes(o)) flags += o;
    }
  }
  if (extended) source = stripExtended(source);
  // PCRE anchors JS lacks: \A (start of subject) and \z / \Z (end of subject).
  source = source.replace(/(^|[^\\])\\A/g, '$1^').replace(/(^|[^\\])\\[zZ]/g, '$1$');
  try {
    return new RegExp(source, flags);
  } catch (err) {
    throw new EngineError(51091, `Regular expression is invalid: ${(err as Error).message}`);
  }
}

const cache = new WeakMap<object, RegExp>();

/** The JS RegExp for a BSON regex value or native RegExp (cached per instance). */
export function regexOf(v: BSONRegExp | RegExp): RegExp {
  if (v instanceof RegExp)
    return v.global || v.sticky ? new RegExp(v.source, v.flags.replace(/[gy]/g, '')) : v;
  let re = cache.get(v);
  if (!re) {
    re = compileRegex(v.pattern, v.options);
    cache.set(v, re);
  }
  return re;
}
