/**
 * Pure: whether a query filter implies an index's `partialFilterExpression`, which is when mongod
 * lets the planner use a partial index (the index then holds every document the query can match).
 * Conservative: anything not recognised is "not implied", which only costs a scan.
 */
import { BSONRegExp } from 'bson';
import { bsonTypeName, compareValues, compileFilter } from './query/index.js';
import { isPlainObject } from './values.js';
import type { Doc } from './values.js';

/** Operators whose truth for a field equal to `v` carries over to arrays that contain `v`. */
const ELEMENT_WISE = new Set(['$eq', '$exists', '$type', '$gt', '$gte', '$lt', '$lte', '$in']);
const LOWER = new Set(['$gt', '$gte']);
const UPPER = new Set(['$lt', '$lte']);

function isOperatorObject(value: unknown): value is Doc {
  if (!isPlainObject(value)) return false;
  const first = Object.keys(value)[0];
  return first !== undefined && first.startsWith('$');
}

/** The conjuncts of a filter: its top-level entries and those of (nested) top-level `$and`s. */
function conjuncts(filter: Doc, out: Array<[string, unknown]> = []): Array<[string, unknown]> {
  for (const [key, value] of Object.entries(filter)) {
    if (key === '$and' && Array.isArray(value)) {
      for (const clause of value) if (isPlainObject(clause)) conjuncts(clause, out);
    } else {
      out.push([key, value]);
    }
  }
  return out;
}

function bracket(value: unknown): string {
  const name = bsonTypeName(value);
  return name === 'int' || name === 'long' || name === 'double' || name === 'decimal' ? 'number' : name;
}

/** Whether every document whose field equals `v` (or holds `v` in an array) passes `{field: {op: arg}}`. */
function equalityImplies(v: unknown, op: string, arg: unknown): boolean {
  if (v === null || v === undefined || v instanceof BSONRegExp || v instanceof RegExp) return false;
  if (isOperatorObject(v) || !ELEMENT_WISE.has(op)) return false;
  // An array value also matches arrays holding it as an element: only type/existence carry over.
  if (Array.isArray(v) && op !== '$exists' && op !== '$type' && op !== '$eq') return false;
  try {
    return compileFilter({ x: { [op]: arg } }).matches({ x: v });
  } catch {
    // An operand the matcher refuses (e.g. an unknown $type alias) proves nothing.
    return false;
  }
}

/** Whether the query operator `qop: qarg` on a field implies `op: arg` on the same field. */
function operatorImplies(qop: string, qarg: unknown, op: string, arg: unknown): boolean {
  if (qop === op && compareValues(qarg, arg) === 0) return true;
  if (qop === '$eq') return equalityImplies(qarg, op, arg);
  if (qop === '$in') return Array.isArray(qarg) && qarg.every((v) => equalityImplies(v, op, arg));
  if (op === '$exists') {
    if (arg !== true && !(typeof arg === 'number' && arg !== 0)) return false;
    if (qop === '$type' || (qop === '$exists' && qarg)) return true;
    return (LOWER.has(qop) || UPPER.has(qop)) && qarg !== null && qarg !== undefined;
  }
  const sameSide = (LOWER.has(op) && LOWER.has(qop)) || (UPPER.has(op) && UPPER.has(qop));
  if (!sameSide || bracket(qarg) !== bracket(arg) || qarg === null) return false;
  const c = compareValues(qarg, arg);
  const strictQuery = qop === '$gt' || qop === '$lt';
  const strictPartial = op === '$gt' || op === '$lt';
  const tighter = LOWER.has(op) ? c > 0 : c < 0;
  return tighter || (c === 0 && (strictQuery || !strictPartial));
}

/** Whether the query's predicates on `field` imply `{field: partialValue}`. */
function fieldImplied(queryValues: unknown[], partialValue: unknown): boolean {
  if (queryValues.some((q) => compareValues(q, partialValue) === 0)) return true;
  const required = isOperatorObject(partialValue) ? Object.entries(partialValue) : [['$eq', partialValue]];
  return required.every(([op, arg]) =>
    queryValues.some((q) =>
      isOperatorObject(q)
        ? Object.entries(q).some(([qop, qarg]) => operatorImplies(qop, qarg, op as string, arg))
        : equalityImplies(q, op as string, arg),
    ),
  );
}

/** Whether every document matching `filter` also matches `partial`. */
export function filterImplies(filter: Doc, partial: Doc): boolean {
  const byField = new Map<string, unknown[]>();
  for (const [key, value] of conjuncts(filter)) {
    const list = byField.get(key) ?? [];
    list.push(value);
    byField.set(key, list);
  }
  return conjuncts(partial).every(([key, value]) => {
    const queryValues = byField.get(key);
    if (!queryValues) return false;
    if (key.startsWith('$')) return queryValues.some((q) => compareValues(q, value) === 0);
    return fieldImplied(queryValues, value);
  });
}
