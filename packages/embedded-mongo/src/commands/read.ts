/**
 * find / getMore / killCursors / count / distinct / aggregate / explain.
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
import { EngineError } from '../errors.js';
import { docArg, isPlainObject, numberArg, OK, stringArg, truthy } from '../values.js';
import type { Doc } from '../values.js';
import type { PlanChoice } from '../planner.js';
import type { CursorReply } from '../cursors.js';
import { collectionName, now, findCollection, letVariables } from './context.js';
import type { CommandContext, CommandHandler } from './context.js';
import { selectDocuments } from './select.js';
import { prepareInsert } from './select.js';
import type { Selection } from './select.js';

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

const UNSUPPORTED_FIND_OPTIONS = [
  'min',
  'max',
  'returnKey',
  'showRecordId',
  'tailable',
  'awaitData',
  'oplogReplay',
];

interface FindArgs {
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

function parseFind(ctx: CommandContext): FindArgs {
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

function runFind(ctx: CommandContext, args: FindArgs, withPosition = false): Selection {
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
  return cursorReply(
    ctx.engine.cursors.open(`${ctx.db}.${name}`, docs, {
      batchSize,
      singleBatch: args.singleBatch,
      noTimeout: truthy(ctx.cmd.noCursorTimeout),
    }),
  );
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
  return cursorReply(ctx.engine.cursors.getMore(id, `${ctx.db}.${name}`, batchSize));
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

const count: CommandHandler = (ctx) => {
  collectionName(ctx);
  const { cmd } = ctx;
  const collection = findCollection(ctx);
  const query = docArg(cmd, 'query') ?? {};
  const skip = nonNegative(cmd, 'skip') ?? 0;
  // A negative limit counts like its absolute value, as mongod does.
  const limit = Math.abs(numberArg(cmd, 'limit') ?? 0);
  if (!collection) return { n: 0, ok: OK };
  if (Object.keys(query).length === 0 && cmd.hint === undefined) {
    const total = Math.max(0, collection.size - skip);
    return { n: limit ? Math.min(limit, total) : total, ok: OK };
  }
  const selection = selectDocuments(collection, {
    now: now(ctx),
    filter: query,
    skip,
    limit,
    hint: cmd.hint,
    collation: cmd.collation,
  });
  return { n: selection.selected.length, ok: OK };
};

const distinct: CommandHandler = (ctx) => {
  collectionName(ctx);
  const { cmd } = ctx;
  const key = stringArg(cmd, 'key');
  if (key === undefined)
    throw new EngineError(40414, "BSON field 'distinct.key' is missing but a required field");
  const selection = selectDocuments(findCollection(ctx), {
    now: now(ctx),
    filter: docArg(cmd, 'query') ?? {},
    hint: cmd.hint,
    collation: cmd.collation,
  });
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

function aggregationSource(
  ctx: CommandContext,
  pipeline: Doc[],
  hint: unknown,
  variables: Doc | undefined,
  collation: unknown,
): { docs: Doc[]; rest: Doc[] } {
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
    return { docs: selection.selected.map((s) => s.doc), rest: pipeline.slice(1) };
  }
  const selection = selectDocuments(collection, { now: now(ctx), hint, variables });
  return { docs: selection.selected.map((s) => s.doc), rest: pipeline };
}

function writeStage(pipeline: Doc[]): { stage?: Doc; pipeline: Doc[] } {
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
  const { docs, rest } = aggregationSource(ctx, pipeline, cmd.hint, variables, cmd.collation);
  if (explain) {
    return {
      explainVersion: '1',
      stages: [{ $cursor: { queryPlanner: { namespace: `${ctx.db}` } } }, ...rest],
      ok: OK,
    };
  }
  const results = runPipeline(docs, rest, {
    now: now(ctx),
    variables,
    collation: cmd.collation,
    collection: (name) => [...(findCollection(ctx, name)?.docs.values() ?? [])],
  });
  const target = cmd.aggregate;
  const ns = typeof target === 'string' ? `${ctx.db}.${target}` : `${ctx.db}.$cmd.aggregate`;
  if (write) {
    if ('$out' in write) runOut(ctx, write.$out, results);
    else runMerge(ctx, write.$merge, results);
    return cursorReply(ctx.engine.cursors.open(ns, [], {}));
  }
  const batchSize = isPlainObject(cursorSpec) ? numberArg(cursorSpec, 'batchSize') : undefined;
  return cursorReply(ctx.engine.cursors.open(ns, results, { batchSize }));
};

// ---- explain ----

function describePlan(plan: PlanChoice): Doc {
  if (!plan.index) return { stage: 'COLLSCAN', direction: 'forward' };
  return {
    stage: 'FETCH',
    inputStage: {
      stage: 'IXSCAN',
      keyPattern: plan.index.keyPattern,
      indexName: plan.index.name,
      isMultiKey: plan.index.multikey,
      isUnique: plan.index.unique,
      isSparse: plan.index.sparse,
      isPartial: plan.index.isPartial,
      direction: 'forward',
    },
  };
}

const explain: CommandHandler = (ctx) => {
  const inner = docArg(ctx.cmd, 'explain');
  if (!inner) throw EngineError.of('FailedToParse', 'explain command requires a nested object');
  const innerName = Object.keys(inner)[0] ?? '';
  const innerCtx: CommandContext = { ...ctx, cmd: inner, name: innerName };
  const started = Date.now();
  let selection: Selection;
  let filter: Doc = {};
  switch (innerName) {
    case 'find': {
      const args = parseFind(innerCtx);
      filter = args.filter;
      selection = runFind(innerCtx, args);
      break;
    }
    case 'count':
      filter = docArg(inner, 'query') ?? {};
      selection = selectDocuments(findCollection(innerCtx), { now: now(innerCtx), filter, hint: inner.hint });
      break;
    case 'distinct':
      filter = docArg(inner, 'query') ?? {};
      selection = selectDocuments(findCollection(innerCtx), { now: now(innerCtx), filter, hint: inner.hint });
      break;
    case 'findAndModify':
      filter = docArg(inner, 'query') ?? {};
      selection = selectDocuments(findCollection(innerCtx), {
        now: now(innerCtx),
        filter,
        sort: docArg(inner, 'sort'),
        limit: 1,
        hint: inner.hint,
      });
      break;
    case 'update':
    case 'delete': {
      const statements = inner[innerName === 'update' ? 'updates' : 'deletes'];
      const first = Array.isArray(statements) && isPlainObject(statements[0]) ? statements[0] : {};
      filter = docArg(first, 'q') ?? {};
      selection = selectDocuments(findCollection(innerCtx), { now: now(innerCtx), filter, hint: first.hint });
      break;
    }
    case 'aggregate': {
      const pipeline = Array.isArray(inner.pipeline) ? (inner.pipeline as Doc[]) : [];
      const first = pipeline[0];
      filter = first && isPlainObject(first.$match) ? first.$match : {};
      selection = selectDocuments(findCollection(innerCtx), { now: now(innerCtx), filter, hint: inner.hint });
      break;
    }
    default:
      throw EngineError.of('CommandNotFound', `Explain failed due to unknown command: ${innerName}`);
  }
  const ns = `${ctx.db}.${String(inner[innerName])}`;
  const winningPlan = describePlan(selection.plan);
  return {
    explainVersion: '1',
    queryPlanner: {
      namespace: ns,
      indexFilterSet: false,
      parsedQuery: filter,
      winningPlan,
      rejectedPlans: [],
    },
    executionStats: {
      executionSuccess: true,
      nReturned: selection.selected.length,
      executionTimeMillis: Date.now() - started,
      totalKeysExamined: selection.stats.keysExamined,
      totalDocsExamined: selection.stats.docsExamined,
      executionStages: {
        ...winningPlan,
        nReturned: selection.selected.length,
        docsExamined: selection.stats.docsExamined,
      },
    },
    command: { ...inner, $db: ctx.db },
    serverInfo: { host: ctx.engine.host(), port: 0, version: '7.0.0', gitVersion: 'embedded' },
    ok: OK,
  };
};

export const readCommands: Record<string, CommandHandler> = {
  find,
  getMore,
  killCursors,
  count,
  distinct,
  aggregate,
  explain,
};
