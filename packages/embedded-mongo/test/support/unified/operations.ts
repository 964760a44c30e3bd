/**
 * Entity operations of the unified test format, mapped onto the `mongodb` driver's API. Each returns
 * the operation's result converted to plain documents (cursors fully iterated).
 */
import {
  ReadPreference,
  type ReadPreferenceMode,
  type AnyBulkWriteOperation,
  type Collection,
  type Db,
} from 'mongodb';
import type { Document, Operation } from './format.js';
import type { EntityMap } from './entities.js';

export interface OperationResult {
  value: unknown;
  /** The value is an array of documents read from a cursor, each a root-level document for matching. */
  iterableOfDocuments: boolean;
}

/** Raised for malformed test input or a runner gap — a runner problem, not a server one. */
export class RunnerError extends Error {
  override name = 'RunnerError';
}

/**
 * Test-runner operations the runner cannot perform on this topology: `targetedFailPoint` sets a fail
 * point on the mongos a session is pinned to, and sessions are only pinned on sharded clusters.
 */
export const UNSUPPORTED_RUNNER_OPERATIONS = new Map([
  [
    'targetedFailPoint',
    'needs a session pinned to a mongos (targetedFailPoint), which only a sharded cluster has',
  ],
]);

// Options every operation accepts besides its own.
const COMMON = [
  'session',
  'comment',
  'timeoutMS',
  'maxTimeMS',
  'readConcern',
  'readPreference',
  'writeConcern',
];

/** Argument names each operation accepts, from the CRUD spec (camelCase as in the test files). */
const ARGUMENTS: Record<string, string[]> = {
  aggregate: [
    'pipeline',
    'allowDiskUse',
    'batchSize',
    'bypassDocumentValidation',
    'collation',
    'hint',
    'let',
    'maxAwaitTimeMS',
  ],
  bulkWrite: ['requests', 'ordered', 'bypassDocumentValidation', 'let'],
  clientBulkWrite: ['models', 'ordered', 'bypassDocumentValidation', 'let', 'verboseResults'],
  count: ['filter', 'skip', 'limit', 'hint', 'collation'],
  countDocuments: ['filter', 'skip', 'limit', 'hint', 'collation'],
  estimatedDocumentCount: [],
  distinct: ['fieldName', 'filter', 'collation', 'hint'],
  find: [
    'filter',
    'sort',
    'skip',
    'limit',
    'batchSize',
    'projection',
    'collation',
    'hint',
    'let',
    'allowDiskUse',
    'allowPartialResults',
    'cursorType',
    'max',
    'min',
    'maxAwaitTimeMS',
    'noCursorTimeout',
    'returnKey',
    'showRecordId',
  ],
  findOne: [
    'filter',
    'sort',
    'skip',
    'projection',
    'collation',
    'hint',
    'let',
    'allowDiskUse',
    'allowPartialResults',
    'max',
    'min',
    'returnKey',
    'showRecordId',
  ],
  findOneAndDelete: ['filter', 'sort', 'projection', 'collation', 'hint', 'let'],
  findOneAndReplace: [
    'filter',
    'replacement',
    'sort',
    'projection',
    'collation',
    'hint',
    'let',
    'upsert',
    'returnDocument',
    'bypassDocumentValidation',
  ],
  findOneAndUpdate: [
    'filter',
    'update',
    'sort',
    'projection',
    'collation',
    'hint',
    'let',
    'upsert',
    'returnDocument',
    'arrayFilters',
    'bypassDocumentValidation',
  ],
  insertOne: ['document', 'bypassDocumentValidation'],
  insertMany: ['documents', 'ordered', 'bypassDocumentValidation'],
  deleteOne: ['filter', 'collation', 'hint', 'let'],
  deleteMany: ['filter', 'collation', 'hint', 'let'],
  replaceOne: [
    'filter',
    'replacement',
    'upsert',
    'collation',
    'hint',
    'let',
    'sort',
    'bypassDocumentValidation',
  ],
  updateOne: [
    'filter',
    'update',
    'upsert',
    'collation',
    'hint',
    'let',
    'sort',
    'arrayFilters',
    'bypassDocumentValidation',
  ],
  updateMany: [
    'filter',
    'update',
    'upsert',
    'collation',
    'hint',
    'let',
    'arrayFilters',
    'bypassDocumentValidation',
  ],
  createIndex: [
    'keys',
    'name',
    'unique',
    'sparse',
    'expireAfterSeconds',
    'partialFilterExpression',
    'collation',
    'hidden',
    'commitQuorum',
  ],
  createCollection: [
    'collection',
    'viewOn',
    'pipeline',
    'capped',
    'size',
    'max',
    'validator',
    'validationLevel',
    'validationAction',
    'collation',
    'clusteredIndex',
    'timeseries',
    'expireAfterSeconds',
    'changeStreamPreAndPostImages',
    'encryptedFields',
  ],
  dropCollection: ['collection', 'encryptedFields'],
  modifyCollection: [
    'collection',
    'validator',
    'validationLevel',
    'validationAction',
    'index',
    'expireAfterSeconds',
    'changeStreamPreAndPostImages',
  ],
  listCollections: ['filter', 'nameOnly', 'batchSize', 'authorizedCollections'],
  runCommand: ['command', 'commandName'],
};

function readPreferenceArgument(value: unknown): ReadPreference {
  const spec = value as { mode: string; tagSets?: unknown; maxStalenessSeconds?: number; hedge?: unknown };
  const mode = (spec.mode.charAt(0).toLowerCase() + spec.mode.slice(1)) as ReadPreferenceMode;
  return new ReadPreference(mode, spec.tagSets as never, {
    maxStalenessSeconds: spec.maxStalenessSeconds,
    hedge: spec.hedge as never,
  });
}

/** Validates argument names and turns spec values into driver ones (session entity, read preference...). */
function prepareArguments(operation: Operation, entities: EntityMap): Document {
  const allowed = ARGUMENTS[operation.name];
  if (allowed === undefined) throw new RunnerError(`unsupported operation ${operation.name}`);
  const prepared: Document = {};
  for (const [key, value] of Object.entries(operation.arguments ?? {})) {
    if (!allowed.includes(key) && !COMMON.includes(key)) {
      throw new RunnerError(`unsupported argument ${key} for ${operation.name}`);
    }
    if (key === 'session') prepared.session = entities.session(value as string);
    else if (key === 'readPreference') prepared.readPreference = readPreferenceArgument(value);
    else prepared[key] = value;
  }
  return prepared;
}

function take(args: Document, key: string, required = true): unknown {
  const value = args[key];
  if (required && value === undefined) throw new RunnerError(`missing required argument ${key}`);
  delete args[key];
  return value;
}

function returnDocumentOption(args: Document): void {
  const value = args.returnDocument;
  if (value === undefined) return;
  if (typeof value !== 'string' || !['before', 'after'].includes(value.toLowerCase())) {
    throw new RunnerError(`returnDocument must be "Before" or "After", got ${String(value)}`);
  }
  args.returnDocument = value.toLowerCase();
}

function cursorTypeOption(args: Document): void {
  const cursorType = take(args, 'cursorType', false);
  if (cursorType === 'tailable') args.tailable = true;
  else if (cursorType === 'tailableAwait') Object.assign(args, { tailable: true, awaitData: true });
  else if (cursorType !== undefined && cursorType !== 'nonTailable')
    throw new RunnerError(`unknown cursorType ${String(cursorType)}`);
}

/** BulkWriteResult (a class with counters) as the plain document the spec describes. */
export function bulkWriteResultDocument(result: unknown): Document | undefined {
  if (result === undefined || result === null) return undefined;
  const source = result as Document;
  const document: Document = {};
  for (const key of [
    'insertedCount',
    'matchedCount',
    'modifiedCount',
    'deletedCount',
    'upsertedCount',
    'upsertedIds',
    'insertedIds',
  ]) {
    if (source[key] !== undefined) document[key] = source[key];
  }
  return document;
}

function mapToDocument(value: unknown): unknown {
  if (value instanceof Map) return Object.fromEntries([...value.entries()].map(([k, v]) => [String(k), v]));
  return value;
}

/** ClientBulkWriteResult with its Map-valued verbose results turned into documents keyed by index. */
export function clientBulkWriteResultDocument(result: unknown): Document | undefined {
  if (result === undefined || result === null) return undefined;
  const source = result as Document;
  const document: Document = {};
  for (const [key, value] of Object.entries(source)) document[key] = mapToDocument(value);
  for (const key of ['insertResults', 'updateResults', 'deleteResults']) {
    if (source[key] !== undefined) document[key] = mapToDocument(source[key]);
  }
  for (const key of [
    'acknowledged',
    'insertedCount',
    'upsertedCount',
    'matchedCount',
    'modifiedCount',
    'deletedCount',
  ]) {
    if (source[key] !== undefined) document[key] = source[key];
  }
  return document;
}

const plain = (value: unknown): OperationResult => ({ value, iterableOfDocuments: false });
const documents = (value: unknown[]): OperationResult => ({ value, iterableOfDocuments: true });

function databaseOrCollection(entities: EntityMap, id: string): Db | Collection<Document> {
  const kind = entities.kindOf(id);
  if (kind === 'database') return entities.database(id);
  if (kind === 'collection') return entities.collection(id);
  throw new RunnerError(`entity ${id} is a ${kind}; aggregate needs a database or collection`);
}

export async function runOperation(operation: Operation, entities: EntityMap): Promise<OperationResult> {
  const args = prepareArguments(operation, entities);
  const id = operation.object;
  switch (operation.name) {
    case 'aggregate': {
      const pipeline = take(args, 'pipeline') as Document[];
      return documents(await databaseOrCollection(entities, id).aggregate(pipeline, args).toArray());
    }
    case 'bulkWrite': {
      const requests = take(args, 'requests') as AnyBulkWriteOperation<Document>[];
      return plain(bulkWriteResultDocument(await entities.collection(id).bulkWrite(requests, args)));
    }
    case 'clientBulkWrite': {
      const models = (take(args, 'models') as Document[]).map((model) => {
        const [name, body] = Object.entries(model)[0]!;
        return { name, ...(body as Document) };
      });
      return plain(
        clientBulkWriteResultDocument(await entities.client(id).client.bulkWrite(models as never, args)),
      );
    }
    case 'count': {
      const filter = take(args, 'filter', false) as Document | undefined;
      return plain(await entities.collection(id).count(filter ?? {}, args));
    }
    case 'countDocuments': {
      const filter = take(args, 'filter') as Document;
      return plain(await entities.collection(id).countDocuments(filter, args));
    }
    case 'estimatedDocumentCount':
      return plain(await entities.collection(id).estimatedDocumentCount(args));
    case 'distinct': {
      const fieldName = take(args, 'fieldName') as string;
      const filter = take(args, 'filter') as Document;
      return plain(await entities.collection(id).distinct(fieldName, filter, args));
    }
    case 'find': {
      const filter = take(args, 'filter') as Document;
      cursorTypeOption(args);
      return documents(await entities.collection(id).find(filter, args).toArray());
    }
    case 'findOne': {
      const filter = take(args, 'filter') as Document;
      return plain(await entities.collection(id).findOne(filter, args));
    }
    case 'findOneAndDelete': {
      const filter = take(args, 'filter') as Document;
      return plain(await entities.collection(id).findOneAndDelete(filter, args));
    }
    case 'findOneAndReplace': {
      const filter = take(args, 'filter') as Document;
      const replacement = take(args, 'replacement') as Document;
      returnDocumentOption(args);
      return plain(await entities.collection(id).findOneAndReplace(filter, replacement, args));
    }
    case 'findOneAndUpdate': {
      const filter = take(args, 'filter') as Document;
      const update = take(args, 'update') as Document | Document[];
      returnDocumentOption(args);
      return plain(await entities.collection(id).findOneAndUpdate(filter, update, args));
    }
    case 'insertOne': {
      const document = take(args, 'document') as Document;
      return plain(await entities.collection(id).insertOne(document, args));
    }
    case 'insertMany': {
      const docs = take(args, 'documents') as Document[];
      return plain(await entities.collection(id).insertMany(docs, args));
    }
    case 'deleteOne': {
      const filter = take(args, 'filter') as Document;
      return plain(await entities.collection(id).deleteOne(filter, args));
    }
    case 'deleteMany': {
      const filter = take(args, 'filter') as Document;
      return plain(await entities.collection(id).deleteMany(filter, args));
    }
    case 'replaceOne': {
      const filter = take(args, 'filter') as Document;
      const replacement = take(args, 'replacement') as Document;
      return plain(await entities.collection(id).replaceOne(filter, replacement, args));
    }
    case 'updateOne': {
      const filter = take(args, 'filter') as Document;
      const update = take(args, 'update') as Document | Document[];
      return plain(await entities.collection(id).updateOne(filter, update, args));
    }
    case 'updateMany': {
      const filter = take(args, 'filter') as Document;
      const update = take(args, 'update') as Document | Document[];
      return plain(await entities.collection(id).updateMany(filter, update, args));
    }
    case 'createIndex': {
      const keys = take(args, 'keys') as Record<string, 1 | -1>;
      return plain(await entities.collection(id).createIndex(keys, args));
    }
    case 'createCollection': {
      const name = take(args, 'collection') as string;
      await entities.database(id).createCollection(name, args);
      return plain(undefined);
    }
    case 'dropCollection': {
      const name = take(args, 'collection') as string;
      return plain(await entities.database(id).dropCollection(name, args));
    }
    case 'modifyCollection': {
      const name = take(args, 'collection') as string;
      const { session, ...fields } = args;
      return plain(
        await entities
          .database(id)
          .command({ collMod: name, ...fields }, session ? { session: session as never } : {}),
      );
    }
    case 'listCollections': {
      const filter = (take(args, 'filter', false) as Document | undefined) ?? {};
      return documents(await entities.database(id).listCollections(filter, args).toArray());
    }
    case 'runCommand': {
      const command = take(args, 'command') as Document;
      take(args, 'commandName', false);
      return plain(await entities.database(id).command(command, args));
    }
    default:
      throw new RunnerError(`unsupported operation ${operation.name}`);
  }
}
