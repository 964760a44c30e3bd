/**
 * A small query planner: derives key bounds from a filter's equality / `$in` / range clauses,
 * costs every usable index by counting the entries inside its bounds (two binary searches per
 * range) and scans the cheapest one, the union of index scans for a `$or` whose every branch has
 * one, or the whole collection when no index helps. Partial indexes count only when the filter
 * implies their filter. The caller still applies the full matcher to every candidate, so bounds
 * only need to be a superset.
 */
import { Binary, BSONRegExp, MaxKey, ObjectId, Timestamp } from 'bson';
import { bsonTypeName, compareValues } from './query/index.js';
import type { CollectionStore } from './storage/collection-store.js';
import type { IndexEntry, IndexStore } from './storage/index-store.js';
import type { Position } from './storage/sorted-list.js';
import { EngineError } from './errors.js';
import { filterImplies } from './partial-index.js';
import { isPlainObject } from './values.js';
import type { Doc } from './values.js';
import type { SortField } from './query/index.js';

export interface Bound {
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
export interface KeyRange {
  prefix: unknown[];
  lower?: Bound;
  upper?: Bound;
}

export interface ExecutionStats {
  docsExamined: number;
  keysExamined: number;
  /** Keys examined by each input of an OR plan. */
  branchKeys?: number[];
  /** Record ids an OR plan (or a deduplicating index scan) tested and dropped as already seen. */
  dupsTested?: number;
  dupsDropped?: number;
}

/** One index scan: the entries inside `ranges` (all of them when undefined), in either direction. */
export interface IndexScan {
  index: IndexStore;
  ranges?: KeyRange[];
  /** Walks the ranges in descending key order (to give a descending sort). */
  backward?: boolean;
}

/**
 * The plan the read path runs: a collection scan (neither `index` nor `or`), one index scan, or
 * the union of index scans for a `$or` (mongod's OR stage, record ids deduplicated).
 */
export interface PlanChoice {
  index?: IndexStore;
  ranges?: KeyRange[];
  backward?: boolean;
  /** The index order is the requested sort, so no in-memory sort is needed. */
  providesSort?: boolean;
  or?: IndexScan[];
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

/** Per-field constraints from the top level of a filter and its top-level `$and` (and one-branch `$or`). */
export function extractConstraints(
  filter: Doc,
  map = new Map<string, FieldConstraint>(),
): Map<string, FieldConstraint> {
  for (const [key, value] of Object.entries(filter)) {
    if (
      (key === '$and' || (key === '$or' && Array.isArray(value) && value.length === 1)) &&
      Array.isArray(value)
    ) {
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

/** Whether the planner may use the index for this filter: a partial index only when the filter implies its filter. */
function usableFor(index: IndexStore, filter: Doc): boolean {
  if (!index.isPartial) return true;
  return filterImplies(filter, index.spec.partialFilterExpression as Doc);
}

/** The sort fields an index scan returns in order: 1 (forward), -1 (backward) or undefined (it cannot). */
function scanOrder(
  index: IndexStore,
  ranges: KeyRange[] | undefined,
  sort: readonly SortField[],
): 1 | -1 | undefined {
  // The sort key of an array is its smallest / largest element, not the order of its index entries.
  if (sort.some((s) => index.multikeyFields.has(s.path))) return undefined;
  if (ranges?.length === 0) return 1;
  const fixed = (i: number): boolean =>
    ranges !== undefined &&
    ranges.every((r) => r.prefix.length > i && compareValues(r.prefix[i], ranges[0]!.prefix[i]) === 0);
  const remaining = sort.filter((s) => {
    const i = index.fields.indexOf(s.path);
    return !(i >= 0 && fixed(i));
  });
  let first = 0;
  while (first < index.fields.length && fixed(first)) first++;
  let direction: 1 | -1 | undefined;
  for (const [k, s] of remaining.entries()) {
    // Entries are stored in ascending order on every field, whatever the key pattern says.
    if (index.fields[first + k] !== s.path) return undefined;
    if (direction !== undefined && s.direction !== direction) return undefined;
    direction = s.direction;
  }
  return direction ?? 1;
}

function ordered(plan: IndexScan, sort: readonly SortField[] | undefined): PlanChoice {
  if (!sort?.length) return plan;
  const order = scanOrder(plan.index, plan.ranges, sort);
  return order === undefined ? plan : { ...plan, backward: order === -1, providesSort: true };
}

function copyConstraints(map: Map<string, FieldConstraint>): Map<string, FieldConstraint> {
  return new Map([...map].map(([field, c]) => [field, { ...c }]));
}

/** The `$or` arrays an index union may serve: the filter's own and those of its top-level `$and` clauses. */
function orClauses(filter: Doc, out: unknown[][] = []): unknown[][] {
  for (const [key, value] of Object.entries(filter)) {
    if (key === '$or' && Array.isArray(value) && value.length > 1) out.push(value);
    else if (key === '$and' && Array.isArray(value)) {
      for (const clause of value) if (isPlainObject(clause)) orClauses(clause, out);
    }
  }
  return out;
}

/** The cheapest index scan for a set of constraints, or undefined when no index applies. */
function cheapestScan(
  collection: CollectionStore,
  constraints: Map<string, FieldConstraint>,
  filter: Doc,
): { scan: IndexScan; cost: number } | undefined {
  let best: { scan: IndexScan; cost: number } | undefined;
  for (const index of collection.indexes) {
    if (!usableFor(index, filter)) continue;
    const ranges = rangesFor(index, constraints);
    if (!ranges) continue;
    const cost = countInRanges(index, ranges);
    if (!best || cost < best.cost) best = { scan: { index, ranges }, cost };
  }
  return best;
}

/**
 * An index union for one `$or`: each branch (with the predicates outside the `$or` pushed into it)
 * needs an index, else there is no union plan and the `$or` costs a scan, as on mongod.
 */
function unionPlan(
  collection: CollectionStore,
  branches: unknown[],
  outer: Map<string, FieldConstraint>,
  filter: Doc,
): { plan: PlanChoice; cost: number } | undefined {
  const scans: IndexScan[] = [];
  let cost = 0;
  for (const branch of branches) {
    if (!isPlainObject(branch)) return undefined;
    const found = cheapestScan(collection, extractConstraints(branch, copyConstraints(outer)), {
      $and: [filter, branch],
    });
    if (!found) return undefined;
    scans.push(found.scan);
    cost += found.cost;
  }
  return { plan: { or: scans }, cost };
}

/**
 * Picks the plan: the hinted index; else the usable index (or `$or` index union) with the fewest
 * entries inside its bounds, preferring on a tie one whose order gives the sort; else, for a sort,
 * an index in sort order (it spares the in-memory sort and lets a limit stop the scan early).
 */
export function choosePlan(
  collection: CollectionStore,
  filter: Doc,
  hint?: IndexStore | null,
  sort?: readonly SortField[],
): PlanChoice {
  if (hint === null) return {};
  const constraints = extractConstraints(filter);
  if (hint) {
    if (!usableFor(hint, filter)) {
      throw EngineError.of('BadValue', 'hint provided does not correspond to an existing index');
    }
    return ordered({ index: hint, ranges: rangesFor(hint, constraints) }, sort);
  }
  let best: PlanChoice = {};
  let bestCost = Infinity;
  const consider = (plan: PlanChoice, cost: number): void => {
    if (cost < bestCost || (cost === bestCost && plan.providesSort && !best.providesSort)) {
      best = plan;
      bestCost = cost;
    }
  };
  if (constraints.size > 0) {
    for (const index of collection.indexes) {
      if (!usableFor(index, filter)) continue;
      const ranges = rangesFor(index, constraints);
      if (ranges) consider(ordered({ index, ranges }, sort), countInRanges(index, ranges));
    }
  }
  for (const branches of orClauses(filter)) {
    const union = unionPlan(collection, branches, constraints, filter);
    if (union) consider(union.plan, union.cost);
  }
  if (!best.index && !best.or && sort?.length) {
    for (const index of collection.indexes) {
      // A sparse index lacks documents without its fields, so it cannot stand in for the collection.
      if (index.sparse || !usableFor(index, filter)) continue;
      const plan = ordered({ index }, sort);
      if (plan.providesSort) return plan;
    }
  }
  return best;
}

/**
 * The index (and its bounds) that answers a count from keys alone: an index whose bounds express
 * every predicate of the filter exactly (equality / `$in` on a key prefix, then at most one range),
 * so no document has to be fetched. Undefined when there is none.
 */
export function exactCountPlan(
  collection: CollectionStore,
  filter: Doc,
  hint?: IndexStore | null,
): IndexScan | undefined {
  if (hint === null) return undefined;
  const constraints = extractConstraints(filter);
  if (constraints.size === 0) return undefined;
  let best: { scan: IndexScan; cost: number } | undefined;
  for (const index of hint ? [hint] : collection.indexes) {
    if (!usableFor(index, filter)) continue;
    const ranges = rangesFor(index, constraints);
    if (!ranges || !boundsAreExact(index, ranges, filter)) continue;
    const cost = countInRanges(index, ranges);
    if (!best || cost < best.cost) best = { scan: { index, ranges }, cost };
  }
  return best?.scan;
}

/** Whether a scan's bounds match exactly the documents the filter matches (a FETCH needs no filter). */
export function isExactScan(scan: IndexScan, filter: Doc): boolean {
  return !scan.index.multikey && scan.ranges !== undefined && boundsAreExact(scan.index, scan.ranges, filter);
}

function flatConjuncts(filter: Doc, out: Array<[string, unknown]> = []): Array<[string, unknown]> {
  for (const [key, value] of Object.entries(filter)) {
    if (key === '$and' && Array.isArray(value)) {
      for (const clause of value)
        if (isPlainObject(clause)) flatConjuncts(clause, out);
        else out.push(['$and', value]);
    } else out.push([key, value]);
  }
  return out;
}

function exactPoint(value: unknown): boolean {
  return value !== null && value !== undefined && isIndexableEquality(value);
}

/** Whether the ranges match exactly the documents the filter matches (no residual predicate). */
function boundsAreExact(index: IndexStore, ranges: KeyRange[], filter: Doc): boolean {
  const seen = new Set<string>();
  for (const [field, value] of flatConjuncts(filter)) {
    if (field.startsWith('$') || seen.has(field)) return false;
    seen.add(field);
    const pos = index.fields.indexOf(field);
    if (pos < 0) return false;
    const isPoint = ranges.every((r) => r.prefix.length > pos);
    const isRange = ranges.every((r) => r.prefix.length === pos && (r.lower || r.upper));
    if (!isOperatorObject(value)) {
      if (!isPoint || !exactPoint(value)) return false;
      continue;
    }
    const ops = Object.keys(value);
    if (ops.length === 1 && ops[0] === '$eq') {
      if (!isPoint || !exactPoint(value.$eq)) return false;
    } else if (ops.length === 1 && ops[0] === '$in') {
      if (!isPoint || !Array.isArray(value.$in) || !value.$in.every(exactPoint)) return false;
    } else {
      const lower = ops.filter((op) => op === '$gt' || op === '$gte');
      const upper = ops.filter((op) => op === '$lt' || op === '$lte');
      if (!isRange || lower.length + upper.length !== ops.length || lower.length > 1 || upper.length > 1) {
        return false;
      }
      // On an array field each side may hold for a different element: the scan bounds only one side.
      if (index.multikey && lower.length && upper.length) return false;
      const args = ops.map((op) => value[op]);
      if (args.some((a) => Number.isNaN(a) || !RANGEABLE.has(bracketOf(a)))) return false;
      if (new Set(args.map(bracketOf)).size > 1) return false;
    }
  }
  return true;
}

export interface KeyCount {
  /** Documents counted (at most `needed`). */
  counted: number;
  keysExamined: number;
  dupsTested: number;
  dupsDropped: number;
}

/**
 * Counts the documents inside a scan's bounds from its keys, stopping at `needed`: by rank on a
 * plain index (one key per document), by visiting the keys and dropping repeated record ids on a
 * multikey one.
 */
export function countKeys(scan: IndexScan, needed = Infinity): KeyCount {
  if (!scan.index.multikey) {
    const total = scan.ranges ? countInRanges(scan.index, scan.ranges) : scan.index.entries.size;
    const counted = Math.min(total, needed);
    return { counted, keysExamined: counted, dupsTested: 0, dupsDropped: 0 };
  }
  const seen = new Set<number>();
  let keysExamined = 0;
  for (const entry of scanEntries(scan)) {
    if (seen.size >= needed) break;
    keysExamined++;
    seen.add(entry.rid);
  }
  return {
    counted: seen.size,
    keysExamined,
    dupsTested: keysExamined,
    dupsDropped: keysExamined - seen.size,
  };
}

function* scanEntries(scan: IndexScan): Generator<IndexEntry> {
  const ranges = scan.ranges ?? [{ prefix: [] }];
  for (const range of scan.backward ? [...ranges].reverse() : ranges) {
    const [start, end] = rangePositions(scan.index, range);
    if (scan.backward) yield* scan.index.entries.rangeReverse(start, end);
    else yield* scan.index.entries.range(start, end);
  }
}

/** Candidate documents for a plan, in index order (or natural order), each counted as examined. */
export function* candidates(
  collection: CollectionStore,
  plan: PlanChoice,
  stats: ExecutionStats,
): Generator<[number, Doc]> {
  const { index } = plan;
  if (plan.or) {
    yield* unionCandidates(collection, plan.or, stats);
    return;
  }
  if (!index) {
    for (const entry of collection.docs) {
      stats.docsExamined++;
      collection.stats.docsExamined++;
      yield entry;
    }
    return;
  }
  const seen = index.multikey || (plan.ranges?.length ?? 0) > 1 ? new Set<number>() : undefined;
  for (const entry of scanEntries(plan as IndexScan)) {
    stats.keysExamined++;
    collection.stats.keysExamined++;
    if (seen) {
      stats.dupsTested = (stats.dupsTested ?? 0) + 1;
      if (seen.has(entry.rid)) {
        stats.dupsDropped = (stats.dupsDropped ?? 0) + 1;
        continue;
      }
      seen.add(entry.rid);
    }
    const doc = collection.docs.get(entry.rid);
    if (!doc) continue;
    stats.docsExamined++;
    collection.stats.docsExamined++;
    yield [entry.rid, doc];
  }
}

function* unionCandidates(
  collection: CollectionStore,
  scans: IndexScan[],
  stats: ExecutionStats,
): Generator<[number, Doc]> {
  const seen = new Set<number>();
  stats.branchKeys = scans.map(() => 0);
  stats.dupsTested ??= 0;
  stats.dupsDropped ??= 0;
  for (const [i, scan] of scans.entries()) {
    for (const entry of scanEntries(scan)) {
      stats.keysExamined++;
      stats.branchKeys[i]!++;
      collection.stats.keysExamined++;
      stats.dupsTested++;
      if (seen.has(entry.rid)) {
        stats.dupsDropped++;
        continue;
      }
      seen.add(entry.rid);
      const doc = collection.docs.get(entry.rid);
      if (!doc) continue;
      stats.docsExamined++;
      collection.stats.docsExamined++;
      yield [entry.rid, doc];
    }
  }
}
