/**
 * Mongoose 9 aggregation pipelines against the test database backend: $match, $group, $sort,
 * $lookup, $unwind, $project and $facet, with results computed independently in the test.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import mongoose, { Schema, type Connection, type Model } from 'mongoose';
import { createTestDatabase } from '../support/test-database.js';

interface Person {
  _id: number;
  name: string;
  team: string;
}

interface Device {
  tag: string;
  kind: 'laptop' | 'phone' | 'monitor';
  ownerId: number | null;
  cost: number;
  tags: string[];
}

let backend: Awaited<ReturnType<typeof createTestDatabase>>;
let connection: Connection;
let People: Model<Person>;
let Devices: Model<Device>;

const people: Person[] = [
  { _id: 1, name: 'Ada', team: 'eng' },
  { _id: 2, name: 'Bob', team: 'ops' },
  { _id: 3, name: 'Cyd', team: 'eng' },
];

const devices: Device[] = [
  { tag: 'D1', kind: 'laptop', ownerId: 1, cost: 2000, tags: ['mac', 'new'] },
  { tag: 'D2', kind: 'phone', ownerId: 1, cost: 800, tags: ['ios'] },
  { tag: 'D3', kind: 'laptop', ownerId: 2, cost: 1500, tags: ['linux'] },
  { tag: 'D4', kind: 'monitor', ownerId: null, cost: 300, tags: [] },
  { tag: 'D5', kind: 'monitor', ownerId: 3, cost: 350, tags: ['4k', 'new'] },
  { tag: 'D6', kind: 'laptop', ownerId: 3, cost: 1800, tags: ['mac'] },
];

beforeAll(async () => {
  backend = await createTestDatabase();
  connection = mongoose.createConnection(backend.uri, { serverSelectionTimeoutMS: 10_000 });
  await connection.asPromise();
  People = connection.model<Person>(
    'Person',
    new Schema<Person>({ _id: Number, name: String, team: String }),
  );
  Devices = connection.model<Device>(
    'Device',
    new Schema<Device>({
      tag: String,
      kind: String,
      ownerId: { type: Number, default: null },
      cost: Number,
      tags: [String],
    }),
  );
  await Promise.all([People.init(), Devices.init()]);
  await People.insertMany(people);
  await Devices.insertMany(devices);
}, 60_000);

afterAll(async () => {
  await connection?.close();
  await backend?.stop();
});

describe('aggregate', () => {
  it('$match + $group + $sort computes per-group sums, counts, averages and extremes', async () => {
    const rows = await Devices.aggregate<{
      _id: string;
      total: number;
      count: number;
      avg: number;
      max: number;
      tags: string[];
    }>([
      { $match: { cost: { $gte: 300 } } },
      {
        $group: {
          _id: '$kind',
          total: { $sum: '$cost' },
          count: { $sum: 1 },
          avg: { $avg: '$cost' },
          max: { $max: '$cost' },
          tags: { $push: '$tag' },
        },
      },
      { $sort: { total: -1 } },
    ]);
    expect(rows).toEqual([
      { _id: 'laptop', total: 5300, count: 3, avg: 5300 / 3, max: 2000, tags: ['D1', 'D3', 'D6'] },
      { _id: 'phone', total: 800, count: 1, avg: 800, max: 800, tags: ['D2'] },
      { _id: 'monitor', total: 650, count: 2, avg: 325, max: 350, tags: ['D4', 'D5'] },
    ]);
  });

  it('$lookup + $unwind + $project joins owners onto devices', async () => {
    const rows = await Devices.aggregate([
      { $match: { kind: 'laptop' } },
      { $lookup: { from: People.collection.name, localField: 'ownerId', foreignField: '_id', as: 'owner' } },
      { $unwind: '$owner' },
      {
        $project: {
          _id: 0,
          tag: 1,
          ownerName: '$owner.name',
          team: '$owner.team',
          expensive: { $gt: ['$cost', 1600] },
        },
      },
      { $sort: { tag: 1 } },
    ]);
    expect(rows).toEqual([
      { tag: 'D1', ownerName: 'Ada', team: 'eng', expensive: true },
      { tag: 'D3', ownerName: 'Bob', team: 'ops', expensive: false },
      { tag: 'D6', ownerName: 'Cyd', team: 'eng', expensive: true },
    ]);
  });

  it('$unwind drops documents with empty arrays unless asked to preserve them', async () => {
    const counts = await Devices.aggregate([
      { $unwind: '$tags' },
      { $group: { _id: '$tags', n: { $sum: 1 } } },
      { $sort: { n: -1, _id: 1 } },
    ]);
    expect(counts).toEqual([
      { _id: 'mac', n: 2 },
      { _id: 'new', n: 2 },
      { _id: '4k', n: 1 },
      { _id: 'ios', n: 1 },
      { _id: 'linux', n: 1 },
    ]);
    const preserved = await Devices.aggregate([
      { $unwind: { path: '$tags', preserveNullAndEmptyArrays: true } },
      { $match: { tag: 'D4' } },
      { $project: { _id: 0, tag: 1, tags: 1 } },
    ]);
    expect(preserved).toEqual([{ tag: 'D4' }]);
  });

  it('$lookup with a join per team, grouped through people', async () => {
    const rows = await People.aggregate([
      {
        $lookup: { from: Devices.collection.name, localField: '_id', foreignField: 'ownerId', as: 'devices' },
      },
      { $unwind: '$devices' },
      { $group: { _id: '$team', spend: { $sum: '$devices.cost' }, people: { $addToSet: '$name' } } },
      { $project: { spend: 1, headcount: { $size: '$people' } } },
      { $sort: { _id: 1 } },
    ]);
    expect(rows).toEqual([
      { _id: 'eng', spend: 2000 + 800 + 350 + 1800, headcount: 2 },
      { _id: 'ops', spend: 1500, headcount: 1 },
    ]);
  });

  it('$facet runs several sub-pipelines over the same input', async () => {
    const [result] = await Devices.aggregate<{
      byKind: { _id: string; n: number }[];
      priciest: { tag: string; cost: number }[];
      unassigned: { count: number }[];
    }>([
      {
        $facet: {
          byKind: [{ $group: { _id: '$kind', n: { $sum: 1 } } }, { $sort: { _id: 1 } }],
          priciest: [{ $sort: { cost: -1 } }, { $limit: 2 }, { $project: { _id: 0, tag: 1, cost: 1 } }],
          unassigned: [{ $match: { ownerId: null } }, { $count: 'count' }],
        },
      },
    ]);
    expect(result).toEqual({
      byKind: [
        { _id: 'laptop', n: 3 },
        { _id: 'monitor', n: 2 },
        { _id: 'phone', n: 1 },
      ],
      priciest: [
        { tag: 'D1', cost: 2000 },
        { tag: 'D6', cost: 1800 },
      ],
      unassigned: [{ count: 1 }],
    });
  });

  it('returns an empty result for a pipeline that matches nothing', async () => {
    expect(
      await Devices.aggregate([{ $match: { kind: 'tablet' } }, { $group: { _id: null, n: { $sum: 1 } } }]),
    ).toEqual([]);
  });
});
