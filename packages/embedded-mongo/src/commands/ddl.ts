/**
 * Namespace and index commands: create, drop, dropDatabase, listDatabases, listCollections,
 * createIndexes, listIndexes, dropIndexes, renameCollection, collMod, dbStats, collStats.
 */
import { calculateObjectSize } from 'bson';
import { bsonTypeName, compareValues, compileFilter, formatValue } from '../query/index.js';
import { EngineError, ErrorCodes } from '../errors.js';
import { createProfileCollection, PROFILE_COLLECTION } from '../profiler.js';
import { assertValidKeyPattern, defaultIndexName } from '../storage/index-store.js';
import type { IndexStore } from '../storage/index-store.js';
import type { CollectionStore } from '../storage/collection-store.js';
import { docArg, isPlainObject, numberArg, OK, toNumber, truthy } from '../values.js';
import type { Doc } from '../values.js';
import { assertSimpleCollation, collectionName, documentArray, findCollection } from './context.js';
import type { CommandContext, CommandHandler } from './context.js';

const UNSUPPORTED_CREATE_OPTIONS: Record<string, string> = {
  capped: 'capped collections',
  timeseries: 'time-series collections',
  clusteredIndex: 'clustered collections',
  changeStreamPreAndPostImages: 'change stream pre- and post-images',
  encryptedFields: 'queryable encryption',
};

function collectionInfo(collection: CollectionStore): Doc {
  return {
    name: collection.name,
    type: 'collection',
    options: collection.options,
    info: { readOnly: false, uuid: collection.uuid },
    idIndex: { v: 2, key: { _id: 1 }, name: '_id_' },
  };
}

function createView(ctx: CommandContext, name: string): Doc {
  const { viewOn, pipeline } = ctx.cmd;
  if (typeof viewOn !== 'string' || viewOn.length === 0) {
    throw EngineError.of('BadValue', "'viewOn' must be a non-empty string");
  }
  const stages = pipeline ?? [];
  if (!Array.isArray(stages) || !stages.every(isPlainObject)) {
    throw EngineError.of('TypeMismatch', "'pipeline' must be an array of objects");
  }
  if (stages.some((stage) => '$out' in stage || '$merge' in stage)) {
    throw new EngineError(
      ErrorCodes.OptionNotSupportedOnView,
      'The aggregation stages $out and $merge are not allowed in a view definition',
    );
  }
  assertSimpleCollation(ctx.cmd.collation);
  ctx.engine.catalog.createView(ctx.db, { name, viewOn, pipeline: stages as Doc[] });
  return { ok: OK };
}

const create: CommandHandler = (ctx) => {
  const name = collectionName(ctx);
  if (ctx.cmd.viewOn !== undefined) return createView(ctx, name);
  const profile = name === PROFILE_COLLECTION;
  const options: Doc = {};
  for (const [key, value] of Object.entries(ctx.cmd)) {
    if (key === 'create') continue;
    // system.profile is the one capped collection: the profiler keeps it within `size` bytes.
    if (profile && (key === 'capped' || key === 'size' || key === 'max')) {
      options[key] = value;
      continue;
    }
    const feature = UNSUPPORTED_CREATE_OPTIONS[key];
    if (feature && truthy(value)) {
      throw EngineError.of('NotImplemented', `${feature} are not supported by the embedded MongoDB engine`);
    }
    if (key === 'collation') assertSimpleCollation(value);
    if (key === 'validator' && isPlainObject(value)) compileFilter(value);
    if (key === 'idIndex' || key === 'autoIndexId') continue;
    options[key] = value;
  }
  const existing = findCollection(ctx, name);
  if (existing) {
    // mongod 7.0 accepts re-creating a collection with identical options.
    if (compareValues(existing.options, options) === 0) return { ok: OK };
    throw EngineError.of('NamespaceExists', `Collection ${ctx.db}.${name} already exists.`);
  }
  if (profile) createProfileCollection(ctx.engine.catalog, ctx.db, options);
  else ctx.engine.catalog.create(ctx.db, name, options);
  return { ok: OK };
};

const drop: CommandHandler = (ctx) => {
  const name = collectionName(ctx);
  if (ctx.engine.catalog.dropView(ctx.db, name)) return { ns: `${ctx.db}.${name}`, ok: OK };
  const collection = findCollection(ctx, name);
  if (!collection) return { ok: OK };
  if (name === PROFILE_COLLECTION && ctx.engine.profiler.levelOf(ctx.db) !== 0) {
    throw EngineError.of('IllegalOperation', 'turn off profiling before dropping system.profile collection');
  }
  const nIndexesWas = collection.indexes.length;
  ctx.engine.catalog.drop(ctx.db, name);
  return { nIndexesWas, ns: collection.namespace, ok: OK };
};

const dropDatabase: CommandHandler = (ctx) => {
  ctx.engine.catalog.dropDatabase(ctx.db);
  return { ok: OK };
};

function dataSize(collection: CollectionStore): number {
  let size = 0;
  for (const doc of collection.docs.values()) size += calculateObjectSize(doc);
  return size;
}

const listDatabases: CommandHandler = (ctx) => {
  if (ctx.db !== 'admin') {
    throw EngineError.of('Unauthorized', 'listDatabases may only be run against the admin database.');
  }
  const { catalog } = ctx.engine;
  let databases: Doc[] = catalog.databaseNames().map((name) => {
    const size = catalog.collections(name).reduce((sum, c) => sum + dataSize(c), 0);
    return { name, sizeOnDisk: size, empty: false };
  });
  const filter = docArg(ctx.cmd, 'filter');
  if (filter) {
    const matcher = compileFilter(filter);
    databases = databases.filter((d) => matcher.matches(d));
  }
  if (truthy(ctx.cmd.nameOnly)) return { databases: databases.map((d) => ({ name: d.name })), ok: OK };
  const totalSize = databases.reduce((sum, d) => sum + (d.sizeOnDisk as number), 0);
  return { databases, totalSize, totalSizeMb: Math.floor(totalSize / (1024 * 1024)), ok: OK };
};

const listCollections: CommandHandler = (ctx) => {
  let infos = [
    ...ctx.engine.catalog.collections(ctx.db).map(collectionInfo),
    ...ctx.engine.catalog.viewsOf(ctx.db).map((view) => ({
      name: view.name,
      type: 'view',
      options: { viewOn: view.viewOn, pipeline: view.pipeline },
      info: { readOnly: true },
    })),
  ];
  const filter = docArg(ctx.cmd, 'filter');
  if (filter) {
    const matcher = compileFilter(filter);
    infos = infos.filter((info) => matcher.matches(info));
  }
  if (truthy(ctx.cmd.nameOnly)) infos = infos.map((info) => ({ name: info.name, type: info.type }));
  const cursor = docArg(ctx.cmd, 'cursor') ?? {};
  return {
    cursor: ctx.engine.cursors.open(`${ctx.db}.$cmd.listCollections`, infos, {
      batchSize: numberArg(cursor, 'batchSize'),
    }),
    ok: OK,
  };
};

const INDEX_OPTIONS = new Set([
  'key',
  'name',
  'v',
  'unique',
  'sparse',
  'partialFilterExpression',
  'expireAfterSeconds',
  'background',
  'hidden',
  'collation',
  'storageEngine',
  'ns',
]);
const UNSUPPORTED_INDEX_OPTIONS = new Set([
  'weights',
  'default_language',
  'language_override',
  'textIndexVersion',
  '2dsphereIndexVersion',
  'bits',
  'min',
  'max',
  'bucketSize',
  'wildcardProjection',
  'clustered',
]);

/** The fields that make two index specs "the same index" for createIndexes' idempotence. */
function comparableSpec(spec: Doc): Doc {
  const out: Doc = {};
  for (const key of ['unique', 'sparse', 'partialFilterExpression', 'expireAfterSeconds', 'hidden']) {
    if (spec[key] !== undefined && !(key !== 'expireAfterSeconds' && spec[key] === false))
      out[key] = spec[key];
  }
  return out;
}

function normalizeIndexSpec(raw: Doc): Doc {
  for (const key of Object.keys(raw)) {
    if (UNSUPPORTED_INDEX_OPTIONS.has(key)) {
      throw EngineError.of(
        'NotImplemented',
        `index option '${key}' is not supported by the embedded MongoDB engine`,
      );
    }
    if (!INDEX_OPTIONS.has(key)) {
      throw EngineError.of(
        'InvalidIndexSpecificationOption',
        `The field '${key}' is not valid for an index specification. Specification: ${formatValue(raw)}`,
      );
    }
  }
  assertValidKeyPattern(raw.key);
  assertSimpleCollation(raw.collation);
  const name = raw.name === undefined ? defaultIndexName(raw.key) : raw.name;
  if (typeof name !== 'string' || name.length === 0) {
    throw EngineError.of('CannotCreateIndex', 'The index name must be a non-empty string');
  }
  const spec: Doc = { v: 2, key: raw.key, name };
  for (const [key, value] of Object.entries(raw)) {
    if (key === 'key' || key === 'name' || key === 'v' || key === 'ns' || key === 'collation') continue;
    if (key === 'unique' || key === 'sparse' || key === 'hidden' || key === 'background') {
      spec[key] = truthy(value);
      continue;
    }
    if (key === 'expireAfterSeconds') {
      const seconds = toNumber(value);
      if (seconds === undefined || seconds < 0) {
        throw EngineError.of(
          'CannotCreateIndex',
          `TTL index 'expireAfterSeconds' option must be numeric and non-negative, but received: ${formatValue(value)}`,
        );
      }
      spec[key] = Math.trunc(seconds);
      continue;
    }
    if (key === 'partialFilterExpression') {
      if (!isPlainObject(value))
        throw EngineError.of('TypeMismatch', 'partialFilterExpression must be an object');
      compileFilter(value);
    }
    spec[key] = value;
  }
  if (name === '_id_' && spec.unique !== undefined) {
    throw EngineError.of(
      'InvalidIndexSpecificationOption',
      "The field 'unique' is not valid for an _id index specification",
    );
  }
  return spec;
}

const createIndexes: CommandHandler = (ctx) => {
  const name = collectionName(ctx);
  const rawSpecs = documentArray(ctx, 'indexes');
  if (rawSpecs.length === 0) throw EngineError.of('BadValue', 'Must specify at least one index to create');
  const specs = rawSpecs.map(normalizeIndexSpec);
  const { catalog } = ctx.engine;
  const existed = catalog.get(ctx.db, name);
  const collection = existed ?? catalog.getOrCreate(ctx.db, name);
  const numIndexesBefore = collection.indexes.length;
  const toCreate: Doc[] = [];
  for (const spec of specs) {
    const sameName = collection.getIndex(spec.name as string);
    const sameKey = collection.indexes.find((ix) => compareValues(ix.keyPattern, spec.key) === 0);
    const sameOptions = (ix: IndexStore): boolean =>
      compareValues(comparableSpec(ix.spec), comparableSpec(spec)) === 0;
    if (sameName) {
      if (compareValues(sameName.keyPattern, spec.key) !== 0) {
        throw EngineError.of(
          'IndexKeySpecsConflict',
          `An existing index has the same name as the requested index. When index names are not specified, they are auto generated and can cause conflicts. Please refer to our documentation. Requested index: ${formatValue(spec)}, existing index: ${formatValue(sameName.spec)}`,
        );
      }
      if (!sameOptions(sameName)) {
        throw EngineError.of(
          'IndexOptionsConflict',
          `An equivalent index already exists with the same name but different options. Requested index: ${formatValue(spec)}, existing index: ${formatValue(sameName.spec)}`,
        );
      }
      continue;
    }
    if (sameKey && sameOptions(sameKey)) {
      throw EngineError.of(
        'IndexOptionsConflict',
        `Index already exists with a different name: ${sameKey.name}`,
      );
    }
    if (toCreate.some((s) => s.name === spec.name)) continue;
    toCreate.push(spec);
  }
  const added: string[] = [];
  try {
    for (const spec of toCreate) {
      collection.addIndex(spec);
      added.push(spec.name as string);
    }
  } catch (err) {
    // All-or-nothing, like mongod's index builds.
    for (const indexName of added) collection.dropIndex(indexName);
    if (!existed) catalog.drop(ctx.db, name);
    throw err;
  }
  const reply: Doc = { numIndexesBefore, numIndexesAfter: collection.indexes.length };
  if (toCreate.length === 0) reply.note = 'all indexes already exist';
  else reply.createdCollectionAutomatically = !existed;
  reply.ok = OK;
  return reply;
};

const listIndexes: CommandHandler = (ctx) => {
  const name = collectionName(ctx);
  ctx.engine.catalog.assertNotView(ctx.db, name);
  const collection = findCollection(ctx, name);
  if (!collection) throw EngineError.of('NamespaceNotFound', `ns does not exist: ${ctx.db}.${name}`);
  const cursor = docArg(ctx.cmd, 'cursor') ?? {};
  return {
    cursor: ctx.engine.cursors.open(
      `${ctx.db}.$cmd.listIndexes.${name}`,
      collection.indexes.map((ix) => ix.spec),
      { batchSize: numberArg(cursor, 'batchSize') },
    ),
    ok: OK,
  };
};

const dropIndexes: CommandHandler = (ctx) => {
  const name = collectionName(ctx);
  ctx.engine.catalog.assertNotView(ctx.db, name);
  const collection = findCollection(ctx, name);
  if (!collection) throw EngineError.of('NamespaceNotFound', `ns not found ${ctx.db}.${name}`);
  const target = ctx.cmd.index;
  const nIndexesWas = collection.indexes.length;
  const reply = { nIndexesWas, ok: OK };
  if (target === '*') {
    for (const ix of collection.indexes.slice(1)) collection.dropIndex(ix.name);
    return reply;
  }
  const names = Array.isArray(target) ? target : [target];
  const victims: IndexStore[] = [];
  for (const item of names) {
    let found: IndexStore | undefined;
    if (typeof item === 'string') {
      found = collection.getIndex(item);
      if (!found) throw EngineError.of('IndexNotFound', `index not found with name [${item}]`);
    } else if (isPlainObject(item)) {
      const matching = collection.indexes.filter((ix) => compareValues(ix.keyPattern, item) === 0);
      if (matching.length === 0)
        throw EngineError.of('IndexNotFound', `can't find index with key: ${formatValue(item)}`);
      found = matching[0];
    } else {
      throw EngineError.of(
        'TypeMismatch',
        `BSON field 'dropIndexes.index' is the wrong type '${bsonTypeName(item)}'`,
      );
    }
    if (found!.isIdIndex) throw EngineError.of('InvalidOptions', 'cannot drop _id index');
    victims.push(found!);
  }
  for (const ix of victims) collection.dropIndex(ix.name);
  return reply;
};

function splitNamespace(ns: unknown): { db: string; coll: string } {
  if (typeof ns !== 'string' || !ns.includes('.'))
    throw EngineError.of('InvalidNamespace', `Invalid namespace specified '${String(ns)}'`);
  const dot = ns.indexOf('.');
  return { db: ns.slice(0, dot), coll: ns.slice(dot + 1) };
}

const renameCollection: CommandHandler = (ctx) => {
  if (ctx.db !== 'admin')
    throw EngineError.of('Unauthorized', 'renameCollection may only be run against the admin database.');
  const from = splitNamespace(ctx.cmd.renameCollection);
  const to = splitNamespace(ctx.cmd.to);
  const { catalog } = ctx.engine;
  const source = catalog.get(from.db, from.coll);
  if (!source) throw EngineError.of('NamespaceNotFound', 'Source collection does not exist');
  if (catalog.get(to.db, to.coll)) {
    if (!truthy(ctx.cmd.dropTarget)) throw EngineError.of('NamespaceExists', 'target namespace exists');
  }
  catalog.rename(source, to.db, to.coll);
  return { ok: OK };
};

const collMod: CommandHandler = (ctx) => {
  const name = collectionName(ctx);
  ctx.engine.catalog.assertNotView(ctx.db, name);
  const collection = findCollection(ctx, name);
  if (!collection) throw EngineError.of('NamespaceNotFound', `ns does not exist: ${ctx.db}.${name}`);
  const reply: Doc = {};
  for (const [key, value] of Object.entries(ctx.cmd)) {
    if (key === 'collMod') continue;
    if (key === 'index' && isPlainObject(value)) {
      const index =
        typeof value.name === 'string'
          ? collection.getIndex(value.name)
          : collection.indexes.find(
              (ix) => isPlainObject(value.keyPattern) && compareValues(ix.keyPattern, value.keyPattern) === 0,
            );
      if (!index)
        throw EngineError.of(
          'IndexNotFound',
          `cannot find index ${formatValue(value.name ?? value.keyPattern)} for ns ${collection.namespace}`,
        );
      if (value.expireAfterSeconds !== undefined) {
        reply.expireAfterSeconds_old = index.spec.expireAfterSeconds;
        index.spec.expireAfterSeconds = Math.trunc(toNumber(value.expireAfterSeconds) ?? 0);
        reply.expireAfterSeconds_new = index.spec.expireAfterSeconds;
      }
      if (value.hidden !== undefined) {
        reply.hidden_old = index.spec.hidden ?? false;
        index.spec.hidden = truthy(value.hidden);
        reply.hidden_new = index.spec.hidden;
      }
      continue;
    }
    if (key === 'validator' || key === 'validationLevel' || key === 'validationAction') {
      if (key === 'validator' && !isPlainObject(value)) {
        throw EngineError.of('TypeMismatch', "BSON field 'collMod.validator' must be an object");
      }
      collection.setValidation({ [key]: value });
      continue;
    }
    throw EngineError.of('InvalidOptions', `unknown option to collMod: ${key}`);
  }
  reply.ok = OK;
  return reply;
};

const dbStats: CommandHandler = (ctx) => {
  const collections = ctx.engine.catalog.collections(ctx.db);
  const objects = collections.reduce((sum, c) => sum + c.size, 0);
  const size = collections.reduce((sum, c) => sum + dataSize(c), 0);
  const indexes = collections.reduce((sum, c) => sum + c.indexes.length, 0);
  return {
    db: ctx.db,
    collections: collections.length,
    views: 0,
    objects,
    avgObjSize: objects ? size / objects : 0,
    dataSize: size,
    storageSize: size,
    indexes,
    indexSize: 0,
    totalSize: size,
    scaleFactor: 1,
    fsUsedSize: 0,
    fsTotalSize: 0,
    ok: OK,
  };
};

const collStats: CommandHandler = (ctx) => {
  const name = collectionName(ctx);
  const collection = findCollection(ctx, name);
  if (!collection) throw EngineError.of('NamespaceNotFound', `Collection [${ctx.db}.${name}] not found.`);
  const size = dataSize(collection);
  const indexSizes: Doc = {};
  for (const ix of collection.indexes) indexSizes[ix.name] = 0;
  return {
    ns: collection.namespace,
    size,
    count: collection.size,
    avgObjSize: collection.size ? size / collection.size : 0,
    storageSize: size,
    nindexes: collection.indexes.length,
    totalIndexSize: 0,
    indexSizes,
    ok: OK,
  };
};

export const ddlCommands: Record<string, CommandHandler> = {
  create,
  drop,
  dropDatabase,
  listDatabases,
  listCollections,
  createIndexes,
  listIndexes,
  dropIndexes,
  deleteIndexes: dropIndexes,
  renameCollection,
  collMod,
  dbStats,
  dbstats: dbStats,
  collStats,
  collstats: collStats,
};

export type { CommandContext };
