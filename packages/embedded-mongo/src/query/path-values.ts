/**
 * Pure: reading dotted paths out of engine documents (what `distinct` and similar commands need).
 */
import { bsonTag, dbRefAsObject, isPlainObject } from './bson-values.js';
import type { DBRef } from 'bson';

function child(value: unknown, key: string): unknown {
  if (isPlainObject(value)) return Object.hasOwn(value, key) ? value[key] : undefined;
  if (typeof value === 'object' && value !== null && bsonTag(value) === 'DBRef')
    return dbRefAsObject(value as DBRef)[key];
  return undefined;
}

function collect(value: unknown, parts: string[], i: number, out: unknown[]): void {
  if (value === undefined) return;
  if (i === parts.length) {
    if (Array.isArray(value)) out.push(...value);
    else out.push(value);
    return;
  }
  if (Array.isArray(value)) {
    const part = parts[i]!;
    if (/^(0|[1-9]\d*)$/.test(part)) {
      collect(value[Number(part)], parts, i + 1, out);
      return;
    }
    for (const el of value) if (isPlainObject(el)) collect(el, parts, i, out);
    return;
  }
  collect(child(value, parts[i]!), parts, i + 1, out);
}

/**
 * The values a dotted path reaches in a document, the way `distinct` sees them: arrays met on the
 * way are traversed (their embedded documents), an array at the end contributes its elements, a
 * numeric component indexes an array, and missing values contribute nothing.
 */
export function pathValues(doc: unknown, path: string): unknown[] {
  const out: unknown[] = [];
  collect(doc, path.split('.'), 0, out);
  return out;
}

/**
 * The value at a dotted path without array traversal (numeric components index arrays);
 * undefined when the path does not exist.
 */
export function getPath(doc: unknown, path: string): unknown {
  let value: unknown = doc;
  for (const part of path.split('.')) {
    if (Array.isArray(value)) {
      if (!/^(0|[1-9]\d*)$/.test(part)) return undefined;
      value = value[Number(part)];
    } else {
      value = child(value, part);
    }
    if (value === undefined) return undefined;
  }
  return value;
}
