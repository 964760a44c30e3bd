/**
 * A small query planner: derives key bounds from a filter's equality / `$in` / range clauses,
 * costs every usable index by counting the entries inside its bounds (two binary searches per
 * range) and scans the cheapest one — or the whole collection when no index helps. The caller
 * still applies the full matcher to every candidate, so bounds only need to be a superset.
 */
import { Binary, BSONRegExp, MaxKey, ObjectId, Timestamp } from 'bson';
import { bsonTypeName, compareValues } from './query/index.js';
import type { CollectionStore } from './storage/collection-store.js';
import type { IndexEntry, IndexStore } from './storage/index-store.js';
import type { Position } from './storage/sorted-list.js';
import { EngineError } from './errors.js';
import { isPlainObject } from './values.js';
import type { Doc } from './values.js';

interface Bound {
  value: unknown;
  inclusive: boolean;
}

interface FieldConstraint {
  /** Candidate values for equality (`x`, `$eq`, `$in`). */
  eq?: unknown[];
  lower?: Bound;
  upper?: Bound;
}

/** Entries whose first `prefix.length` key parts equal `prefix` and whose next part lies within the bounds. */
interface KeyRange {
  prefix: unknown[];
  lower?: Bound;
  upper?: Bound;
}

export interface ExecutionStats {
  docsExamined: number;
  keysExamined: number;
}

export interface PlanChoice {
  /** Undefined for a collection scan. */
  index?: IndexStore;
  ranges?: KeyRange[];
}

/** The smallest value of each canonical type bracket that range bounds are clamped to (mongod's type bracketing). */
const BRACKET_ORDER = [
  'number',
  'string',
  'object',
  'array',
  'binData',
  'objectId',
  'bool',
  'date',
  'timestamp',
  'regex',
];
const BRACKET_MIN: Record<string, unknown> = {
  number: -Infinity,
  string: '',
  object: {},
  array: [],
  binData: new Binary(Buffer.alloc(0), 0),
  objectId: new ObjectId('000000000000000000000000'),
  bool: false,
  date: new Date(-8.64e15),
  timestamp: Timestamp.fromBits(0, 0),
  regex: new BSONRegExp('', ''),
  maxKey: new MaxKey(),
};
const RANGEABLE = new Set(['number', 'string', 'binData', 'objectId', 'bool', 'date', 'timestamp']);

function bracketOf(value: unknown): string {
  const name = bsonTypeName(value);
  if (name === 'double' || name === 'int' || name === 'long' || name === 'decimal') return 'number';
  if (name === 'symbol') return 'string';
  return name;
}

function isOperatorObject(value: unknown): value is Doc {
  if (!isPlainObject(value)) return false;
  const first = Object.keys(value)[0];
  return first !== undefined && first.startsWith('$');
}

/** A value an index can look up by equality: not an array, regex or NaN. */
function isIndexableEquality(value: unknown): boolean {
  if (Array.isArray(value) || value instanceof BSONRegExp || value instanceof RegExp) return false;
  if (typeof value === 'number' && Number.isNaN(value)) return false;
  if (isPlainObject(value)) return !Object.keys(value).some((k) => k.startsWith('$'));
  return true;
}

function addConstraint(map: Map<string, FieldConstraint>, field: string, value: unknown): void {
  const c = map.get(field) ?? {};
  if (!isOperatorObject(value)) {
    if (isIndexableEquality(value) && !c.eq) c.eq = [value];
  } else {
    for (const [op, arg] of Object.entries(value)) {
      if (op === '$eq' && isIndexableEquality(arg) && !c.eq) c.eq = [arg];
      else if (op === '$in' && Array.isArray(arg) && arg.every(isIndexableEquality) && !c.eq) c.eq = [...arg];
      else if ((op === '$gt' || op === '$gte') && RANGEABLE.has(bracketOf(arg)) && !Number.isNaN(arg)) {
        c.lower = { value: arg, inclusive: op === '$gte' };
      } else if ((op === '$lt' || op === '$lte') && RANGEABLE.has(bracketOf(arg)) && !Number.isNaN(arg)) {
        c.upper = { value: arg, inclusive: op === '$lte' };
      }
    }
  }
  map.set(field, c);
}

/** Per-field constraints from the top level of a filter and its top-level `$and`. */
export function extractConstraints(
  filter: Doc,
  map = new Map<string, FieldConstraint>(),
): Map<string, FieldConstraint> {
  for (const [key, value] of Object.entries(filter)) {
    if (key === '$and' && Array.isArray(value)) {
      for (const clause of value) if (isPlainObject(clause)) extractConstraints(clause, map);
    } else if (!key.startsWith('$')) {
      addConstraint(map, key, value);
    }
  }
  return map;
}

/** Completes a one-sided range with the edge of its type bracket so `$gt: 5` does not walk into strings. */
function bracketed(c: FieldConstraint, multikey: boolean): { lower?: Bound; upper?: Bound } | undefined {
  let lower = c.lower;
  let upper = c.upper;
  // On a multikey index different array elements may satisfy each side, so only one side can bound the scan.
  if (multikey && lower && upper) upper = undefined;
  if (!lower && !upper) return undefined;
  const bracket = bracketOf((lower ?? upper)!.value);
  if (lower && upper && bracketOf(upper.value) !== bracket) upper = undefined;
  const next = BRACKET_ORDER[BRACKET_ORDER.indexOf(bracket) + 1] ?? 'maxKey';
  lower ??= { value: BRACKET_MIN[bracket], inclusive: true };
  upper ??= { value: BRACKET_MIN[next], inclusive: false };
  return { lower, upper };
}

const MAX_POINTS = 1000;

/** Key ranges for an index from the constraints, or undefined when its first field is unconstrained. */
function rangesFor(index: IndexStore, constraints: Map<string, FieldConstraint>): KeyRange[] | undefined {
  let prefixes: unknown[][] = [[]];
  for (const field of index.fields) {
    const c = constraints.get(field);
    if (c?.eq) {
      if (index.sparse && c.eq.some((v) => v === null || v === undefined)) break;
      const values = [...c.eq].sort(compareValues);
      if (prefixes.length * values.length > MAX_POINTS) break;
      prefixes = prefixes.flatMap((p) => values.map((v) => [...p, v]));
      continue;
    }
    const range = c ? bracketed(c, index.multikey) : undefined;
    if (range) return prefixes.map((prefix) => ({ prefix, ...range }));
    break;
  }
  if (prefixes.length === 0) return [];
  if (prefixes[0]!.length === 0) return undefined;
  return prefixes.map((prefix) => ({ prefix }));
}

function comparePrefix(key: unknown[], prefix: unknown[]): number {
  for (let i = 0; i < prefix.length; i++) {
    const c = compareValues(key[i], prefix[i]);
    if (c !== 0) return c;
  }
  return 0;
}

function rangePositions(index: IndexStore, range: KeyRange): [Position, Position] {
  const k = range.prefix.length;
  const cmp = (e: IndexEntry, bound: Bound | undefined): number =>
    comparePrefix(e.key, range.prefix) || (bound ? compareValues(e.key[k], bound.value) : 0);
  const { lower, upper } = range;
  const start = index.entries.firstWhere((e) =>
    lower && !lower.inclusive ? cmp(e, lower) > 0 : cmp(e, lower) >= 0,
  );
  const end = index.entries.firstWhere((e) =>
    upper && !upper.inclusive ? cmp(e, upper) >= 0 : cmp(e, upper) > 0,
  );
  return [start, end];
}

function countInRanges(index: IndexStore, ranges: KeyRange[]): number {
  let total = 0;
  for (const range of ranges) {
    const [start, end] = rangePositions(index, range);
    total += Math.max(0, index.entries.rank(end) - index.entries.rank(start));
  }
  return total;
}

/** Resolves a `hint` (index name or key pattern) to an index, or `null` for `{$natural: ...}`. */
export function resolveHint(
  collection: CollectionStore | undefined,
  hint: unknown,
): IndexStore | null | undefined {
  if (hint === undefined || hint === null) return undefined;
  if (typeof hint === 'string' && hint.length === 0) return undefined;
  if (isPlainObject(hint) && Object.keys(hint).length === 0) return undefined;
  if (isPlainObject(hint) && '$natural' in hint) return null;
  const found = collection?.indexes.find((ix) =>
    typeof hint === 'string'
      ? ix.name === hint
      : isPlainObject(hint) && compareValues(ix.keyPattern, hint) === 0,
  );
  if (!found) {
    // A hint on a collection that does not exist yet is accepted by mongod (nothing to scan).
    if (!collection) return undefined;
    throw EngineError.of('BadValue', 'hint provided does not correspond to an existing index');
  }
  return found;
}

export function choosePlan(collection: CollectionStore, filter: Doc, hint?: IndexStore | null): PlanChoice {
  if (hint === null) return {};
  const constraints = extractConstraints(filter);
  if (hint) return { index: hint, ranges: rangesFor(hint, constraints) };
  if (constraints.size === 0) return {};
  let best: PlanChoice = {};
  let bestCost = Infinity;
  for (const index of collection.indexes) {
    if (index.isPartial) continue;
    const ranges = rangesFor(index, constraints);
    if (!ranges) continue;
    const cost = countInRanges(index, ranges);
    if (cost < bestCost) {
      best = { index, ranges };
      bestCost = cost;
    }
  }
  return best;
}

/** Candidate documents for a plan, in index order (or natural order), each counted as examined. */
export function* candidates(
  collection: CollectionStore,
  plan: PlanChoice,
  stats: ExecutionStats,
): Generator<[number, Doc]> {
  const { index } = plan;
  if (!index) {
    for (const entry of collection.docs) {
      stats.docsExamined++;
      collection.stats.docsExamined++;
      yield entry;
    }
    return;
  }
  const ranges = plan.ranges ?? [{ prefix: [] }];
  const seen = index.multikey || ranges.length > 1 ? new Set<number>() : undefined;
  for (const range of ranges) {
    const [start, end] = rangePositions(index, range);
    for (const entry of index.entries.range(start, end)) {
      stats.keysExamined++;
      collection.stats.keysExamined++;
      if (seen) {
        if (seen.has(entry.rid)) continue;
        seen.add(entry.rid);
      }
      const doc = collection.docs.get(entry.rid);
      if (!doc) continue;
      stats.docsExamined++;
      collection.stats.docsExamined++;
      yield [entry.rid, doc];
    }
  }
}
