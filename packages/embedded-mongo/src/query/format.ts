/**
 * Pure: renders values the way mongod prints them inside error messages ({_id: 1}, "x",
 * ObjectId('...')), so client-visible errors read like a real server's.
 */
import type { Binary, Decimal128, Long, ObjectId, Timestamp } from 'bson';
import { bsonTag, bsonTypeName, isPlainObject } from './bson-values.js';

/** mongod's rendering of a value in messages (BSONElement::toString without the field name). */
export function formatValue(v: unknown): string {
  switch (bsonTypeName(v)) {
    case 'int':
      return String(v);
    case 'double': {
      const n = typeof v === 'number' ? v : (v as { value: number }).value;
      return Number.isInteger(n) && Math.abs(n) < 1e21 ? `${n}.0` : String(n);
    }
    case 'long':
      return `${(v as Long).toString()}`;
    case 'decimal':
      return `NumberDecimal("${(v as Decimal128).toString()}")`;
    case 'string':
      return JSON.stringify(v);
    case 'symbol':
      return JSON.stringify((v as { value: string }).value);
    case 'bool':
      return String(v);
    case 'null':
      return 'null';
    case 'missing':
      return 'undefined';
    case 'objectId':
      return `ObjectId('${(v as ObjectId).toHexString()}')`;
    case 'date':
      return `new Date(${(v as Date).getTime()})`;
    case 'timestamp': {
      const ts = v as Timestamp;
      return `Timestamp(${ts.t}, ${ts.i})`;
    }
    case 'binData': {
      const b = v as Binary;
      return `BinData(${b.sub_type}, ${Buffer.from(b.buffer).toString('hex').toUpperCase()})`;
    }
    case 'regex': {
      const r =
        v instanceof RegExp
          ? { pattern: v.source, options: v.flags }
          : (v as { pattern: string; options: string });
      return `/${r.pattern}/${r.options}`;
    }
    case 'array': {
      const items = (v as unknown[]).map(formatValue);
      return items.length === 0 ? '[]' : `[ ${items.join(', ')} ]`;
    }
    case 'minKey':
      return 'MinKey';
    case 'maxKey':
      return 'MaxKey';
    case 'object': {
      const obj = isPlainObject(v)
        ? v
        : bsonTag(v as object) === 'DBRef'
          ? (v as { toJSON(): object }).toJSON()
          : {};
      const fields = Object.entries(obj as Record<string, unknown>).map(
        ([k, val]) => `${k}: ${formatValue(val)}`,
      );
      return fields.length === 0 ? '{}' : `{ ${fields.join(', ')} }`;
    }
    default:
      return String(v);
  }
}

/** `{_id: <value>}` as mongod prints a document's id in update error messages. */
export function formatIdOf(doc: Record<string, unknown>): string {
  return `{_id: ${formatValue(doc._id)}}`;
}
