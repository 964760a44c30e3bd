/**
 * Small pure helpers for reading command arguments (numbers arrive as JS numbers or bson wrappers)
 * and for rendering values the way mongod prints them in error messages.
 */
import { Binary, BSONRegExp, Decimal128, Double, Int32, Long, ObjectId, Timestamp } from 'bson';
import { EngineError } from './errors.js';

export type Doc = Record<string, unknown>;

/** mongod sends `ok` as a double; a JS 1 would serialize as Int32. */
export const OK = new Double(1);

export function isPlainObject(value: unknown): value is Doc {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

export function isNumeric(value: unknown): boolean {
  return (
    typeof value === 'number' ||
    value instanceof Double ||
    value instanceof Int32 ||
    value instanceof Long ||
    value instanceof Decimal128
  );
}

/** A command argument as a JS number, or undefined when absent/non-numeric. */
export function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (value instanceof Double || value instanceof Int32) return value.valueOf();
  if (value instanceof Long) return value.toNumber();
  if (value instanceof Decimal128) return Number(value.toString());
  if (typeof value === 'bigint') return Number(value);
  return undefined;
}

/** Reads an optional numeric argument, refusing other types like mongod's IDL parser does. */
export function numberArg(cmd: Doc, field: string): number | undefined {
  const value = cmd[field];
  if (value === undefined || value === null) return undefined;
  const num = toNumber(value);
  if (num === undefined) {
    throw EngineError.of(
      'TypeMismatch',
      `BSON field '${field}' is the wrong type '${typeLabel(value)}', expected types '[long, int, decimal, double]'`,
    );
  }
  return num;
}

/** Truthiness the way mongod reads boolean-ish options (numbers count). */
export function truthy(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'boolean') return value;
  const num = toNumber(value);
  if (num !== undefined) return num !== 0;
  return true;
}

export function typeLabel(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'missing';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'double';
  if (value instanceof Double) return 'double';
  if (value instanceof Int32) return 'int';
  if (value instanceof Long) return 'long';
  if (value instanceof Decimal128) return 'decimal';
  if (Array.isArray(value)) return 'array';
  if (value instanceof Date) return 'date';
  if (value instanceof ObjectId) return 'objectId';
  if (value instanceof Binary) return 'binData';
  if (value instanceof BSONRegExp) return 'regex';
  if (value instanceof Timestamp) return 'timestamp';
  return 'object';
}

function quote(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** Renders a value like mongod's BSON-to-string used in E11000 messages. */
export function formatValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return quote(value);
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return String(value);
  if (value instanceof Double) {
    const n = value.valueOf();
    return Number.isInteger(n) ? `${n}.0` : String(n);
  }
  if (value instanceof Int32) return String(value.valueOf());
  if (value instanceof Long) return value.toString();
  if (value instanceof Decimal128) return `NumberDecimal("${value.toString()}")`;
  if (value instanceof ObjectId) return `ObjectId('${value.toHexString()}')`;
  if (value instanceof Date) return `new Date(${value.getTime()})`;
  if (value instanceof Binary)
    return `BinData(${value.sub_type}, ${Buffer.from(value.buffer).toString('hex').toUpperCase()})`;
  if (value instanceof BSONRegExp) return `/${value.pattern}/${value.options}`;
  if (value instanceof Timestamp) return `Timestamp(${value.high}, ${value.low})`;
  if (Array.isArray(value)) return value.length ? `[ ${value.map(formatValue).join(', ')} ]` : '[]';
  if (typeof value === 'object') {
    const entries = Object.entries(value as Doc);
    if (!entries.length) return '{}';
    return `{ ${entries.map(([k, v]) => `${k}: ${formatValue(v)}`).join(', ')} }`;
  }
  return String(value);
}

export function stringArg(cmd: Doc, field: string): string | undefined {
  const value = cmd[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    throw EngineError.of(
      'TypeMismatch',
      `BSON field '${field}' is the wrong type '${typeLabel(value)}', expected type 'string'`,
    );
  }
  return value;
}

export function docArg(cmd: Doc, field: string): Doc | undefined {
  const value = cmd[field];
  if (value === undefined || value === null) return undefined;
  if (!isPlainObject(value)) {
    throw EngineError.of(
      'TypeMismatch',
      `BSON field '${field}' is the wrong type '${typeLabel(value)}', expected type 'object'`,
    );
  }
  return value;
}
