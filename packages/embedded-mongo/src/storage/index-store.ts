/**
 * One secondary (or `_id`) index: an ordered list of (key tuple, record id) kept in BSON order, with
 * mongod's unique / sparse / partial / multikey rules. Writes go through CollectionStore.
 */
import { compareIndexKeys, compileFilter, compileIndexKeys, formatValue } from '../query/index.js';
import type { CompiledFilter, IndexKeyInfo } from '../query/index.js';
import { EngineError } from '../errors.js';
import { isPlainObject, toNumber } from '../values.js';
import type { Doc } from '../values.js';
import { SortedList } from './sorted-list.js';

export interface IndexEntry {
  key: unknown[];
  rid: number;
}

/** Key tuples in plain ascending BSON order (storage order ignores per-field direction). */
export function compareKeyTuples(a: readonly unknown[], b: readonly unknown[]): number {
  return compareIndexKeys(a, b);
}

function compareEntries(a: IndexEntry, b: IndexEntry): number {
  return compareKeyTuples(a.key, b.key) || a.rid - b.rid;
}

/** Whether any value exists at a dotted path (through arrays), for sparse indexes. */
function pathExists(value: unknown, parts: string[], i = 0): boolean {
  if (i === parts.length) return value !== undefined;
  if (Array.isArray(value)) {
    const part = parts[i]!;
    if (/^\d+$/.test(part) && pathExists(value[Number(part)], parts, i + 1)) return true;
    return value.some((el) => pathExists(el, parts, i));
  }
  if (value === null || typeof value !== 'object' || !isPlainObject(value)) return false;
  return pathExists(value[parts[i]!], parts, i + 1);
}

export class IndexStore {
  readonly name: string;
  readonly keyPattern: Doc;
  readonly fields: string[];
  readonly unique: boolean;
  readonly sparse: boolean;
  private readonly partial: CompiledFilter | undefined;
  private readonly fieldParts: string[][];
  private readonly keysOf: (doc: Doc) => IndexKeyInfo;
  readonly entries = new SortedList<IndexEntry>(compareEntries);
  /** Set once any document contributed more than one key (mongod's "isMultiKey"). */
  multikey = false;
  /** The key-pattern fields that reached an array (mongod's "multiKeyPaths"). */
  readonly multikeyFields = new Set<string>();

  constructor(
    readonly spec: Doc,
    private readonly namespace: string,
  ) {
    this.name = spec.name as string;
    this.keyPattern = spec.key as Doc;
    this.fields = Object.keys(this.keyPattern);
    this.fieldParts = this.fields.map((f) => f.split('.'));
    this.keysOf = compileIndexKeys(this.keyPattern);
    this.unique = spec.unique === true || this.name === '_id_';
    this.sparse = spec.sparse === true;
    const partial = spec.partialFilterExpression;
    this.partial = isPlainObject(partial) ? compileFilter(partial) : undefined;
  }

  get isIdIndex(): boolean {
    return this.name === '_id_';
  }

  get isPartial(): boolean {
    return this.partial !== undefined;
  }

  get expireAfterSeconds(): number | undefined {
    return toNumber(this.spec.expireAfterSeconds);
  }

  /** The distinct key tuples this document contributes; empty when the index excludes it. */
  keysFor(doc: Doc): unknown[][] {
    if (this.sparse && !this.fieldParts.some((parts) => pathExists(doc, parts))) return [];
    if (this.partial && !this.partial.matches(doc)) return [];
    const info = this.keysOf(doc);
    // Conservative: a document that reaches an array through an indexed path (even one whose write
    // later fails) marks the index multikey, which only narrows how the planner may bound scans.
    if (info.multikey) {
      this.multikey = true;
      for (const path of info.multikeyPaths) this.multikeyFields.add(path);
    }
    return info.keys;
  }

  /** For a unique index, the first key already held by another record. */
  findConflict(keys: unknown[][], rid: number): unknown[] | undefined {
    if (!this.unique) return undefined;
    for (const key of keys) {
      const pos = this.entries.firstWhere((e) => compareKeyTuples(e.key, key) >= 0);
      for (const entry of this.entries.range(pos)) {
        if (compareKeyTuples(entry.key, key) !== 0) break;
        if (entry.rid !== rid) return key;
      }
    }
    return undefined;
  }

  duplicateKeyError(key: unknown[]): EngineError {
    const keyValue: Doc = {};
    this.fields.forEach((field, i) => {
      keyValue[field] = key[i] === undefined ? null : key[i];
    });
    return new EngineError(
      11000,
      `E11000 duplicate key error collection: ${this.namespace} index: ${this.name} dup key: ${formatValue(keyValue)}`,
      { keyPattern: this.keyPattern, keyValue },
      'DuplicateKey',
    );
  }

  add(rid: number, keys: unknown[][]): void {
    for (const key of keys) this.entries.insert({ key, rid });
  }

  remove(rid: number, keys: unknown[][]): void {
    for (const key of keys) this.entries.remove({ key, rid });
  }

  /**
   * Moves a record from `before` to `after` touching only the keys that differ, as mongod does: an
   * update that leaves an index's keys alone (most of a multikey array, every unrelated index) costs nothing there.
   */
  update(rid: number, before: unknown[][], after: unknown[][]): void {
    const sortedBefore = [...before].sort(compareKeyTuples);
    const sortedAfter = [...after].sort(compareKeyTuples);
    let i = 0;
    let j = 0;
    while (i < sortedBefore.length || j < sortedAfter.length) {
      const order =
        i >= sortedBefore.length
          ? 1
          : j >= sortedAfter.length
            ? -1
            : compareKeyTuples(sortedBefore[i]!, sortedAfter[j]!);
      if (order === 0) {
        i++;
        j++;
      } else if (order < 0) {
        this.entries.remove({ key: sortedBefore[i++]!, rid });
      } else {
        this.entries.insert({ key: sortedAfter[j++]!, rid });
      }
    }
  }
}

/** The name mongod derives from a key pattern: `a_1_b_-1`. */
export function defaultIndexName(key: Doc): string {
  return Object.entries(key)
    .map(([field, dir]) => `${field}_${typeof dir === 'string' ? dir : String(toNumber(dir) ?? dir)}`)
    .join('_');
}

export function assertValidKeyPattern(key: unknown): asserts key is Doc {
  if (!isPlainObject(key) || Object.keys(key).length === 0) {
    throw EngineError.of('CannotCreateIndex', 'Index keys cannot be an empty field.');
  }
  for (const [field, dir] of Object.entries(key)) {
    if (typeof dir === 'string') {
      throw new EngineError(
        67,
        `Index type '${dir}' on field '${field}' is not supported by the embedded engine`,
        {},
        'CannotCreateIndex',
      );
    }
    const num = toNumber(dir);
    if (num === undefined || num === 0 || Number.isNaN(num)) {
      throw EngineError.of(
        'CannotCreateIndex',
        `Values in the index key pattern can't be 0 or non-numeric: ${formatValue(key)}`,
      );
    }
  }
}
