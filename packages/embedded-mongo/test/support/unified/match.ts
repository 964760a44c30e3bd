/**
 * Pure: the unified test format's "Evaluating Matches" rules — special `$$` operators, extra fields
 * allowed only in root-level documents, flexible numeric comparison, key order ignored — plus the
 * exact comparison used for collection outcomes.
 *
 * BSON values are recognised by their `_bsontype` tag, never with `instanceof`: the driver and the
 * tests may load different copies of the bson package.
 */
import { EJSON } from 'bson';

export class MatchError extends Error {
  constructor(
    readonly path: string,
    detail: string,
  ) {
    super(`${path === '' ? '(root)' : path}: ${detail}`);
    this.name = 'MatchError';
  }
}

/** Resolves `$$matchesEntity` / `$$sessionLsid` names; both must throw for unknown entities. */
export interface EntityResolver {
  entity(name: string): unknown;
  sessionLsid(name: string): unknown;
}

const noEntities: EntityResolver = {
  entity(name) {
    throw new Error(`no entity named ${name}`);
  },
  sessionLsid(name) {
    throw new Error(`no session entity named ${name}`);
  },
};

interface MatchState {
  entities: EntityResolver;
  /** Outcome comparison: no operators, no extra fields anywhere. */
  exact: boolean;
}

export interface MatchOptions {
  entities?: EntityResolver;
  /**
   * The actual value came from iterating a cursor (find, aggregate, listCollections...): each element
   * of an expected array is then itself a root-level document.
   */
  iterableOfDocuments?: boolean;
}

/** Asserts `actual` matches the expected value as a root-level value; throws MatchError otherwise. */
export function assertMatches(expected: unknown, actual: unknown, options: MatchOptions = {}): void {
  const state: MatchState = { entities: options.entities ?? noEntities, exact: false };
  if (options.iterableOfDocuments && Array.isArray(expected) && !isSpecialOperator(expected)) {
    if (!Array.isArray(actual)) throw new MatchError('', `expected an array, got ${show(actual)}`);
    if (actual.length !== expected.length) {
      throw new MatchError(
        '',
        `expected ${expected.length} documents, got ${actual.length}: ${show(actual)}`,
      );
    }
    expected.forEach((value, index) => matchValue(value, actual[index], `[${index}]`, true, state));
    return;
  }
  matchValue(expected, actual, '', true, state);
}

/** Asserts two values are equal for a collection outcome: operators are not interpreted, no extra fields. */
export function assertExactlyEqual(expected: unknown, actual: unknown): void {
  matchValue(expected, actual, '', false, { entities: noEntities, exact: true });
}

/** Non-throwing form, for callers that want the reason as a string. */
export function matchFailure(expected: unknown, actual: unknown, options: MatchOptions = {}): string | null {
  try {
    assertMatches(expected, actual, options);
    return null;
  } catch (error) {
    if (error instanceof MatchError) return error.message;
    throw error;
  }
}

function matchValue(
  expected: unknown,
  actual: unknown,
  path: string,
  isRoot: boolean,
  state: MatchState,
): void {
  if (!state.exact && isSpecialOperator(expected)) {
    matchOperator(expected, actual, path, isRoot, state);
    return;
  }
  if (isDocument(expected)) {
    matchDocument(expected, actual, path, isRoot, state);
    return;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) throw new MatchError(path, `expected an array, got ${show(actual)}`);
    if (actual.length !== expected.length) {
      throw new MatchError(
        path,
        `expected ${expected.length} elements, got ${actual.length}: ${show(actual)}`,
      );
    }
    expected.forEach((value, index) => matchValue(value, actual[index], `${path}[${index}]`, false, state));
    return;
  }
  if (!scalarsEqual(expected, actual)) {
    throw new MatchError(path, `expected ${show(expected)}, got ${show(actual)}`);
  }
}

function matchDocument(
  expected: Record<string, unknown>,
  actual: unknown,
  path: string,
  isRoot: boolean,
  state: MatchState,
): void {
  if (!isDocument(actual)) throw new MatchError(path, `expected a document, got ${show(actual)}`);
  const actualDoc = toPlainEntries(actual);
  for (const [key, expectedValue] of Object.entries(expected)) {
    const keyPath = path === '' ? key : `${path}.${key}`;
    const present = actualDoc.has(key);
    const actualValue = actualDoc.get(key);
    if (!state.exact && isSpecialOperator(expectedValue)) {
      if ('$$exists' in expectedValue) {
        const wanted = expectedValue.$$exists;
        if (typeof wanted !== 'boolean') throw new Error(`${keyPath}: $$exists needs a boolean`);
        if (wanted !== present) {
          throw new MatchError(
            keyPath,
            wanted ? 'expected the field to exist' : `expected no field, got ${show(actualValue)}`,
          );
        }
        continue;
      }
      if ('$$unsetOrMatches' in expectedValue) {
        if (!present) continue;
        matchValue(expectedValue.$$unsetOrMatches, actualValue, keyPath, false, state);
        continue;
      }
    }
    if (!present) throw new MatchError(keyPath, `missing (expected ${show(expectedValue)})`);
    matchValue(expectedValue, actualValue, keyPath, false, state);
  }
  if (!isRoot) {
    const extra = [...actualDoc.keys()].filter((key) => !Object.hasOwn(expected, key));
    if (extra.length > 0) {
      throw new MatchError(path, `unexpected extra field(s) ${extra.join(', ')} in ${show(actual)}`);
    }
  }
}

type SpecialOperator = Record<string, unknown>;

/** A document whose first and only key starts with `$$`. */
export function isSpecialOperator(value: unknown): value is SpecialOperator {
  if (!isDocument(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && keys[0]!.startsWith('$$');
}

function matchOperator(
  expected: SpecialOperator,
  actual: unknown,
  path: string,
  isRoot: boolean,
  state: MatchState,
): void {
  const [operator, argument] = Object.entries(expected)[0]!;
  switch (operator) {
    case '$$unsetOrMatches':
      // Rootness is unchanged: the wrapped value stands where the operator stood.
      if (actual === undefined) return;
      matchValue(argument, actual, path, isRoot, state);
      return;
    case '$$exists':
      throw new Error(`${path}: $$exists is only valid as a field value`);
    case '$$type': {
      const types = Array.isArray(argument) ? argument : [argument];
      if (actual === undefined) throw new MatchError(path, `missing (expected $$type ${types.join('|')})`);
      for (const type of types) {
        if (typeof type !== 'string') throw new Error(`${path}: $$type names must be strings`);
        if (hasBsonType(actual, type)) return;
      }
      throw new MatchError(
        path,
        `expected type ${types.join(' or ')}, got ${describeType(actual)} ${show(actual)}`,
      );
    }
    case '$$matchesEntity': {
      if (typeof argument !== 'string') throw new Error(`${path}: $$matchesEntity needs an entity name`);
      matchValue(state.entities.entity(argument), actual, path, isRoot, state);
      return;
    }
    case '$$sessionLsid': {
      if (typeof argument !== 'string') throw new Error(`${path}: $$sessionLsid needs an entity name`);
      const lsid = state.entities.sessionLsid(argument);
      matchValue(lsid, actual, path, false, { ...state, exact: true });
      return;
    }
    case '$$lte': {
      const limit = toNumeric(argument);
      const value = toNumeric(actual);
      if (limit === undefined) throw new Error(`${path}: $$lte needs a number`);
      if (value === undefined)
        throw new MatchError(path, `expected a number <= ${show(argument)}, got ${show(actual)}`);
      if (!(compareNumeric(value, limit) <= 0))
        throw new MatchError(path, `expected <= ${show(argument)}, got ${show(actual)}`);
      return;
    }
    case '$$matchesHexBytes': {
      if (typeof argument !== 'string' || !/^([0-9a-f]{2})*$/i.test(argument)) {
        throw new Error(`${path}: malformed $$matchesHexBytes ${show(argument)}`);
      }
      const bytes = bytesOf(actual);
      const actualHex = bytes
        ? Buffer.from(bytes).toString('hex')
        : typeof actual === 'string'
          ? Buffer.from(actual, 'latin1').toString('hex')
          : undefined;
      if (actualHex?.toLowerCase() !== argument.toLowerCase()) {
        throw new MatchError(path, `expected bytes ${argument}, got ${show(actual)}`);
      }
      return;
    }
    case '$$matchAsDocument': {
      if (typeof actual !== 'string')
        throw new MatchError(path, `expected an Extended JSON string, got ${show(actual)}`);
      matchValue(argument, EJSON.parse(actual, { relaxed: false }), path, false, state);
      return;
    }
    case '$$matchAsRoot':
      if (!isDocument(argument)) throw new Error(`${path}: $$matchAsRoot needs a document`);
      matchValue(argument, actual, path, true, state);
      return;
    default:
      throw new Error(`${path}: unsupported special operator ${operator}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Value classification

function bsonTypeOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const tag = (value as { _bsontype?: unknown })._bsontype;
  return typeof tag === 'string' ? tag : undefined;
}

function bytesOf(value: unknown): Uint8Array | undefined {
  if (value instanceof Uint8Array) return value;
  if (bsonTypeOf(value) === 'Binary') {
    const binary = value as { buffer: Uint8Array; position?: number };
    return binary.buffer.subarray(0, binary.position ?? binary.buffer.length);
  }
  return undefined;
}

/** A plain (sub)document: not an array, not a BSON scalar wrapper, not a Date/RegExp/bytes. */
export function isDocument(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  if (value instanceof Date || value instanceof RegExp || value instanceof Uint8Array) return false;
  if (value instanceof Map) return true;
  const tag = bsonTypeOf(value);
  return tag === undefined;
}

function toPlainEntries(value: Record<string, unknown>): Map<string, unknown> {
  const entries =
    value instanceof Map
      ? [...(value as Map<unknown, unknown>).entries()].map(([k, v]) => [String(k), v] as const)
      : Object.entries(value);
  // A property holding `undefined` is how JS objects say "not set"; BSON has no such value here.
  return new Map(entries.filter(([, v]) => v !== undefined));
}

type Numeric = number | bigint;

function toNumeric(value: unknown): Numeric | undefined {
  if (typeof value === 'number' || typeof value === 'bigint') return value;
  switch (bsonTypeOf(value)) {
    case 'Int32':
    case 'Double':
      return (value as { value: number }).value;
    case 'Long':
      return (value as { toBigInt(): bigint }).toBigInt();
    default:
      return undefined;
  }
}

function compareNumeric(a: Numeric, b: Numeric): number {
  if (typeof a === 'bigint' || typeof b === 'bigint') {
    const aInt = typeof a === 'bigint' || Number.isInteger(a);
    const bInt = typeof b === 'bigint' || Number.isInteger(b);
    if (aInt && bInt) {
      const x = BigInt(a);
      const y = BigInt(b);
      return x === y ? 0 : x < y ? -1 : 1;
    }
  }
  const x = Number(a);
  const y = Number(b);
  if (Number.isNaN(x) && Number.isNaN(y)) return 0;
  return x === y ? 0 : x < y ? -1 : 1;
}

function scalarsEqual(expected: unknown, actual: unknown): boolean {
  const expectedNumber = toNumeric(expected);
  if (expectedNumber !== undefined) {
    const actualNumber = toNumeric(actual);
    return actualNumber !== undefined && compareNumeric(expectedNumber, actualNumber) === 0;
  }
  if (expected === null || typeof expected !== 'object') return expected === actual;
  if (expected instanceof Date) return actual instanceof Date && actual.getTime() === expected.getTime();
  const expectedBytes = bytesOf(expected);
  if (expectedBytes) {
    const actualBytes = bytesOf(actual);
    const subtype = (v: unknown) => (bsonTypeOf(v) === 'Binary' ? (v as { sub_type: number }).sub_type : 0);
    return (
      actualBytes !== undefined &&
      subtype(expected) === subtype(actual) &&
      Buffer.from(expectedBytes).equals(Buffer.from(actualBytes))
    );
  }
  if (expected instanceof RegExp || bsonTypeOf(expected) === 'BSONRegExp') {
    return regexKey(expected) === regexKey(actual);
  }
  const tag = bsonTypeOf(expected);
  if (tag !== undefined && tag === bsonTypeOf(actual)) {
    // ObjectId, Decimal128, Timestamp, Code, MinKey, ...: canonical Extended JSON is an exact identity.
    return canonical(expected) === canonical(actual);
  }
  return false;
}

function regexKey(value: unknown): string | undefined {
  if (value instanceof RegExp) return `${value.source}/${[...value.flags].sort().join('')}`;
  if (bsonTypeOf(value) === 'BSONRegExp') {
    const regex = value as { pattern: string; options: string };
    return `${regex.pattern}/${[...regex.options].sort().join('')}`;
  }
  return undefined;
}

function canonical(value: unknown): string {
  return EJSON.stringify(value as never, { relaxed: false });
}

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/**
 * `$type` aliases. JS numbers returned by the driver have lost their BSON width (int32, int64 and
 * double all arrive as `number`), so a plain number satisfies "double", and an integral one "int"/"long".
 */
export function hasBsonType(value: unknown, type: string): boolean {
  const tag = bsonTypeOf(value);
  switch (type) {
    case 'double':
      return typeof value === 'number' || tag === 'Double';
    case 'int':
      return (
        (typeof value === 'number' && Number.isInteger(value) && value >= INT32_MIN && value <= INT32_MAX) ||
        tag === 'Int32'
      );
    case 'long':
      return (
        (typeof value === 'number' && Number.isInteger(value)) || typeof value === 'bigint' || tag === 'Long'
      );
    case 'decimal':
      return tag === 'Decimal128';
    case 'number':
      return toNumeric(value) !== undefined || tag === 'Decimal128';
    case 'string':
      return typeof value === 'string';
    case 'object':
      return isDocument(value);
    case 'array':
      return Array.isArray(value);
    case 'binData':
      return bytesOf(value) !== undefined;
    case 'undefined':
      return value === undefined;
    case 'objectId':
      return tag === 'ObjectId';
    case 'bool':
      return typeof value === 'boolean';
    case 'date':
      return value instanceof Date;
    case 'null':
      return value === null;
    case 'regex':
      return value instanceof RegExp || tag === 'BSONRegExp';
    case 'dbPointer':
      return tag === 'DBPointer' || tag === 'DBRef';
    case 'javascript':
      return tag === 'Code' && (value as { scope?: unknown }).scope == null;
    case 'javascriptWithScope':
      return tag === 'Code' && (value as { scope?: unknown }).scope != null;
    case 'symbol':
      return tag === 'BSONSymbol' || tag === 'Symbol';
    case 'timestamp':
      return tag === 'Timestamp';
    case 'minKey':
      return tag === 'MinKey';
    case 'maxKey':
      return tag === 'MaxKey';
    default:
      throw new Error(`unknown $$type alias ${type}`);
  }
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return bsonTypeOf(value) ?? (value instanceof Date ? 'date' : typeof value);
}

/** Short, readable rendering of a value for failure messages. */
export function show(value: unknown): string {
  if (value === undefined) return 'undefined';
  let text: string;
  try {
    text = EJSON.stringify(value as never, { relaxed: true });
  } catch {
    text = String(value);
  }
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}
