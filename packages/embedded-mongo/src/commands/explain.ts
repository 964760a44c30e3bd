/**
 * explain (find, count, distinct, aggregate, findAndModify, update, delete) and aggregate's legacy
 * `explain: true`. Each runs the same read path as the command it explains — never a write — and
 * reports the plan that path really took, with what it examined.
 */
import { performance } from 'node:perf_hooks';
import { runPipeline } from '../query/index.js';
import { EngineError } from '../errors.js';
import { docArg, isPlainObject, OK, truthy } from '../values.js';
import type { Doc } from '../values.js';
import { SERVER_VERSION } from './admin.js';
import { findCollection, letVariables, now } from './context.js';
import type { CommandContext, CommandHandler } from './context.js';
import { renderExecution, renderPlan, readStages, stageOver } from './plan-stages.js';
import type { StageNode } from './plan-stages.js';
import {
  aggregationSource,
  parseFind,
  pipelineContext,
  readCommands,
  runCount,
  runDistinct,
  runFind,
  writeStage,
} from './read.js';
import { selectDocuments } from './select.js';

const VERBOSITIES = new Set(['queryPlanner', 'executionStats', 'allPlansExecution']);

/** What one explained operation ran: its stage tree and totals. */
interface Explained {
  filter: Doc;
  stages: StageNode;
  nReturned: number;
  keysExamined: number;
  docsExamined: number;
}

function queryPlanner(ns: string, explained: Explained): Doc {
  return {
    namespace: ns,
    indexFilterSet: false,
    parsedQuery: explained.filter,
    queryFramework: 'classic',
    maxIndexedOrSolutionsReached: false,
    maxIndexedAndSolutionsReached: false,
    maxScansToExplodeReached: false,
    winningPlan: renderPlan(explained.stages),
    rejectedPlans: [],
  };
}

function executionStats(explained: Explained, millis: number, verbosity: string): Doc {
  const stats: Doc = {
    executionSuccess: true,
    nReturned: explained.nReturned,
    executionTimeMillis: Math.floor(millis),
    totalKeysExamined: explained.keysExamined,
    totalDocsExamined: explained.docsExamined,
    executionStages: renderExecution(explained.stages),
  };
  if (verbosity === 'allPlansExecution') stats.allPlansExecution = [];
  return stats;
}

function serverInfo(ctx: CommandContext): Doc {
  return { host: ctx.engine.host(), port: 0, version: SERVER_VERSION, gitVersion: 'embedded' };
}

function namespaceOf(ctx: CommandContext): string {
  const target = ctx.cmd[ctx.name];
  return `${ctx.db}.${typeof target === 'string' ? target : '$cmd.aggregate'}`;
}

function reply(ctx: CommandContext, explained: Explained, verbosity: string, started: number): Doc {
  const out: Doc = { explainVersion: '1', queryPlanner: queryPlanner(namespaceOf(ctx), explained) };
  if (verbosity !== 'queryPlanner') {
    out.executionStats = executionStats(explained, performance.now() - started, verbosity);
  }
  out.command = { ...ctx.cmd, $db: ctx.db };
  out.serverInfo = serverInfo(ctx);
  out.ok = OK;
  return out;
}

function explainFind(ctx: CommandContext): Explained {
  const args = parseFind(ctx);
  const selection = runFind(ctx, args);
  return {
    filter: args.filter,
    stages: readStages(selection, { filter: args.filter, projection: args.projection }),
    nReturned: selection.selected.length,
    keysExamined: selection.stats.keysExamined,
    docsExamined: selection.stats.docsExamined,
  };
}

function explainCount(ctx: CommandContext): Explained {
  const outcome = runCount(ctx);
  return {
    filter: docArg(ctx.cmd, 'query') ?? {},
    stages: outcome.stages,
    nReturned: 0,
    keysExamined: outcome.keysExamined,
    docsExamined: outcome.docsExamined,
  };
}

function explainDistinct(ctx: CommandContext): Explained {
  const selection = runDistinct(ctx);
  const filter = docArg(ctx.cmd, 'query') ?? {};
  return {
    filter,
    stages: readStages(selection, { filter }),
    nReturned: selection.selected.length,
    keysExamined: selection.stats.keysExamined,
    docsExamined: selection.stats.docsExamined,
  };
}

/** The read a write would do, under its UPDATE / DELETE stage; nothing is written. */
function explainWrite(
  ctx: CommandContext,
  kind: 'UPDATE' | 'DELETE',
  statement: {
    filter: Doc;
    sort?: Doc;
    limit: number;
    hint: unknown;
    variables?: Doc;
    collation: unknown;
    upsert: boolean;
  },
): Explained {
  const selection = selectDocuments(findCollection(ctx), {
    now: now(ctx),
    filter: statement.filter,
    sort: statement.sort,
    limit: statement.limit,
    hint: statement.hint,
    variables: statement.variables,
    collation: statement.collation,
  });
  const matched = selection.selected.length;
  const exec =
    kind === 'UPDATE'
      ? { nMatched: matched, nWouldUpsert: statement.upsert && matched === 0 ? 1 : 0 }
      : { nWouldDelete: matched };
  // A single-document write stops by itself: mongod shows no LIMIT stage under it.
  let read = readStages(selection, { filter: statement.filter });
  if (read.stage === 'LIMIT') read = read.inputs[0]!;
  return {
    filter: statement.filter,
    stages: stageOver(read, kind, 0, exec),
    nReturned: 0,
    keysExamined: selection.stats.keysExamined,
    docsExamined: selection.stats.docsExamined,
  };
}

function explainFindAndModify(ctx: CommandContext): Explained {
  const { cmd } = ctx;
  return explainWrite(ctx, truthy(cmd.remove) ? 'DELETE' : 'UPDATE', {
    filter: docArg(cmd, 'query') ?? {},
    sort: docArg(cmd, 'sort'),
    limit: 1,
    hint: cmd.hint,
    variables: letVariables(ctx, cmd.let),
    collation: cmd.collation,
    upsert: truthy(cmd.upsert),
  });
}

function explainStatement(ctx: CommandContext, kind: 'UPDATE' | 'DELETE'): Explained {
  const statements = ctx.cmd[kind === 'UPDATE' ? 'updates' : 'deletes'];
  const first = Array.isArray(statements) && isPlainObject(statements[0]) ? statements[0] : {};
  const variables = letVariables(ctx, ctx.cmd.let);
  const constants = docArg(first, 'c');
  return explainWrite(ctx, kind, {
    filter: docArg(first, 'q') ?? {},
    limit: kind === 'UPDATE' ? (truthy(first.multi) ? 0 : 1) : Number(first.limit ?? 0),
    hint: first.hint,
    variables: constants || variables ? { ...variables, ...constants } : undefined,
    collation: first.collation,
    upsert: truthy(first.upsert),
  });
}

/**
 * An aggregate's explain: find-shaped when the query part answers the whole pipeline, else
 * `stages` with the `$cursor` (query) stage first; with execution stats, each later stage is run
 * to report how many documents it returned. A final `$out` / `$merge` is listed, not run.
 */
export function explainAggregate(ctx: CommandContext, verbosity: string): Doc {
  const pipelineValue = ctx.cmd.pipeline;
  if (!Array.isArray(pipelineValue) || !pipelineValue.every(isPlainObject)) {
    throw EngineError.of('TypeMismatch', "'pipeline' option must be specified as an array");
  }
  const started = performance.now();
  const variables = letVariables(ctx, ctx.cmd.let);
  const { stage: write, pipeline } = writeStage(pipelineValue as Doc[]);
  const source = aggregationSource(ctx, pipeline, ctx.cmd.hint, variables, ctx.cmd.collation);
  const withStats = verbosity !== 'queryPlanner';
  const { query } = source;
  if (!query) {
    return { explainVersion: '1', stages: pipelineValue, serverInfo: serverInfo(ctx), ok: OK };
  }
  const explained: Explained = {
    filter: query.filter,
    stages: query.stages,
    nReturned: query.nReturned,
    keysExamined: query.keysExamined,
    docsExamined: query.docsExamined,
  };
  if (source.rest.length === 0 && !write && pipeline.length <= 1) {
    return reply(ctx, explained, verbosity, started);
  }
  const cursor: Doc = { queryPlanner: queryPlanner(namespaceOf(ctx), explained) };
  if (withStats) cursor.executionStats = executionStats(explained, performance.now() - started, verbosity);
  const stages: Doc[] = [
    withStats
      ? { $cursor: cursor, nReturned: query.nReturned, executionTimeMillisEstimate: 0 }
      : { $cursor: cursor },
  ];
  for (const { stage, nReturned } of source.answered ?? []) {
    stages.push(withStats ? { ...stage, nReturned, executionTimeMillisEstimate: 0 } : stage);
  }
  let docs = source.docs;
  for (const stage of source.rest) {
    if (!withStats) {
      stages.push(stage);
      continue;
    }
    docs = runPipeline(docs, [stage], pipelineContext(ctx, variables));
    stages.push({ ...stage, nReturned: docs.length, executionTimeMillisEstimate: 0 });
  }
  if (write) stages.push(write);
  return {
    explainVersion: '1',
    stages,
    command: { ...ctx.cmd, $db: ctx.db },
    serverInfo: serverInfo(ctx),
    ok: OK,
  };
}

const explain: CommandHandler = (ctx) => {
  const inner = docArg(ctx.cmd, 'explain');
  if (!inner) throw EngineError.of('FailedToParse', 'explain command requires a nested object');
  const verbosity = ctx.cmd.verbosity ?? 'allPlansExecution';
  if (typeof verbosity !== 'string' || !VERBOSITIES.has(verbosity)) {
    throw EngineError.of('BadValue', `verbosity string must be one of ${[...VERBOSITIES].join(', ')}`);
  }
  const innerName = Object.keys(inner)[0] ?? '';
  const innerCtx: CommandContext = { ...ctx, cmd: inner, name: innerName, op: undefined };
  const started = performance.now();
  let explained: Explained;
  switch (innerName) {
    case 'find':
      explained = explainFind(innerCtx);
      break;
    case 'count':
      explained = explainCount(innerCtx);
      break;
    case 'distinct':
      explained = explainDistinct(innerCtx);
      break;
    case 'findAndModify':
    case 'findandmodify':
      explained = explainFindAndModify(innerCtx);
      break;
    case 'update':
      explained = explainStatement(innerCtx, 'UPDATE');
      break;
    case 'delete':
      explained = explainStatement(innerCtx, 'DELETE');
      break;
    case 'aggregate':
      return explainAggregate(innerCtx, verbosity);
    default:
      throw EngineError.of('CommandNotFound', `Explain failed due to unknown command: ${innerName}`);
  }
  return reply(innerCtx, explained, verbosity, started);
};

/** `explain` itself, and aggregate's legacy `explain: true` (answered at queryPlanner verbosity). */
export const explainCommands: Record<string, CommandHandler> = {
  explain,
  aggregate: (ctx) =>
    truthy(ctx.cmd.explain) ? explainAggregate(ctx, 'queryPlanner') : readCommands.aggregate!(ctx),
};
