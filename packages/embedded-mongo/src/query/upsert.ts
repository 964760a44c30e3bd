/**
 * Pure: builds the document an upsert inserts — the filter's equality fields, then the update
 * applied with `$setOnInsert` active — the way mongod does.
 */
import { EngineError, ErrorCodes } from '../errors.js';
import { cloneValue, isPlainObject, isRegexValue, normalizeValue } from './bson-values.js';
import type { EngineDocument } from './bson-values.js';
import { compileUpdate } from './update.js';
import type { ApplyOptions, UpdateOptions } from './update.js';

function notSingleValue(message: string): EngineError {
  return new EngineError(ErrorCodes.NotSingleValueField, message);
}

/** Collects the (path, value) equality clauses mongod uses to seed an upsert. */
function collectEqualities(filter: Record<string, unknown>, out: [string, unknown][]): void {
  for (const [key, value] of Object.entries(filter)) {
    if (key === '$and') {
      if (Array.isArray(value))
        for (const clause of value) if (isPlainObject(clause)) collectEqualities(clause, out);
      continue;
    }
    if (key === '$or' || key === '$nor') {
      // A single-branch $or is the same as its branch.
      if (key === '$or' && Array.isArray(value) && value.length === 1 && isPlainObject(value[0])) {
        collectEqualities(value[0], out);
      }
      continue;
    }
    if (key.startsWith('$')) continue;
    if (isRegexValue(value)) continue;
    const first = isPlainObject(value) ? Object.keys(value)[0] : undefined;
    if (
      first !== undefined &&
      first.startsWith('$') &&
      first !== '$ref' &&
      first !== '$id' &&
      first !== '$db'
    ) {
      const ops = value as Record<string, unknown>;
      if (Object.hasOwn(ops, '$eq') && !isRegexValue(ops.$eq)) out.push([key, ops.$eq]);
      else if (Array.isArray(ops.$in) && ops.$in.length === 1 && !isRegexValue(ops.$in[0]))
        out.push([key, ops.$in[0]]);
      continue;
    }
    out.push([key, value]);
  }
}

/**
 * The seed document of an upsert: equality clauses of the filter (plain values, `$eq`,
 * single-value `$in`, and fields inside top-level `$and`), dotted paths expanded into nested
 * documents, `_id` first. Conflicting clauses throw NotSingleValueField (54) like mongod.
 */
export function seedUpsertDocument(filter: Record<string, unknown> | undefined | null): EngineDocument {
  const clauses: [string, unknown][] = [];
  collectEqualities((normalizeValue(filter ?? {}) ?? {}) as Record<string, unknown>, clauses);
  const seed: EngineDocument = {};
  const seen: string[] = [];
  clauses.sort(([a], [b]) => (a === '_id' ? -1 : b === '_id' ? 1 : 0));
  for (const [path, value] of clauses) {
    for (const other of seen) {
      if (other === path)
        throw notSingleValue(`cannot infer query fields to set, path '${path}' is matched twice`);
      if (other.startsWith(path + '.') || path.startsWith(other + '.')) {
        throw notSingleValue(
          `cannot infer query fields to set, both paths '${path}' and '${other}' are matched`,
        );
      }
    }
    seen.push(path);
    const parts = path.split('.');
    let container: Record<string, unknown> = seed;
    for (let i = 0; i < parts.length - 1; i++) {
      const part = parts[i]!;
      let child = container[part];
      if (child === undefined) {
        child = {};
        container[part] = child;
      } else if (!isPlainObject(child)) {
        throw notSingleValue(`cannot infer query fields to set, path '${path}' is matched twice`);
      }
      container = child as Record<string, unknown>;
    }
    container[parts.at(-1)!] = cloneValue(value);
  }
  return seed;
}

/**
 * The document an upsert inserts when nothing matched: for operator and pipeline updates, the
 * seed from {@link seedUpsertDocument} with the update applied (`$setOnInsert` active); for a
 * replacement, the replacement with the filter's `_id` when it has none. The caller generates an
 * ObjectId `_id` if the result still lacks one.
 */
export function buildUpsertDocument(
  filter: Record<string, unknown> | undefined | null,
  update: unknown,
  options: UpdateOptions & Pick<ApplyOptions, 'now' | 'timestamp'> = {},
): EngineDocument {
  const compiled = compileUpdate(update, options);
  const seed = seedUpsertDocument(filter);
  const base = compiled.kind === 'replacement' ? (seed._id !== undefined ? { _id: seed._id } : {}) : seed;
  const { doc } = compiled.apply(base, { isUpsert: true, now: options.now, timestamp: options.timestamp });
  if (doc._id === undefined || Object.keys(doc)[0] === '_id') return doc;
  const { _id, ...rest } = doc;
  return { _id, ...rest };
}
