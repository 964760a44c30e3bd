/**
 * Pure: MongoDB sort semantics. A field's sort key is the smallest value it reaches (ascending) or
 * the largest (descending) across arrays on its path; missing sorts as null, an empty array below null.
 */
import { EngineError, ErrorCodes } from '../errors.js';
import { compareValues, isPlainObject } from './bson-values.js';
import { makeCollator } from './collation.js';
import type { Collator } from './collation.js';
import { isNumericValue, toJsNumber } from './numbers.js';

/** One parsed sort field. */
export interface SortField {
  path: string;
  parts: string[];
  direction: 1 | -1;
}

/** Options for {@link compileSort} and {@link sortDocuments}. */
export interface SortOptions {
  /** Collation for comparing strings (absent or `{locale: 'simple'}` = binary). */
  collation?: unknown;
}

/** A document comparator for a sort specification. */
export type DocumentComparator = ((a: unknown, b: unknown) => number) & {
  /** The parsed fields (empty for `{}`; `$natural` is reported separately). */
  readonly fields: readonly SortField[];
  /** Direction of a `{$natural: 1|-1}` request, which only the storage layer can honour. */
  readonly natural: 1 | -1 | undefined;
};

/**
 * Parses a sort document ({a: 1, "b.c": -1}). Directions may be any numeric type equal to 1 or
 * -1. `{$meta: ...}` sorts are refused with NotImplemented; other values with BadValue.
 */
export function parseSortSpec(spec: Record<string, unknown>): {
  fields: SortField[];
  natural: 1 | -1 | undefined;
} {
  const fields: SortField[] = [];
  let natural: 1 | -1 | undefined;
  for (const [path, value] of Object.entries(spec)) {
    if (isPlainObject(value) && '$meta' in value) {
      throw new EngineError(
        ErrorCodes.NotImplemented,
        `The embedded MongoDB engine does not support sorting by {$meta: ${JSON.stringify(value.$meta)}}`,
      );
    }
    const n = isNumericValue(value) ? toJsNumber(value) : NaN;
    if (n !== 1 && n !== -1) {
      throw new EngineError(15975, '$sort key ordering must be 1 (for ascending) or -1 (for descending)');
    }
    if (path === '$natural') {
      natural = n;
      continue;
    }
    if (path === '' || path.split('.').some((p) => p === '')) {
      throw new EngineError(ErrorCodes.BadValue, `FieldPath field names may not be empty strings.`);
    }
    fields.push({ path, parts: path.split('.'), direction: n });
  }
  return { fields, natural };
}

function collect(value: unknown, parts: string[], i: number, out: unknown[]): void {
  if (i === parts.length) {
    if (Array.isArray(value)) {
      // An empty array sorts as undefined (below null), like mongod's sort key generator.
      if (value.length === 0) out.push(undefined);
      else for (const el of value) out.push(el);
    } else {
      out.push(value);
    }
    return;
  }
  if (Array.isArray(value)) {
    const part = parts[i]!;
    if (/^(0|[1-9]\d*)$/.test(part) && Number(part) < value.length) {
      collect(value[Number(part)], parts, i + 1, out);
      return;
    }
    if (value.length === 0) {
      out.push(null);
      return;
    }
    for (const el of value) {
      if (isPlainObject(el)) collect(el, parts, i, out);
      else out.push(null);
    }
    return;
  }
  if (isPlainObject(value)) {
    const key = parts[i]!;
    const child = Object.hasOwn(value, key) ? value[key] : undefined;
    if (child === undefined) out.push(null);
    else collect(child, parts, i + 1, out);
    return;
  }
  out.push(null);
}

/** The value a document sorts by for one field: min (ascending) or max (descending) of what the path reaches. */
export function sortKeyOf(doc: unknown, field: SortField, collator?: Collator): unknown {
  const values: unknown[] = [];
  collect(doc, field.parts, 0, values);
  let best = values[0];
  for (let k = 1; k < values.length; k++) {
    const c = compareValues(values[k], best, collator);
    if (field.direction === 1 ? c < 0 : c > 0) best = values[k];
  }
  return best;
}

/** Compares two key tuples produced for the same fields. */
function compareKeyTuples(
  a: unknown[],
  b: unknown[],
  fields: readonly SortField[],
  collator?: Collator,
): number {
  for (let i = 0; i < fields.length; i++) {
    const c = compareValues(a[i], b[i], collator);
    if (c !== 0) return c * fields[i]!.direction;
  }
  return 0;
}

/**
 * Compiles a sort specification into a comparator of documents (sort keys are cached per
 * document object). Ties compare as 0; the caller decides the tie-break (e.g. storage order).
 */
export function compileSort(spec: Record<string, unknown>, options: SortOptions = {}): DocumentComparator {
  const { fields, natural } = parseSortSpec(spec);
  const collator = makeCollator(options.collation);
  const cache = new WeakMap<object, unknown[]>();
  const keysOf = (doc: unknown): unknown[] => {
    if (typeof doc !== 'object' || doc === null) return fields.map((f) => sortKeyOf(doc, f, collator));
    let keys = cache.get(doc);
    if (!keys) {
      keys = fields.map((f) => sortKeyOf(doc, f, collator));
      cache.set(doc, keys);
    }
    return keys;
  };
  const comparator = (a: unknown, b: unknown): number =>
    fields.length === 0 ? 0 : compareKeyTuples(keysOf(a), keysOf(b), fields, collator);
  return Object.assign(comparator, { fields, natural });
}

/** Returns the documents sorted by `spec` (stable: ties keep their input order). */
export function sortDocuments<T>(
  docs: readonly T[],
  spec: Record<string, unknown>,
  options: SortOptions = {},
): T[] {
  const { fields } = parseSortSpec(spec);
  if (fields.length === 0) return [...docs];
  const collator = makeCollator(options.collation);
  const decorated = docs.map((doc, index) => ({
    doc,
    index,
    keys: fields.map((f) => sortKeyOf(doc, f, collator)),
  }));
  decorated.sort((x, y) => compareKeyTuples(x.keys, y.keys, fields, collator) || x.index - y.index);
  return decorated.map((d) => d.doc);
}
