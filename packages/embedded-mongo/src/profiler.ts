/**
 * mongod's database profiler: per-database level (0 off, 1 slow operations, 2 all), the global
 * `slowms` / `sampleRate`, an optional filter, and `system.profile` entries with mongod's field
 * names. Level 0 everywhere (the default) costs one map lookup per command.
 */
import { calculateObjectSize } from 'bson';
import type { Long } from 'bson';
import { compileFilter, formatValue } from './query/index.js';
import type { CompiledFilter } from './query/index.js';
import type { Catalog } from './storage/catalog.js';
import type { CollectionStore } from './storage/collection-store.js';
import type { ConnectionInfo } from './wire/server.js';
import type { OperationMetrics } from './commands/context.js';
import { isPlainObject, toNumber } from './values.js';
import type { Doc } from './values.js';

export const PROFILE_COLLECTION = 'system.profile';
/** mongod creates system.profile as a 1 MiB capped collection. */
const PROFILE_CAPACITY_BYTES = 1024 * 1024;
/** Commands bigger than this are stored truncated, as mongod does. */
const MAX_COMMAND_BYTES = 50 * 1024;

interface DatabaseProfile {
  level: number;
  filter?: Doc;
  compiledFilter?: CompiledFilter;
}

export interface ProfileSettings {
  was: number;
  slowms: number;
  sampleRate: number;
  filter?: Doc;
}

/** What the engine knows about one finished command. */
export interface FinishedOperation {
  db: string;
  name: string;
  /** The command as received (generic arguments included). */
  body: Doc;
  reply: Doc;
  metrics: OperationMetrics;
  millis: number;
  now: Date;
  connection: ConnectionInfo;
}

const READ_COMMANDS = new Set(['find', 'aggregate', 'count', 'distinct', 'getMore']);

export class Profiler {
  private readonly databases = new Map<string, DatabaseProfile>();
  slowms = 100;
  sampleRate = 1;
  /** Bytes held per system.profile collection, to cap it like mongod's capped collection. */
  private readonly held = new WeakMap<CollectionStore, number>();

  /** Whether a command on this database should be traced (profiling on, and not a read of system.profile). */
  traces(db: string, name: string, cmd: Doc): boolean {
    if (this.databases.size === 0) return false;
    const level = this.databases.get(db)?.level ?? 0;
    if (level === 0 || name === 'profile') return false;
    const target = name === 'getMore' ? cmd.collection : cmd[name];
    return !(READ_COMMANDS.has(name) && target === PROFILE_COLLECTION);
  }

  levelOf(db: string): number {
    return this.databases.get(db)?.level ?? 0;
  }

  settings(db: string): ProfileSettings {
    const profile = this.databases.get(db);
    const settings: ProfileSettings = {
      was: profile?.level ?? 0,
      slowms: this.slowms,
      sampleRate: this.sampleRate,
    };
    if (profile?.filter) settings.filter = profile.filter;
    return settings;
  }

  /** Applies a `profile` command; returns the settings as they were. */
  configure(
    db: string,
    level: number,
    options: { slowms?: number; sampleRate?: number; filter?: unknown },
  ): ProfileSettings {
    const previous = this.settings(db);
    const current = this.databases.get(db) ?? { level: 0 };
    if (level >= 0) current.level = level;
    if (options.slowms !== undefined) this.slowms = options.slowms;
    if (options.sampleRate !== undefined) this.sampleRate = options.sampleRate;
    if (options.filter === 'unset') {
      current.filter = undefined;
      current.compiledFilter = undefined;
    } else if (isPlainObject(options.filter)) {
      current.compiledFilter = compileFilter(options.filter);
      current.filter = options.filter;
    }
    if (current.level === 0 && !current.filter) this.databases.delete(db);
    else this.databases.set(db, current);
    return previous;
  }

  /** Appends the operation's entries to `<db>.system.profile` when its level (or filter) says so. */
  record(catalog: Catalog, op: FinishedOperation): void {
    const profile = this.databases.get(op.db);
    if (!profile || profile.level === 0) return;
    const entries = buildEntries(op);
    for (const entry of entries) {
      if (profile.compiledFilter) {
        if (!profile.compiledFilter.matches(entry)) continue;
      } else if (profile.level === 1) {
        if (op.millis < this.slowms || Math.random() >= this.sampleRate) continue;
      }
      this.append(catalog, op.db, entry);
    }
  }

  private append(catalog: Catalog, db: string, entry: Doc): void {
    const collection =
      catalog.get(db, PROFILE_COLLECTION) ??
      createProfileCollection(catalog, db, { capped: true, size: PROFILE_CAPACITY_BYTES });
    const capacity = toNumber(collection.options.size) ?? PROFILE_CAPACITY_BYTES;
    let held = (this.held.get(collection) ?? 0) + calculateObjectSize(entry);
    collection.insert(entry);
    // Capped: the oldest entries make room for the newest.
    for (const [rid, doc] of collection.docs) {
      if (held <= capacity || collection.size <= 1) break;
      held -= calculateObjectSize(doc);
      collection.remove(rid);
    }
    this.held.set(collection, held);
  }
}

/**
 * Creates `system.profile` as mongod keeps it: capped (the `create` command may choose the size,
 * mongod's documented way to enlarge it), entries without `_id`, no index.
 */
export function createProfileCollection(catalog: Catalog, db: string, options: Doc): CollectionStore {
  const collection = catalog.create(db, PROFILE_COLLECTION, options);
  collection.indexes.length = 0;
  return collection;
}

function operationType(name: string): string {
  if (name === 'find') return 'query';
  if (name === 'getMore') return 'getmore';
  if (name === 'insert') return 'insert';
  return 'command';
}

function namespace(op: FinishedOperation): string {
  const target = op.name === 'getMore' ? op.body.collection : op.body[op.name];
  return `${op.db}.${typeof target === 'string' && target.length > 0 ? target : '$cmd'}`;
}

function truncated(command: Doc): Doc {
  if (calculateObjectSize(command) <= MAX_COMMAND_BYTES) return command;
  return { $truncated: formatValue(command).slice(0, 1024) };
}

function clientAddress(connection: ConnectionInfo): string {
  const i = connection.remoteAddress.lastIndexOf(':');
  return i > 0 ? connection.remoteAddress.slice(0, i) : connection.remoteAddress;
}

function readCounters(metrics: OperationMetrics, entry: Doc): void {
  if (!metrics.read) return;
  entry.keysExamined = metrics.keysExamined;
  entry.docsExamined = metrics.docsExamined;
}

function entryFor(
  op: FinishedOperation,
  type: string,
  command: Doc,
  metrics: OperationMetrics,
  millis: number,
): Doc {
  const entry: Doc = { op: type, ns: namespace(op), command: truncated(command) };
  if (metrics.originatingCommand) entry.originatingCommand = truncated(metrics.originatingCommand);
  if (metrics.cursorid !== undefined) entry.cursorid = metrics.cursorid;
  readCounters(metrics, entry);
  if (metrics.hasSortStage) entry.hasSortStage = true;
  if (metrics.cursorExhausted) entry.cursorExhausted = true;
  for (const field of ['nMatched', 'nModified', 'nUpserted', 'ninserted', 'ndeleted'] as const) {
    if (metrics[field] !== undefined) entry[field] = metrics[field];
  }
  entry.numYield = 0;
  if (metrics.nreturned !== undefined) entry.nreturned = metrics.nreturned;
  if (metrics.read) entry.queryFramework = 'classic';
  entry.locks = {};
  entry.flowControl = {};
  const ok = toNumber(op.reply.ok);
  if (ok !== 1) {
    entry.ok = 0;
    entry.errMsg = op.reply.errmsg;
    entry.errName = op.reply.codeName;
    entry.errCode = op.reply.code;
  }
  entry.responseLength = calculateObjectSize(op.reply);
  entry.protocol = 'op_msg';
  entry.millis = Math.floor(millis);
  if (metrics.planSummary) entry.planSummary = metrics.planSummary;
  entry.ts = op.now;
  entry.client = clientAddress(op.connection);
  if (op.connection.appName !== undefined) entry.appName = op.connection.appName;
  entry.allUsers = [];
  entry.user = '';
  return entry;
}

/** mongod's system.profile documents for one command: one per update / delete statement, else one. */
function buildEntries(op: FinishedOperation): Doc[] {
  const { metrics } = op;
  if (metrics.statements?.length) {
    return metrics.statements.map((s) => entryFor(op, s.op, s.command, s.metrics, s.millis));
  }
  return [entryFor(op, operationType(op.name), op.body, metrics, op.millis)];
}

/** A cursor id as the profiler stores it (mongod: a long). */
export function profiledCursorId(id: Long): Long | undefined {
  return id.isZero() ? undefined : id;
}
