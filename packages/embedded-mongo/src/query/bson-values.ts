/**
 * Pure: classification, normalization, ordering and equality of engine values (BSON values as the
 * server deserializes them, see normalizeValue) following mongod's cross-type rules.
 */
import { BSONRegExp, DBRef, Double, Long } from 'bson';
import type { Binary, Decimal128, ObjectId, Timestamp } from 'bson';
import type { Collator } from './collation.js';
import { compareNumbers, isNumericValue } from './numbers.js';

/** A document in the engine representation (see {@link normalizeDocument}). */
export type EngineDocument = Record<string, unknown>;

/**
 * Canonical type ranks in mongod's cross-type sort order (canonicalizeBSONType).
 * Values of different ranks compare by rank only.
 */
export const TypeRank = {
  MinKey: 0,
  Undefined: 1,
  Null: 2,
  Number: 3,
  String: 4,
  Object: 5,
  Array: 6,
  Binary: 7,
  ObjectId: 8,
  Boolean: 9,
  Date: 10,
  Timestamp: 11,
  RegExp: 12,
  DBPointer: 13,
  Code: 14,
  CodeWithScope: 15,
  MaxKey: 16,
} as const;

/** The `$type` alias names and numeric codes mongod accepts. */
export const BSON_TYPE_CODES: Readonly<Record<string, number>> = {
  double: 1,
  string: 2,
  object: 3,
  array: 4,
  binData: 5,
  undefined: 6,
  objectId: 7,
  bool: 8,
  date: 9,
  null: 10,
  regex: 11,
  dbPointer: 12,
  javascript: 13,
  symbol: 14,
  javascriptWithScope: 15,
  int: 16,
  timestamp: 17,
  long: 18,
  decimal: 19,
  minKey: -1,
  maxKey: 127,
};

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/** True for a JS number that bson.serialize writes as Int32. */
export function isInt32Number(v: number): boolean {
  return Number.isInteger(v) && v >= INT32_MIN && v <= INT32_MAX && !Object.is(v, -0);
}

export function bsonTag(v: object): string | undefined {
  return (v as { _bsontype?: string })._bsontype;
}

/** Plain JS object (what bson and JSON produce for embedded documents), not a BSON class or array. */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

export function isRegexValue(v: unknown): v is BSONRegExp | RegExp {
  return v instanceof RegExp || (typeof v === 'object' && v !== null && bsonTag(v) === 'BSONRegExp');
}

/** The canonical type rank of a value; JS `undefined` means "missing" and ranks with BSON undefined. */
export function typeRank(v: unknown): number {
  switch (typeof v) {
    case 'number':
    case 'bigint':
      return TypeRank.Number;
    case 'string':
      return TypeRank.String;
    case 'boolean':
      return TypeRank.Boolean;
    case 'undefined':
      return TypeRank.Undefined;
    case 'object':
      break;
    default:
      return TypeRank.Object;
  }
  if (v === null) return TypeRank.Null;
  if (Array.isArray(v)) return TypeRank.Array;
  if (v instanceof Date) return TypeRank.Date;
  if (v instanceof RegExp) return TypeRank.RegExp;
  const tag = bsonTag(v);
  if (tag === undefined) return v instanceof Uint8Array ? TypeRank.Binary : TypeRank.Object;
  switch (tag) {
    case 'Double':
    case 'Int32':
    case 'Long':
    case 'Decimal128':
      return TypeRank.Number;
    case 'ObjectId':
      return TypeRank.ObjectId;
    case 'Binary':
      return TypeRank.Binary;
    case 'Timestamp':
      return TypeRank.Timestamp;
    case 'BSONRegExp':
      return TypeRank.RegExp;
    case 'BSONSymbol':
      return TypeRank.String;
    case 'MinKey':
      return TypeRank.MinKey;
    case 'MaxKey':
      return TypeRank.MaxKey;
    case 'Code':
      return (v as { scope?: unknown }).scope ? TypeRank.CodeWithScope : TypeRank.Code;
    case 'DBRef':
      return TypeRank.Object;
    default:
      return TypeRank.Object;
  }
}

/**
 * MongoDB's `$type` alias for a value ("double", "int", "long", "decimal", "string", "object", ...).
 * JS `undefined` (a missing field) yields "missing", as the aggregation `$type` operator reports it.
 */
export function bsonTypeName(v: unknown): string {
  switch (typeof v) {
    case 'number':
      return isInt32Number(v) ? 'int' : 'double';
    case 'bigint':
      return 'long';
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    case 'undefined':
      return 'missing';
    default:
      break;
  }
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (v instanceof Date) return 'date';
  if (v instanceof RegExp) return 'regex';
  if (typeof v !== 'object') return 'object';
  const tag = bsonTag(v);
  switch (tag) {
    case undefined:
      return v instanceof Uint8Array ? 'binData' : 'object';
    case 'Double':
      return 'double';
    case 'Int32':
      return 'int';
    case 'Long':
      return 'long';
    case 'Decimal128':
      return 'decimal';
    case 'ObjectId':
      return 'objectId';
    case 'Binary':
      return 'binData';
    case 'Timestamp':
      return 'timestamp';
    case 'BSONRegExp':
      return 'regex';
    case 'BSONSymbol':
      return 'symbol';
    case 'MinKey':
      return 'minKey';
    case 'MaxKey':
      return 'maxKey';
    case 'Code':
      return (v as { scope?: unknown }).scope ? 'javascriptWithScope' : 'javascript';
    case 'DBRef':
      return 'object';
    default:
      return 'object';
  }
}

/** The numeric BSON type code of a value (1 double, 2 string, ... 16 int, 18 long, 19 decimal). */
export function bsonTypeCode(v: unknown): number | undefined {
  return BSON_TYPE_CODES[bsonTypeName(v)];
}

/** The object form of a DBRef, field order $ref, $id, $db, extras, as mongod stores it. */
export function dbRefAsObject(ref: DBRef): Record<string, unknown> {
  const out: Record<string, unknown> = { $ref: ref.collection, $id: ref.oid };
  if (ref.db) out.$db = ref.db;
  for (const [k, val] of Object.entries(ref.fields ?? {})) out[k] = val;
  return out;
}

// ---------------------------------------------------------------------------------------------
// Normalization

/**
 * Brings one value into the engine representation: Int32 -> number; Double -> number unless it is
 * integral and within int32 range (or -0), where it stays a `Double` so it serializes back as a
 * double; native RegExp -> BSONRegExp; bigint -> Long; containers are copied recursively.
 */
export function normalizeValue(v: unknown): unknown {
  switch (typeof v) {
    case 'number':
      return Object.is(v, -0) ? new Double(-0) : v;
    case 'bigint':
      return Long.fromBigInt(v);
    case 'object':
      break;
    default:
      return v;
  }
  if (v === null) return null;
  if (Array.isArray(v)) {
    const out = new Array<unknown>(v.length);
    for (let i = 0; i < v.length; i++) out[i] = normalizeValue(v[i]);
    return out;
  }
  if (v instanceof Date) return v;
  if (v instanceof RegExp) return new BSONRegExp(v.source, regexFlagsToBson(v.flags));
  const tag = bsonTag(v);
  if (tag === undefined) {
    if (!isPlainObject(v)) return v;
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(v)) {
      const child = v[key];
      if (child !== undefined) out[key] = normalizeValue(child);
    }
    return out;
  }
  switch (tag) {
    case 'Int32':
      return (v as { value: number }).value;
    case 'Double': {
      const n = (v as Double).value;
      return Number.isInteger(n) && n >= INT32_MIN && n <= INT32_MAX ? v : n;
    }
    case 'DBRef': {
      const ref = v as DBRef;
      return new DBRef(
        ref.collection,
        normalizeValue(ref.oid) as ObjectId,
        ref.db,
        normalizeValue(ref.fields ?? {}) as Record<string, unknown>,
      );
    }
    default:
      return v;
  }
}

/** Normalizes a whole document (see {@link normalizeValue}); returns a new object. */
export function normalizeDocument(doc: Record<string, unknown>): EngineDocument {
  return normalizeValue(doc) as EngineDocument;
}

function regexFlagsToBson(flags: string): string {
  // BSON regex flags are stored sorted; JS-only flags (g, y, d, u, v) have no BSON meaning.
  return [...flags]
    .filter((f) => 'imsx'.includes(f))
    .sort()
    .join('');
}

// ---------------------------------------------------------------------------------------------
// Ordering

/** Compares strings by code point (what comparing their UTF-8 bytes gives), not by UTF-16 unit. */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let ca = a.charCodeAt(i);
    let cb = b.charCodeAt(i);
    if (ca === cb) continue;
    if (ca >= 0xd800 && cb >= 0xd800) {
      // Surrogates (U+D800-DFFF) encode code points above U+FFFF, so they rank above U+E000-FFFF.
      ca = ca >= 0xe000 ? ca - 0x800 : ca + 0x2000;
      cb = cb >= 0xe000 ? cb - 0x800 : cb + 0x2000;
    }
    return ca < cb ? -1 : 1;
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

function stringOf(v: unknown): string {
  return typeof v === 'string' ? v : (v as { value: string }).value;
}

function bytesOf(v: unknown): Uint8Array {
  if (v instanceof Uint8Array) return v;
  return (v as Binary).buffer;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x !== y) return x < y ? -1 : 1;
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

function regexParts(v: unknown): [string, string] {
  if (v instanceof RegExp) return [v.source, regexFlagsToBson(v.flags)];
  const r = v as BSONRegExp;
  return [r.pattern, r.options];
}

function objectView(v: unknown): Record<string, unknown> {
  return bsonTag(v as object) === 'DBRef' ? dbRefAsObject(v as DBRef) : (v as Record<string, unknown>);
}

function sign(n: number): number {
  return n < 0 ? -1 : n > 0 ? 1 : 0;
}

/**
 * MongoDB's total order over values: MinKey < undefined < null < numbers < strings/symbols <
 * objects < arrays < BinData < ObjectId < booleans < dates < timestamps < regexes < code < MaxKey.
 * Numbers compare by exact value across int/double/long/decimal (NaN lowest); objects field by
 * field (type, then name, then value); arrays element-wise; BinData by length, subtype, bytes.
 * JS `undefined` is treated as BSON undefined (it sorts just below null). With a `collator`,
 * strings (also inside documents and arrays) compare by the collation.
 * Returns a negative number, zero or a positive number.
 */
export function compareValues(a: unknown, b: unknown, collator?: Collator): number {
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return ra < rb ? -1 : 1;
  return compareSameRank(a, b, ra, collator);
}

/** Compares two values already known to share the canonical type rank `rank`. */
export function compareSameRank(a: unknown, b: unknown, rank: number, collator?: Collator): number {
  switch (rank) {
    case TypeRank.Number:
      return compareNumbers(a, b);
    case TypeRank.String:
      return collator
        ? sign(collator.compare(stringOf(a), stringOf(b)))
        : compareStrings(stringOf(a), stringOf(b));
    case TypeRank.Object:
      return compareObjects(objectView(a), objectView(b), collator);
    case TypeRank.Array:
      return compareArrays(a as unknown[], b as unknown[], collator);
    case TypeRank.Binary: {
      const ba = bytesOf(a);
      const bb = bytesOf(b);
      if (ba.length !== bb.length) return ba.length < bb.length ? -1 : 1;
      const sa = a instanceof Uint8Array ? 0 : (a as Binary).sub_type;
      const sb = b instanceof Uint8Array ? 0 : (b as Binary).sub_type;
      if (sa !== sb) return sa < sb ? -1 : 1;
      return compareBytes(ba, bb);
    }
    case TypeRank.ObjectId:
      return compareBytes((a as ObjectId).id, (b as ObjectId).id);
    case TypeRank.Boolean:
      return a === b ? 0 : a ? 1 : -1;
    case TypeRank.Date:
      return sign((a as Date).getTime() - (b as Date).getTime());
    case TypeRank.Timestamp: {
      const ta = a as Timestamp;
      const tb = b as Timestamp;
      if (ta.t !== tb.t) return ta.t < tb.t ? -1 : 1;
      return ta.i === tb.i ? 0 : ta.i < tb.i ? -1 : 1;
    }
    case TypeRank.RegExp: {
      const [pa, fa] = regexParts(a);
      const [pb, fb] = regexParts(b);
      return compareStrings(pa, pb) || compareStrings(fa, fb);
    }
    case TypeRank.Code:
      return compareStrings((a as { code: string }).code, (b as { code: string }).code);
    case TypeRank.CodeWithScope: {
      const ca = a as { code: string; scope: Record<string, unknown> };
      const cb = b as { code: string; scope: Record<string, unknown> };
      return compareStrings(ca.code, cb.code) || compareObjects(ca.scope, cb.scope, collator);
    }
    default:
      // MinKey, MaxKey, null, undefined: a single value each.
      return 0;
  }
}

function compareObjects(a: Record<string, unknown>, b: Record<string, unknown>, collator?: Collator): number {
  if (a === b) return 0;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  const n = Math.min(ka.length, kb.length);
  for (let i = 0; i < n; i++) {
    const va = a[ka[i]!];
    const vb = b[kb[i]!];
    const ra = typeRank(va);
    const rb = typeRank(vb);
    if (ra !== rb) return ra < rb ? -1 : 1;
    const byName = compareStrings(ka[i]!, kb[i]!);
    if (byName !== 0) return byName;
    const byValue = compareSameRank(va, vb, ra, collator);
    if (byValue !== 0) return byValue;
  }
  return ka.length < kb.length ? -1 : ka.length > kb.length ? 1 : 0;
}

function compareArrays(a: unknown[], b: unknown[], collator?: Collator): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = compareValues(a[i], b[i], collator);
    if (c !== 0) return c;
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

/** MongoDB value equality: numbers by value (1 == 1.0 == Long(1) == Decimal128("1")), objects by field order. */
export function valuesEqual(a: unknown, b: unknown, collator?: Collator): boolean {
  if (a === b) return true;
  if (typeof a === 'number' && typeof b === 'number') return a === b || (a !== a && b !== b);
  if (typeof a === 'string' && typeof b === 'string' && !collator) return false;
  return compareValues(a, b, collator) === 0;
}

/**
 * Strict identity used for no-op detection: same BSON types (int 1 is not double 1.0), same field
 * order, same values. Two NaNs are identical; 0 and -0 are not.
 */
export function valuesIdentical(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  const ta = bsonTypeName(a);
  if (ta !== bsonTypeName(b)) return false;
  switch (ta) {
    case 'double': {
      const x = typeof a === 'number' ? a : (a as Double).value;
      const y = typeof b === 'number' ? b : (b as Double).value;
      return Object.is(x, y);
    }
    case 'array': {
      const xa = a as unknown[];
      const xb = b as unknown[];
      if (xa.length !== xb.length) return false;
      for (let i = 0; i < xa.length; i++) if (!valuesIdentical(xa[i], xb[i])) return false;
      return true;
    }
    case 'object': {
      const oa = objectView(a);
      const ob = objectView(b);
      const ka = Object.keys(oa);
      const kb = Object.keys(ob);
      if (ka.length !== kb.length) return false;
      for (let i = 0; i < ka.length; i++) {
        if (ka[i] !== kb[i]) return false;
        if (!valuesIdentical(oa[ka[i]!], ob[kb[i]!])) return false;
      }
      return true;
    }
    case 'decimal':
      return (a as Decimal128).toString() === (b as Decimal128).toString();
    case 'javascriptWithScope': {
      const ca = a as { code: string; scope: unknown };
      const cb = b as { code: string; scope: unknown };
      return ca.code === cb.code && valuesIdentical(ca.scope, cb.scope);
    }
    case 'binData':
      return compareSameRank(a, b, TypeRank.Binary) === 0;
    default:
      return compareValues(a, b) === 0;
  }
}

/** Deep-copies arrays and plain objects; BSON scalar instances are immutable and shared. */
export function cloneValue<T>(v: T): T {
  if (typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) {
    const out = new Array<unknown>(v.length);
    for (let i = 0; i < v.length; i++) out[i] = cloneValue(v[i]);
    return out as T;
  }
  if (!isPlainObject(v)) return v;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(v)) out[key] = cloneValue(v[key]);
  return out as T;
}

export { isNumericValue };
