/**
 * Filters, updates and pipelines shaped like the ones Agenda's Mongo backend, mongoose and the
 * driver's helpers send, run end to end through the query module.
 */
import { describe, expect, it } from '@jest/globals';
import { ObjectId } from 'bson';
import {
  buildUpsertDocument,
  compileFilter,
  compileUpdate,
  runPipeline,
  sortDocuments,
} from '../../../src/query/index.js';
import type { EngineDocument } from '../../../src/query/index.js';
import { wire } from './wire.js';

const NOW = new Date('2024-05-01T12:00:00Z');
const minutes = (n: number) => new Date(NOW.getTime() + n * 60_000);

describe('Agenda job locking', () => {
  const jobs = [
    { _id: new ObjectId(), name: 'send', lockedAt: null, nextRunAt: minutes(-5), priority: 0 },
    { _id: new ObjectId(), name: 'send', lockedAt: null, nextRunAt: minutes(-10), priority: 10 },
    { _id: new ObjectId(), name: 'send', lockedAt: minutes(-60), nextRunAt: minutes(-1), priority: 0 },
    { _id: new ObjectId(), name: 'send', nextRunAt: minutes(30), priority: 0 },
    { _id: new ObjectId(), name: 'send', lockedAt: null, nextRunAt: minutes(-20), disabled: true },
    { _id: new ObjectId(), name: 'other', lockedAt: null, nextRunAt: minutes(-20) },
  ].map((d) => wire(d));

  it('finds the next runnable job, sorted by nextRunAt then priority, and locks it', () => {
    const filter = compileFilter(
      wire({
        name: 'send',
        disabled: { $ne: true },
        $or: [{ lockedAt: { $eq: null }, nextRunAt: { $lte: NOW } }, { lockedAt: { $lte: minutes(-30) } }],
      }),
    );
    const candidates = sortDocuments(
      jobs.filter((j) => filter.matches(j)),
      { nextRunAt: 1, priority: -1 },
    );
    expect(candidates.map((j) => j._id)).toEqual([jobs[1]!._id, jobs[0]!._id, jobs[2]!._id]);
    const lock = compileUpdate(wire({ $set: { lockedAt: NOW, lastModifiedBy: null } }));
    const { doc, changed } = lock.apply(candidates[0]!);
    expect(changed).toBe(true);
    expect(doc.lockedAt).toEqual(NOW);
    expect(candidates[0]!.lockedAt).toBeNull();
  });

  it('upserts a single job, protecting nextRunAt with $setOnInsert', () => {
    const inserted = buildUpsertDocument(
      wire({ name: 'daily', type: 'single' }),
      wire({
        $set: { name: 'daily', type: 'single', data: null, priority: 0 },
        $setOnInsert: { nextRunAt: minutes(-1) },
      }),
      { now: NOW },
    );
    expect(inserted).toEqual({
      name: 'daily',
      type: 'single',
      data: null,
      nextRunAt: minutes(-1),
      priority: 0,
    });
  });

  it('unlocks jobs with $unset on an $in of ids', () => {
    const filter = compileFilter(wire({ _id: { $in: [jobs[2]!._id, new ObjectId()] } }));
    const unlock = compileUpdate(wire({ $unset: { lockedAt: true } }));
    const updated = jobs.filter((j) => filter.matches(j)).map((j) => unlock.apply(j));
    expect(updated).toHaveLength(1);
    expect(updated[0]!.doc).not.toHaveProperty('lockedAt');
  });

  it('lists job names with a $group stage', () => {
    expect(runPipeline(jobs, [{ $group: { _id: '$name' } }, { $sort: { _id: 1 } }], { now: NOW })).toEqual([
      { _id: 'other' },
      { _id: 'send' },
    ]);
  });
});

describe('mongoose documents', () => {
  const userId = new ObjectId();
  const base: EngineDocument = wire({
    _id: userId,
    name: 'ann',
    tags: ['a', 'b'],
    devices: [
      { _id: new ObjectId(), serial: 'S1', status: 'active' },
      { _id: new ObjectId(), serial: 'S2', status: 'retired' },
    ],
    __v: 0,
  });

  it('applies a versioned save: $set, $push with $each and $inc __v guarded by the version in the filter', () => {
    const filter = compileFilter(wire({ _id: userId, __v: 0 }));
    expect(filter.matches(base)).toBe(true);
    const save = compileUpdate(
      wire({ $set: { name: 'anne' }, $push: { tags: { $each: ['c'] } }, $inc: { __v: 1 } }),
    );
    const { doc } = save.apply(base);
    expect(doc).toMatchObject({ name: 'anne', tags: ['a', 'b', 'c'], __v: 1 });
    expect(compileFilter(wire({ _id: userId, __v: 0 })).matches(doc)).toBe(false);
  });

  it('removes a subdocument with $pull by _id and updates one with the positional operator', () => {
    const removed = compileUpdate(
      wire({ $pull: { devices: { _id: (base.devices as EngineDocument[])[0]!._id } } }),
    ).apply(base).doc;
    expect((removed.devices as EngineDocument[]).map((d) => d.serial)).toEqual(['S2']);

    const filter = compileFilter(wire({ _id: userId, 'devices.serial': 'S2' }));
    const { arrayIndex } = filter.matchWithPosition(base);
    const retired = compileUpdate(wire({ $set: { 'devices.$.status': 'lost' } })).apply(base, {
      matchedIndex: arrayIndex,
    });
    expect((retired.doc.devices as EngineDocument[]).map((d) => d.status)).toEqual(['active', 'lost']);
  });

  it('counts documents the way the driver does (countDocuments pipeline)', () => {
    const docs = [base, wire({ _id: new ObjectId(), name: 'bob', tags: [] })];
    const out = runPipeline(
      docs,
      [{ $match: { tags: 'a' } }, { $skip: 0 }, { $group: { _id: 1, n: { $sum: 1 } } }],
      { now: NOW },
    );
    expect(out).toEqual([{ _id: 1, n: 1 }]);
  });

  it('filters subdocuments with $elemMatch and case-insensitive regexes', () => {
    expect(
      compileFilter(wire({ devices: { $elemMatch: { serial: /^s/i, status: 'retired' } } })).matches(base),
    ).toBe(true);
    expect(
      compileFilter(wire({ devices: { $elemMatch: { serial: 'S1', status: 'retired' } } })).matches(base),
    ).toBe(false);
  });
});
