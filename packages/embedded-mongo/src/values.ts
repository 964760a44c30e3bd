/**
 * Small pure helpers for reading command arguments (numbers arrive as JS numbers or bson wrappers).
 */
import { Decimal128, Double, Int32, Long } from 'bson';
import { bsonTypeName } from './query/index.js';
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
      `BSON field '${field}' is the wrong type '${bsonTypeName(value)}', expected types '[long, int, decimal, double]'`,
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

export function stringArg(cmd: Doc, field: string): string | undefined {
  const value = cmd[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    throw EngineError.of(
      'TypeMismatch',
      `BSON field '${field}' is the wrong type '${bsonTypeName(value)}', expected type 'string'`,
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
      `BSON field '${field}' is the wrong type '${bsonTypeName(value)}', expected type 'object'`,
    );
  }
  return value;
}
