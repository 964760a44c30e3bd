/**
 * The embedded MongoDB-compatible engine: an in-process wire-protocol server that behaves like a
 * standalone mongod 7.0 for the official driver, mongoose and Agenda. For tests and the local
 * sandbox only; production uses real MongoDB.
 */
import { Engine, errorReply } from './engine.js';
import { startWireServer } from './wire/server.js';

export interface EmbeddedMongoOptions {
  /** 0 or undefined: a random free port. */
  port?: number;
  host?: string;
  /** How often TTL indexes are swept (mongod: 60 s). */
  ttlSweepIntervalMs?: number;
  /** Injectable clock (ms since epoch) for TTL, cursor timeouts, `$$NOW` and hello's localTime. */
  clock?: () => number;
}

export interface EmbeddedMongo {
  uri: string;
  port: number;
  /** The engine itself, for diagnostics in tests (e.g. open cursor counts). */
  engine: Engine;
  stop(): Promise<void>;
}

const DEFAULT_TTL_SWEEP_MS = 60_000;
const CURSOR_SWEEP_MS = 60_000;

export async function startEmbeddedMongo(options: EmbeddedMongoOptions = {}): Promise<EmbeddedMongo> {
  const engine = new Engine({ clock: options.clock });
  const server = await startWireServer({
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 0,
    handler: (request, connection) => engine.handleRequest(request, connection),
    errorReply,
    onConnectionOpened: () => engine.connectionOpened(),
    onConnectionClosed: () => engine.connectionClosed(),
  });
  const ttlTimer = setInterval(
    () => engine.sweepExpired(),
    options.ttlSweepIntervalMs ?? DEFAULT_TTL_SWEEP_MS,
  );
  const cursorTimer = setInterval(() => engine.sweepCursors(), CURSOR_SWEEP_MS);
  ttlTimer.unref();
  cursorTimer.unref();
  let stopped = false;
  return {
    uri: `mongodb://${server.host}:${server.port}/`,
    port: server.port,
    engine,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      clearInterval(ttlTimer);
      clearInterval(cursorTimer);
      await server.close();
      engine.state.cursors.closeAll();
    },
  };
}

export { Engine } from './engine.js';
