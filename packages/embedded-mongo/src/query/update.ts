/**
 * Pure: MongoDB updates — operator updates ($set, $inc, $push, ... with positional `$`, `$[]`,
 * `$[id]` + arrayFilters), replacement documents and aggregation-pipeline updates. Applying an
 * update returns a new document; the input is never mutated.
 */
import { Timestamp } from 'bson';
import { Aggregator } from 'mingo/aggregator';
import { EngineError, ErrorCodes } from '../errors.js';
import {
  bsonTypeName,
  cloneValue,
  compareStrings,
  compareValues,
  isPlainObject,
  isRegexValue,
  normalizeValue,
  valuesEqual,
  valuesIdentical,
} from './bson-values.js';
import type { EngineDocument } from './bson-values.js';
import { formatIdOf, formatValue } from './format.js';
import { makeCollator } from './collation.js';
import type { Collator } from './collation.js';
import { compileFilter } from './matcher.js';
import {
  asEngineError,
  assertNoServerJavaScript,
  bindNow,
  fromPlain,
  mingoOptions,
  pipelineContext,
  toPlain,
} from './mingo-bridge.js';
import { arithmetic, bitwise, isNumericValue, numberKind, toJsNumber } from './numbers.js';
import { regexOf } from './regex.js';
import { parseSortSpec, sortKeyOf } from './sort.js';

/** Options fixed when an update is compiled. */
export interface UpdateOptions {
  /** `arrayFilters` of the update command, for `$[identifier]` paths. */
  arrayFilters?: Record<string, unknown>[];
  /** Evaluated `let` variables (pipeline updates). */
  variables?: Record<string, unknown>;
  /** Clock for $currentDate and $$NOW; can also be given per apply. */
  now?: Date;
  /** Collation for string comparisons in $addToSet, $pull, $pullAll, $min, $max, $push $sort and arrayFilters. */
  collation?: unknown;
}

/** Per-document options of {@link CompiledUpdate.apply}. */
export interface ApplyOptions {
  /** The document is being inserted by an upsert: `$setOnInsert` applies and `_id` may be created. */
  isUpsert?: boolean;
  /** Index of the array element the query matched, for the positional `$` operator. */
  matchedIndex?: number;
  /** Clock for $currentDate and $$NOW (overrides the compile-time one). */
  now?: Date;
  /** Value for `$currentDate: {$type: "timestamp"}`; defaults to (now seconds, 1). */
  timestamp?: Timestamp;
}

export interface UpdateResult {
  /** The updated document (a new object; the input is untouched). */
  doc: EngineDocument;
  /** False when the update was a no-op (mongod's nModified does not count it). */
  changed: boolean;
}

/** An update compiled once and applied per matched document. */
export interface CompiledUpdate {
  readonly kind: 'operators' | 'replacement' | 'pipeline';
  /** True when a path uses the positional `$`, so the caller must supply `matchedIndex`. */
  readonly usesPositional: boolean;
  apply(doc: EngineDocument, options?: ApplyOptions): UpdateResult;
}

/** True for an operator update (`{$set: ...}`) as opposed to a replacement document or a pipeline. */
export function isOperatorUpdate(update: unknown): boolean {
  if (!isPlainObject(update)) return false;
  const first = Object.keys(update)[0];
  return first !== undefined && first.startsWith('$');
}

function badValue(message: string): EngineError {
  return new EngineError(ErrorCodes.BadValue, message);
}

function failedToParse(message: string): EngineError {
  return new EngineError(ErrorCodes.FailedToParse, message);
}

const ID_IMMUTABLE = (path: string) =>
  new EngineError(
    ErrorCodes.ImmutableField,
    `Performing an update on the path '${path}' would modify the immutable field '_id'`,
  );

/**
 * Compiles an update: an operator document, a replacement document, or an array of pipeline stages.
 * Parse errors use mongod's codes: FailedToParse (9) for unknown modifiers / mixed documents,
 * ConflictingUpdateOperators (40) for overlapping paths, BadValue (2) for bad arguments.
 */
export function compileUpdate(update: unknown, options: UpdateOptions = {}): CompiledUpdate {
  const spec = normalizeValue(update);
  if (Array.isArray(spec)) {
    if ((options.arrayFilters?.length ?? 0) > 0) {
      throw new EngineError(
        ErrorCodes.FailedToParse,
        'arrayFilters may not be specified for pipeline-style updates',
      );
    }
    return compilePipelineUpdate(spec, options);
  }
  if (!isPlainObject(spec)) throw failedToParse('Update argument must be either an object or an array');
  if (isOperatorUpdate(spec)) return compileOperatorUpdate(spec, options);
  if ((options.arrayFilters?.length ?? 0) > 0) {
    const first = Object.keys(normalizeValue(options.arrayFilters?.[0] ?? {}) as object)[0] ?? '';
    throw failedToParse(
      `The array filter for identifier '${first.split('.')[0]}' was not used in the update ${formatValue(spec)}`,
    );
  }
  return compileReplacement(spec);
}

/**
 * Applies an update to one document (compiling it first; prefer {@link compileUpdate} for many
 * documents). When the update uses the positional `$` and no `matchedIndex` is given, the
 * `filter` is matched against the document to find it.
 */
export function applyUpdate(
  doc: EngineDocument,
  update: unknown,
  options: UpdateOptions & ApplyOptions & { filter?: Record<string, unknown> } = {},
): UpdateResult {
  const compiled = compileUpdate(update, options);
  let matchedIndex = options.matchedIndex;
  if (compiled.usesPositional && matchedIndex === undefined && options.filter) {
    matchedIndex = compileFilter(options.filter, {
      now: options.now,
      variables: options.variables,
    }).matchWithPosition(doc).arrayIndex;
  }
  return compiled.apply(doc, { ...options, matchedIndex });
}

// ---------------------------------------------------------------------------------------------
// Replacement

function compileReplacement(replacement: Record<string, unknown>): CompiledUpdate {
  for (const key of Object.keys(replacement)) {
    if (key.startsWith('$')) {
      throw new EngineError(
        ErrorCodes.DollarPrefixedFieldName,
        `The dollar ($) prefixed field '${key}' in '${key}' is not allowed in the context of an update's replacement document. Consider using an aggregation pipeline with $replaceWith.`,
      );
    }
  }
  return {
    kind: 'replacement',
    usesPositional: false,
    apply(doc, opts = {}) {
      const next: EngineDocument = {};
      const hasOwnId = Object.hasOwn(replacement, '_id');
      if (hasOwnId) {
        if (!opts.isUpsert && doc._id !== undefined && !valuesEqual(doc._id, replacement._id)) {
          throw new EngineError(
            ErrorCodes.ImmutableField,
            `After applying the update, the (immutable) field '_id' was found to have been altered to _id: ${formatValue(replacement._id)}`,
          );
        }
        next._id = cloneValue(replacement._id);
      } else if (doc._id !== undefined) {
        next._id = doc._id;
      }
      for (const key of Object.keys(replacement)) {
        if (key !== '_id') next[key] = cloneValue(replacement[key]);
      }
      return { doc: next, changed: !valuesIdentical(next, doc) };
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Pipeline updates

const UPDATE_PIPELINE_STAGES = new Set([
  '$addFields',
  '$set',
  '$project',
  '$unset',
  '$replaceRoot',
  '$replaceWith',
]);

function compilePipelineUpdate(stages: unknown[], options: UpdateOptions): CompiledUpdate {
  for (const stage of stages) {
    if (!isPlainObject(stage)) throw failedToParse('each element of the update pipeline must be an object');
    const names = Object.keys(stage);
    if (names.length !== 1)
      throw new EngineError(40323, 'A pipeline stage specification object must contain exactly one field.');
    const name = names[0]!;
    if (!UPDATE_PIPELINE_STAGES.has(name)) {
      throw new EngineError(ErrorCodes.InvalidOptions, `${name} is not allowed to be used within an update`);
    }
  }
  assertNoServerJavaScript(stages);
  const plainStages = toPlain(stages) as Record<string, unknown>[];
  return {
    kind: 'pipeline',
    usesPositional: false,
    apply(doc, opts = {}) {
      const now = opts.now ?? options.now;
      const bound = bindNow(plainStages, now) as Record<string, unknown>[];
      let result: unknown;
      try {
        const agg = new Aggregator(
          bound,
          mingoOptions({ now, variables: options.variables }, pipelineContext()),
        );
        result = agg.run([toPlain(doc) as Record<string, unknown>])[0];
      } catch (err) {
        throw asEngineError(err);
      }
      if (!isPlainObject(result)) throw badValue('The update pipeline did not produce a document');
      const converted = fromPlain(result, doc) as EngineDocument;
      const next: EngineDocument = {};
      if (converted._id === undefined) {
        if (doc._id !== undefined) next._id = doc._id;
      } else {
        if (!opts.isUpsert && doc._id !== undefined && !valuesEqual(doc._id, converted._id)) {
          throw new EngineError(
            ErrorCodes.ImmutableField,
            `After applying the update, the (immutable) field '_id' was found to have been altered to _id: ${formatValue(converted._id)}`,
          );
        }
        next._id = converted._id;
      }
      for (const key of Object.keys(converted)) if (key !== '_id') next[key] = converted[key];
      return { doc: next, changed: !valuesIdentical(next, doc) };
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Operator updates: parsing

type OperatorName =
  | '$set'
  | '$setOnInsert'
  | '$unset'
  | '$inc'
  | '$mul'
  | '$min'
  | '$max'
  | '$currentDate'
  | '$push'
  | '$addToSet'
  | '$pop'
  | '$pull'
  | '$pullAll'
  | '$bit'
  | '$rename';

const OPERATORS = new Set<string>([
  '$set',
  '$setOnInsert',
  '$unset',
  '$inc',
  '$mul',
  '$min',
  '$max',
  '$currentDate',
  '$push',
  '$addToSet',
  '$pop',
  '$pull',
  '$pullAll',
  '$bit',
  '$rename',
]);

/** Operators that never create a missing path (they are no-ops on it). */
const NON_CREATING = new Set<OperatorName>(['$unset', '$pop', '$pull', '$pullAll']);

interface PushSpec {
  each: unknown[];
  position?: number;
  slice?: number;
  sort?: { whole: 1 | -1 } | { fields: Record<string, unknown> };
}

interface ModOp {
  operator: OperatorName;
  path: string;
  parts: string[];
  arg: unknown;
  push?: PushSpec;
  addToSet?: unknown[];
  pull?: (el: unknown) => boolean;
  bit?: ['and' | 'or' | 'xor', unknown][];
  currentDate?: 'date' | 'timestamp';
  /** $rename: the source path. */
  from?: { path: string; parts: string[] };
}

function validatePath(path: string): string[] {
  if (path === '') throw EngineError.of('EmptyFieldName', 'An empty update path is not valid.');
  const parts = path.split('.');
  if (parts.some((p) => p === '')) {
    throw EngineError.of(
      'EmptyFieldName',
      `The update path '${path}' contains an empty field name, which is not allowed.`,
    );
  }
  const positional = parts.filter((p) => p === '$').length;
  if (positional > 1) throw badValue(`Too many positional (i.e. '$') elements found in path '${path}'`);
  if (parts[0]!.startsWith('$')) {
    if (parts[0] === '$' || parts[0]!.startsWith('$[')) {
      throw badValue(`Cannot have positional (i.e. '$') element in the first position in path '${path}'`);
    }
    throw new EngineError(
      ErrorCodes.DollarPrefixedFieldName,
      `The dollar ($) prefixed field '${parts[0]}' in '${path}' is not allowed in the context of an update's replacement document. Consider using an aggregation pipeline with $replaceWith.`,
    );
  }
  return parts;
}

function isIntegral(v: unknown): boolean {
  return isNumericValue(v) && Number.isInteger(toJsNumber(v));
}

function parsePush(path: string, arg: unknown): PushSpec {
  if (!isPlainObject(arg) || !Object.hasOwn(arg, '$each')) return { each: [arg] };
  const spec: PushSpec = { each: [] };
  for (const [key, value] of Object.entries(arg)) {
    switch (key) {
      case '$each':
        if (!Array.isArray(value)) {
          throw badValue(
            `The argument to $each in $push must be an array but it was of type: ${bsonTypeLabel(value)}`,
          );
        }
        spec.each = value;
        break;
      case '$position':
        if (!isIntegral(value)) {
          throw badValue(
            `The value for $position must be an integer value, not of type: ${bsonTypeLabel(value)}`,
          );
        }
        spec.position = toJsNumber(value);
        break;
      case '$slice':
        if (!isIntegral(value)) {
          throw badValue(
            `The value for $slice must be an integer value but was given type: ${bsonTypeLabel(value)}`,
          );
        }
        spec.slice = toJsNumber(value);
        break;
      case '$sort':
        spec.sort = parsePushSort(value);
        break;
      default:
        throw badValue(`Unrecognized clause in $push: ${key}`);
    }
  }
  void path;
  return spec;
}

function parsePushSort(value: unknown): PushSpec['sort'] {
  if (isNumericValue(value)) {
    const n = toJsNumber(value);
    if (n === 1 || n === -1) return { whole: n };
  } else if (isPlainObject(value) && Object.keys(value).length > 0) {
    for (const [field, dir] of Object.entries(value)) {
      if (field === '' || field.startsWith('.') || field.endsWith('.') || field.startsWith('$')) {
        throw badValue('The $sort field is a dotted field but has an empty part: ' + field);
      }
      const n = isNumericValue(dir) ? toJsNumber(dir) : NaN;
      if (n !== 1 && n !== -1) throw badValue('The $sort element value must be either 1 or -1');
    }
    return { fields: value };
  }
  throw badValue(
    'The $sort is invalid: use 1/-1 to sort the whole element, or {field:1/-1} to sort embedded fields',
  );
}

/** mongod's type name for messages (typeName()): "int", "double", "string", "date", ... */
function bsonTypeLabel(v: unknown): string {
  return bsonTypeName(v);
}

function parsePull(arg: unknown, collation: unknown): (el: unknown) => boolean {
  if (isPlainObject(arg)) {
    // Both forms reuse $elemMatch: operator documents test the element itself, other documents
    // are queries over element documents.
    const m = compileFilter({ x: { $elemMatch: arg } }, { collation });
    return (el) => m.matches({ x: [el] });
  }
  if (isRegexValue(arg)) {
    const re = regexOf(arg);
    return (el) => (typeof el === 'string' ? re.test(el) : isRegexValue(el) && compareValues(el, arg) === 0);
  }
  const collator = makeCollator(collation);
  return (el) => valuesEqual(el, arg, collator);
}

function parseOperator(
  operator: OperatorName,
  path: string,
  arg: unknown,
  op: ModOp,
  collation: unknown,
): void {
  switch (operator) {
    case '$inc':
    case '$mul':
      if (!isNumericValue(arg)) {
        throw new EngineError(
          ErrorCodes.TypeMismatch,
          `Cannot ${operator === '$inc' ? 'increment' : 'multiply'} with non-numeric argument: {${path}: ${formatValue(arg)}}`,
        );
      }
      return;
    case '$currentDate': {
      if (typeof arg === 'boolean') {
        op.currentDate = 'date';
        return;
      }
      if (
        isPlainObject(arg) &&
        Object.keys(arg).length === 1 &&
        (arg.$type === 'date' || arg.$type === 'timestamp')
      ) {
        op.currentDate = arg.$type;
        return;
      }
      throw badValue(
        `${formatValue(arg)} is not valid type for $currentDate. Please use a boolean ('true') or a $type expression ({$type: 'timestamp/date'}).`,
      );
    }
    case '$push':
      op.push = parsePush(path, arg);
      return;
    case '$addToSet':
      if (isPlainObject(arg) && Object.hasOwn(arg, '$each')) {
        if (Object.keys(arg).length > 1) {
          throw badValue(`Found unexpected fields after $each in $addToSet: ${formatValue(arg)}`);
        }
        if (!Array.isArray(arg.$each)) {
          throw badValue(
            `The argument to $each in $addToSet must be an array but it was of type ${bsonTypeLabel(arg.$each)}`,
          );
        }
        op.addToSet = arg.$each;
      } else {
        op.addToSet = [arg];
      }
      return;
    case '$pop': {
      const n = isNumericValue(arg) ? toJsNumber(arg) : NaN;
      if (n !== 1 && n !== -1) throw badValue(`$pop expects 1 or -1, found: ${formatValue(arg)}`);
      return;
    }
    case '$pull':
      op.pull = parsePull(arg, collation);
      return;
    case '$pullAll':
      if (!Array.isArray(arg))
        throw badValue(`$pullAll requires an array argument but was given a ${bsonTypeLabel(arg)}`);
      return;
    case '$bit': {
      if (!isPlainObject(arg)) {
        throw badValue(
          `The $bit modifier is not compatible with a ${bsonTypeLabel(arg)}. You must pass in an embedded document: {$bit: {field: {and/or/xor: #}}`,
        );
      }
      const ops: ['and' | 'or' | 'xor', unknown][] = [];
      for (const [k, v] of Object.entries(arg)) {
        if (k !== 'and' && k !== 'or' && k !== 'xor') {
          throw badValue(
            `The $bit modifier only supports 'and', 'or', and 'xor', not '${k}' which is an unknown operator: {${k}: ${formatValue(v)}}`,
          );
        }
        const kind = numberKind(v);
        if (kind !== 'int' && kind !== 'long') {
          throw badValue(
            `The $bit modifier field must be an Integer(32/64 bit); a '${bsonTypeLabel(v)}' is not supported here: {${k}: ${formatValue(v)}}`,
          );
        }
        ops.push([k, v]);
      }
      if (ops.length === 0)
        throw badValue(
          `You must pass in at least one bitwise operation. The format is: {$bit: {field: {and/or/xor: #}}`,
        );
      op.bit = ops;
      return;
    }
    default:
      return;
  }
}

/** Orders path components like mongod: numeric names numerically, others by bytes. */
function compareComponents(a: string, b: string): number {
  const an = /^\d+$/.test(a);
  const bn = /^\d+$/.test(b);
  if (an && bn) {
    const x = a.replace(/^0+(?=\d)/, '');
    const y = b.replace(/^0+(?=\d)/, '');
    if (x.length !== y.length) return x.length < y.length ? -1 : 1;
  }
  return compareStrings(a, b);
}

function comparePaths(a: string[], b: string[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = compareComponents(a[i]!, b[i]!);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

interface ConflictNode {
  end: boolean;
  children: Map<string, ConflictNode>;
}

/** Records a path, throwing ConflictingUpdateOperators when it overlaps one seen before. */
function claimPath(root: ConflictNode, parts: string[], path: string): void {
  let node = root;
  for (let i = 0; i < parts.length; i++) {
    if (node.end) {
      throw new EngineError(
        ErrorCodes.ConflictingUpdateOperators,
        `Updating the path '${path}' would create a conflict at '${parts.slice(0, i).join('.')}'`,
      );
    }
    let child = node.children.get(parts[i]!);
    if (!child) {
      child = { end: false, children: new Map() };
      node.children.set(parts[i]!, child);
    }
    node = child;
  }
  if (node.end || node.children.size > 0) {
    throw new EngineError(
      ErrorCodes.ConflictingUpdateOperators,
      `Updating the path '${path}' would create a conflict at '${path}'`,
    );
  }
  node.end = true;
}

interface ArrayFilter {
  identifier: string;
  matches: (element: unknown) => boolean;
}

function identifierOfFilter(filter: Record<string, unknown>): string | undefined {
  let found: string | undefined;
  const visit = (f: Record<string, unknown>): void => {
    for (const [key, value] of Object.entries(f)) {
      if (key === '$and' || key === '$or' || key === '$nor') {
        if (Array.isArray(value)) for (const v of value) if (isPlainObject(v)) visit(v);
        continue;
      }
      if (key.startsWith('$')) continue;
      const id = key.split('.')[0]!;
      if (found !== undefined && found !== id) {
        throw failedToParse(
          `Error parsing array filter :: caused by :: Expected a single top-level field name, found '${found}' and '${id}'`,
        );
      }
      found = id;
    }
  };
  visit(filter);
  return found;
}

function parseArrayFilters(
  filters: Record<string, unknown>[] | undefined,
  collation: unknown,
): Map<string, ArrayFilter> {
  const out = new Map<string, ArrayFilter>();
  for (const raw of filters ?? []) {
    const filter = normalizeValue(raw);
    if (!isPlainObject(filter)) throw failedToParse('Each array filter must be an object');
    const identifier = identifierOfFilter(filter);
    if (identifier === undefined) {
      throw failedToParse('Cannot use an expression without a top-level field name in arrayFilters');
    }
    if (!/^[a-z][a-zA-Z0-9]*$/.test(identifier)) {
      throw badValue(
        `Error parsing array filter :: caused by :: The top-level field name must be an alphanumeric string beginning with a lowercase letter, found '${identifier}'`,
      );
    }
    if (out.has(identifier))
      throw failedToParse(`Found multiple array filters with the same top-level field name ${identifier}`);
    const m = compileFilter(filter, { collation });
    out.set(identifier, { identifier, matches: (el) => m.matches({ [identifier]: el }) });
  }
  return out;
}

function compileOperatorUpdate(spec: Record<string, unknown>, options: UpdateOptions): CompiledUpdate {
  const ops: ModOp[] = [];
  const conflicts: ConflictNode = { end: false, children: new Map() };
  const usedIdentifiers = new Set<string>();
  const arrayFilters = parseArrayFilters(options.arrayFilters, options.collation);
  const collator = makeCollator(options.collation);
  let usesPositional = false;

  const trackPositional = (parts: string[], path: string) => {
    for (const p of parts) {
      if (p === '$') usesPositional = true;
      else if (p.startsWith('$[') && p.endsWith(']') && p !== '$[]') {
        const id = p.slice(2, -1);
        if (!arrayFilters.has(id))
          throw badValue(`No array filter found for identifier '${id}' in path '${path}'`);
        usedIdentifiers.add(id);
      }
    }
  };

  for (const [operator, fields] of Object.entries(spec)) {
    if (!OPERATORS.has(operator)) {
      throw failedToParse(
        `Unknown modifier: ${operator}. Expected a valid update modifier or pipeline-style update specified as an array`,
      );
    }
    if (!isPlainObject(fields)) {
      throw failedToParse(
        `Modifiers operate on fields but we found type ${bsonTypeLabel(fields)} instead. For example: {$mod: {<field>: ...}} not {${operator}: ${formatValue(fields)}}`,
      );
    }
    for (const [path, arg] of Object.entries(fields)) {
      const op: ModOp = { operator: operator as OperatorName, path, parts: [], arg };
      if (operator === '$rename') {
        if (typeof arg !== 'string')
          throw badValue(`The 'to' field for $rename must be a string: ${path}: ${formatValue(arg)}`);
        const fromParts = validatePath(path);
        const toParts = validatePath(arg);
        if (fromParts.some((p) => p.startsWith('$')))
          throw badValue(`The source field for $rename may not be dynamic: ${path}`);
        if (toParts.some((p) => p.startsWith('$')))
          throw badValue(`The destination field for $rename may not be dynamic: ${arg}`);
        if (path === arg)
          throw badValue(`The source and target field for $rename must differ: ${path}: ${formatValue(arg)}`);
        if (arg.startsWith(path + '.') || path.startsWith(arg + '.')) {
          throw badValue(
            `The source and target field for $rename must not be on the same path: ${path}: ${formatValue(arg)}`,
          );
        }
        claimPath(conflicts, fromParts, path);
        claimPath(conflicts, toParts, arg);
        op.from = { path, parts: fromParts };
        op.path = arg;
        op.parts = toParts;
      } else {
        op.parts = validatePath(path);
        claimPath(conflicts, op.parts, path);
        trackPositional(op.parts, path);
        parseOperator(op.operator, path, arg, op, options.collation);
      }
      ops.push(op);
    }
  }
  for (const id of arrayFilters.keys()) {
    if (!usedIdentifiers.has(id)) {
      throw failedToParse(
        `The array filter for identifier '${id}' was not used in the update ${formatValue(spec)}`,
      );
    }
  }
  ops.sort((a, b) => comparePaths(a.parts, b.parts));

  return {
    kind: 'operators',
    usesPositional,
    apply(doc, opts = {}) {
      const env: ApplyEnv = {
        root: cloneValue(doc),
        original: doc,
        isUpsert: opts.isUpsert === true,
        idExisted: doc._id !== undefined,
        matchedIndex: opts.matchedIndex,
        arrayFilters,
        now: opts.now ?? options.now,
        timestamp: opts.timestamp,
        changed: false,
        collator,
      };
      for (const op of ops) applyOp(env, op);
      return { doc: env.root, changed: env.changed };
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Operator updates: applying

interface ApplyEnv {
  root: EngineDocument;
  original: EngineDocument;
  isUpsert: boolean;
  idExisted: boolean;
  matchedIndex: number | undefined;
  arrayFilters: Map<string, ArrayFilter>;
  now: Date | undefined;
  timestamp: Timestamp | undefined;
  changed: boolean;
  collator: Collator | undefined;
}

type Container = Record<string, unknown> | unknown[];

function isContainer(v: unknown): v is Container {
  return Array.isArray(v) || isPlainObject(v);
}

function arrayIndex(part: string): number {
  return /^(0|[1-9]\d{0,8})$/.test(part) ? Number(part) : -1;
}

function getChild(container: Container, key: string | number): unknown {
  if (Array.isArray(container)) return container[key as number];
  return Object.hasOwn(container, key as string) ? container[key as string] : undefined;
}

function setChild(container: Container, key: string | number, value: unknown): void {
  if (Array.isArray(container)) {
    const idx = key as number;
    while (container.length < idx) container.push(null);
    container[idx] = value;
  } else {
    container[key as string] = value;
  }
}

function describeElement(key: string | number, value: unknown): string {
  return `{${key}: ${formatValue(value)}}`;
}

function resolvePositional(env: ApplyEnv, op: ModOp): string[] {
  if (!op.parts.includes('$')) return op.parts;
  if (env.matchedIndex === undefined)
    throw badValue('The positional operator did not find the match needed from the query.');
  return op.parts.map((p) => (p === '$' ? String(env.matchedIndex) : p));
}

function applyOp(env: ApplyEnv, op: ModOp): void {
  if (op.operator === '$setOnInsert' && !env.isUpsert) return;
  if (op.operator === '$rename') {
    applyRename(env, op);
    return;
  }
  const parts = resolvePositional(env, op);
  walk(env, op, env.root, parts, 0, []);
}

/** Walks `parts` from `container`, expanding `$[]` / `$[id]`, creating missing levels when allowed. */
function walk(
  env: ApplyEnv,
  op: ModOp,
  container: Container,
  parts: string[],
  i: number,
  taken: string[],
): void {
  const part = parts[i]!;
  const last = i === parts.length - 1;
  if (part.startsWith('$[')) {
    if (!Array.isArray(container)) {
      throw badValue(
        `Cannot apply array updates to non-array element ${describeElement(taken.at(-1) ?? '', container)}`,
      );
    }
    const filter = part === '$[]' ? undefined : env.arrayFilters.get(part.slice(2, -1));
    for (let k = 0; k < container.length; k++) {
      if (filter && !filter.matches(container[k])) continue;
      if (last) applyLeaf(env, op, container, k, [...taken, String(k)]);
      else descend(env, op, container, k, parts, i + 1, [...taken, String(k)]);
    }
    return;
  }
  let key: string | number = part;
  if (Array.isArray(container)) {
    const idx = arrayIndex(part);
    if (idx < 0) {
      if (NON_CREATING.has(op.operator)) return;
      throw new EngineError(
        ErrorCodes.PathNotViable,
        `Cannot create field '${part}' in element {${taken.at(-1) ?? ''}: ${formatValue(container)}}`,
      );
    }
    key = idx;
  }
  if (last) applyLeaf(env, op, container, key, [...taken, part]);
  else descend(env, op, container, key, parts, i + 1, [...taken, part]);
}

function descend(
  env: ApplyEnv,
  op: ModOp,
  container: Container,
  key: string | number,
  parts: string[],
  next: number,
  taken: string[],
): void {
  let child = getChild(container, key);
  if (child === undefined) {
    if (NON_CREATING.has(op.operator)) return;
    if (parts[next]!.startsWith('$[')) {
      throw badValue(
        `The path '${taken.join('.')}' must exist in the document in order to apply array updates.`,
      );
    }
    checkId(env, taken);
    child = {};
    setChild(container, key, child);
    env.changed = true;
  } else if (!isContainer(child)) {
    if (NON_CREATING.has(op.operator)) return;
    if (parts[next]!.startsWith('$[')) {
      throw badValue(`Cannot apply array updates to non-array element ${describeElement(key, child)}`);
    }
    throw new EngineError(
      ErrorCodes.PathNotViable,
      `Cannot create field '${parts[next]}' in element ${describeElement(key, child)}`,
    );
  }
  walk(env, op, child as Container, parts, next, taken);
}

/** _id may not change on an existing document (or one seeded with _id by an upsert). */
function checkId(env: ApplyEnv, taken: string[]): void {
  if (taken[0] === '_id' && env.idExisted) throw ID_IMMUTABLE(taken.join('.'));
}

function setValue(
  env: ApplyEnv,
  container: Container,
  key: string | number,
  value: unknown,
  taken: string[],
): void {
  checkId(env, taken);
  setChild(container, key, value);
  env.changed = true;
}

function applyLeaf(
  env: ApplyEnv,
  op: ModOp,
  container: Container,
  key: string | number,
  taken: string[],
): void {
  const exists = Array.isArray(container)
    ? (key as number) < container.length
    : Object.hasOwn(container, key as string);
  const current = exists ? getChild(container, key) : undefined;
  const fieldName = String(key);
  switch (op.operator) {
    case '$set':
    case '$setOnInsert':
      if (exists && valuesIdentical(current, op.arg)) return;
      setValue(env, container, key, cloneValue(op.arg), taken);
      return;
    case '$unset':
      if (!exists) return;
      checkId(env, taken);
      if (Array.isArray(container)) {
        if (container[key as number] === null) return;
        container[key as number] = null;
      } else {
        delete container[key as string];
      }
      env.changed = true;
      return;
    case '$inc':
    case '$mul': {
      let result: unknown;
      if (!exists) {
        result = op.operator === '$inc' ? op.arg : arithmetic('multiply', op.arg, 0);
      } else {
        if (!isNumericValue(current)) {
          throw new EngineError(
            ErrorCodes.TypeMismatch,
            `Cannot apply ${op.operator} to a value of non-numeric type. ${formatIdOf(env.original)} has the field '${fieldName}' of non-numeric type ${bsonTypeLabel(current)}`,
          );
        }
        result = arithmetic(op.operator === '$inc' ? 'add' : 'multiply', current, op.arg);
        if (result === undefined) {
          throw badValue(
            `Failed to apply ${op.operator} operations to current value ((NumberLong)${formatValue(current)}) for document ${formatIdOf(env.original)}`,
          );
        }
        if (valuesIdentical(result, current)) return;
      }
      setValue(env, container, key, result, taken);
      return;
    }
    case '$min':
    case '$max': {
      if (exists) {
        const c = compareValues(op.arg, current, env.collator);
        if (op.operator === '$min' ? c >= 0 : c <= 0) return;
      }
      setValue(env, container, key, cloneValue(op.arg), taken);
      return;
    }
    case '$currentDate': {
      if (!env.now) throw new EngineError(ErrorCodes.InternalError, '$currentDate needs options.now');
      const value =
        op.currentDate === 'timestamp'
          ? (env.timestamp ?? new Timestamp({ t: Math.floor(env.now.getTime() / 1000), i: 1 }))
          : new Date(env.now.getTime());
      if (exists && valuesIdentical(current, value)) return;
      setValue(env, container, key, value, taken);
      return;
    }
    case '$push': {
      if (exists && !Array.isArray(current)) {
        throw badValue(
          `The field '${fieldName}' must be an array but is of type ${bsonTypeLabel(current)} in document ${formatIdOf(env.original)}`,
        );
      }
      const before = (current as unknown[] | undefined) ?? [];
      const next = applyPush(before, op.push!, env.collator);
      if (exists && valuesIdentical(next, before)) return;
      setValue(env, container, key, next, taken);
      return;
    }
    case '$addToSet': {
      if (exists && !Array.isArray(current)) {
        throw badValue(
          `Cannot apply $addToSet to non-array field. Field named '${fieldName}' has non-array type ${bsonTypeLabel(current)}`,
        );
      }
      const before = (current as unknown[] | undefined) ?? [];
      const next = [...before];
      for (const v of op.addToSet!) {
        if (!next.some((el) => valuesEqual(el, v, env.collator))) next.push(cloneValue(v));
      }
      if (exists && next.length === before.length) return;
      setValue(env, container, key, next, taken);
      return;
    }
    case '$pop': {
      if (!exists) return;
      if (!Array.isArray(current)) {
        throw new EngineError(
          ErrorCodes.TypeMismatch,
          `Path '${taken.join('.')}' contains an element of non-array type '${bsonTypeLabel(current)}'`,
        );
      }
      if (current.length === 0) return;
      const next = toJsNumber(op.arg) === 1 ? current.slice(0, -1) : current.slice(1);
      setValue(env, container, key, next, taken);
      return;
    }
    case '$pull':
    case '$pullAll': {
      if (!exists) return;
      if (!Array.isArray(current)) throw badValue('Cannot apply $pull to a non-array value');
      const remove =
        op.operator === '$pull'
          ? op.pull!
          : (el: unknown) => (op.arg as unknown[]).some((v) => valuesEqual(el, v, env.collator));
      const next = current.filter((el) => !remove(el));
      if (next.length === current.length) return;
      setValue(env, container, key, next, taken);
      return;
    }
    case '$bit': {
      let value: unknown = exists ? current : 0;
      const kind = numberKind(value);
      if (exists && kind !== 'int' && kind !== 'long') {
        throw badValue(
          `Cannot apply $bit to a value of non-integral type.${formatIdOf(env.original)} has the field ${fieldName} of non-integer type ${bsonTypeLabel(current)}`,
        );
      }
      for (const [bitOp, operand] of op.bit!) value = bitwise(bitOp, value, operand);
      if (exists && valuesIdentical(value, current)) return;
      setValue(env, container, key, value, taken);
      return;
    }
    default:
      return;
  }
}

function applyPush(before: unknown[], spec: PushSpec, collator: Collator | undefined): unknown[] {
  const next = [...before];
  const values = spec.each.map((v) => cloneValue(v));
  let position = spec.position ?? next.length;
  if (position < 0) position = Math.max(0, next.length + position);
  position = Math.min(position, next.length);
  next.splice(position, 0, ...values);
  if (spec.sort) {
    const sort = spec.sort;
    if ('whole' in sort) {
      next.sort((a, b) => compareValues(a, b, collator) * sort.whole);
    } else {
      const { fields } = parseSortSpec(sort.fields);
      const keyed = next.map((el, index) => ({
        el,
        index,
        keys: fields.map((f) => sortKeyOf(isPlainObject(el) ? el : {}, f, collator)),
      }));
      keyed.sort((x, y) => {
        for (let i = 0; i < fields.length; i++) {
          const c = compareValues(x.keys[i], y.keys[i], collator);
          if (c !== 0) return c * fields[i]!.direction;
        }
        return x.index - y.index;
      });
      next.splice(0, next.length, ...keyed.map((k) => k.el));
    }
  }
  if (spec.slice !== undefined) {
    return spec.slice >= 0 ? next.slice(0, spec.slice) : next.slice(Math.max(0, next.length + spec.slice));
  }
  return next;
}

function applyRename(env: ApplyEnv, op: ModOp): void {
  const from = op.from!;
  // Locate the source without traversing arrays (mongod refuses renames through arrays).
  let container: unknown = env.root;
  for (let i = 0; i < from.parts.length - 1; i++) {
    if (Array.isArray(container)) {
      throw badValue(
        `The source field cannot be an array element, '${from.path}' in doc with ${from.parts[i - 1] ?? ''} field that is an array`,
      );
    }
    if (!isPlainObject(container)) return;
    container = Object.hasOwn(container, from.parts[i]!) ? container[from.parts[i]!] : undefined;
  }
  if (Array.isArray(container)) {
    throw badValue(
      `The source field cannot be an array element, '${from.path}' in doc with ${from.parts.at(-2) ?? ''} field that is an array`,
    );
  }
  if (!isPlainObject(container)) return;
  const lastKey = from.parts.at(-1)!;
  if (!Object.hasOwn(container, lastKey)) return;
  const value = container[lastKey];
  // The destination may not go through arrays either.
  let probe: unknown = env.root;
  for (const part of op.parts.slice(0, -1)) {
    if (!isPlainObject(probe)) break;
    probe = Object.hasOwn(probe, part) ? probe[part] : undefined;
    if (Array.isArray(probe)) {
      throw badValue(
        `The destination field cannot be an array element, '${op.path}' in doc with ${part} field that is an array`,
      );
    }
  }
  checkId(env, from.parts);
  delete container[lastKey];
  env.changed = true;
  const setOp: ModOp = { operator: '$set', path: op.path, parts: op.parts, arg: value };
  walk(env, setOp, env.root, op.parts, 0, []);
}
