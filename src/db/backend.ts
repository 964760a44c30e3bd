/**
 * Chooses the MongoDB the application (or a test) talks to: MONGODB_URI when set, else a real mongod
 * run by mongodb-memory-server when a binary is at hand (or can be fetched), else — only where
 * allowed — the embedded engine. Production never falls back to the embedded engine.
 */
import { accessSync, constants, mkdirSync } from 'node:fs';
import path from 'node:path';
import type * as EmbeddedMongo from '@custodian/embedded-mongo';

export type MongoBackendKind = 'external' | 'memory-server' | 'embedded';

export interface MongoBackend {
  kind: MongoBackendKind;
  uri: string;
  stop(): Promise<void>;
}

export interface BackendLogger {
  info(obj: object, msg: string): void;
}

export interface ResolveMongoBackendOptions {
  uri?: string;
  allowEmbedded: boolean;
  /** Keep mongodb-memory-server's data here (survives restarts). */
  persistDir?: string;
  logger?: BackendLogger;
  /** Whether mongodb-memory-server may download a mongod (after a quick reachability check). Default true. */
  allowDownload?: boolean;
  /** Bound on the reachability check of the download mirror. */
  reachabilityTimeoutMs?: number;
}

const DEFAULT_MIRROR = 'https://fastdl.mongodb.org';

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** A mongod binary given explicitly or found on PATH. */
function findSystemMongod(): string | undefined {
  const explicit = process.env.MONGOMS_SYSTEM_BINARY;
  if (explicit && isExecutable(explicit)) return explicit;
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, process.platform === 'win32' ? 'mongod.exe' : 'mongod');
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

async function mirrorReachable(timeoutMs: number): Promise<boolean> {
  const mirror = process.env.MONGOMS_DOWNLOAD_MIRROR ?? DEFAULT_MIRROR;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    await fetch(mirror, { method: 'HEAD', signal: controller.signal });
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

type MemoryServerStart = { uri: string; stop(): Promise<void> } | undefined;

/** Starts mongodb-memory-server when a mongod is present or quickly obtainable; undefined otherwise. */
async function tryMemoryServer(options: ResolveMongoBackendOptions): Promise<MemoryServerStart> {
  const { MongoMemoryServer, DryMongoBinary } = await import('mongodb-memory-server-core');
  let systemBinary = findSystemMongod();
  if (!systemBinary) {
    try {
      systemBinary = await DryMongoBinary.locateBinary(DryMongoBinary.getEnsuredOptions());
    } catch {
      systemBinary = undefined;
    }
  }
  if (!systemBinary) {
    if (options.allowDownload === false) return undefined;
    if (!(await mirrorReachable(options.reachabilityTimeoutMs ?? 2500))) return undefined;
  }
  const persistDir = options.persistDir ? path.resolve(options.persistDir) : undefined;
  if (persistDir) mkdirSync(persistDir, { recursive: true });
  const server = await MongoMemoryServer.create({
    binary: systemBinary ? { systemBinary } : {},
    instance: persistDir ? { dbPath: persistDir, storageEngine: 'wiredTiger' } : {},
  });
  return {
    uri: server.getUri(),
    stop: async () => {
      await server.stop({ doCleanup: !persistDir, force: false });
    },
  };
}

/** The engine is a development package: a production install (npm ci --omit=dev) does not have it. */
async function importEmbeddedEngine(): Promise<typeof EmbeddedMongo> {
  try {
    return await import('@custodian/embedded-mongo');
  } catch (err) {
    throw new Error(
      'No MongoDB is reachable and the embedded engine (@custodian/embedded-mongo, a development ' +
        'package) is not installed. Set MONGODB_URI, or install all dependencies with npm ci.',
      { cause: err },
    );
  }
}

export async function resolveMongoBackend(options: ResolveMongoBackendOptions): Promise<MongoBackend> {
  const { logger } = options;
  if (options.uri) {
    logger?.info({ backend: 'external' }, 'Using the MongoDB at MONGODB_URI');
    return { kind: 'external', uri: options.uri, stop: async () => undefined };
  }
  let memoryError: unknown;
  try {
    const memory = await tryMemoryServer(options);
    if (memory) {
      logger?.info(
        { backend: 'memory-server', uri: memory.uri, persistDir: options.persistDir },
        'Using a local mongod started by mongodb-memory-server',
      );
      return { kind: 'memory-server', ...memory };
    }
  } catch (err) {
    memoryError = err;
  }
  if (!options.allowEmbedded) {
    const reason =
      memoryError instanceof Error ? ` (mongodb-memory-server failed: ${memoryError.message})` : '';
    throw new Error(
      'No MongoDB is reachable: MONGODB_URI is not set and no mongod binary could be found or downloaded' +
        `${reason}. Set MONGODB_URI to your MongoDB connection string (for example ` +
        'mongodb://localhost:27017/custodian), or set MONGOMS_SYSTEM_BINARY to a mongod binary.',
    );
  }
  const { startEmbeddedMongo } = await importEmbeddedEngine();
  const embedded = await startEmbeddedMongo();
  logger?.info({ backend: 'embedded', uri: embedded.uri }, 'Using the embedded MongoDB-compatible engine');
  return { kind: 'embedded', uri: embedded.uri, stop: () => embedded.stop() };
}

/** Puts a database name into a connection string's path, keeping host list and options. */
export function withDatabaseName(uri: string, dbName: string): string {
  const match = /^(mongodb(?:\+srv)?:\/\/[^/?]+)(\/[^?]*)?(\?.*)?$/.exec(uri);
  if (!match) throw new Error(`Not a MongoDB connection string: ${uri}`);
  return `${match[1]}/${dbName}${match[3] ?? ''}`;
}
