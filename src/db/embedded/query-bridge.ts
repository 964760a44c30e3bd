/**
 * The one place where the server side meets the query language (src/db/embedded/query).
 * Re-exports what the query module provides. TEMPORARY stand-ins (marked below) lean on mingo for
 * the capabilities it has not exported yet; each goes as soon as the real one lands.
 */
export {
  bsonTypeName,
  compareValues,
  compileFilter,
  evaluateLetVariables,
  normalizeDocument,
  normalizeValue,
  valuesEqual,
} from './query/index.js';
export type { CompiledFilter as FilterMatcher, FilterOptions } from './query/index.js';
import { assertSimpleCollation as assertSimpleCollationSpec, compareValues } from './query/index.js';

/** Only the simple collation is supported; an absent one is fine. */
export function assertSimpleCollation(collation: unknown): void {
  if (collation !== undefined && collation !== null) assertSimpleCollationSpec(collation);
}

// ---- TEMPORARY stand-ins below ----

import {
  BSONRegExp,
  Decimal128,
  Double,
  Int32,
  Long,
  ObjectId,
  Binary,
  MinKey,
  MaxKey,
  Timestamp,
} from 'bson';
import { Aggregator, Query, update as mingoUpdate } from 'mingo';
import type { Doc } from './values.js';
import { isPlainObject } from './values.js';
import { EngineError } from './errors.js';

function toPlain(value: unknown): unknown {
  if (value instanceof Double || value instanceof Int32) return value.valueOf();
  if (value instanceof Long) return value.toNumber();
  if (value instanceof Decimal128) return Number(value.toString());
  if (value instanceof ObjectId) return `\u0000oid:${value.toHexString()}`;
  if (value instanceof BSONRegExp) return new RegExp(value.pattern, value.options.replace(/[^imsu]/g, ''));
  if (Array.isArray(value)) return value.map(toPlain);
  if (isPlainObject(value)) {
    const out: Doc = {};
    for (const [k, v] of Object.entries(value)) out[k] = toPlain(v);
    return out;
  }
  return value;
}

function fromPlain(value: unknown): unknown {
  if (typeof value === 'string' && value.startsWith('\u0000oid:')) return new ObjectId(value.slice(5));
  if (typeof value === 'number') {
    return Number.isInteger(value) && Math.abs(value) > 2147483647 ? Long.fromNumber(value) : value;
  }
  if (value instanceof RegExp) return new BSONRegExp(value.source, value.flags);
  if (Array.isArray(value)) return value.map(fromPlain);
  if (isPlainObject(value)) {
    const out: Doc = {};
    for (const [k, v] of Object.entries(value)) out[k] = fromPlain(v);
    return out;
  }
  return value;
}

export interface UpdateOptions {
  arrayFilters?: Doc[];
  isUpsert: boolean;
  now: Date;
  variables?: Doc;
  filter?: Doc;
}

export function isOperatorUpdate(update: Doc): boolean {
  const first = Object.keys(update)[0];
  return first !== undefined && first.startsWith('$');
}

export function applyUpdate(
  doc: Doc,
  update: Doc | Doc[],
  options: UpdateOptions,
): { doc: Doc; changed: boolean } {
  if (Array.isArray(update)) {
    const out = new Aggregator(toPlain(update) as Doc[]).run([toPlain(doc) as Doc]);
    const next = fromPlain(out[0]) as Doc;
    return { doc: next, changed: compareValues(next, doc) !== 0 };
  }
  if (!isOperatorUpdate(update)) {
    const next: Doc = { _id: doc._id, ...update };
    if (doc._id === undefined) delete next._id;
    return { doc: next, changed: compareValues(next, doc) !== 0 };
  }
  const plain = toPlain(doc) as Doc;
  const modifier = { ...(toPlain(update) as Doc) };
  const setOnInsert = modifier.$setOnInsert;
  delete modifier.$setOnInsert;
  if (options.isUpsert && setOnInsert)
    modifier.$set = { ...((modifier.$set as Doc) ?? {}), ...(setOnInsert as Doc) };
  const changedPaths = mingoUpdate(plain, modifier, toPlain(options.arrayFilters ?? []) as Doc[], undefined, {
    cloneMode: 'deep',
  });
  const next = fromPlain(plain) as Doc;
  return { doc: next, changed: changedPaths.length > 0 };
}

export function seedUpsertDocument(filter: Doc): Doc {
  const seed: Doc = {};
  const visit = (f: Doc): void => {
    for (const [k, v] of Object.entries(f)) {
      if (k === '$and' && Array.isArray(v)) v.forEach((c) => visit(c as Doc));
      else if (k.startsWith('$')) continue;
      else if (isPlainObject(v) && Object.keys(v)[0]?.startsWith('$')) {
        if ('$eq' in v) seed[k] = v.$eq;
      } else seed[k] = v;
    }
  };
  visit(filter);
  return seed;
}

export function compileProjection(spec: Doc): (doc: Doc) => Doc {
  const plainSpec = toPlain(spec) as Doc;
  return (doc) => {
    const out = new Query({}).find([toPlain(doc) as Doc], plainSpec).all();
    return fromPlain(out[0]) as Doc;
  };
}

function getPath(doc: unknown, path: string): unknown {
  let cur: unknown = doc;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Doc)[part];
  }
  return cur;
}

export function compileSort(spec: Doc): (a: Doc, b: Doc) => number {
  const keys = Object.entries(spec).map(([k, v]) => [k, Number(toPlain(v)) < 0 ? -1 : 1] as const);
  return (a, b) => {
    for (const [k, dir] of keys) {
      const c = compareValues(getPath(a, k) ?? null, getPath(b, k) ?? null);
      if (c) return c * dir;
    }
    return 0;
  };
}

export function indexKeys(doc: Doc, keyPattern: Doc): unknown[][] {
  const fields = Object.keys(keyPattern);
  let tuples: unknown[][] = [[]];
  for (const field of fields) {
    const value = getPath(doc, field);
    const values = Array.isArray(value) ? (value.length ? value : [undefined]) : [value ?? null];
    const next: unknown[][] = [];
    for (const t of tuples) for (const v of values) next.push([...t, v]);
    tuples = next;
  }
  return tuples;
}

export interface PipelineContext {
  now: Date;
  variables?: Doc;
  collection(name: string): Doc[];
}

export function runPipeline(docs: Doc[], pipeline: Doc[], ctx: PipelineContext): Doc[] {
  const plainDocs = docs.map((d) => toPlain(d) as Doc);
  const agg = new Aggregator(toPlain(pipeline) as Doc[], {
    variables: toPlain(ctx.variables ?? {}) as Doc,
    collectionResolver: (name: string) => ctx.collection(name).map((d) => toPlain(d) as Doc),
  });
  return agg.run(plainDocs).map((d) => fromPlain(d) as Doc);
}
