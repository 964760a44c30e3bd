/**
 * Pure: B-tree index key generation like mongod — one key per element of the (single) array an
 * index path reaches (multikey), null for missing fields, undefined for an empty array, and a
 * refusal to index two different arrays in one compound key ("parallel arrays").
 */
import type { Binary, DBRef, ObjectId, Timestamp } from 'bson';
import { EngineError, ErrorCodes } from '../errors.js';
import {
  bsonTag,
  compareValues,
  dbRefAsObject,
  isPlainObject,
  normalizeValue,
  TypeRank,
  typeRank,
} from './bson-values.js';
import { canonicalNumberString, isNumericValue, toJsNumber } from './numbers.js';

/** One field of a parsed key pattern. */
export interface IndexKeyField {
  path: string;
  parts: string[];
  direction: 1 | -1;
}

/** Generated keys of one document plus whether any field was expanded over an array. */
export interface IndexKeyInfo {
  /** Distinct key tuples in key order, one value per key-pattern field. */
  keys: unknown[][];
  /** True when a field reached an array (the index becomes multikey). */
  multikey: boolean;
  /** Paths of the key pattern whose value came from an array. */
  multikeyPaths: string[];
}

const SPECIAL_INDEX_TYPES = new Set(['hashed', 'text', '2d', '2dsphere', 'geoHaystack', 'columnstore']);

/**
 * Parses a key pattern ({a: 1, "b.c": -1}). Positive numbers are ascending, negative descending;
 * special index types (hashed, text, 2d, 2dsphere, wildcard) are refused with NotImplemented.
 */
export function parseKeyPattern(keyPattern: Record<string, unknown>): IndexKeyField[] {
  const fields: IndexKeyField[] = [];
  const pattern = normalizeValue(keyPattern) as Record<string, unknown>;
  for (const [path, value] of Object.entries(pattern)) {
    if (typeof value === 'string') {
      const what = SPECIAL_INDEX_TYPES.has(value) ? `${value} indexes` : `index type '${value}'`;
      throw new EngineError(
        ErrorCodes.NotImplemented,
        `The embedded MongoDB engine does not support ${what}`,
      );
    }
    if (path === '$**' || path.endsWith('.$**')) {
      throw new EngineError(
        ErrorCodes.NotImplemented,
        'The embedded MongoDB engine does not support wildcard indexes',
      );
    }
    if (!isNumericValue(value) || toJsNumber(value) === 0 || Number.isNaN(toJsNumber(value))) {
      throw new EngineError(
        ErrorCodes.CannotCreateIndex,
        `Values in the index key pattern can only be numbers or strings, and numbers cannot be 0: ${path}`,
      );
    }
    if (path === '' || path.split('.').some((p) => p === '')) {
      throw new EngineError(ErrorCodes.CannotCreateIndex, `Index keys cannot be an empty field.`);
    }
    fields.push({ path, parts: path.split('.'), direction: toJsNumber(value) > 0 ? 1 : -1 });
  }
  if (fields.length === 0) throw new EngineError(ErrorCodes.CannotCreateIndex, 'Index keys cannot be empty.');
  return fields;
}

const MISSING: unique symbol = Symbol('missing');

interface Cursor {
  value: unknown;
  pos: number;
  /** The value is final (a leaf value or an element already taken from a leaf array). */
  done: boolean;
}

/** Advances through embedded documents until the path ends or reaches an array. */
function advance(field: IndexKeyField, c: Cursor): void {
  while (!c.done) {
    if (c.pos === field.parts.length) {
      if (!Array.isArray(c.value)) c.done = true;
      return;
    }
    const v = c.value;
    if (Array.isArray(v)) {
      const part = field.parts[c.pos]!;
      // A numeric component addresses one element without making the key multikey.
      if (/^(0|[1-9]\d*)$/.test(part) && v.every((el) => !isPlainObject(el) || !Object.hasOwn(el, part))) {
        const el = v[Number(part)];
        c.value = el === undefined ? MISSING : el;
        c.pos++;
        continue;
      }
      return;
    }
    if (isPlainObject(v) || (typeof v === 'object' && v !== null && bsonTag(v) === 'DBRef')) {
      const obj = isPlainObject(v) ? v : dbRefAsObject(v as DBRef);
      const key = field.parts[c.pos]!;
      const child = Object.hasOwn(obj, key) ? obj[key] : undefined;
      c.value = child === undefined ? MISSING : child;
      c.pos++;
      continue;
    }
    c.value = MISSING;
    c.done = true;
  }
}

function finalValue(c: Cursor): unknown {
  return c.value === MISSING ? null : c.value;
}

function generate(fields: IndexKeyField[], cursors: Cursor[], out: unknown[][], multikey: Set<number>): void {
  for (let f = 0; f < fields.length; f++) advance(fields[f]!, cursors[f]!);
  let array: unknown[] | undefined;
  let arrayField = -1;
  for (let f = 0; f < fields.length; f++) {
    const c = cursors[f]!;
    if (c.done || !Array.isArray(c.value)) continue;
    if (array === undefined) {
      array = c.value;
      arrayField = f;
    } else if (c.value !== array) {
      const at = (i: number) => fields[i]!.parts.slice(0, Math.max(1, cursors[i]!.pos)).join('.');
      throw EngineError.of(
        'CannotIndexParallelArrays',
        `cannot index parallel arrays [${at(f)}] [${at(arrayField)}]`,
      );
    }
  }
  if (array === undefined) {
    out.push(cursors.map(finalValue));
    return;
  }
  const onArray = cursors.map((c) => !c.done && c.value === array);
  onArray.forEach((on, f) => on && multikey.add(f));
  const substitute = (element: unknown, emptyArray: boolean): Cursor[] =>
    cursors.map((c, f) => {
      if (!onArray[f]) return { ...c };
      const atLeaf = c.pos === fields[f]!.parts.length;
      if (emptyArray)
        return { value: atLeaf ? undefined : MISSING, pos: fields[f]!.parts.length, done: true };
      if (atLeaf) return { value: element, pos: c.pos, done: true };
      // Mid-path: only embedded documents continue the path; other elements have no value.
      if (!isPlainObject(element)) return { value: MISSING, pos: fields[f]!.parts.length, done: true };
      return { value: element, pos: c.pos, done: false };
    });
  if (array.length === 0) {
    generate(fields, substitute(undefined, true), out, multikey);
    return;
  }
  for (const element of array) generate(fields, substitute(element, false), out, multikey);
}

/** The single key of a document whose indexed paths cross no array (the common case), else undefined. */
function simpleKey(doc: Record<string, unknown>, fields: IndexKeyField[]): unknown[] | undefined {
  const key = new Array<unknown>(fields.length);
  for (let f = 0; f < fields.length; f++) {
    const parts = fields[f]!.parts;
    let value: unknown = doc;
    for (let i = 0; i < parts.length; i++) {
      if (!isPlainObject(value)) {
        if (
          Array.isArray(value) ||
          (typeof value === 'object' && value !== null && bsonTag(value) === 'DBRef')
        )
          return undefined;
        value = undefined;
        break;
      }
      const part = parts[i]!;
      value = Object.hasOwn(value, part) ? value[part] : undefined;
    }
    if (Array.isArray(value)) return undefined;
    key[f] = value === undefined ? null : value;
  }
  return key;
}

/**
 * Compiles a key pattern once into a function from a document to its index keys (see
 * {@link indexKeyInfo}); use this on the write path.
 */
export function compileIndexKeys(
  keyPattern: Record<string, unknown>,
): (doc: Record<string, unknown>) => IndexKeyInfo {
  const fields = parseKeyPattern(keyPattern);
  return (doc) => indexKeyInfo(doc, fields);
}

/**
 * Index keys of a document for a parsed key pattern, with multikey information. Duplicate keys
 * are removed; keys are returned in ascending key order (direction-aware).
 */
export function indexKeyInfo(doc: Record<string, unknown>, fields: IndexKeyField[]): IndexKeyInfo {
  const simple = simpleKey(doc, fields);
  if (simple) return { keys: [simple], multikey: false, multikeyPaths: [] };
  const raw: unknown[][] = [];
  const multikey = new Set<number>();
  generate(
    fields,
    fields.map(() => ({ value: doc, pos: 0, done: false })),
    raw,
    multikey,
  );
  const seen = new Set<string>();
  const keys: unknown[][] = [];
  for (const key of raw) {
    const id = keyToString(key);
    if (!seen.has(id)) {
      seen.add(id);
      keys.push(key);
    }
  }
  if (keys.length > 1) keys.sort((a, b) => compareIndexKeys(a, b, fields));
  return { keys, multikey: multikey.size > 0, multikeyPaths: [...multikey].map((f) => fields[f]!.path) };
}

/**
 * The key tuples a document contributes to an index with `keyPattern` (one value per field):
 * one tuple per element of the array a path reaches, null for missing, undefined for an empty
 * array. Two fields reaching different arrays throw CannotIndexParallelArrays (171).
 */
export function indexKeys(doc: Record<string, unknown>, keyPattern: Record<string, unknown>): unknown[][] {
  return indexKeyInfo(doc, parseKeyPattern(keyPattern)).keys;
}

/** Compares key tuples with compareValues, honouring per-field directions when given. */
export function compareIndexKeys(
  a: readonly unknown[],
  b: readonly unknown[],
  fields?: readonly { direction: 1 | -1 }[],
): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = compareValues(a[i], b[i]);
    if (c !== 0) return fields?.[i]?.direction === -1 ? -c : c;
  }
  return a.length - b.length;
}

function encode(v: unknown): string {
  const rank = typeRank(v);
  switch (rank) {
    case TypeRank.MinKey:
      return 'm';
    case TypeRank.Undefined:
      return 'u';
    case TypeRank.Null:
      return 'z';
    case TypeRank.Number:
      return 'n' + canonicalNumberString(v);
    case TypeRank.String:
      return 's' + JSON.stringify(typeof v === 'string' ? v : (v as { value: string }).value);
    case TypeRank.Object: {
      const obj = isPlainObject(v) ? v : dbRefAsObject(v as DBRef);
      return (
        '{' +
        Object.keys(obj)
          .map((k) => JSON.stringify(k) + ':' + encode(obj[k]))
          .join(',') +
        '}'
      );
    }
    case TypeRank.Array:
      return '[' + (v as unknown[]).map(encode).join(',') + ']';
    case TypeRank.Binary: {
      const bytes = v instanceof Uint8Array ? v : (v as Binary).buffer;
      const sub = v instanceof Uint8Array ? 0 : (v as Binary).sub_type;
      return 'b' + sub + ':' + Buffer.from(bytes).toString('hex');
    }
    case TypeRank.ObjectId:
      return 'o' + (v as ObjectId).toHexString();
    case TypeRank.Boolean:
      return v ? 't' : 'f';
    case TypeRank.Date:
      return 'd' + (v as Date).getTime();
    case TypeRank.Timestamp:
      return 'T' + (v as Timestamp).t + ':' + (v as Timestamp).i;
    case TypeRank.RegExp: {
      const r =
        v instanceof RegExp
          ? { pattern: v.source, options: v.flags }
          : (v as { pattern: string; options: string });
      return 'r' + JSON.stringify(r.pattern) + '/' + r.options;
    }
    case TypeRank.Code:
      return 'c' + JSON.stringify((v as { code: string }).code);
    case TypeRank.CodeWithScope:
      return 'C' + JSON.stringify((v as { code: string }).code) + encode((v as { scope: unknown }).scope);
    case TypeRank.MaxKey:
      return 'M';
    default:
      return '?';
  }
}

/**
 * A string equal for two key tuples exactly when they compare equal with compareValues
 * (numbers by value across types), for hash lookups in unique indexes.
 */
export function keyToString(key: readonly unknown[]): string {
  if (key.length === 1) return encode(key[0]);
  return key.map(encode).join('\u0000');
}
