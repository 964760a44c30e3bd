/**
 * What every command handler receives, and argument checks shared by several commands.
 */
import type { Catalog } from '../storage/catalog.js';
import { CollectionStore } from '../storage/collection-store.js';
import type { CursorManager } from '../cursors.js';
import type { FailPoints } from '../fail-points.js';
import type { Profiler } from '../profiler.js';
import type { ConnectionInfo } from '../wire/server.js';
import { EngineError } from '../errors.js';
import {
  assertSimpleCollation as assertSimpleCollationSpec,
  bsonTypeName,
  evaluateLetVariables,
  runPipeline,
} from '../query/index.js';
import { isPlainObject } from '../values.js';
import type { Doc } from '../values.js';

/** A logical session the server has seen (for `$listLocalSessions`). */
export interface SessionRecord {
  id: unknown;
  lastUse: Date;
}

export interface EngineState {
  catalog: Catalog;
  /** Sessions seen in commands' `lsid`, keyed by the id's hex form. */
  sessions: Map<string, SessionRecord>;
  cursors: CursorManager;
  clock: () => number;
  startedAt: number;
  host: () => string;
  connections: () => number;
  /** Test-only fail points (`configureFailPoint`). */
  failPoints: FailPoints;
  /** The database profiler (`profile` command, `system.profile`). */
  profiler: Profiler;
}

/**
 * What one operation did, in the profiler's terms (mongod's OpDebug). Present on the context only
 * while the profiler is on for the command's database, so handlers fill it with `ctx.op?.`.
 */
export interface OperationMetrics {
  /** Set once the operation read through the planner (keysExamined / docsExamined then apply). */
  read?: boolean;
  keysExamined: number;
  docsExamined: number;
  nreturned?: number;
  nMatched?: number;
  nModified?: number;
  nUpserted?: number;
  ninserted?: number;
  ndeleted?: number;
  planSummary?: string;
  hasSortStage?: boolean;
  cursorid?: unknown;
  cursorExhausted?: boolean;
  originatingCommand?: Doc;
  /** Update / delete statements, each profiled as its own operation as mongod does. */
  statements?: StatementMetrics[];
}

export interface StatementMetrics {
  op: 'update' | 'remove';
  command: Doc;
  metrics: OperationMetrics;
  millis: number;
}

export interface CommandContext {
  engine: EngineState;
  db: string;
  /** The command body: generic arguments stripped, document sequences merged in. */
  cmd: Doc;
  /** The command name as sent (first key). */
  name: string;
  connection: ConnectionInfo;
  /** The profiler's record of this operation, when profiling is on for `db`. */
  op?: OperationMetrics;
}

export type CommandHandler = (ctx: CommandContext) => Doc;

/** The collection name a command names in its first field (`{find: "users"}`). */
export function collectionName(ctx: CommandContext): string {
  const value = ctx.cmd[ctx.name];
  if (typeof value !== 'string') {
    throw EngineError.of('InvalidNamespace', `collection name has invalid type ${bsonTypeName(value)}`);
  }
  if (value.length === 0)
    throw EngineError.of('InvalidNamespace', `Invalid namespace specified '${ctx.db}.'`);
  return value;
}

/** Writes to a view or to `system.profile` fail as on mongod. */
export function assertUserWritable(ctx: CommandContext, name: string): void {
  ctx.engine.catalog.assertNotView(ctx.db, name);
  if (name === 'system.profile') {
    throw EngineError.of('InvalidNamespace', `cannot write to '${ctx.db}.${name}'`);
  }
}

/** mongod's limit on views defined on views. */
const MAX_VIEW_DEPTH = 20;

/**
 * The collection a read command names; for a view, a read-only stand-in holding the view's
 * documents (computed now from its source), so every read command works on views too.
 */
export function findCollection(
  ctx: CommandContext,
  name = collectionName(ctx),
  depth = 0,
): CollectionStore | undefined {
  const { catalog } = ctx.engine;
  const view = catalog.getView(ctx.db, name);
  if (!view) return catalog.get(ctx.db, name);
  if (depth >= MAX_VIEW_DEPTH) {
    throw EngineError.of(
      'ViewDepthLimitExceeded',
      `View depth too deep or view cycle detected; maximum depth is ${MAX_VIEW_DEPTH}`,
    );
  }
  const source = findCollection(ctx, view.viewOn, depth + 1);
  const docs = runPipeline([...(source?.docs.values() ?? [])], view.pipeline, {
    now: now(ctx),
    collection: (other) => [...(findCollection(ctx, other, depth + 1)?.docs.values() ?? [])],
  });
  return CollectionStore.ofViewResult(ctx.db, name, docs);
}

/** Index, collection-default and view collations must be simple (keys are stored in binary order). */
export function assertSimpleCollation(collation: unknown): void {
  if (collation !== undefined && collation !== null) assertSimpleCollationSpec(collation);
}

/** A command's `let` variables, evaluated once (each is an expression), or undefined when absent. */
export function letVariables(ctx: CommandContext, value: unknown): Doc | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isPlainObject(value)) {
    throw EngineError.of(
      'TypeMismatch',
      `BSON field 'let' is the wrong type '${bsonTypeName(value)}', expected type 'object'`,
    );
  }
  return evaluateLetVariables(value, { now: now(ctx) });
}

/** The command's notion of "now" (for $$NOW, $currentDate and TTL), from the engine clock. */
export function now(ctx: CommandContext): Date {
  return new Date(ctx.engine.clock());
}

export function documentArray(ctx: CommandContext, field: string): Doc[] {
  const value = ctx.cmd[field];
  if (!Array.isArray(value)) {
    throw new EngineError(40414, `BSON field '${ctx.name}.${field}' is missing but a required field`);
  }
  for (const item of value) {
    if (!isPlainObject(item)) {
      throw EngineError.of('TypeMismatch', `BSON field '${ctx.name}.${field}' must contain documents`);
    }
  }
  return value as Doc[];
}
