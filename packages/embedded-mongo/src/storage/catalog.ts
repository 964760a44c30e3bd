/**
 * All databases and their collections. A database exists exactly while it holds a collection,
 * as with mongod.
 */
import { EngineError } from '../errors.js';
import type { Doc } from '../values.js';
import { CollectionStore } from './collection-store.js';

/** A read-only view: the documents of `viewOn` passed through `pipeline`. */
export interface ViewDefinition {
  name: string;
  viewOn: string;
  pipeline: Doc[];
}

export class Catalog {
  private readonly databases = new Map<string, Map<string, CollectionStore>>();
  private readonly views = new Map<string, Map<string, ViewDefinition>>();

  databaseNames(): string[] {
    return [...new Set([...this.databases.keys(), ...this.views.keys()])].sort();
  }

  viewsOf(dbName: string): ViewDefinition[] {
    return [...(this.views.get(dbName)?.values() ?? [])];
  }

  getView(dbName: string, name: string): ViewDefinition | undefined {
    return this.views.get(dbName)?.get(name);
  }

  createView(dbName: string, view: ViewDefinition): void {
    assertValidDbName(dbName);
    assertValidCollectionName(dbName, view.name);
    if (this.get(dbName, view.name) || this.getView(dbName, view.name)) {
      throw EngineError.of('NamespaceExists', `Namespace ${dbName}.${view.name} already exists`);
    }
    let db = this.views.get(dbName);
    if (!db) {
      db = new Map();
      this.views.set(dbName, db);
    }
    db.set(view.name, view);
  }

  dropView(dbName: string, name: string): boolean {
    const db = this.views.get(dbName);
    if (!db?.delete(name)) return false;
    if (db.size === 0) this.views.delete(dbName);
    return true;
  }

  /** Writes and index commands cannot target a view (mongod's CommandNotSupportedOnView). */
  assertNotView(dbName: string, name: string): void {
    if (this.getView(dbName, name)) {
      throw EngineError.of(
        'CommandNotSupportedOnView',
        `Namespace ${dbName}.${name} is a view, not a collection`,
      );
    }
  }

  collections(dbName: string): CollectionStore[] {
    return [...(this.databases.get(dbName)?.values() ?? [])];
  }

  get(dbName: string, name: string): CollectionStore | undefined {
    return this.databases.get(dbName)?.get(name);
  }

  /** The collection, created implicitly (as a first write does) when missing. */
  getOrCreate(dbName: string, name: string): CollectionStore {
    const existing = this.get(dbName, name);
    if (existing) return existing;
    this.assertNotView(dbName, name);
    return this.create(dbName, name, {});
  }

  create(dbName: string, name: string, options: Doc): CollectionStore {
    assertValidDbName(dbName);
    assertValidCollectionName(dbName, name);
    if (this.get(dbName, name) || this.getView(dbName, name)) {
      throw EngineError.of('NamespaceExists', `Collection ${dbName}.${name} already exists.`);
    }
    let db = this.databases.get(dbName);
    if (!db) {
      db = new Map();
      this.databases.set(dbName, db);
    }
    const collection = new CollectionStore(dbName, name, options);
    db.set(name, collection);
    return collection;
  }

  drop(dbName: string, name: string): boolean {
    const db = this.databases.get(dbName);
    if (!db?.delete(name)) return false;
    if (db.size === 0) this.databases.delete(dbName);
    return true;
  }

  rename(from: CollectionStore, toDb: string, toName: string): CollectionStore {
    assertValidDbName(toDb);
    assertValidCollectionName(toDb, toName);
    const renamed = new CollectionStore(toDb, toName, from.options);
    for (const spec of from.indexes.slice(1)) renamed.addIndex(spec.spec);
    for (const doc of from.docs.values()) renamed.insert(doc);
    this.drop(from.dbName, from.name);
    this.drop(toDb, toName);
    let db = this.databases.get(toDb);
    if (!db) {
      db = new Map();
      this.databases.set(toDb, db);
    }
    db.set(toName, renamed);
    return renamed;
  }

  dropDatabase(dbName: string): void {
    this.databases.delete(dbName);
    this.views.delete(dbName);
  }
}

export function assertValidDbName(name: string): void {
  if (!name || name.length >= 64 || /[/\\. "$\0]/.test(name)) {
    throw EngineError.of('InvalidNamespace', `Invalid database name: '${name}'`);
  }
}

export function assertValidCollectionName(dbName: string, name: string): void {
  if (
    !name ||
    name.includes('\0') ||
    name.startsWith('.') ||
    (name.includes('$') && !name.startsWith('system.'))
  ) {
    throw EngineError.of('InvalidNamespace', `Invalid collection name: ${dbName}.${name}`);
  }
}
