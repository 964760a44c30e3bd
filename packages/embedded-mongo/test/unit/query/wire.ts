/** Test helper: round-trips values through BSON exactly as the server receives them off the wire. */
import { deserialize, serialize } from 'bson';
import { normalizeDocument } from '../../../src/query/index.js';

/** A document as the engine sees it after bson.deserialize(promoteValues: false) + normalizeDocument. */
export function wire(doc: Record<string, unknown>): Record<string, unknown> {
  return normalizeDocument(deserialize(serialize(doc), { promoteValues: false, bsonRegExp: true }));
}

/** The BSON type byte a value serializes to (1 double, 16 int32, 18 int64, 19 decimal...). */
export function bsonTypeByte(value: unknown): number {
  return serialize({ v: value })[4]!;
}

export const BSON_DOUBLE = 1;
export const BSON_INT32 = 16;
export const BSON_INT64 = 18;
export const BSON_DECIMAL = 19;
