/**
 * Pure: the plan a read really ran, as mongod's explain and profiler describe it (stage trees,
 * index bounds, per-stage counts, plan summaries). Built from what the read path recorded, so a
 * collection scan is never reported as an index scan and every count is one the engine measured.
 */
import { MaxKey, MinKey } from 'bson';
import { formatValue } from '../query/index.js';
import { isExactScan } from '../planner.js';
import type { Bound, IndexScan, KeyCount, KeyRange, PlanChoice } from '../planner.js';
import type { IndexStore } from '../storage/index-store.js';
import { toNumber } from '../values.js';
import type { Doc } from '../values.js';
import type { Selection } from './select.js';

/** mongod's in-memory sort limit (internalQueryMaxBlockingSortMemoryUsageBytes). */
const SORT_MEMORY_LIMIT = 104857600;

export interface StageNode {
  stage: string;
  /** The stage's own fields in queryPlanner output (filter, keyPattern, indexBounds...). */
  fields: Doc;
  /** Stage-specific execution counters (keysExamined, docsExamined, dupsDropped...). */
  exec: Doc;
  nReturned: number;
  works: number;
  inputs: StageNode[];
}

function node(stage: string, nReturned: number, works: number, fields: Doc = {}, exec: Doc = {}): StageNode {
  return { stage, fields, exec, nReturned, works, inputs: [] };
}

function wrap(outer: StageNode, input: StageNode): StageNode {
  outer.inputs = [input];
  return outer;
}

/** The queryPlanner form of a stage tree (`winningPlan`). */
export function renderPlan(n: StageNode): Doc {
  const out: Doc = { stage: n.stage, ...n.fields };
  if (n.inputs.length === 1) out.inputStage = renderPlan(n.inputs[0]!);
  else if (n.inputs.length > 1 || n.stage === 'OR') out.inputStages = n.inputs.map(renderPlan);
  return out;
}

/** The executionStats form of a stage tree (`executionStages`). */
export function renderExecution(n: StageNode): Doc {
  const { filter, ...fields } = n.fields;
  const out: Doc = { stage: n.stage };
  if (filter !== undefined) out.filter = filter;
  Object.assign(out, {
    nReturned: n.nReturned,
    executionTimeMillisEstimate: 0,
    works: n.works,
    advanced: n.nReturned,
    needTime: Math.max(0, n.works - n.nReturned - 1),
    needYield: 0,
    saveState: 0,
    restoreState: 0,
    isEOF: 1,
    ...fields,
    ...n.exec,
  });
  if (n.inputs.length === 1) out.inputStage = renderExecution(n.inputs[0]!);
  else if (n.inputs.length > 1 || n.stage === 'OR') out.inputStages = n.inputs.map(renderExecution);
  return out;
}

/** mongod's summary of a plan's leaves: "COLLSCAN", "IXSCAN { a: 1 }", "IXSCAN { a: 1 }, IXSCAN { b: 1 }". */
export function planSummary(plan: PlanChoice): string {
  if (plan.or) return plan.or.map((scan) => `IXSCAN ${formatValue(scan.index.keyPattern)}`).join(', ');
  if (plan.index) return `IXSCAN ${formatValue(plan.index.keyPattern)}`;
  return 'COLLSCAN';
}

export function countScanSummary(scan: IndexScan): string {
  return `${isCountScan(scan) ? 'COUNT_SCAN' : 'IXSCAN'} ${formatValue(scan.index.keyPattern)}`;
}

/** A count over one contiguous key interval is a COUNT_SCAN; several intervals ($in) a covered IXSCAN. */
export function isCountScan(scan: IndexScan): boolean {
  return (scan.ranges?.length ?? 1) === 1;
}

function boundText(value: unknown): string {
  if (value instanceof MinKey) return 'MinKey';
  if (value instanceof MaxKey) return 'MaxKey';
  const n = typeof value === 'number' ? value : undefined;
  if (n === Infinity) return 'inf.0';
  if (n === -Infinity) return '-inf.0';
  return formatValue(value);
}

/** The edge of the number bracket is the empty string for the scan, `inf.0` for mongod. */
function upperText(bound: Bound): [string, boolean] {
  if (bound.value === '' && !bound.inclusive) return ['inf.0', true];
  return [boundText(bound.value), bound.inclusive];
}

function intervalFor(range: KeyRange, i: number): string {
  if (i < range.prefix.length) {
    const v = boundText(range.prefix[i]);
    return `[${v}, ${v}]`;
  }
  if (i === range.prefix.length && (range.lower || range.upper)) {
    const lower = range.lower ? [boundText(range.lower.value), range.lower.inclusive] : ['MinKey', true];
    const upper = range.upper ? upperText(range.upper) : ['MaxKey', true];
    return `${lower[1] ? '[' : '('}${lower[0]}, ${upper[0]}${upper[1] ? ']' : ')'}`;
  }
  return '[MinKey, MaxKey]';
}

/** Reverses an interval for a descending key field: `[1, 5)` becomes `(5, 1]`. */
function reversed(interval: string): string {
  const m = /^([[(])(.*), (.*)([\])])$/.exec(interval);
  if (!m) return interval;
  return `${m[4] === ']' ? '[' : '('}${m[3]}, ${m[2]}${m[1] === '[' ? ']' : ')'}`;
}

/** `indexBounds` as mongod prints them: per key field, its intervals. */
export function indexBounds(index: IndexStore, ranges: KeyRange[] | undefined): Doc {
  const bounds: Doc = {};
  index.fields.forEach((field, i) => {
    const intervals = [...new Set((ranges ?? [{ prefix: [] }]).map((r) => intervalFor(r, i)))];
    const descending = (toNumber(index.keyPattern[field]) ?? 1) < 0;
    bounds[field] = descending ? intervals.map(reversed).reverse() : intervals;
  });
  return bounds;
}

function indexFields(index: IndexStore): Doc {
  const fields: Doc = {
    keyPattern: index.keyPattern,
    indexName: index.name,
    isMultiKey: index.multikey,
    multiKeyPaths: Object.fromEntries(index.fields.map((f) => [f, index.multikeyFields.has(f) ? [f] : []])),
  };
  Object.assign(fields, {
    isUnique: index.unique,
    isSparse: index.sparse,
    isPartial: index.isPartial,
    indexVersion: 2,
  });
  return fields;
}

function ixscanNode(
  scan: IndexScan,
  keysExamined: number,
  nReturned: number,
  dups?: { dupsTested?: number; dupsDropped?: number },
): StageNode {
  const firstDescending = (toNumber(scan.index.keyPattern[scan.index.fields[0]!]) ?? 1) < 0;
  const direction = Boolean(scan.backward) !== firstDescending ? 'backward' : 'forward';
  return node(
    'IXSCAN',
    nReturned,
    keysExamined + 1,
    { ...indexFields(scan.index), direction, indexBounds: indexBounds(scan.index, scan.ranges) },
    {
      keysExamined,
      seeks: Math.max(1, scan.ranges?.length ?? 1),
      dupsTested: dups?.dupsTested ?? 0,
      dupsDropped: dups?.dupsDropped ?? 0,
    },
  );
}

function filterField(filter: Doc): Doc {
  return Object.keys(filter).length ? { filter } : {};
}

/** The scan part of a read: COLLSCAN, FETCH over IXSCAN, or FETCH over OR over IXSCANs. */
function scanStages(selection: Selection, filter: Doc): StageNode {
  const { plan, stats, matched } = selection;
  if (plan.or) {
    const keys = stats.branchKeys ?? plan.or.map(() => 0);
    const scans = plan.or.map((scan, i) => ixscanNode(scan, keys[i] ?? 0, keys[i] ?? 0));
    const or = node(
      'OR',
      stats.docsExamined,
      stats.keysExamined + 1,
      {},
      {
        dupsTested: stats.dupsTested ?? 0,
        dupsDropped: stats.dupsDropped ?? 0,
      },
    );
    or.inputs = scans;
    return wrap(
      node('FETCH', matched, stats.docsExamined + 1, filterField(filter), {
        docsExamined: stats.docsExamined,
        alreadyHasObj: 0,
      }),
      or,
    );
  }
  if (!plan.index) {
    return node(
      'COLLSCAN',
      matched,
      stats.docsExamined + 1,
      { ...filterField(filter), direction: 'forward' },
      {
        docsExamined: stats.docsExamined,
      },
    );
  }
  const ix = ixscanNode(plan as IndexScan, stats.keysExamined, stats.docsExamined, stats);
  return wrap(
    node(
      'FETCH',
      matched,
      stats.docsExamined + 1,
      isExactScan(plan as IndexScan, filter) ? {} : filterField(filter),
      {
        docsExamined: stats.docsExamined,
        alreadyHasObj: 0,
      },
    ),
    ix,
  );
}

export interface ReadShape {
  filter: Doc;
  projection?: Doc;
}

/** The stage tree of a find-like read: scan, then SORT / SKIP / LIMIT / PROJECTION as they ran. */
export function readStages(selection: Selection, shape: ReadShape): StageNode {
  let top = scanStages(selection, shape.filter);
  const { skip, limit, matched } = selection;
  const returned = selection.selected.length;
  if (selection.inMemorySort) {
    const sorted = limit > 0 ? Math.min(matched, skip + limit) : matched;
    const fields: Doc = { sortPattern: selection.inMemorySort, memLimit: SORT_MEMORY_LIMIT };
    if (limit > 0) fields.limitAmount = skip + limit;
    fields.type = 'simple';
    top = wrap(node('SORT', sorted, matched + sorted + 1, fields, { usedDisk: false, spills: 0 }), top);
    if (skip > 0) top = wrap(node('SKIP', returned, sorted + 1, { skipAmount: skip }), top);
  } else {
    if (skip > 0) {
      top = wrap(node('SKIP', Math.max(0, matched - skip), matched + 1, { skipAmount: skip }), top);
    }
    if (limit > 0) top = wrap(node('LIMIT', returned, returned + 1, { limitAmount: limit }), top);
  }
  if (shape.projection && Object.keys(shape.projection).length) {
    top = wrap(node('PROJECTION_DEFAULT', returned, returned + 1, { transformBy: shape.projection }), top);
  }
  return top;
}

/** A count answered from index keys alone: COUNT_SCAN (one interval) or a covered IXSCAN. */
export function countScanStages(scan: IndexScan, keys: KeyCount): StageNode {
  const { keysExamined, counted } = keys;
  if (!isCountScan(scan)) return ixscanNode(scan, keysExamined, counted, keys);
  const range = scan.ranges?.[0] ?? { prefix: [] };
  const startKey: Doc = {};
  const endKey: Doc = {};
  let startKeyInclusive = true;
  let endKeyInclusive = true;
  scan.index.fields.forEach((field, i) => {
    if (i < range.prefix.length) {
      startKey[field] = range.prefix[i];
      endKey[field] = range.prefix[i];
    } else if (i === range.prefix.length && (range.lower || range.upper)) {
      startKey[field] = range.lower?.value ?? new MinKey();
      endKey[field] = range.upper?.value ?? new MaxKey();
      startKeyInclusive = range.lower?.inclusive ?? true;
      endKeyInclusive = range.upper?.inclusive ?? true;
    } else {
      startKey[field] = new MinKey();
      endKey[field] = new MaxKey();
    }
  });
  return node(
    'COUNT_SCAN',
    counted,
    keysExamined + 1,
    {
      ...indexFields(scan.index),
      indexBounds: { startKey, startKeyInclusive, endKey, endKeyInclusive },
    },
    { keysExamined, dupsTested: keys.dupsTested, dupsDropped: keys.dupsDropped },
  );
}

/** The count command's stage on top of its input: COUNT with the number counted and skipped. */
export function countStage(input: StageNode, n: number, skip: number): StageNode {
  return wrap(node('COUNT', 0, input.works + 1, {}, { nCounted: n, nSkipped: skip }), input);
}

/** A stage on top of another (UPDATE / DELETE over the read that found the documents). */
export function stageOver(input: StageNode, stage: string, nReturned: number, exec: Doc): StageNode {
  return wrap(node(stage, nReturned, input.works + 1, {}, exec), input);
}

/** A leaf stage without a scan (EOF for a missing collection, RECORD_STORE_FAST_COUNT). */
export function leafStage(stage: string, exec: Doc = {}): StageNode {
  return node(stage, 0, 1, {}, exec);
}
