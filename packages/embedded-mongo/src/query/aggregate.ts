/**
 * Pure: runs aggregation pipelines. Leading $match stages use the engine's own matcher on the
 * engine documents; the rest runs in mingo on a plain-JS view (with the engine's BSON-exact
 * $match and $sort substituted) and the results are converted back.
 */
import { Aggregator } from 'mingo/aggregator';
import { Lazy } from 'mingo/lazy';
import type { Iterator } from 'mingo/lazy';
import * as pipelineOperators from 'mingo/operators/pipeline';
import type { Options } from 'mingo/types';
import { EngineError, ErrorCodes } from '../errors.js';
import { isPlainObject, normalizeValue } from './bson-values.js';
import type { EngineDocument } from './bson-values.js';
import { keyToString } from './index-keys.js';
import { makeCollator } from './collation.js';
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
import type { ExpressionContext } from './mingo-bridge.js';
import { sortDocuments } from './sort.js';

/** What a pipeline may use from its surroundings. */
export interface PipelineContext extends ExpressionContext {
  /** Documents of another collection of the same database, for $lookup / $unionWith / $graphLookup. */
  collection?(name: string): EngineDocument[];
  /** Collation for string comparisons in $match and $sort stages (and mingo's collation-aware operators). */
  collation?: unknown;
}

/** Stages mingo cannot run or that need a real server; refused with NotImplemented. */
const REFUSED_STAGES: Record<string, string> = {
  $geoNear: '$geoNear (geospatial queries)',
  $search: '$search (Atlas Search)',
  $searchMeta: '$searchMeta (Atlas Search)',
  $vectorSearch: '$vectorSearch (Atlas Vector Search)',
  $listSearchIndexes: '$listSearchIndexes (Atlas Search)',
  $changeStream: '$changeStream (change streams)',
  $changeStreamSplitLargeEvent: 'change streams',
  $collStats: '$collStats',
  $indexStats: '$indexStats',
  $planCacheStats: '$planCacheStats',
  $listSessions: '$listSessions',
  $listLocalSessions: '$listLocalSessions',
  $currentOp: '$currentOp',
  $listSampledQueries: '$listSampledQueries',
  $queryStats: '$queryStats',
  $shardedDataDistribution: '$shardedDataDistribution',
  $listCachedAndActiveUsers: '$listCachedAndActiveUsers',
};

const SERVER_STAGES = new Set(['$out', '$merge']);

/** Validates stage shapes and names; returns the stage names. */
function validatePipeline(pipeline: unknown[]): string[] {
  return pipeline.map((stage, i) => {
    if (!isPlainObject(stage))
      throw new EngineError(
        ErrorCodes.TypeMismatch,
        "Each element of the 'pipeline' array must be an object",
      );
    const names = Object.keys(stage);
    if (names.length !== 1) {
      throw new EngineError(40323, 'A pipeline stage specification object must contain exactly one field.');
    }
    const name = names[0]!;
    const refused = REFUSED_STAGES[name];
    if (refused) {
      throw new EngineError(
        ErrorCodes.NotImplemented,
        `The embedded MongoDB engine does not support ${refused}`,
      );
    }
    if (SERVER_STAGES.has(name)) {
      if (i !== pipeline.length - 1)
        throw new EngineError(40601, `${name} can only be the final stage in the pipeline`);
      throw new EngineError(
        ErrorCodes.InternalError,
        `${name} must be executed by the server, not the query module`,
      );
    }
    if (!Object.hasOwn(pipelineOperators, name)) {
      throw new EngineError(40324, `Unrecognized pipeline stage name: '${name}'`);
    }
    if (name === '$documents' && i !== 0) {
      throw new EngineError(ErrorCodes.BadValue, '$documents can only be the first stage in a pipeline');
    }
    return name;
  });
}

function containsExpr(v: unknown): boolean {
  if (Array.isArray(v)) return v.some(containsExpr);
  if (!isPlainObject(v)) return false;
  for (const [k, child] of Object.entries(v)) if (k === '$expr' || containsExpr(child)) return true;
  return false;
}

/** Pipeline operators the engine substitutes for mingo's, for exact BSON semantics. */
function engineStages(
  ctx: PipelineContext,
): Record<string, (coll: Iterator, expr: unknown, options: Options) => Iterator> {
  return {
    $match(coll, expr, options) {
      // $expr may read $lookup's `let` variables, which only mingo's own $match can see.
      if (containsExpr(expr)) return pipelineOperators.$match(coll, expr as never, options);
      const filter = compileFilter(expr as Record<string, unknown>, ctx);
      return coll.filter((doc: unknown) => filter.matches(doc));
    },
    $sort(coll, expr) {
      if (!isPlainObject(expr) || Object.keys(expr).length === 0) {
        throw new EngineError(15976, '$sort stage must have at least one sort key');
      }
      return coll.transform((docs: unknown[]) =>
        Lazy(sortDocuments(docs, expr, { collation: ctx.collation })),
      );
    },
  };
}

/**
 * Runs an aggregation pipeline over `docs` (engine documents, not modified) and returns engine
 * documents. `ctx.now` drives $$NOW; `ctx.variables` are evaluated `let` variables. Stages that
 * need a real server ($geoNear, $search, $changeStream, $collStats, ...) throw NotImplemented;
 * $out / $merge must be stripped and executed by the server.
 */
export function runPipeline(
  docs: readonly EngineDocument[],
  pipeline: unknown[],
  ctx: PipelineContext,
): EngineDocument[] {
  if (!Array.isArray(pipeline))
    throw new EngineError(ErrorCodes.TypeMismatch, "'pipeline' option must be specified as an array");
  makeCollator(ctx.collation);
  const stages = normalizeValue(pipeline) as Record<string, unknown>[];
  validatePipeline(stages);
  assertNoServerJavaScript(stages);

  let current: readonly EngineDocument[] = docs;
  let start = 0;
  while (start < stages.length && Object.keys(stages[start]!)[0] === '$match') {
    const filter = compileFilter(stages[start]!.$match as Record<string, unknown>, ctx);
    current = current.filter((doc) => filter.matches(doc));
    start++;
  }
  if (start === stages.length) return [...current];

  const rest = bindNow(toPlain(stages.slice(start)), ctx.now) as Record<string, unknown>[];
  const resolved = new Map<string, unknown[]>();
  const options: Partial<Options> = {
    ...mingoOptions(ctx, pipelineContext(engineStages(ctx) as never)),
    ...(isPlainObject(ctx.collation) && ctx.collation.locale !== 'simple'
      ? { collation: toPlain(ctx.collation) as Options['collation'] }
      : {}),
    collectionResolver: (name: string) => {
      let coll = resolved.get(name);
      if (!coll) {
        if (!ctx.collection)
          throw new EngineError(ErrorCodes.InternalError, `no collection resolver for '${name}'`);
        coll = ctx.collection(name).map(toPlain);
        resolved.set(name, coll);
      }
      return coll as Record<string, unknown>[];
    },
  };
  let output: unknown[];
  try {
    output = new Aggregator(rest, options).run(current.map(toPlain) as Record<string, unknown>[]);
  } catch (err) {
    throw asEngineError(err);
  }
  // Documents that keep their _id keep the BSON types of unchanged values (Decimal128, Long,
  // integral doubles), which mingo's plain-JS view cannot represent.
  const inputsById = new Map<string, EngineDocument>();
  for (const doc of current) if (doc._id !== undefined) inputsById.set(keyToString([doc._id]), doc);
  // mingo yields a hole for a document $redact prunes at the root; mongod simply drops it.
  return output.filter(isPlainObject).map((doc) => {
    const id = isPlainObject(doc) ? doc._id : undefined;
    const original = id === undefined ? undefined : inputsById.get(keyToString([fromPlain(id)]));
    const converted = fromPlain(doc, original) as EngineDocument;
    // mongod puts _id first in $project / $group / $bucketAuto output; mingo appends it.
    if (converted._id === undefined || Object.keys(converted)[0] === '_id') return converted;
    const { _id, ...rest } = converted;
    return { _id, ...rest };
  });
}
