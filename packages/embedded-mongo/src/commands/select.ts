/**
 * Shared read path (plan -> candidates -> full matcher -> sort -> skip/limit) and the document
 * checks every write path applies before storing.
 */
import { calculateObjectSize, ObjectId, BSONRegExp } from 'bson';
import { compareValues, compileFilter, compileSort, formatValue, makeCollator } from '../query/index.js';
import type { CompiledFilter } from '../query/index.js';
import { candidates, choosePlan, resolveHint } from '../planner.js';
import type { ExecutionStats, PlanChoice } from '../planner.js';
import type { CollectionStore } from '../storage/collection-store.js';
import { EngineError } from '../errors.js';
import { MAX_BSON_SIZE } from '../wire/protocol.js';
import { isPlainObject } from '../values.js';
import type { Doc } from '../values.js';

export interface SelectOptions {
  filter?: Doc;
  sort?: Doc;
  skip?: number;
  /** 0 or undefined: no limit. */
  limit?: number;
  hint?: unknown;
  variables?: Doc;
  /** For $$NOW inside $expr. */
  now: Date;
  /** Also record which array element matched (for positional `$` updates and projections). */
  withPosition?: boolean;
  /** The operation's collation (string comparisons in the filter and the sort). */
  collation?: unknown;
}

export interface SelectedDocument {
  rid: number;
  doc: Doc;
  /** The matched array element's index, when `withPosition` was asked for. */
  arrayIndex?: number;
  /** Keys / documents the scan had examined when it produced this document (to charge each batch its share). */
  keysExamined: number;
  docsExamined: number;
}

export interface Selection {
  selected: SelectedDocument[];
  matcher: CompiledFilter;
  stats: ExecutionStats;
  plan: PlanChoice;
  /** Documents that passed the filter (before skip and limit). */
  matched: number;
  /** The sort, when it ran in memory (a blocking SORT stage) rather than coming from the index order. */
  inMemorySort?: Doc;
  skip: number;
  limit: number;
}

export function selectDocuments(collection: CollectionStore | undefined, options: SelectOptions): Selection {
  const filter = options.filter ?? {};
  const matcher = compileFilter(filter, {
    variables: options.variables,
    now: options.now,
    collation: options.collation,
  });
  const stats: ExecutionStats = { docsExamined: 0, keysExamined: 0 };
  let hint = resolveHint(collection, options.hint);
  const sort =
    options.sort && Object.keys(options.sort).length
      ? compileSort(options.sort, { collation: options.collation })
      : undefined;
  const byFields = sort && sort.fields.length > 0 ? sort : undefined;
  // {$natural: ±1} asks for storage order, which only a collection scan gives.
  if (sort?.natural && !byFields) hint = null;
  const skip = options.skip ?? 0;
  const limit = options.limit ?? 0;
  if (!collection) return { selected: [], matcher, stats, plan: {}, matched: 0, skip, limit };
  // Indexes hold keys in simple (binary) order, so string bounds are wrong under another collation:
  // such a query scans (the hinted index entirely, or the collection).
  const collated = makeCollator(options.collation) !== undefined;
  const plan = collated
    ? hint
      ? { index: hint }
      : {}
    : choosePlan(collection, filter, hint, byFields?.fields);
  const sortInMemory = byFields && !plan.providesSort ? byFields : undefined;
  const reverse = sort?.natural === -1 && !byFields;
  // Without an in-memory sort the scan can stop as soon as enough documents matched.
  const stopAfter = !sortInMemory && !reverse && limit > 0 ? skip + limit : Infinity;
  const selected: SelectedDocument[] = [];
  for (const [rid, doc] of candidates(collection, plan, stats)) {
    const { keysExamined, docsExamined } = stats;
    if (options.withPosition) {
      const { matched, arrayIndex } = matcher.matchWithPosition(doc);
      if (!matched) continue;
      selected.push({ rid, doc, arrayIndex, keysExamined, docsExamined });
    } else {
      if (!matcher.matches(doc)) continue;
      selected.push({ rid, doc, keysExamined, docsExamined });
    }
    if (selected.length >= stopAfter) break;
  }
  if (sortInMemory) selected.sort((a, b) => sortInMemory(a.doc, b.doc));
  else if (reverse) selected.reverse();
  const end = limit > 0 ? skip + limit : undefined;
  return {
    selected: skip || end !== undefined ? selected.slice(skip, end) : selected,
    matcher,
    stats,
    plan,
    matched: selected.length,
    inMemorySort: sortInMemory ? options.sort : undefined,
    skip,
    limit,
  };
}

/** Refuses what mongod refuses for any stored document (size, `_id` type). */
export function assertStorable(doc: Doc, context: 'insert' | 'update'): void {
  const id = doc._id;
  if (Array.isArray(id)) throw EngineError.of('InvalidIdField', "The '_id' value cannot be of type array");
  if (id instanceof BSONRegExp) throw EngineError.of('InvalidIdField', "can't use a regex for _id");
  if (isPlainObject(id)) {
    for (const key of Object.keys(id)) {
      if (key.startsWith('$')) {
        throw EngineError.of(
          'DollarPrefixedFieldName',
          `_id fields may not contain '$'-prefixed fields: ${key} is not valid for storage.`,
        );
      }
    }
  }
  const size = calculateObjectSize(doc);
  if (size > MAX_BSON_SIZE) {
    if (context === 'insert') {
      throw EngineError.of(
        'BadValue',
        `object to insert too large. size in bytes: ${size}, max size: ${MAX_BSON_SIZE}`,
      );
    }
    throw EngineError.of('Location17419', `Resulting document after update is larger than ${MAX_BSON_SIZE}`);
  }
}

/** The document as stored: `_id` generated when missing and always moved first. */
export function withIdFirst(doc: Doc, fallbackId?: unknown): Doc {
  const id = doc._id !== undefined ? doc._id : (fallbackId ?? new ObjectId());
  const { _id: _ignored, ...rest } = doc;
  return { _id: id, ...rest };
}

export function prepareInsert(doc: Doc): Doc {
  const stored = Object.keys(doc)[0] === '_id' ? doc : withIdFirst(doc);
  assertStorable(stored, 'insert');
  return stored;
}

/** After an update `_id` must still hold the same value. */
export function assertIdUnchanged(before: Doc, after: Doc): void {
  if (compareValues(before._id, after._id) !== 0) {
    throw EngineError.of(
      'ImmutableField',
      `After applying the update, the (immutable) field '_id' was found to have been altered to _id: ${formatValue(after._id)}`,
    );
  }
}

/**
 * Enforces the collection's validator like mongod: skipped with bypassDocumentValidation, with
 * validationLevel "off", or with validationAction "warn"; "moderate" leaves already-invalid
 * documents updatable.
 */
export function assertPassesValidator(
  collection: CollectionStore | undefined,
  doc: Doc,
  options: { bypass: boolean; before?: Doc },
): void {
  const validator = collection?.validator;
  if (!validator || options.bypass) return;
  const { validationLevel = 'strict', validationAction = 'error' } = collection.options;
  if (validationLevel === 'off' || validationAction === 'warn') return;
  if (validationLevel === 'moderate' && options.before && !validator.matches(options.before)) return;
  if (validator.matches(doc)) return;
  throw EngineError.of('DocumentValidationFailure', 'Document failed validation', {
    errInfo: {
      failingDocumentId: doc._id,
      details: {
        operatorName: '$and',
        specifiedAs: collection.options.validator,
        reason: 'the document does not match the collection validator',
      },
    },
  });
}
