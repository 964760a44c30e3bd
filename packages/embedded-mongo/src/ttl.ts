/**
 * TTL expiry: one pass over every TTL index, deleting documents whose indexed date (the earliest
 * one, for arrays) lies more than `expireAfterSeconds` in the past — mongod's TTL monitor rules.
 */
import type { Catalog } from './storage/catalog.js';
import type { Doc } from './values.js';

function earliestDate(doc: Doc, path: string): number | undefined {
  let value: unknown = doc;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    value = (value as Doc)[part];
  }
  const candidates = Array.isArray(value) ? value : [value];
  let earliest: number | undefined;
  for (const item of candidates) {
    if (item instanceof Date && !Number.isNaN(item.getTime())) {
      earliest = earliest === undefined ? item.getTime() : Math.min(earliest, item.getTime());
    }
  }
  return earliest;
}

/** Deletes expired documents everywhere; returns how many. */
export function sweepExpiredDocuments(catalog: Catalog, now: number): number {
  let deleted = 0;
  for (const dbName of catalog.databaseNames()) {
    for (const collection of catalog.collections(dbName)) {
      for (const index of collection.indexes) {
        const seconds = index.expireAfterSeconds;
        // Only single-field indexes expire documents, as in mongod.
        if (seconds === undefined || index.fields.length !== 1) continue;
        const field = index.fields[0]!;
        const cutoff = now - seconds * 1000;
        const expired: number[] = [];
        for (const [rid, doc] of collection.docs) {
          const date = earliestDate(doc, field);
          if (date !== undefined && date < cutoff) expired.push(rid);
        }
        for (const rid of expired) collection.remove(rid);
        deleted += expired.length;
      }
    }
  }
  return deleted;
}
