/**
 * A collection's documents (by record id, in insertion order) and its indexes. Every write checks
 * all unique indexes before touching anything, so a failed write leaves no partial state.
 * Documents are never mutated after they are stored (updates store a new object).
 */
import { UUID } from 'bson';
import { EngineError } from '../errors.js';
import { compileFilter } from '../query/index.js';
import type { CompiledFilter } from '../query/index.js';
import { isPlainObject } from '../values.js';
import type { Doc } from '../values.js';
import { IndexStore } from './index-store.js';

export class CollectionStore {
  readonly docs = new Map<number, Doc>();
  readonly indexes: IndexStore[] = [];
  readonly uuid = new UUID();
  private nextRid = 1;
  /** Running totals, exposed for explain/debugging. */
  readonly stats = { docsExamined: 0, keysExamined: 0 };

  /** The compiled `validator` option, when the collection has one. */
  validator: CompiledFilter | undefined;

  constructor(
    readonly dbName: string,
    readonly name: string,
    readonly options: Doc = {},
  ) {
    this.indexes.push(new IndexStore({ v: 2, key: { _id: 1 }, name: '_id_' }, this.namespace));
    this.setValidation({});
  }

  /** Updates validator / validationLevel / validationAction (create and collMod). */
  setValidation(changes: Doc): void {
    for (const key of ['validator', 'validationLevel', 'validationAction']) {
      if (key in changes) this.options[key] = changes[key];
    }
    const validator = this.options.validator;
    this.validator =
      isPlainObject(validator) && Object.keys(validator).length > 0 ? compileFilter(validator) : undefined;
  }

  /** A read-only stand-in holding a view's documents: no indexes, so reads scan it in order. */
  static ofViewResult(dbName: string, name: string, docs: Doc[]): CollectionStore {
    const store = new CollectionStore(dbName, name);
    store.indexes.length = 0;
    docs.forEach((doc) => store.docs.set(store.nextRid++, doc));
    return store;
  }

  get namespace(): string {
    return `${this.dbName}.${this.name}`;
  }

  get size(): number {
    return this.docs.size;
  }

  getIndex(name: string): IndexStore | undefined {
    return this.indexes.find((ix) => ix.name === name);
  }

  /** Inserts a validated document (it already has `_id` first); throws DuplicateKey. Returns the record id. */
  insert(doc: Doc): number {
    const keys = this.indexes.map((ix) => ix.keysFor(doc));
    this.indexes.forEach((ix, i) => {
      const conflict = ix.findConflict(keys[i]!, -1);
      if (conflict) throw ix.duplicateKeyError(conflict);
    });
    const rid = this.nextRid++;
    this.docs.set(rid, doc);
    this.indexes.forEach((ix, i) => ix.add(rid, keys[i]!));
    return rid;
  }

  /** Replaces the document stored under `rid`; throws DuplicateKey leaving the old one in place. */
  replace(rid: number, next: Doc): void {
    const previous = this.docs.get(rid);
    if (!previous) throw new EngineError(1, `record ${rid} vanished during update`);
    const oldKeys = this.indexes.map((ix) => ix.keysFor(previous));
    const newKeys = this.indexes.map((ix) => ix.keysFor(next));
    this.indexes.forEach((ix, i) => {
      const conflict = ix.findConflict(newKeys[i]!, rid);
      if (conflict) throw ix.duplicateKeyError(conflict);
    });
    this.docs.set(rid, next);
    this.indexes.forEach((ix, i) => ix.update(rid, oldKeys[i]!, newKeys[i]!));
  }

  remove(rid: number): Doc | undefined {
    const doc = this.docs.get(rid);
    if (!doc) return undefined;
    for (const ix of this.indexes) ix.remove(rid, ix.keysFor(doc));
    this.docs.delete(rid);
    return doc;
  }

  /** Adds an index over the existing documents; throws (adding nothing) if a unique index finds duplicates. */
  addIndex(spec: Doc): IndexStore {
    const index = new IndexStore(spec, this.namespace);
    for (const [rid, doc] of this.docs) {
      const keys = index.keysFor(doc);
      const conflict = index.findConflict(keys, rid);
      if (conflict) {
        const dup = index.duplicateKeyError(conflict);
        const uuid = this.uuid.toHexString();
        throw new EngineError(
          11000,
          `Index build failed: ${uuid}: Collection ${this.namespace} ( ${uuid} ) :: caused by :: ${dup.message}`,
          dup.extra,
          'DuplicateKey',
        );
      }
      index.add(rid, keys);
    }
    this.indexes.push(index);
    return index;
  }

  dropIndex(name: string): void {
    const i = this.indexes.findIndex((ix) => ix.name === name);
    if (i > 0) this.indexes.splice(i, 1);
  }
}
