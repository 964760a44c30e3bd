/**
 * Pure: compiles MongoDB query filters into predicates over engine documents, with mongod's
 * semantics for dotted paths through arrays, null/missing, type bracketing and the positional
 * match index (which array element satisfied the filter).
 */
import { BSONRegExp } from 'bson';
import type { Binary, ObjectId } from 'bson';
import { EngineError, ErrorCodes } from '../errors.js';
import {
  BSON_TYPE_CODES,
  bsonTag,
  bsonTypeName,
  compareSameRank,
  dbRefAsObject,
  isPlainObject,
  isRegexValue,
  normalizeValue,
  TypeRank,
  typeRank,
} from './bson-values.js';
import {
  assertNoServerJavaScript,
  bindNow,
  evaluatePlain,
  isTruthy,
  mingoOptions,
  toPlain,
} from './mingo-bridge.js';
import type { ExpressionContext } from './mingo-bridge.js';
import { makeCollator } from './collation.js';
import type { Collator } from './collation.js';
import {
  compareNumbers,
  isNaNValue,
  isNumericValue,
  numberKind,
  toJsNumber,
  truncateToBigInt,
} from './numbers.js';
import { regexOf } from './regex.js';

/** Options for {@link compileFilter}. */
export interface FilterOptions {
  /** Clock for $$NOW inside $expr; required when the filter reads $$NOW. */
  now?: Date;
  /** Evaluated `let` variables (see evaluateLetVariables) for $expr. */
  variables?: Record<string, unknown>;
  /** Collation for string comparisons (absent or `{locale: 'simple'}` = binary). */
  collation?: unknown;
}

/** A compiled filter. Compile once, then call per document. */
export interface CompiledFilter {
  /** True when the document satisfies the filter. */
  matches(doc: unknown): boolean;
  /**
   * Like {@link matches}, also reporting the index of the array element that satisfied the filter
   * (the first array on the matched path), which the positional `$` update/projection needs.
   */
  matchWithPosition(doc: unknown): { matched: boolean; arrayIndex: number | undefined };
  /** True when the filter is empty (matches everything). */
  readonly isEmpty: boolean;
}

type Details = { arrayIndex: number | undefined };
type DocPredicate = (doc: unknown, details: Details | null) => boolean;
type ValueTest = (v: unknown) => boolean;

/** A compiled operator applied at a path: a value test, or the negation of a group of operators. */
type LeafOp =
  | { kind: 'test'; test: ValueTest; expandLeafArrays: boolean; lastIndex?: () => number | undefined }
  | { kind: 'not'; ops: LeafOp[] };

/** Marks a path that resolved to nothing. */
const MISSING: unique symbol = Symbol('missing');

interface CompileState {
  options: FilterOptions;
  collator: Collator | undefined;
}

/**
 * Compiles a query filter. Throws EngineError BadValue (2) for malformed filters and unknown
 * operators ("unknown operator: $foo"), NotImplemented (238) for features the embedded engine
 * does not support ($text, $where, geo operators, collations, $jsonSchema).
 */
export function compileFilter(
  filter: Record<string, unknown> | undefined | null,
  options: FilterOptions = {},
): CompiledFilter {
  const spec = (normalizeValue(filter ?? {}) ?? {}) as Record<string, unknown>;
  if (!isPlainObject(spec)) throw new EngineError(ErrorCodes.BadValue, 'filter must be an object');
  const predicate = compileDocument(spec, { options, collator: makeCollator(options.collation) });
  const isEmpty = Object.keys(spec).length === 0;
  return {
    isEmpty,
    matches: (doc) => predicate(doc, null),
    matchWithPosition: (doc) => {
      const details: Details = { arrayIndex: undefined };
      const matched = predicate(doc, details);
      return { matched, arrayIndex: matched ? details.arrayIndex : undefined };
    },
  };
}

/** Throws NotImplemented unless the collation is the simple (binary) one. */
export function assertSimpleCollation(collation: unknown): void {
  if (isPlainObject(collation) && collation.locale === 'simple') return;
  if (isPlainObject(collation) && Object.keys(collation).length === 0) return;
  throw new EngineError(
    ErrorCodes.NotImplemented,
    'The embedded MongoDB engine does not support collations other than {locale: "simple"}',
  );
}

function unsupported(what: string): EngineError {
  return new EngineError(ErrorCodes.NotImplemented, `The embedded MongoDB engine does not support ${what}`);
}

function badValue(message: string): EngineError {
  return new EngineError(ErrorCodes.BadValue, message);
}

// ---------------------------------------------------------------------------------------------
// Documents and logical operators

function and(preds: DocPredicate[]): DocPredicate {
  if (preds.length === 0) return () => true;
  if (preds.length === 1) return preds[0]!;
  if (preds.length === 2) {
    const [p, q] = preds as [DocPredicate, DocPredicate];
    return (doc, d) => p(doc, d) && q(doc, d);
  }
  return (doc, d) => {
    for (const p of preds) if (!p(doc, d)) return false;
    return true;
  };
}

function compileDocument(filter: Record<string, unknown>, state: CompileState): DocPredicate {
  const preds: DocPredicate[] = [];
  for (const key of Object.keys(filter)) {
    const value = filter[key];
    if (key.startsWith('$')) {
      const p = compileTopLevelOperator(key, value, state);
      if (p) preds.push(p);
    } else {
      preds.push(compileField(key, value, state));
    }
  }
  return and(preds);
}

function logicalBranches(op: string, value: unknown, state: CompileState): DocPredicate[] {
  if (!Array.isArray(value)) throw badValue(`${op} must be an array`);
  if (value.length === 0) throw badValue('$and/$or/$nor must be a nonempty array');
  return value.map((branch) => {
    if (!isPlainObject(branch)) throw badValue('$or/$and/$nor entries need to be full objects');
    return compileDocument(branch, state);
  });
}

function compileTopLevelOperator(op: string, value: unknown, state: CompileState): DocPredicate | undefined {
  switch (op) {
    case '$and':
      return and(logicalBranches(op, value, state));
    case '$or': {
      const branches = logicalBranches(op, value, state);
      return (doc, d) => {
        if (d === null) {
          for (const b of branches) if (b(doc, null)) return true;
          return false;
        }
        // A failing branch must not leave its partial match position behind.
        for (const b of branches) {
          const scratch: Details = { arrayIndex: undefined };
          if (b(doc, scratch)) {
            if (scratch.arrayIndex !== undefined) d.arrayIndex = scratch.arrayIndex;
            return true;
          }
        }
        return false;
      };
    }
    case '$nor': {
      const branches = logicalBranches(op, value, state);
      return (doc) => {
        for (const b of branches) if (b(doc, null)) return false;
        return true;
      };
    }
    case '$expr':
      return compileExpr(value, state);
    case '$comment':
      return undefined;
    case '$alwaysTrue':
      return () => true;
    case '$alwaysFalse':
      return () => false;
    case '$where':
      throw unsupported('$where (server-side JavaScript)');
    case '$text':
      throw unsupported('$text queries (text indexes)');
    case '$jsonSchema':
      throw unsupported('$jsonSchema in query filters');
    case '$sampleRate':
      throw unsupported('$sampleRate');
    default:
      throw badValue(
        `unknown top level operator: ${op}. If you have a field name that starts with a '$' symbol, consider using $getField or $setField.`,
      );
  }
}

function compileExpr(expr: unknown, state: CompileState): DocPredicate {
  const { now, variables } = state.options;
  assertNoServerJavaScript(expr);
  const ctx: ExpressionContext = { now, variables };
  const bound = bindNow(toPlain(expr), now);
  const opts = mingoOptions(ctx);
  return (doc) => isTruthy(evaluatePlain(toPlain(doc), bound, opts));
}

/** True when an object is an operator document ({$gt: ...}) rather than a literal value. */
function isOperatorObject(v: unknown): v is Record<string, unknown> {
  if (!isPlainObject(v)) return false;
  for (const k in v) return k.startsWith('$') && k !== '$ref' && k !== '$id' && k !== '$db';
  return false;
}

function compileField(path: string, value: unknown, state: CompileState): DocPredicate {
  if (isOperatorObject(value)) return pathPredicateForOps(path, compileOperators(value, state, false));
  if (isRegexValue(value)) return pathPredicate(path, regexTest(value), true);
  return pathPredicate(path, equalityTest(value, state.collator), true);
}

// ---------------------------------------------------------------------------------------------
// Paths

const NOT_INDEX = -1;

function arrayIndexOf(part: string): number {
  if (part.length === 0 || part.length > 9) return NOT_INDEX;
  for (let i = 0; i < part.length; i++) {
    const c = part.charCodeAt(i);
    if (c < 48 || c > 57) return NOT_INDEX;
  }
  if (part.length > 1 && part.charCodeAt(0) === 48) return NOT_INDEX;
  return Number(part);
}

function record(details: Details | null, index: number | undefined): void {
  if (details !== null && index !== undefined) details.arrayIndex = index;
}

/**
 * Builds a predicate testing the values a dotted path reaches in a document: objects are entered
 * by field name, arrays mid-path are traversed element by element (elements that are objects), a
 * numeric component also addresses an array element, and a path reaching nothing is MISSING. At
 * the leaf an array is tested element by element and then as a whole (unless disabled).
 */
function pathPredicate(
  path: string,
  test: ValueTest,
  expandLeafArrays: boolean,
  lastIndex?: () => number | undefined,
): DocPredicate {
  const parts = path.split('.');
  const n = parts.length;
  const indexes = parts.map(arrayIndexOf);
  const inherited = parts.map((p) => p in Object.prototype);

  const leaf = (value: unknown, arrayIdx: number | undefined, details: Details | null): boolean => {
    if (expandLeafArrays && Array.isArray(value)) {
      for (let k = 0; k < value.length; k++) {
        if (test(value[k])) {
          record(details, arrayIdx ?? k);
          return true;
        }
      }
    }
    if (test(value)) {
      record(details, arrayIdx ?? lastIndex?.());
      return true;
    }
    return false;
  };

  const visit = (
    value: unknown,
    i: number,
    arrayIdx: number | undefined,
    details: Details | null,
  ): boolean => {
    if (i === n) return leaf(value, arrayIdx, details);
    if (typeof value !== 'object' || value === null) return leaf(MISSING, arrayIdx, details);
    if (Array.isArray(value)) {
      const idx = indexes[i]!;
      const positional = idx !== NOT_INDEX && idx < value.length;
      if (positional && visit(value[idx], i + 1, arrayIdx, details)) return true;
      let sawObject = false;
      for (let k = 0; k < value.length; k++) {
        const el = value[k];
        if (typeof el === 'object' && el !== null && !Array.isArray(el) && isPlainObject(el)) {
          sawObject = true;
          if (visit(el, i, arrayIdx ?? k, details)) return true;
        }
      }
      if (!sawObject && !positional) return leaf(MISSING, arrayIdx, details);
      return false;
    }
    const key = parts[i]!;
    let child: unknown;
    if (isPlainObject(value)) {
      child = inherited[i] && !Object.hasOwn(value, key) ? undefined : value[key];
    } else if (bsonTag(value) === 'DBRef') {
      child = dbRefAsObject(value as never)[key];
    } else {
      child = undefined;
    }
    return visit(child === undefined ? MISSING : child, i + 1, arrayIdx, details);
  };

  return (doc, details) => visit(doc, 0, undefined, details);
}

function pathPredicateForOps(path: string, ops: LeafOp[]): DocPredicate {
  return and(
    ops.map((op): DocPredicate => {
      if (op.kind === 'test') return pathPredicate(path, op.test, op.expandLeafArrays, op.lastIndex);
      const inner = pathPredicateForOps(path, op.ops);
      return (doc) => !inner(doc, null);
    }),
  );
}

/** Applies operators to one value with no path or array expansion ($elemMatch value form). */
function valueTestForOps(ops: LeafOp[]): ValueTest {
  const tests = ops.map((op): ValueTest => {
    if (op.kind === 'test') return op.test;
    const inner = valueTestForOps(op.ops);
    return (v) => !inner(v);
  });
  return (v) => {
    for (const t of tests) if (!t(v)) return false;
    return true;
  };
}

// ---------------------------------------------------------------------------------------------
// Field operators

const UNSUPPORTED_FIELD_OPERATORS: Record<string, string> = {
  $near: '$near (geospatial queries)',
  $nearSphere: '$nearSphere (geospatial queries)',
  $geoWithin: '$geoWithin (geospatial queries)',
  $geoIntersects: '$geoIntersects (geospatial queries)',
  $within: '$within (geospatial queries)',
  $box: 'geospatial queries',
  $center: 'geospatial queries',
  $centerSphere: 'geospatial queries',
  $polygon: 'geospatial queries',
  $maxDistance: 'geospatial queries',
  $minDistance: 'geospatial queries',
};

function test(t: ValueTest, expandLeafArrays = true): LeafOp {
  return { kind: 'test', test: t, expandLeafArrays };
}

function compileOperators(
  spec: Record<string, unknown>,
  state: CompileState,
  insideElemMatch: boolean,
): LeafOp[] {
  const ops: LeafOp[] = [];
  const keys = Object.keys(spec);
  const hasRegex = keys.includes('$regex');
  for (const op of keys) {
    const arg = spec[op];
    switch (op) {
      case '$eq':
        ops.push(test(isRegexValue(arg) ? regexEqualityTest(arg) : equalityTest(arg, state.collator)));
        break;
      case '$ne':
        ops.push({
          kind: 'not',
          ops: [test(isRegexValue(arg) ? regexEqualityTest(arg) : equalityTest(arg, state.collator))],
        });
        break;
      case '$gt':
      case '$gte':
      case '$lt':
      case '$lte':
        if (isRegexValue(arg)) throw badValue(`Can't have RegEx as arg to ${op}.`);
        ops.push(test(comparisonTest(op, arg, state.collator)));
        break;
      case '$in':
        ops.push(test(inTest(op, arg, state.collator)));
        break;
      case '$nin':
        ops.push({ kind: 'not', ops: [test(inTest(op, arg, state.collator))] });
        break;
      case '$exists': {
        const exists: LeafOp = test((v) => v !== MISSING, false);
        ops.push(isTruthy(arg) ? exists : { kind: 'not', ops: [exists] });
        break;
      }
      case '$type':
        ops.push(test(typeTest(arg)));
        break;
      case '$size':
        ops.push(test(sizeTest(arg), false));
        break;
      case '$all':
        ops.push(...allOps(arg, state));
        break;
      case '$elemMatch':
        ops.push(elemMatchOp(arg, state));
        break;
      case '$regex':
        ops.push(test(regexTest(regexFromOperator(arg, spec.$options))));
        break;
      case '$options':
        if (!hasRegex) throw badValue('$options needs a $regex');
        break;
      case '$not':
        ops.push(notOp(arg, state));
        break;
      case '$mod':
        ops.push(test(modTest(arg)));
        break;
      case '$bitsAllSet':
      case '$bitsAllClear':
      case '$bitsAnySet':
      case '$bitsAnyClear':
        ops.push(test(bitsTest(op, arg)));
        break;
      case '$comment':
        if (insideElemMatch) break;
        throw badValue(`unknown operator: ${op}`);
      default: {
        const feature = UNSUPPORTED_FIELD_OPERATORS[op];
        if (feature) throw unsupported(feature);
        throw badValue(`unknown operator: ${op}`);
      }
    }
  }
  return ops;
}

function notOp(arg: unknown, state: CompileState): LeafOp {
  if (isRegexValue(arg)) return { kind: 'not', ops: [test(regexTest(arg))] };
  if (!isPlainObject(arg)) throw badValue('$not needs a regex or a document');
  if (Object.keys(arg).length === 0) throw badValue('$not cannot be empty');
  for (const k of Object.keys(arg)) if (!k.startsWith('$')) throw badValue(`unknown operator: ${k}`);
  return { kind: 'not', ops: compileOperators(arg, state, false) };
}

function allOps(arg: unknown, state: CompileState): LeafOp[] {
  if (!Array.isArray(arg)) throw badValue('$all needs an array');
  if (arg.length === 0) return [test(() => false, false)];
  return arg.map((el) => {
    if (isPlainObject(el) && Object.keys(el)[0] === '$elemMatch') {
      return elemMatchOp(el.$elemMatch, state);
    }
    if (isOperatorObject(el)) throw badValue('no $ expressions in $all');
    return test(isRegexValue(el) ? regexTest(el) : equalityTest(el, state.collator));
  });
}

function elemMatchOp(arg: unknown, state: CompileState): LeafOp {
  if (!isPlainObject(arg)) throw badValue('$elemMatch needs an Object');
  const first = Object.keys(arg)[0];
  const logical =
    first === '$and' || first === '$or' || first === '$nor' || first === '$expr' || first === '$where';
  let elementMatches: (el: unknown) => boolean;
  if (first !== undefined && first.startsWith('$') && !logical) {
    elementMatches = valueTestForOps(compileOperators(arg, state, true));
  } else {
    const sub = compileDocument(arg, state);
    elementMatches = (el) =>
      typeof el === 'object' && el !== null && (Array.isArray(el) || isPlainObject(el)) && sub(el, null);
  }
  let lastIndex: number | undefined;
  return {
    kind: 'test',
    expandLeafArrays: false,
    test: (v) => {
      if (!Array.isArray(v)) return false;
      for (let k = 0; k < v.length; k++) {
        if (elementMatches(v[k])) {
          lastIndex = k;
          return true;
        }
      }
      return false;
    },
    lastIndex: () => lastIndex,
  };
}

// ---------------------------------------------------------------------------------------------
// Value tests

function isMissingOrNull(v: unknown): boolean {
  return v === MISSING || v === null || v === undefined;
}

function symbolText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'object' && v !== null && bsonTag(v) === 'BSONSymbol')
    return (v as { value: string }).value;
  return undefined;
}

/** Equality with a literal: numbers by value, null also matching missing, same-type comparison. */
function equalityTest(x: unknown, collator?: Collator): ValueTest {
  if (x === null || x === undefined) return isMissingOrNull;
  if (typeof x === 'string' && !collator) {
    return (v) => v === x || (typeof v === 'object' && v !== null && symbolText(v) === x);
  }
  if (typeof x === 'boolean') return (v) => v === x;
  if (isNumericValue(x)) {
    if (isNaNValue(x)) return (v) => isNumericValue(v) && isNaNValue(v);
    if (typeof x === 'number') {
      return (v) => (typeof v === 'number' ? v === x : isNumericValue(v) && compareNumbers(v, x) === 0);
    }
    return (v) => isNumericValue(v) && compareNumbers(v, x) === 0;
  }
  const rank = typeRank(x);
  return (v) => v !== MISSING && typeRank(v) === rank && compareSameRank(v, x, rank, collator) === 0;
}

/** `$eq` with a regex operand matches only an identical regex value. */
function regexEqualityTest(x: BSONRegExp | RegExp): ValueTest {
  return (v) => v !== MISSING && isRegexValue(v) && compareSameRank(v, x, TypeRank.RegExp) === 0;
}

/** A regex used as a query: matches strings and symbols; a stored regex matches if identical. */
function regexTest(x: BSONRegExp | RegExp): ValueTest {
  const re = regexOf(x);
  return (v) => {
    if (typeof v === 'string') return re.test(v);
    if (typeof v !== 'object' || v === null) return false;
    const text = symbolText(v);
    if (text !== undefined) return re.test(text);
    return isRegexValue(v) && compareSameRank(v, x, TypeRank.RegExp) === 0;
  };
}

function regexFromOperator(regex: unknown, options: unknown): BSONRegExp | RegExp {
  if (options !== undefined && typeof options !== 'string') throw badValue('$options has to be a string');
  let pattern: string;
  if (typeof regex === 'string') {
    pattern = regex;
  } else if (isRegexValue(regex)) {
    if (options === undefined) return regex;
    const own = regex instanceof RegExp ? regex.flags : regex.options;
    if (own.length > 0) throw new EngineError(51075, 'options set in both $regex and $options');
    pattern = regex instanceof RegExp ? regex.source : regex.pattern;
  } else {
    throw badValue('$regex has to be a string');
  }
  const flags = options ?? '';
  for (const f of flags)
    if (!'imsxu'.includes(f)) throw new EngineError(51108, `invalid flag in regex options: ${f}`);
  return new BSONRegExp(pattern, flags.replace('u', ''));
}

type ComparisonOp = '$gt' | '$gte' | '$lt' | '$lte';

/**
 * Range comparison with type bracketing: only values of the operand's canonical type compare,
 * except MinKey/MaxKey operands; missing compares as null; NaN only equals NaN.
 */
function comparisonTest(op: ComparisonOp, x: unknown, collator?: Collator): ValueTest {
  const rank = typeRank(x);
  const inclusive = op === '$gte' || op === '$lte';
  const wantsGreater = op === '$gt' || op === '$gte';
  if (rank === TypeRank.MinKey)
    return (v) =>
      wantsGreater
        ? inclusive || typeRank(normalizeMissing(v)) !== rank
        : inclusive && typeRank(normalizeMissing(v)) === rank;
  if (rank === TypeRank.MaxKey)
    return (v) =>
      !wantsGreater
        ? inclusive || typeRank(normalizeMissing(v)) !== rank
        : inclusive && typeRank(normalizeMissing(v)) === rank;
  const xIsNaN = isNaNValue(x);
  return (raw) => {
    const v = normalizeMissing(raw);
    if (typeRank(v) !== rank) return false;
    if (rank === TypeRank.Number && (xIsNaN || isNaNValue(v))) return inclusive && xIsNaN && isNaNValue(v);
    const c = compareSameRank(v, x, rank, collator);
    if (c === 0) return inclusive;
    return wantsGreater ? c > 0 : c < 0;
  };
}

function normalizeMissing(v: unknown): unknown {
  return v === MISSING || v === undefined ? null : v;
}

function inTest(op: string, arg: unknown, collator?: Collator): ValueTest {
  if (!Array.isArray(arg)) throw badValue(`${op} needs an array`);
  const strings = new Set<string>();
  const numbers = new Set<number>();
  const numeric: unknown[] = [];
  const objectIds = new Set<string>();
  const others: ValueTest[] = [];
  let matchesNull = false;
  let matchesNaN = false;
  for (const x of arg) {
    if (isOperatorObject(x)) throw badValue(`cannot nest $ under ${op}`);
    if (x === null) matchesNull = true;
    else if (typeof x === 'string' && !collator) strings.add(x);
    else if (isNumericValue(x)) {
      if (isNaNValue(x)) matchesNaN = true;
      else {
        numeric.push(x);
        const kind = numberKind(x);
        if (kind === 'int' || kind === 'double') numbers.add(toJsNumber(x));
      }
    } else if (typeof x === 'object' && bsonTag(x) === 'ObjectId')
      objectIds.add((x as ObjectId).toHexString());
    else if (isRegexValue(x)) others.push(regexTest(x));
    else others.push(equalityTest(x, collator));
  }
  return (v) => {
    if (isMissingOrNull(v)) return matchesNull;
    if (typeof v === 'string') {
      if (strings.has(v)) return true;
    } else if (typeof v === 'number') {
      if (numbers.has(v)) return true;
      if (v !== v) return matchesNaN;
      if (numeric.length !== numbers.size) {
        for (const x of numeric) if (compareNumbers(v, x) === 0) return true;
      }
      return false;
    } else if (typeof v === 'object') {
      const tag = bsonTag(v as object);
      if (tag === 'ObjectId') return objectIds.has((v as ObjectId).toHexString()) || others.some((t) => t(v));
      if (tag === 'Double' || tag === 'Int32' || tag === 'Long' || tag === 'Decimal128') {
        if (isNaNValue(v)) return matchesNaN;
        for (const x of numeric) if (compareNumbers(v, x) === 0) return true;
        return false;
      }
      if (tag === 'BSONSymbol' && strings.has((v as { value: string }).value)) return true;
    }
    for (const t of others) if (t(v)) return true;
    return false;
  };
}

function typeTest(arg: unknown): ValueTest {
  const specs = Array.isArray(arg) ? arg : [arg];
  if (specs.length === 0) throw badValue('$type must match at least one type');
  const names = new Set<string>();
  let anyNumber = false;
  for (const s of specs) {
    if (typeof s === 'string') {
      if (s === 'number') anyNumber = true;
      else if (s in BSON_TYPE_CODES) names.add(s);
      else throw badValue(`Unknown type name alias: ${s}`);
    } else if (isNumericValue(s)) {
      const code = toJsNumber(s);
      const name = Object.keys(BSON_TYPE_CODES).find((k) => BSON_TYPE_CODES[k] === code);
      if (!name) throw badValue(`Invalid numerical type code: ${code}`);
      names.add(name);
    } else {
      throw badValue('type must be represented as a number or a string');
    }
  }
  return (v) => {
    if (v === MISSING) return false;
    if (anyNumber && isNumericValue(v)) return true;
    return names.has(bsonTypeName(v));
  };
}

function sizeTest(arg: unknown): ValueTest {
  if (!isNumericValue(arg)) throw badValue('$size needs a number');
  const n = toJsNumber(arg);
  if (!Number.isInteger(n)) throw badValue(`$size must be a whole number`);
  if (n < 0) throw badValue('$size may not be negative');
  return (v) => Array.isArray(v) && v.length === n;
}

function modTest(arg: unknown): ValueTest {
  if (!Array.isArray(arg)) throw badValue('malformed mod, needs to be an array');
  if (arg.length < 2) throw badValue('malformed mod, not enough elements');
  if (arg.length > 2) throw badValue('malformed mod, too many elements');
  const [d, r] = arg as [unknown, unknown];
  if (!isNumericValue(d)) throw badValue('malformed mod, divisor not a number');
  if (!isNumericValue(r)) throw badValue('malformed mod, remainder not a number');
  const divisor = truncateToBigInt(d);
  const remainder = truncateToBigInt(r);
  if (divisor === undefined || remainder === undefined)
    throw badValue('malformed mod, divisor value is invalid');
  if (divisor === 0n) throw badValue('divisor cannot be 0');
  return (v) => {
    if (!isNumericValue(v)) return false;
    const t = truncateToBigInt(v);
    return t !== undefined && t % divisor === remainder;
  };
}

function bitmaskOf(op: string, arg: unknown): bigint {
  if (isNumericValue(arg)) {
    const n = toJsNumber(arg);
    if (!Number.isInteger(n))
      throw badValue(`${op} takes an Array, a number, or a BinData but received: ${n}`);
    if (n < 0) throw badValue(`${op} does not accept negative numbers`);
    return truncateToBigInt(arg)!;
  }
  if (Array.isArray(arg)) {
    let mask = 0n;
    for (const p of arg) {
      if (!isNumericValue(p) || !Number.isInteger(toJsNumber(p)) || toJsNumber(p) < 0) {
        throw badValue(`bit positions must be non-negative integers`);
      }
      mask |= 1n << BigInt(toJsNumber(p));
    }
    return mask;
  }
  if (typeof arg === 'object' && arg !== null && bsonTag(arg) === 'Binary')
    return bytesToBigInt((arg as Binary).buffer);
  throw badValue(`${op} takes an Array, a number, or a BinData but received: ${bsonTypeName(arg)}`);
}

function bytesToBigInt(bytes: Uint8Array): bigint {
  let out = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) out = (out << 8n) | BigInt(bytes[i]!);
  return out;
}

function bitsTest(op: string, arg: unknown): ValueTest {
  const mask = bitmaskOf(op, arg);
  return (v) => {
    let bits: bigint;
    if (isNumericValue(v)) {
      const n = toJsNumber(v);
      if (!Number.isInteger(n) || Math.abs(n) > 2 ** 63) return false;
      bits = BigInt.asUintN(64, truncateToBigInt(v)!);
      // Negative numbers are sign-extended (two's complement with infinite leading ones).
      if (n < 0) bits |= ((1n << BigInt(Math.max(64, mask.toString(2).length))) - 1n) ^ ((1n << 64n) - 1n);
    } else if (typeof v === 'object' && v !== null && bsonTag(v) === 'Binary') {
      bits = bytesToBigInt((v as Binary).buffer);
    } else {
      return false;
    }
    const set = bits & mask;
    switch (op) {
      case '$bitsAllSet':
        return set === mask;
      case '$bitsAllClear':
        return set === 0n;
      case '$bitsAnySet':
        return set !== 0n;
      default:
        return set !== mask;
    }
  };
}
