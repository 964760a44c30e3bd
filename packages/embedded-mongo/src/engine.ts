/**
 * The command dispatcher: turns a parsed wire request into a command context, applies the generic
 * rules (transactions refused, generic arguments stripped, unknown commands) and formats errors
 * the way mongod does. Handlers are synchronous, so no two commands interleave.
 */
import { Binary, Double } from 'bson';
import { normalizeDocument } from './query/index.js';
import { Catalog } from './storage/catalog.js';
import { CursorManager } from './cursors.js';
import { EngineError } from './errors.js';
import { OK, isPlainObject } from './values.js';
import type { Doc } from './values.js';
import type { ParsedRequest } from './wire/protocol.js';
import { CLOSE_CONNECTION } from './wire/server.js';
import type { ConnectionInfo, HandlerReply } from './wire/server.js';
import { FailPoints } from './fail-points.js';
import { adminCommands, helloReply } from './commands/admin.js';
import { ddlCommands } from './commands/ddl.js';
import { readCommands } from './commands/read.js';
import { explainCommands } from './commands/explain.js';
import { writeCommands } from './commands/write.js';
import type { CommandContext, CommandHandler, EngineState } from './commands/context.js';
import { sweepExpiredDocuments } from './ttl.js';
import { Profiler } from './profiler.js';

/** Arguments every command may carry that the handlers do not need (mongod's generic arguments). */
const GENERIC_ARGUMENTS = [
  '$db',
  'lsid',
  '$clusterTime',
  'readConcern',
  'writeConcern',
  '$readPreference',
  'apiVersion',
  'apiStrict',
  'apiDeprecationErrors',
  'maxTimeMS',
  'comment',
  '$client',
  '$audit',
  'mayBypassWriteBlocking',
];

const TRANSACTION_ARGUMENTS = ['txnNumber', 'startTransaction', 'autocommit'];

/** logicalSessionTimeoutMinutes, after which an unused session is forgotten. */
const SESSION_TIMEOUT_MS = 30 * 60 * 1000;

const OP_QUERY_COMMANDS = new Set(['hello', 'isMaster', 'ismaster']);

export interface EngineOptions {
  clock?: () => number;
}

export class Engine {
  readonly state: EngineState;
  private readonly handlers: Record<string, CommandHandler>;
  private openConnections = 0;

  constructor(options: EngineOptions = {}) {
    const clock = options.clock ?? Date.now;
    this.state = {
      catalog: new Catalog(),
      sessions: new Map(),
      cursors: new CursorManager(clock),
      clock,
      startedAt: clock(),
      host: () => 'localhost',
      connections: () => this.openConnections,
      failPoints: new FailPoints(),
      profiler: new Profiler(),
    };
    this.handlers = {
      ...adminCommands,
      ...ddlCommands,
      ...readCommands,
      ...explainCommands,
      ...writeCommands,
      listCommands: () => ({
        commands: Object.fromEntries(Object.keys(this.handlers).map((name) => [name, { help: '' }])),
        ok: OK,
      }),
    };
  }

  connectionOpened(): void {
    this.openConnections++;
  }

  connectionClosed(): void {
    this.openConnections--;
  }

  /** Deletes documents past their TTL; returns how many. */
  sweepExpired(): number {
    return sweepExpiredDocuments(this.state.catalog, this.state.clock());
  }

  /** Closes cursors idle for longer than the timeout; returns how many. */
  sweepCursors(): number {
    const cutoff = this.state.clock() - SESSION_TIMEOUT_MS;
    for (const [key, session] of this.state.sessions) {
      if (session.lastUse.getTime() < cutoff) this.state.sessions.delete(key);
    }
    return this.state.cursors.sweep();
  }

  /** Answers one wire request, fail points included (they may delay the answer or close the connection). */
  handleRequest(request: ParsedRequest, connection: ConnectionInfo): HandlerReply | Promise<HandlerReply> {
    if (request.kind === 'query') {
      return this.handleOpQuery(request.query, request.fullCollectionName, connection);
    }
    const body = normalizeDocument(request.body);
    for (const [name, docs] of request.sequences) {
      if (name in body) {
        return errorReply(
          EngineError.of('BadValue', `duplicate field '${name}' in body and document sequence`),
        );
      }
      body[name] = docs.map((doc) => normalizeDocument(doc));
    }
    return this.runCommandWithFailPoints(body, connection);
  }

  /** Legacy OP_QUERY: only the handshake is still served this way by mongod 7.0. */
  private handleOpQuery(
    rawQuery: Doc,
    fullCollectionName: string,
    connection: ConnectionInfo,
  ): HandlerReply | Promise<HandlerReply> {
    const query = normalizeDocument(rawQuery);
    const cmd = isPlainObject(query.$query) ? query.$query : query;
    const name = Object.keys(cmd)[0] ?? '';
    if (!fullCollectionName.endsWith('.$cmd') || !OP_QUERY_COMMANDS.has(name)) {
      return errorReply(
        EngineError.of(
          'UnsupportedOpQueryCommand',
          `Unsupported OP_QUERY command: ${name}. The client driver may require an upgrade. For more details see https://dochub.mongodb.org/core/legacy-opcode-removal`,
        ),
      );
    }
    rememberAppName(cmd, connection);
    const ctx: CommandContext = { engine: this.state, db: 'admin', cmd, name, connection };
    return this.withFailPoints(ctx, () => helloReply(ctx, name !== 'hello'));
  }

  private touchSession(lsid: unknown): void {
    if (!isPlainObject(lsid) || !(lsid.id instanceof Binary)) return;
    const key = Buffer.from(lsid.id.buffer).toString('hex');
    this.state.sessions.set(key, { id: lsid.id, lastUse: new Date(this.state.clock()) });
  }

  /** Runs one command without fail points (for in-process callers). */
  runCommand(body: Doc, connection: ConnectionInfo): Doc {
    let prepared: { ctx: CommandContext; handler: CommandHandler };
    try {
      prepared = this.prepareCommand(body, connection);
    } catch (err) {
      return errorReply(err);
    }
    return this.execute(prepared.handler, prepared.ctx, body);
  }

  /** Runs a handler; when the profiler is on for its database, measures it and records it. */
  private execute(handler: CommandHandler, ctx: CommandContext, body: Doc): Doc {
    const { profiler } = this.state;
    if (!profiler.traces(ctx.db, ctx.name, ctx.cmd)) return runHandler(handler, ctx);
    ctx.op = { keysExamined: 0, docsExamined: 0 };
    const started = performance.now();
    const reply = runHandler(handler, ctx);
    const millis = performance.now() - started;
    profiler.record(this.state.catalog, {
      db: ctx.db,
      name: ctx.name,
      body,
      reply,
      metrics: ctx.op,
      millis,
      now: new Date(this.state.clock()),
      connection: ctx.connection,
    });
    return reply;
  }

  /**
   * Runs one command as mongod dispatches it: after the generic checks, the `failCommand` fail
   * point may delay it (without holding up other connections), close the connection, fail it, or
   * add a write concern error to its reply.
   */
  runCommandWithFailPoints(body: Doc, connection: ConnectionInfo): HandlerReply | Promise<HandlerReply> {
    let prepared: { ctx: CommandContext; handler: CommandHandler };
    try {
      prepared = this.prepareCommand(body, connection);
    } catch (err) {
      return errorReply(err);
    }
    const { ctx, handler } = prepared;
    if (ctx.name === 'hello' || ctx.name === 'isMaster' || ctx.name === 'ismaster') {
      rememberAppName(ctx.cmd, connection);
    }
    return this.withFailPoints(ctx, () => this.execute(handler, ctx, body));
  }

  private withFailPoints(ctx: CommandContext, run: () => Doc): HandlerReply | Promise<HandlerReply> {
    const { failPoints } = this.state;
    const namespace = commandNamespace(ctx);
    const runAndAmend = (): Doc => {
      const reply = run();
      if (reply.ok instanceof Double ? reply.ok.value !== 1 : reply.ok !== 1) return reply;
      const extra = failPoints.writeConcernErrorFields(ctx.name, ctx.cmd, namespace, ctx.connection);
      return extra ? { ...reply, ...extra } : reply;
    };
    const effect = failPoints.failCommandEffect(ctx.name, namespace, ctx.connection);
    if (!effect) return runAndAmend();
    const finish = (): HandlerReply => {
      if (effect.closeConnection) return CLOSE_CONNECTION;
      return effect.errorReply ?? runAndAmend();
    };
    if (effect.blockTimeMS <= 0) return finish();
    return new Promise((resolve) => setTimeout(() => resolve(finish()), effect.blockTimeMS));
  }

  /** The generic checks every command passes before its handler runs; throws mongod's errors. */
  private prepareCommand(
    body: Doc,
    connection: ConnectionInfo,
  ): { ctx: CommandContext; handler: CommandHandler } {
    const name = Object.keys(body)[0];
    if (name === undefined) throw EngineError.of('FailedToParse', 'empty command object');
    const db = body.$db;
    if (typeof db !== 'string') {
      throw new EngineError(40571, 'OP_MSG requests require a $db argument');
    }
    if (TRANSACTION_ARGUMENTS.some((arg) => arg in body)) {
      throw EngineError.of(
        'IllegalOperation',
        'Transaction numbers are only allowed on a replica set member or mongos',
      );
    }
    this.touchSession(body.lsid);
    const cmd: Doc = {};
    for (const [key, value] of Object.entries(body)) {
      if (!GENERIC_ARGUMENTS.includes(key)) cmd[key] = value;
    }
    const handler = Object.hasOwn(this.handlers, name) ? this.handlers[name] : undefined;
    if (!handler) throw EngineError.of('CommandNotFound', `no such command: '${name}'`);
    return { ctx: { engine: this.state, db, cmd, name, connection }, handler };
  }
}

function runHandler(handler: CommandHandler, ctx: CommandContext): Doc {
  try {
    return handler(ctx);
  } catch (err) {
    return errorReply(err);
  }
}

/** The namespace `failCommand`'s `namespace` filter compares with: `db.collection`, or `db.$cmd`. */
function commandNamespace(ctx: CommandContext): string {
  const target = ctx.cmd[ctx.name];
  return `${ctx.db}.${typeof target === 'string' && target.length > 0 ? target : '$cmd'}`;
}

/** The handshake's `client.application.name`, which `failCommand`'s `appName` filter matches. */
function rememberAppName(cmd: Doc, connection: ConnectionInfo): void {
  if (connection.appName !== undefined || !isPlainObject(cmd.client)) return;
  const application = cmd.client.application;
  if (isPlainObject(application) && typeof application.name === 'string')
    connection.appName = application.name;
}

/** mongod's error reply: `{ ok: 0, errmsg, code, codeName }` plus any extra fields. */
export function errorReply(err: unknown): Doc {
  if (err instanceof EngineError) {
    return { ok: new Double(0), errmsg: err.message, code: err.code, codeName: err.codeName, ...err.extra };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { ok: new Double(0), errmsg: message, code: 1, codeName: 'InternalError' };
}
