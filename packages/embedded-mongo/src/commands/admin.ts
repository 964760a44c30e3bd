/**
 * Handshake and server-information commands, answered the way a standalone mongod 7.0 answers them.
 */
import os from 'node:os';
import { Binary, Double, Int32, Long, UUID } from 'bson';
import { EngineError } from '../errors.js';
import { MAX_BSON_SIZE, MAX_MESSAGE_SIZE } from '../wire/protocol.js';
import { isPlainObject, OK, toNumber, truthy } from '../values.js';
import type { Doc } from '../values.js';
import type { CommandContext, CommandHandler } from './context.js';

export const SERVER_VERSION = '7.0.0';
export const MAX_WIRE_VERSION = 21;

/** The hello reply; `legacy` selects the old `ismaster` field name. */
export function helloReply(ctx: Pick<CommandContext, 'engine' | 'connection' | 'cmd'>, legacy: boolean): Doc {
  const reply: Doc = {};
  if (truthy(ctx.cmd.helloOk)) reply.helloOk = true;
  if (legacy) reply.ismaster = true;
  else reply.isWritablePrimary = true;
  Object.assign(reply, {
    maxBsonObjectSize: MAX_BSON_SIZE,
    maxMessageSizeBytes: MAX_MESSAGE_SIZE,
    maxWriteBatchSize: 100000,
    localTime: new Date(ctx.engine.clock()),
    logicalSessionTimeoutMinutes: 30,
    connectionId: ctx.connection.connectionId,
    minWireVersion: 0,
    maxWireVersion: MAX_WIRE_VERSION,
    readOnly: false,
    ok: OK,
  });
  return reply;
}

const buildInfo: CommandHandler = () => ({
  version: SERVER_VERSION,
  gitVersion: 'embedded',
  modules: [],
  allocator: 'system',
  javascriptEngine: 'none',
  sysInfo: 'deprecated',
  versionArray: [new Int32(7), new Int32(0), new Int32(0), new Int32(0)],
  openssl: { running: 'disabled', compiled: 'disabled' },
  buildEnvironment: {},
  bits: 64,
  debug: false,
  maxBsonObjectSize: MAX_BSON_SIZE,
  storageEngines: ['embedded'],
  ok: OK,
});

const getParameter: CommandHandler = (ctx) => {
  const known: Doc = {
    featureCompatibilityVersion: { version: '7.0' },
    authenticationMechanisms: [],
    logLevel: 0,
    quiet: false,
    transactionLifetimeLimitSeconds: 60,
    ttlMonitorEnabled: true,
  };
  const requested = ctx.cmd.getParameter;
  if (
    requested === '*' ||
    (typeof requested === 'object' && requested !== null && 'allParameters' in requested)
  ) {
    return { ...known, ok: OK };
  }
  const reply: Doc = {};
  for (const key of Object.keys(ctx.cmd)) {
    if (key === 'getParameter') continue;
    if (!(key in known)) throw EngineError.of('InvalidOptions', `no option found to get`);
    reply[key] = known[key];
  }
  reply.ok = OK;
  return reply;
};

const serverStatus: CommandHandler = (ctx) => {
  const now = ctx.engine.clock();
  return {
    host: ctx.engine.host(),
    version: SERVER_VERSION,
    process: 'mongod',
    pid: Long.fromNumber(process.pid),
    uptime: Math.floor((now - ctx.engine.startedAt) / 1000),
    uptimeMillis: Long.fromNumber(now - ctx.engine.startedAt),
    localTime: new Date(now),
    connections: {
      current: ctx.engine.connections(),
      available: 1000,
      totalCreated: ctx.connection.connectionId,
    },
    storageEngine: { name: 'embedded', supportsCommittedReads: false, persistent: false },
    // Drivers and tests read open cursors here (a leak check); mongod reports them as int64.
    metrics: {
      cursor: {
        open: { total: Long.fromNumber(ctx.engine.cursors.openCount), noTimeout: Long.fromNumber(0) },
      },
    },
    ok: OK,
  };
};

const hostInfo: CommandHandler = (ctx) => ({
  system: {
    currentTime: new Date(ctx.engine.clock()),
    hostname: os.hostname(),
    cpuAddrSize: 64,
    memSizeMB: Long.fromNumber(Math.round(os.totalmem() / (1024 * 1024))),
    numCores: os.cpus().length,
    cpuArch: os.arch(),
    numaEnabled: false,
  },
  os: { type: os.type(), name: os.platform(), version: os.release() },
  extra: {},
  ok: OK,
});

const ok: CommandHandler = () => ({ ok: OK });

/** Test command (mongod with test commands enabled, as drivers' CI runs it); admin database only. */
const configureFailPoint: CommandHandler = (ctx) => {
  if (ctx.db !== 'admin') {
    throw EngineError.of('Unauthorized', 'configureFailPoint may only be run against the admin database.');
  }
  const count = ctx.engine.failPoints.configure(ctx.cmd);
  return { count: Number.isSafeInteger(count) && count < 2 ** 31 ? count : Long.fromNumber(count), ok: OK };
};

/**
 * The database profiler's switch: `{profile: 0|1|2, slowms?, sampleRate?, filter?}` sets this
 * database's level (slowms and sampleRate are server-wide), `{profile: -1}` only reads; the reply
 * carries the settings as they were.
 */
const profile: CommandHandler = (ctx) => {
  const level = toNumber(ctx.cmd.profile);
  if (level === undefined || ![-1, 0, 1, 2].includes(level)) {
    throw EngineError.of('BadValue', 'Invalid profiling level');
  }
  const slowms = ctx.cmd.slowms === undefined ? undefined : toNumber(ctx.cmd.slowms);
  const sampleRate = ctx.cmd.sampleRate === undefined ? undefined : toNumber(ctx.cmd.sampleRate);
  if (sampleRate !== undefined && !(sampleRate >= 0 && sampleRate <= 1)) {
    throw EngineError.of('BadValue', "'sampleRate' must be between 0.0 and 1.0 inclusive");
  }
  const { filter } = ctx.cmd;
  if (filter !== undefined && filter !== 'unset' && !isPlainObject(filter)) {
    throw EngineError.of('BadValue', "'filter' must be an object or the string 'unset'");
  }
  const was =
    level === -1 && slowms === undefined && sampleRate === undefined && filter === undefined
      ? ctx.engine.profiler.settings(ctx.db)
      : ctx.engine.profiler.configure(ctx.db, level, { slowms, sampleRate, filter });
  const reply: Doc = { was: was.was, slowms: was.slowms, sampleRate: new Double(was.sampleRate) };
  if (was.filter) {
    reply.filter = was.filter;
    reply.note =
      'When a filter expression is set, slowms and sampleRate are not used for profiling and slow-query log lines.';
  }
  reply.ok = OK;
  return reply;
};

export const adminCommands: Record<string, CommandHandler> = {
  hello: (ctx) => helloReply(ctx, false),
  isMaster: (ctx) => helloReply(ctx, true),
  ismaster: (ctx) => helloReply(ctx, true),
  ping: ok,
  buildInfo,
  buildinfo: buildInfo,
  getParameter,
  serverStatus,
  hostInfo,
  connectionStatus: () => ({ authInfo: { authenticatedUsers: [], authenticatedUserRoles: [] }, ok: OK }),
  whatsmyuri: (ctx) => ({ you: ctx.connection.remoteAddress, ok: OK }),
  getLog: () => ({ totalLinesWritten: 0, log: [], ok: OK }),
  getCmdLineOpts: () => ({ argv: ['mongod'], parsed: {}, ok: OK }),
  getFreeMonitoringStatus: () => ({ state: 'disabled', ok: OK }),
  endSessions: (ctx) => {
    const ids = Array.isArray(ctx.cmd.endSessions) ? ctx.cmd.endSessions : [];
    for (const item of ids) {
      if (isPlainObject(item) && item.id instanceof Binary) {
        ctx.engine.sessions.delete(Buffer.from(item.id.buffer).toString('hex'));
      }
    }
    return { ok: OK };
  },
  killSessions: ok,
  killAllSessions: ok,
  killAllSessionsByPattern: ok,
  refreshSessions: ok,
  startSession: (ctx) => ({
    id: { id: new UUID() },
    timeoutMinutes: 30,
    localTime: new Date(ctx.engine.clock()),
    ok: OK,
  }),
  logout: ok,
  configureFailPoint,
  profile,
};
