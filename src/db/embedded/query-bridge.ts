/**
 * The one place where the server side meets the query language (src/db/embedded/query).
 * TEMPORARY: until that module lands, these stand-ins lean on mingo so the server can be exercised;
 * each is replaced by the query module's own export as soon as it exists.
 */
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

export function normalizeValue(value: unknown): unknown {
  if (value instanceof Int32) return value.valueOf();
  if (value instanceof Double) {
    const n = value.valueOf();
    return Number.isInteger(n) && n >= -2147483648 && n <= 2147483647 ? value : n;
  }
  if (Array.isArray(value)) return value.map(normalizeValue);
  if (isPlainObject(value)) return normalizeDocument(value);
  return value;
}

export function normalizeDocument(doc: Doc): Doc {
  const out: Doc = {};
  for (const [k, v] of Object.entries(doc)) out[k] = normalizeValue(v);
  return out;
}

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

function typeRank(v: unknown): number {
  if (v instanceof MinKey) return 0;
  if (v === null || v === undefined) return 1;
  if (
    typeof v === 'number' ||
    v instanceof Double ||
    v instanceof Int32 ||
    v instanceof Long ||
    v instanceof Decimal128
  )
    return 2;
  if (typeof v === 'string') return 3;
  if (Array.isArray(v)) return 5;
  if (v instanceof Binary) return 6;
  if (v instanceof ObjectId) return 7;
  if (typeof v === 'boolean') return 8;
  if (v instanceof Date) return 9;
  if (v instanceof Timestamp) return 10;
  if (v instanceof BSONRegExp) return 11;
  if (v instanceof MaxKey) return 12;
  return 4;
}

export function compareValues(a: unknown, b: unknown): number {
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return ra < rb ? -1 : 1;
  switch (ra) {
    case 2: {
      const x = toPlain(a) as number;
      const y = toPlain(b) as number;
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case 3:
      return a === b ? 0 : (a as string) < (b as string) ? -1 : 1;
    case 7:
      return Buffer.compare(Buffer.from((a as ObjectId).id), Buffer.from((b as ObjectId).id));
    case 8:
      return Number(a) - Number(b);
    case 9:
      return (a as Date).getTime() - (b as Date).getTime();
    case 5: {
      const x = a as unknown[];
      const y = b as unknown[];
      for (let i = 0; i < Math.min(x.length, y.length); i++) {
        const c = compareValues(x[i], y[i]);
        if (c) return c;
      }
      return x.length - y.length;
    }
    case 4: {
      const x = Object.entries(a as Doc);
      const y = Object.entries(b as Doc);
      for (let i = 0; i < Math.min(x.length, y.length); i++) {
        const [ka, va] = x[i]!;
        const [kb, vb] = y[i]!;
        const t = typeRank(va) - typeRank(vb);
        if (t) return t;
        if (ka !== kb) return ka < kb ? -1 : 1;
        const c = compareValues(va, vb);
        if (c) return c;
      }
      return x.length - y.length;
    }
    default:
      return 0;
  }
}

export function bsonTypeName(v: unknown): string {
  return [
    'minKey',
    'null',
    'double',
    'string',
    'object',
    'array',
    'binData',
    'objectId',
    'bool',
    'date',
    'timestamp',
    'regex',
    'maxKey',
  ][typeRank(v)]!;
}

export interface FilterMatcher {
  matches(doc: Doc): boolean;
}

export interface FilterOptions {
  variables?: Doc;
}

export function compileFilter(filter: Doc, options: FilterOptions = {}): FilterMatcher {
  for (const key of Object.keys(filter)) {
    if (key.startsWith('$') && !['$and', '$or', '$nor', '$expr', '$comment'].includes(key)) {
      throw EngineError.of('BadValue', `unknown top level operator: ${key}`);
    }
  }
  const query = new Query(toPlain(filter) as Doc, { variables: toPlain(options.variables ?? {}) as Doc });
  return { matches: (doc) => query.test(toPlain(doc) as Doc) };
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
