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
import type { ConnectionInfo } from './wire/server.js';
import { adminCommands, helloReply } from './commands/admin.js';
import { ddlCommands } from './commands/ddl.js';
import { readCommands } from './commands/read.js';
import { writeCommands } from './commands/write.js';
import type { CommandContext, CommandHandler, EngineState } from './commands/context.js';
import { sweepExpiredDocuments } from './ttl.js';

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
    };
    this.handlers = {
      ...adminCommands,
      ...ddlCommands,
      ...readCommands,
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

  handleRequest(request: ParsedRequest, connection: ConnectionInfo): Doc {
    if (request.kind === 'query')
      return this.handleOpQuery(request.query, request.fullCollectionName, connection);
    const body = normalizeDocument(request.body);
    for (const [name, docs] of request.sequences) {
      if (name in body) {
        return errorReply(
          EngineError.of('BadValue', `duplicate field '${name}' in body and document sequence`),
        );
      }
      body[name] = docs.map((doc) => normalizeDocument(doc));
    }
    return this.runCommand(body, connection);
  }

  /** Legacy OP_QUERY: only the handshake is still served this way by mongod 7.0. */
  private handleOpQuery(rawQuery: Doc, fullCollectionName: string, connection: ConnectionInfo): Doc {
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
    return helloReply({ engine: this.state, connection, cmd }, name !== 'hello');
  }

  private touchSession(lsid: unknown): void {
    if (!isPlainObject(lsid) || !(lsid.id instanceof Binary)) return;
    const key = Buffer.from(lsid.id.buffer).toString('hex');
    this.state.sessions.set(key, { id: lsid.id, lastUse: new Date(this.state.clock()) });
  }

  runCommand(body: Doc, connection: ConnectionInfo): Doc {
    try {
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
      const ctx: CommandContext = { engine: this.state, db, cmd, name, connection };
      return handler(ctx);
    } catch (err) {
      return errorReply(err);
    }
  }
}

/** mongod's error reply: `{ ok: 0, errmsg, code, codeName }` plus any extra fields. */
export function errorReply(err: unknown): Doc {
  if (err instanceof EngineError) {
    return { ok: new Double(0), errmsg: err.message, code: err.code, codeName: err.codeName, ...err.extra };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { ok: new Double(0), errmsg: message, code: 1, codeName: 'InternalError' };
}
