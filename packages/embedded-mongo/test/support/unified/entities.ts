/**
 * The per-test entity map of the unified test format: MongoClients (with command-monitoring event
 * capture), databases, collections and sessions, plus values saved with `saveResultAsEntity`.
 */
import {
  MongoClient,
  ReadPreference,
  type ClientSession,
  type Collection,
  type CommandFailedEvent,
  type CommandStartedEvent,
  type CommandSucceededEvent,
  type Db,
  type DbOptions,
  type ReadPreferenceMode,
} from 'mongodb';
import type { CollectionOrDatabaseOptions, Document, EntityDescription } from './format.js';
import type { EntityResolver } from './match.js';

export type CommandEventKind = 'commandStartedEvent' | 'commandSucceededEvent' | 'commandFailedEvent';

export interface RecordedCommandEvent {
  kind: CommandEventKind;
  commandName: string;
  databaseName: string;
  command?: Document;
  reply?: Document;
  failure?: unknown;
}

/** Commands whose events are never observed (Command Logging and Monitoring spec, "Security"). */
const SENSITIVE_COMMANDS = new Set([
  'authenticate',
  'saslstart',
  'saslcontinue',
  'getnonce',
  'createuser',
  'updateuser',
  'copydbgetnonce',
  'copydbsaslstart',
  'copydb',
]);
const HELLO_COMMANDS = new Set(['hello', 'ismaster']);

export class ClientHandle {
  readonly events: RecordedCommandEvent[] = [];
  private recording = true;

  constructor(
    readonly id: string,
    readonly client: MongoClient,
    private readonly observe: ReadonlySet<string>,
    private readonly ignoredCommands: ReadonlySet<string>,
    private readonly observeSensitive: boolean,
  ) {
    client.on('commandStarted', (event: CommandStartedEvent) =>
      this.record('commandStartedEvent', event.commandName, event.databaseName, event.command, {
        command: event.command,
      }),
    );
    client.on('commandSucceeded', (event: CommandSucceededEvent) =>
      this.record('commandSucceededEvent', event.commandName, event.databaseName, undefined, {
        reply: event.reply as Document,
      }),
    );
    client.on('commandFailed', (event: CommandFailedEvent) =>
      this.record('commandFailedEvent', event.commandName, event.databaseName, undefined, {
        failure: event.failure,
      }),
    );
  }

  stopRecording(): void {
    this.recording = false;
  }

  private record(
    kind: CommandEventKind,
    commandName: string,
    databaseName: string,
    command: Document | undefined,
    payload: Partial<RecordedCommandEvent>,
  ): void {
    if (!this.recording || !this.observe.has(kind)) return;
    const name = commandName.toLowerCase();
    if (this.ignoredCommands.has(name) || name === 'configurefailpoint') return;
    if (!this.observeSensitive) {
      if (SENSITIVE_COMMANDS.has(name)) return;
      // hello is sensitive only when it carries speculative authentication (the driver then redacts it).
      if (
        HELLO_COMMANDS.has(name) &&
        (command === undefined || Object.keys(command).length === 0 || 'speculativeAuthenticate' in command)
      ) {
        return;
      }
    }
    this.events.push({ kind, commandName, databaseName, ...payload });
  }
}

type Entity =
  | { type: 'client'; value: ClientHandle }
  | { type: 'database'; value: Db }
  | { type: 'collection'; value: Collection<Document> }
  | { type: 'session'; value: ClientSession }
  | { type: 'value'; value: unknown };

/** Appends URI options to a connection string; options given here override the string's own. */
export function withUriOptions(uri: string, options: Document | undefined): string {
  if (options === undefined || Object.keys(options).length === 0) return uri;
  const queryStart = uri.indexOf('?');
  let base = queryStart === -1 ? uri : uri.slice(0, queryStart);
  const params = new URLSearchParams(queryStart === -1 ? '' : uri.slice(queryStart + 1));
  for (const [key, value] of Object.entries(options)) {
    for (const existing of [...params.keys()]) {
      if (existing.toLowerCase() === key.toLowerCase()) params.delete(existing);
    }
    if (key === 'readPreferenceTags' && Array.isArray(value)) {
      for (const tagSet of value) params.append(key, String(tagSet));
    } else {
      params.set(key, typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value));
    }
  }
  // "mongodb://host:port" needs a path separator before the query string.
  if (!/^[a-z+]+:\/\/[^/]*\//i.test(base)) base = `${base}/`;
  return `${base}?${params.toString()}`;
}

function readPreferenceOf(
  options: CollectionOrDatabaseOptions['readPreference'],
): ReadPreference | undefined {
  if (options === undefined) return undefined;
  const mode = (options.mode.charAt(0).toLowerCase() + options.mode.slice(1)) as ReadPreferenceMode;
  return new ReadPreference(mode, options.tagSets as never, {
    maxStalenessSeconds: options.maxStalenessSeconds,
    hedge: options.hedge as never,
  });
}

/** Driver options for `db()` / `collection()` from a collectionOrDatabaseOptions object. */
export function driverOptions(options: CollectionOrDatabaseOptions | undefined): DbOptions {
  if (options === undefined) return {};
  const result: DbOptions = {};
  for (const key of Object.keys(options)) {
    if (!['readConcern', 'readPreference', 'writeConcern', 'timeoutMS'].includes(key)) {
      throw new Error(`unsupported collection/database option ${key}`);
    }
  }
  if (options.readConcern) result.readConcern = { level: options.readConcern.level } as never;
  const readPreference = readPreferenceOf(options.readPreference);
  if (readPreference) result.readPreference = readPreference;
  if (options.writeConcern) result.writeConcern = { ...options.writeConcern } as never;
  if (options.timeoutMS !== undefined) result.timeoutMS = options.timeoutMS;
  return result;
}

export class EntityMap implements EntityResolver {
  private readonly entities = new Map<string, Entity>();

  /** Ids of clients, databases and collections whose writes are unacknowledged (w: 0). */
  private readonly unacknowledged = new Set<string>();

  private constructor(private readonly uri: string) {}

  static async create(uri: string, descriptions: EntityDescription[] | undefined): Promise<EntityMap> {
    const map = new EntityMap(uri);
    try {
      for (const description of descriptions ?? []) await map.add(description);
    } catch (error) {
      await map.close();
      throw error;
    }
    return map;
  }

  private define(id: string, entity: Entity): void {
    if (this.entities.has(id)) throw new Error(`entity ${id} is already defined`);
    this.entities.set(id, entity);
  }

  private async add(description: EntityDescription): Promise<void> {
    const kinds = Object.keys(description);
    if (kinds.length !== 1) throw new Error(`an entity needs exactly one type key, got ${kinds.join(', ')}`);
    if (description.client) {
      const spec = description.client;
      for (const key of Object.keys(spec)) {
        if (
          ![
            'id',
            'uriOptions',
            'useMultipleMongoses',
            'observeEvents',
            'ignoreCommandMonitoringEvents',
            'observeSensitiveCommands',
          ].includes(key)
        ) {
          throw new Error(`unsupported client entity option ${key}`);
        }
      }
      const uriOptions = spec.uriOptions ?? {};
      const client = new MongoClient(withUriOptions(this.uri, uriOptions), {
        monitorCommands: true,
        // A broken server should fail a test quickly rather than after the 30 s default.
        ...(uriOptions.serverSelectionTimeoutMS === undefined && !/serverSelectionTimeoutMS=/i.test(this.uri)
          ? { serverSelectionTimeoutMS: 5000 }
          : {}),
      });
      const handle = new ClientHandle(
        spec.id,
        client,
        new Set(spec.observeEvents ?? []),
        new Set((spec.ignoreCommandMonitoringEvents ?? []).map((name) => name.toLowerCase())),
        spec.observeSensitiveCommands === true,
      );
      this.define(spec.id, { type: 'client', value: handle });
      if (uriOptions.w === 0) this.unacknowledged.add(spec.id);
      await client.connect();
      return;
    }
    if (description.database) {
      const spec = description.database;
      const client = this.client(spec.client).client;
      const w = spec.databaseOptions?.writeConcern?.w;
      if (w === 0 || (w === undefined && this.unacknowledged.has(spec.client)))
        this.unacknowledged.add(spec.id);
      this.define(spec.id, {
        type: 'database',
        value: client.db(spec.databaseName, driverOptions(spec.databaseOptions)),
      });
      return;
    }
    if (description.collection) {
      const spec = description.collection;
      const db = this.database(spec.database);
      const w = spec.collectionOptions?.writeConcern?.w;
      if (w === 0 || (w === undefined && this.unacknowledged.has(spec.database)))
        this.unacknowledged.add(spec.id);
      this.define(spec.id, {
        type: 'collection',
        value: db.collection(spec.collectionName, driverOptions(spec.collectionOptions)),
      });
      return;
    }
    if (description.session) {
      const spec = description.session;
      const session = this.client(spec.client).client.startSession((spec.sessionOptions ?? {}) as never);
      this.define(spec.id, { type: 'session', value: session });
      return;
    }
    throw new Error(`unsupported entity type ${kinds[0]}`);
  }

  private get(id: string): Entity {
    const entity = this.entities.get(id);
    if (entity === undefined) throw new Error(`undefined entity ${id}`);
    return entity;
  }

  private typed(id: string, type: Entity['type']): unknown {
    const entity = this.get(id);
    if (entity.type !== type) throw new Error(`entity ${id} is a ${entity.type}, not a ${type}`);
    return entity.value;
  }

  /** Whether writes through this entity are unacknowledged (w: 0), so may still be in flight. */
  writesUnacknowledged(id: string): boolean {
    return this.unacknowledged.has(id);
  }

  kindOf(id: string): Entity['type'] {
    return this.get(id).type;
  }

  client(id: string): ClientHandle {
    return this.typed(id, 'client') as ClientHandle;
  }

  database(id: string): Db {
    return this.typed(id, 'database') as Db;
  }

  collection(id: string): Collection<Document> {
    return this.typed(id, 'collection') as Collection<Document>;
  }

  session(id: string): ClientSession {
    return this.typed(id, 'session') as ClientSession;
  }

  clients(): ClientHandle[] {
    return [...this.entities.values()].flatMap((entity) => (entity.type === 'client' ? [entity.value] : []));
  }

  save(id: string, value: unknown): void {
    if (value === undefined) throw new Error(`operation returned no result to save as ${id}`);
    this.define(id, { type: 'value', value });
  }

  entity(id: string): unknown {
    return this.typed(id, 'value');
  }

  sessionLsid(id: string): unknown {
    return this.session(id).id;
  }

  stopRecording(): void {
    for (const client of this.clients()) client.stopRecording();
  }

  async close(): Promise<void> {
    const sessions = [...this.entities.values()].flatMap((entity) =>
      entity.type === 'session' ? [entity.value] : [],
    );
    await Promise.allSettled(sessions.map((session) => session.endSession()));
    await Promise.allSettled(this.clients().map((handle) => handle.client.close()));
    this.entities.clear();
  }
}
