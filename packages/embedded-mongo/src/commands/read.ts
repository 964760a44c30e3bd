/**
 * find / getMore / killCursors / count / distinct / aggregate, and the read paths explain reuses.
 */
import { createHash } from 'node:crypto';
import { Binary, Long } from 'bson';
import {
  bsonTypeName,
  compareValues,
  compileProjection,
  makeCollator,
  pathValues,
  runPipeline,
} from '../query/index.js';
import type { PipelineContext } from '../query/index.js';
import { EngineError } from '../errors.js';
import { docArg, isPlainObject, numberArg, OK, stringArg, toNumber, truthy } from '../values.js';
import type { CollectionStore } from '../storage/collection-store.js';
import type { Doc } from '../values.js';
import { countKeys, exactCountPlan, resolveHint } from '../planner.js';
import type { CursorReply, CursorTrace, OpenCursorOptions } from '../cursors.js';
import { profiledCursorId } from '../profiler.js';
import { collectionName, now, findCollection, letVariables } from './context.js';
import type { CommandContext, CommandHandler } from './context.js';
import { selectDocuments } from './select.js';
import { prepareInsert } from './select.js';
import type { Selection } from './select.js';
import {
  countScanStages,
  countScanSummary,
  countStage,
  leafStage,
  planSummary,
  readStages,
} from './plan-stages.js';
import type { StageNode } from './plan-stages.js';

function nonNegative(cmd: Doc, field: string): number | undefined {
  const value = numberArg(cmd, field);
  if (value !== undefined && value < 0) {
    throw new EngineError(51024, `BSON field '${field}' value must be >= 0, actual value '${value}'`);
  }
  return value;
}

function cursorReply(cursor: CursorReply): Doc {
  return { cursor, ok: OK };
}

/** Notes a read's plan for the profiler; `counts` adds its examined keys and documents now. */
function noteRead(ctx: CommandContext, selection: Selection, counts: boolean): void {
  const { op } = ctx;
  if (!op) return;
  op.read = true;
  op.planSummary = planSummary(selection.plan);
  if (selection.inMemorySort) op.hasSortStage = true;
  if (counts) {
    op.keysExamined += selection.stats.keysExamined;
    op.docsExamined += selection.stats.docsExamined;
  }
}

/** For the profiler: what the scan examined up to each result (a blocking sort examined all before the first). */
function traceOf(ctx: CommandContext, selection: Selection): CursorTrace {
  const { stats, inMemorySort, selected } = selection;
  return {
    keysAt: inMemorySort ? undefined : selected.map((s) => s.keysExamined),
    docsAt: inMemorySort ? undefined : selected.map((s) => s.docsExamined),
    totalKeys: stats.keysExamined,
    totalDocs: stats.docsExamined,
    planSummary: planSummary(selection.plan),
    originatingCommand: { ...ctx.cmd, $db: ctx.db },
  };
}

/** Opens a cursor; with the profiler on, charges the first batch its share of the work. */
function openCursor(ctx: CommandContext, ns: string, docs: Doc[], options: OpenCursorOptions): Doc {
  const { op } = ctx;
  if (op) {
    op.read = true;
    options.onBatch = (charge) => {
      op.keysExamined += charge.keysExamined;
      op.docsExamined += charge.docsExamined;
    };
  }
  const reply = ctx.engine.cursors.open(ns, docs, options);
  if (op) {
    op.nreturned = reply.firstBatch?.length ?? 0;
    op.cursorid = profiledCursorId(reply.id);
    op.cursorExhausted = reply.id.isZero();
  }
  return cursorReply(reply);
}

const UNSUPPORTED_FIND_OPTIONS = [
  'min',
  'max',
  'returnKey',
  'showRecordId',
  'tailable',
  'awaitData',
  'oplogReplay',
];

export interface FindArgs {
  filter: Doc;
  sort?: Doc;
  projection?: Doc;
  skip?: number;
  limit?: number;
  batchSize?: number;
  singleBatch: boolean;
  hint?: unknown;
  variables?: Doc;
  collation?: unknown;
}

export function parseFind(ctx: CommandContext): FindArgs {
  const { cmd } = ctx;
  for (const option of UNSUPPORTED_FIND_OPTIONS) {
    if (truthy(cmd[option]) || (isPlainObject(cmd[option]) && Object.keys(cmd[option]).length > 0)) {
      throw EngineError.of(
        'NotImplemented',
        `find option '${option}' is not supported by the embedded MongoDB engine`,
      );
    }
  }
  return {
    filter: docArg(cmd, 'filter') ?? {},
    sort: docArg(cmd, 'sort'),
    projection: docArg(cmd, 'projection'),
    skip: nonNegative(cmd, 'skip'),
    limit: nonNegative(cmd, 'limit'),
    batchSize: nonNegative(cmd, 'batchSize'),
    singleBatch: truthy(cmd.singleBatch),
    hint: cmd.hint,
    variables: letVariables(ctx, cmd.let),
    collation: cmd.collation,
  };
}

export function runFind(ctx: CommandContext, args: FindArgs, withPosition = false): Selection {
  return selectDocuments(findCollection(ctx), {
    now: now(ctx),
    filter: args.filter,
    sort: args.sort,
    skip: args.skip,
    limit: args.limit,
    hint: args.hint,
    variables: args.variables,
    withPosition,
    collation: args.collation,
  });
}

const find: CommandHandler = (ctx) => {
  const name = collectionName(ctx);
  const args = parseFind(ctx);
  const project =
    args.projection && Object.keys(args.projection).length
      ? compileProjection(args.projection, {
          now: now(ctx),
          variables: args.variables,
          collation: args.collation,
        })
      : undefined;
  const selection = runFind(ctx, args, project?.requiresPosition ?? false);
  const docs = selection.selected.map(({ doc, arrayIndex }) => (project ? project(doc, arrayIndex) : doc));
  let batchSize = args.batchSize;
  if (args.limit && (batchSize === undefined || batchSize > args.limit)) batchSize = args.limit;
  noteRead(ctx, selection, false);
  return openCursor(ctx, `${ctx.db}.${name}`, docs, {
    batchSize,
    singleBatch: args.singleBatch,
    noTimeout: truthy(ctx.cmd.noCursorTimeout),
    trace: ctx.op ? traceOf(ctx, selection) : undefined,
  });
};

const getMore: CommandHandler = (ctx) => {
  const id = ctx.cmd.getMore;
  if (!(id instanceof Long)) {
    throw EngineError.of(
      'TypeMismatch',
      `BSON field 'getMore.getMore' is the wrong type '${bsonTypeName(id)}', expected type 'long'`,
    );
  }
  const name = stringArg(ctx.cmd, 'collection');
  if (!name) throw new EngineError(40414, "BSON field 'getMore.collection' is missing but a required field");
  const batchSize = nonNegative(ctx.cmd, 'batchSize');
  const { op } = ctx;
  const reply = ctx.engine.cursors.getMore(
    id,
    `${ctx.db}.${name}`,
    batchSize,
    op &&
      ((charge) => {
        op.read = true;
        op.keysExamined += charge.keysExamined;
        op.docsExamined += charge.docsExamined;
        op.planSummary = charge.planSummary;
        op.originatingCommand = charge.originatingCommand;
      }),
  );
  if (op) {
    op.nreturned = reply.nextBatch?.length ?? 0;
    op.cursorid = id;
    op.cursorExhausted = reply.id.isZero();
  }
  return cursorReply(reply);
};

const killCursors: CommandHandler = (ctx) => {
  collectionName(ctx);
  const ids = ctx.cmd.cursors;
  if (!Array.isArray(ids) || !ids.every((id) => id instanceof Long)) {
    throw EngineError.of('TypeMismatch', "BSON field 'killCursors.cursors' must be an array of longs");
  }
  const { killed, notFound } = ctx.engine.cursors.kill(ids as Long[]);
  return { cursorsKilled: killed, cursorsNotFound: notFound, cursorsAlive: [], cursorsUnknown: [], ok: OK };
};

/** A count as it ran: the number, the stages that produced it, and what they examined. */
export interface CountOutcome {
  n: number;
  stages: StageNode;
  keysExamined: number;
  docsExamined: number;
  planSummary: string;
}

/**
 * The count command: a fast count of the collection for an empty query; else, when an index's
 * bounds express the whole filter, a count of its keys (COUNT_SCAN, no document fetched); else
 * the documents the planner's scan matches.
 */
export function runCount(ctx: CommandContext): CountOutcome {
  collectionName(ctx);
  const { cmd } = ctx;
  const collection = findCollection(ctx);
  const query = docArg(cmd, 'query') ?? {};
  const skip = nonNegative(cmd, 'skip') ?? 0;
  // A negative limit counts like its absolute value, as mongod does.
  const limit = Math.abs(numberArg(cmd, 'limit') ?? 0);
  const bounded = (total: number): number => {
    const n = Math.max(0, total - skip);
    return limit ? Math.min(limit, n) : n;
  };
  if (!collection) {
    const stages = countStage(leafStage('EOF'), 0, 0);
    return { n: 0, stages, keysExamined: 0, docsExamined: 0, planSummary: 'EOF' };
  }
  if (Object.keys(query).length === 0 && cmd.hint === undefined) {
    const n = bounded(collection.size);
    const fast = leafStage('RECORD_STORE_FAST_COUNT', {
      nCounted: n,
      nSkipped: Math.min(skip, collection.size),
    });
    return { n, stages: fast, keysExamined: 0, docsExamined: 0, planSummary: 'RECORD_STORE_FAST_COUNT' };
  }
  const collated = makeCollator(cmd.collation) !== undefined;
  const scan = collated ? undefined : exactCountPlan(collection, query, resolveHint(collection, cmd.hint));
  if (scan) {
    const keys = countKeys(scan, limit ? skip + limit : Infinity);
    const n = bounded(keys.counted);
    return {
      n,
      stages: countStage(countScanStages(scan, keys), n, Math.min(skip, keys.counted)),
      keysExamined: keys.keysExamined,
      docsExamined: 0,
      planSummary: countScanSummary(scan),
    };
  }
  const selection = selectDocuments(collection, {
    now: now(ctx),
    filter: query,
    skip,
    limit,
    hint: cmd.hint,
    collation: cmd.collation,
  });
  const n = selection.selected.length;
  return {
    n,
    stages: countStage(readStages(selection, { filter: query }), n, Math.min(skip, selection.matched)),
    keysExamined: selection.stats.keysExamined,
    docsExamined: selection.stats.docsExamined,
    planSummary: planSummary(selection.plan),
  };
}

const count: CommandHandler = (ctx) => {
  const outcome = runCount(ctx);
  if (ctx.op) {
    Object.assign(ctx.op, {
      read: true,
      keysExamined: outcome.keysExamined,
      docsExamined: outcome.docsExamined,
      planSummary: outcome.planSummary,
    });
  }
  return { n: outcome.n, ok: OK };
};

/** The documents a distinct reads (the planner's scan of its query). */
export function runDistinct(ctx: CommandContext): Selection {
  collectionName(ctx);
  return selectDocuments(findCollection(ctx), {
    now: now(ctx),
    filter: docArg(ctx.cmd, 'query') ?? {},
    hint: ctx.cmd.hint,
    collation: ctx.cmd.collation,
  });
}

const distinct: CommandHandler = (ctx) => {
  collectionName(ctx);
  const { cmd } = ctx;
  const key = stringArg(cmd, 'key');
  if (key === undefined)
    throw new EngineError(40414, "BSON field 'distinct.key' is missing but a required field");
  const selection = runDistinct(ctx);
  noteRead(ctx, selection, true);
  const collator = makeCollator(cmd.collation);
  // Under a collation, strings that compare equal (e.g. "a" and "A" at strength 1) are one value.
  const compare = (a: unknown, b: unknown): number =>
    collator && typeof a === 'string' && typeof b === 'string' ? collator.compare(a, b) : compareValues(a, b);
  const all = selection.selected.flatMap(({ doc }) => pathValues(doc, key));
  all.sort(compare);
  const values: unknown[] = [];
  for (const v of all) if (values.length === 0 || compare(values[values.length - 1], v) !== 0) values.push(v);
  return { values, ok: OK };
};

// ---- aggregate ----

/** SHA-256 of the (empty) user name, as mongod records sessions of unauthenticated clients. */
const ANONYMOUS_UID = new Binary(createHash('sha256').update('').digest(), 0);

function localSessions(ctx: CommandContext): Doc[] {
  return [...ctx.engine.sessions.values()].map((s) => ({
    _id: { id: s.id, uid: ANONYMOUS_UID },
    lastUse: s.lastUse,
  }));
}

/** The query part of an aggregate (mongod's `$cursor` stage): its stages and what they examined. */
export interface QueryPart {
  stages: StageNode;
  keysExamined: number;
  docsExamined: number;
  planSummary: string;
  /** Documents the query part handed to the rest of the pipeline. */
  nReturned: number;
  hasSortStage?: boolean;
  /** The filter it ran (the leading `$match`, or `{}`). */
  filter: Doc;
}

export interface AggregationSource {
  docs: Doc[];
  /** The stages still to run on `docs`. */
  rest: Doc[];
  /** Absent for database-level sources ($documents, $listLocalSessions). */
  query?: QueryPart;
  /** Stages after the `$match` that the query part answered (a count's `$skip` / `$limit` / `$group`). */
  answered?: Array<{ stage: Doc; nReturned: number }>;
}

function isCountStep(stage: Doc | undefined): boolean {
  if (!stage || Object.keys(stage).length !== 1) return false;
  const skip = stage.$skip === undefined ? undefined : toNumber(stage.$skip);
  const limit = stage.$limit === undefined ? undefined : toNumber(stage.$limit);
  return (
    (skip !== undefined && Number.isSafeInteger(skip) && skip >= 0) ||
    (limit !== undefined && Number.isSafeInteger(limit) && limit > 0)
  );
}

interface CountShape {
  filter: Doc;
  steps: Doc[];
  /** Index of the `$group` stage in the pipeline. */
  group: number;
  id: unknown;
  field: string;
}

/**
 * The driver's countDocuments pipeline: `$match`, optional `$skip` / `$limit`, then
 * `{$group: {_id: <constant>, n: {$sum: 1}}}` — a count an index can answer from its keys.
 */
function countShape(pipeline: Doc[]): CountShape | undefined {
  const first = pipeline[0];
  if (!first || !isPlainObject(first.$match) || Object.keys(first).length !== 1) return undefined;
  let i = 1;
  while (i < pipeline.length && isCountStep(pipeline[i])) i++;
  const stage = pipeline[i];
  const group = stage?.$group;
  if (!isPlainObject(group) || Object.keys(stage!).length !== 1 || !('_id' in group)) return undefined;
  const fields = Object.entries(group).filter(([k]) => k !== '_id');
  const id = group._id;
  if (fields.length !== 1 || isPlainObject(id) || Array.isArray(id)) return undefined;
  if (typeof id === 'string' && id.startsWith('$')) return undefined;
  const [field, accumulator] = fields[0]!;
  if (!isPlainObject(accumulator) || Object.keys(accumulator).length !== 1) return undefined;
  if (toNumber(accumulator.$sum) !== 1) return undefined;
  return { filter: first.$match, steps: pipeline.slice(1, i), group: i, id, field };
}

/** Answers a countDocuments-shaped pipeline from index keys, when an index expresses its filter exactly. */
function countFromIndex(
  collection: CollectionStore,
  shape: CountShape,
  pipeline: Doc[],
  hint: unknown,
): AggregationSource | undefined {
  const scan = exactCountPlan(collection, shape.filter, resolveHint(collection, hint));
  if (!scan) return undefined;
  // The scan only needs the documents the $skip / $limit stages let through.
  let skipped = 0;
  let needed = Infinity;
  for (const step of shape.steps) {
    if (step.$skip !== undefined) skipped += toNumber(step.$skip)!;
    else needed = Math.min(needed, skipped + toNumber(step.$limit)!);
  }
  const keys = countKeys(scan, needed);
  let n = keys.counted;
  const answered: Array<{ stage: Doc; nReturned: number }> = [];
  for (const step of shape.steps) {
    if (step.$skip !== undefined) n = Math.max(0, n - toNumber(step.$skip)!);
    else n = Math.min(n, toNumber(step.$limit)!);
    answered.push({ stage: step, nReturned: n });
  }
  const docs = n > 0 ? [{ _id: shape.id, [shape.field]: n }] : [];
  answered.push({ stage: pipeline[shape.group]!, nReturned: docs.length });
  return {
    docs,
    answered,
    rest: pipeline.slice(shape.group + 1),
    query: {
      stages: countScanStages(scan, keys),
      keysExamined: keys.keysExamined,
      docsExamined: 0,
      planSummary: countScanSummary(scan),
      nReturned: keys.counted,
      filter: shape.filter,
    },
  };
}

function queryPart(selection: Selection, filter: Doc): QueryPart {
  return {
    stages: readStages(selection, { filter }),
    keysExamined: selection.stats.keysExamined,
    docsExamined: selection.stats.docsExamined,
    planSummary: planSummary(selection.plan),
    nReturned: selection.selected.length,
    hasSortStage: selection.inMemorySort !== undefined,
    filter,
  };
}

export function aggregationSource(
  ctx: CommandContext,
  pipeline: Doc[],
  hint: unknown,
  variables: Doc | undefined,
  collation: unknown,
): AggregationSource {
  const target = ctx.cmd.aggregate;
  if (target === 1 || (typeof target !== 'string' && truthy(target))) {
    const first = pipeline[0];
    if (first && Array.isArray(first.$documents)) {
      return { docs: first.$documents as Doc[], rest: pipeline.slice(1) };
    }
    if (first && isPlainObject(first.$listLocalSessions)) {
      return { docs: localSessions(ctx), rest: pipeline.slice(1) };
    }
    const stage = first ? Object.keys(first)[0] : undefined;
    throw EngineError.of(
      'NotImplemented',
      `database-level aggregate with ${stage ?? 'an empty pipeline'} is not supported by the embedded MongoDB engine (only $documents and $listLocalSessions)`,
    );
  }
  const collection = findCollection(ctx);
  const shape = countShape(pipeline);
  if (shape && collection && makeCollator(collation) === undefined) {
    const counted = countFromIndex(collection, shape, pipeline, hint);
    if (counted) return counted;
  }
  const first = pipeline[0];
  // A leading $match goes through the planner so it can use indexes; the rest runs in the pipeline engine.
  if (first && isPlainObject(first.$match)) {
    const selection = selectDocuments(collection, {
      now: now(ctx),
      filter: first.$match,
      hint,
      variables,
      collation,
    });
    return {
      docs: selection.selected.map((s) => s.doc),
      rest: pipeline.slice(1),
      query: queryPart(selection, first.$match),
    };
  }
  const selection = selectDocuments(collection, { now: now(ctx), hint, variables });
  return { docs: selection.selected.map((s) => s.doc), rest: pipeline, query: queryPart(selection, {}) };
}

export function writeStage(pipeline: Doc[]): { stage?: Doc; pipeline: Doc[] } {
  const last = pipeline[pipeline.length - 1];
  if (last && ('$out' in last || '$merge' in last)) return { stage: last, pipeline: pipeline.slice(0, -1) };
  return { pipeline };
}

function outTarget(ctx: CommandContext, spec: unknown): { db: string; coll: string } {
  if (typeof spec === 'string') return { db: ctx.db, coll: spec };
  if (isPlainObject(spec) && typeof spec.coll === 'string') {
    return { db: typeof spec.db === 'string' ? spec.db : ctx.db, coll: spec.coll };
  }
  if (isPlainObject(spec) && typeof spec.into === 'string') {
    return { db: ctx.db, coll: spec.into };
  }
  if (isPlainObject(spec) && isPlainObject(spec.into) && typeof spec.into.coll === 'string') {
    return { db: typeof spec.into.db === 'string' ? spec.into.db : ctx.db, coll: spec.into.coll };
  }
  throw EngineError.of('FailedToParse', 'invalid $out/$merge target');
}

function runOut(ctx: CommandContext, spec: unknown, results: Doc[]): void {
  const { db, coll } = outTarget(ctx, spec);
  const { catalog } = ctx.engine;
  const previous = catalog.get(db, coll);
  const indexSpecs = previous?.indexes.slice(1).map((ix) => ix.spec) ?? [];
  // Build the new contents aside first so a failure (e.g. duplicate _id) leaves the target untouched.
  const staging = `tmp.agg_out.${Date.now().toString(36)}${Math.random().toString(36).slice(2)}`;
  const temp = catalog.create(db, staging, previous?.options ?? {});
  try {
    for (const spec of indexSpecs) temp.addIndex(spec);
    for (const doc of results) temp.insert(prepareInsert(doc));
  } catch (err) {
    catalog.drop(db, staging);
    throw err;
  }
  catalog.rename(temp, db, coll);
}

function runMerge(ctx: CommandContext, spec: unknown, results: Doc[]): void {
  const { db, coll } = outTarget(ctx, spec);
  const options = isPlainObject(spec) ? spec : {};
  const on =
    options.on === undefined
      ? ['_id']
      : Array.isArray(options.on)
        ? (options.on as string[])
        : [options.on as string];
  const whenMatched = options.whenMatched ?? 'merge';
  const whenNotMatched = options.whenNotMatched ?? 'insert';
  if (typeof whenMatched !== 'string') {
    throw EngineError.of(
      'NotImplemented',
      '$merge with a whenMatched pipeline is not supported by the embedded MongoDB engine',
    );
  }
  const target = ctx.engine.catalog.getOrCreate(db, coll);
  for (const doc of results) {
    const filter: Doc = {};
    for (const field of on) {
      filter[field] =
        field.split('.').reduce<unknown>((v, p) => (isPlainObject(v) ? v[p] : undefined), doc) ?? null;
    }
    const match = selectDocuments(target, { now: now(ctx), filter, limit: 1 }).selected[0];
    if (!match) {
      if (whenNotMatched === 'insert') target.insert(prepareInsert(doc));
      else if (whenNotMatched === 'fail') {
        throw new EngineError(
          13113,
          '$merge could not find a matching document in the target collection for at least one document in the source collection',
        );
      }
      continue;
    }
    if (whenMatched === 'keepExisting') continue;
    // mongod implements "fail" as a plain insert, so the unique index on the `on` fields reports it.
    if (whenMatched === 'fail') {
      target.insert(prepareInsert(doc));
      continue;
    }
    const next =
      whenMatched === 'replace'
        ? { ...doc, _id: match.doc._id }
        : { ...match.doc, ...doc, _id: match.doc._id };
    target.replace(match.rid, prepareInsert(next));
  }
}

const aggregate: CommandHandler = (ctx) => {
  const { cmd } = ctx;
  const pipelineValue = cmd.pipeline;
  if (!Array.isArray(pipelineValue) || !pipelineValue.every(isPlainObject)) {
    throw EngineError.of('TypeMismatch', "'pipeline' option must be specified as an array");
  }
  const explain = truthy(cmd.explain);
  const cursorSpec = cmd.cursor;
  if (!explain && !isPlainObject(cursorSpec)) {
    throw EngineError.of(
      'FailedToParse',
      "The 'cursor' option is required, except for aggregate with the explain argument",
    );
  }
  if ((pipelineValue as Doc[]).some((stage) => '$changeStream' in stage)) {
    // What a standalone mongod answers: change streams need a replica set's oplog.
    throw new EngineError(40573, 'The $changeStream stage is only supported on replica sets');
  }
  const variables = letVariables(ctx, cmd.let);
  const { stage: write, pipeline } = writeStage(pipelineValue as Doc[]);
  const { docs, rest, query } = aggregationSource(ctx, pipeline, cmd.hint, variables, cmd.collation);
  // The pipeline runs to completion before the first batch, so the first batch carries all the work.
  let trace: CursorTrace | undefined;
  if (ctx.op && query) {
    ctx.op.planSummary = query.planSummary;
    if (query.hasSortStage || rest.some((stage) => '$sort' in stage)) ctx.op.hasSortStage = true;
    trace = {
      totalKeys: query.keysExamined,
      totalDocs: query.docsExamined,
      planSummary: query.planSummary,
      originatingCommand: { ...cmd, $db: ctx.db },
    };
  }
  const results = runPipeline(docs, rest, pipelineContext(ctx, variables));
  const target = cmd.aggregate;
  const ns = typeof target === 'string' ? `${ctx.db}.${target}` : `${ctx.db}.$cmd.aggregate`;
  if (write) {
    if ('$out' in write) runOut(ctx, write.$out, results);
    else runMerge(ctx, write.$merge, results);
    return openCursor(ctx, ns, [], { trace });
  }
  const batchSize = isPlainObject(cursorSpec) ? numberArg(cursorSpec, 'batchSize') : undefined;
  return openCursor(ctx, ns, results, { batchSize, trace });
};

export function pipelineContext(ctx: CommandContext, variables: Doc | undefined): PipelineContext {
  return {
    now: now(ctx),
    variables,
    collation: ctx.cmd.collation,
    collection: (name) => [...(findCollection(ctx, name)?.docs.values() ?? [])],
  };
}

export const readCommands: Record<string, CommandHandler> = {
  find,
  getMore,
  killCursors,
  count,
  distinct,
  aggregate,
};
