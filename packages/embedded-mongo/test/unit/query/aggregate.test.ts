import { describe, expect, it } from '@jest/globals';
import { Decimal128, Double, Long, ObjectId } from 'bson';
import { evaluateLetVariables, runPipeline } from '../../../src/query/index.js';
import type { EngineDocument, PipelineContext } from '../../../src/query/index.js';
import { BSON_DOUBLE, BSON_INT64, bsonTypeByte, wire } from './wire.js';

const NOW = new Date('2024-05-01T00:00:00Z');

function run(
  docs: Record<string, unknown>[],
  pipeline: Record<string, unknown>[],
  ctx: Partial<PipelineContext> = {},
) {
  return runPipeline(
    docs.map(wire),
    pipeline.map((s) => wire(s)),
    { now: NOW, ...ctx },
  );
}

function errorOf(fn: () => unknown): { code: number; message: string } {
  try {
    fn();
  } catch (err) {
    return { code: (err as { code: number }).code, message: (err as Error).message };
  }
  throw new Error('expected an error');
}

const orders = [
  { _id: 1, item: 'a', qty: 2, price: 10 },
  { _id: 2, item: 'b', qty: 1, price: 5 },
  { _id: 3, item: 'a', qty: 5, price: 10 },
];

describe('runPipeline', () => {
  it('filters with leading $match using exact BSON semantics', () => {
    const docs = [{ _id: 1, a: null }, { _id: 2 }, { _id: 3, a: [1, null] }, { _id: 4, a: 1 }];
    expect(run(docs, [{ $match: { a: null } }]).map((d) => d._id)).toEqual([1, 2, 3]);
  });

  it('returns the inputs untouched when only $match stages run', () => {
    const docs = [wire({ _id: 1, d: new Double(2) })];
    const out = runPipeline(docs, [{ $match: {} }], { now: NOW });
    expect(out[0]).toBe(docs[0]);
  });

  it('groups, sorts, projects and counts', () => {
    const out = run(orders, [
      { $group: { _id: '$item', total: { $sum: { $multiply: ['$qty', '$price'] } }, n: { $sum: 1 } } },
      { $sort: { total: -1 } },
      { $project: { _id: 0, item: '$_id', total: 1, n: 1 } },
    ]);
    expect(out).toEqual([
      { total: 70, n: 2, item: 'a' },
      { total: 5, n: 1, item: 'b' },
    ]);
    expect(run(orders, [{ $match: { item: 'a' } }, { $count: 'n' }])).toEqual([{ n: 2 }]);
  });

  it('runs the standard stages: $unwind, $addFields, $set, $unset, $limit, $skip, $replaceRoot, $sortByCount, $bucket, $facet', () => {
    const docs = [
      { _id: 1, tags: ['x', 'y'], v: 1 },
      { _id: 2, tags: ['x'], v: 7 },
    ];
    expect(run(docs, [{ $unwind: '$tags' }, { $sortByCount: '$tags' }])).toEqual([
      { _id: 'x', count: 2 },
      { _id: 'y', count: 1 },
    ]);
    expect(
      run(docs, [
        { $addFields: { w: { $add: ['$v', 1] } } },
        { $set: { z: 1 } },
        { $unset: ['tags'] },
        { $skip: 1 },
        { $limit: 1 },
      ]),
    ).toEqual([{ _id: 2, v: 7, w: 8, z: 1 }]);
    expect(run(docs, [{ $replaceRoot: { newRoot: { value: '$v' } } }])).toEqual([{ value: 1 }, { value: 7 }]);
    expect(run(docs, [{ $bucket: { groupBy: '$v', boundaries: [0, 5, 10], default: 'other' } }])).toEqual([
      { _id: 0, count: 1 },
      { _id: 5, count: 1 },
    ]);
    expect(
      run(docs, [{ $facet: { n: [{ $count: 'c' }], max: [{ $group: { _id: null, m: { $max: '$v' } } }] } }]),
    ).toEqual([{ n: [{ c: 2 }], max: [{ _id: null, m: 7 }] }]);
  });

  it('sorts with BSON type order in $sort stages after other stages', () => {
    const docs = [
      { _id: 1, a: true },
      { _id: 2, a: 'x' },
      { _id: 3, a: new ObjectId('000000000000000000000001') },
      { _id: 4, a: 3 },
    ];
    expect(run(docs, [{ $addFields: { b: 1 } }, { $sort: { a: 1 } }]).map((d) => d._id)).toEqual([
      4, 2, 3, 1,
    ]);
  });

  it('joins other collections with $lookup and $unionWith through the resolver', () => {
    const userId = new ObjectId();
    const users = [wire({ _id: userId, name: 'ann' })];
    const collection = (name: string): EngineDocument[] => (name === 'users' ? users : []);
    const out = run(
      [{ _id: 1, user: userId }],
      [{ $lookup: { from: 'users', localField: 'user', foreignField: '_id', as: 'u' } }],
      {
        collection,
      },
    );
    expect(out).toEqual([{ _id: 1, user: userId, u: [{ _id: userId, name: 'ann' }] }]);
    expect((out[0]!.u as EngineDocument[])[0]!._id).toBeInstanceOf(ObjectId);
    expect(run([{ _id: 1 }], [{ $unionWith: 'users' }], { collection })).toEqual([
      { _id: 1 },
      { _id: userId, name: 'ann' },
    ]);
  });

  it('supports $lookup with let and a sub-pipeline using $expr', () => {
    const items = [wire({ _id: 'i1', owner: 1 }), wire({ _id: 'i2', owner: 2 })];
    const out = run(
      [{ _id: 1 }],
      [
        {
          $lookup: {
            from: 'items',
            let: { ownerId: '$_id' },
            pipeline: [{ $match: { $expr: { $eq: ['$owner', '$$ownerId'] } } }, { $project: { _id: 1 } }],
            as: 'mine',
          },
        },
      ],
      { collection: () => items },
    );
    expect(out).toEqual([{ _id: 1, mine: [{ _id: 'i1' }] }]);
  });

  it('evaluates let variables once and uses them with $$name and $$NOW', () => {
    const variables = evaluateLetVariables(wire({ id: 1, x: 'foo', y: { $literal: '$bar' } }), { now: NOW });
    expect(variables).toEqual({ id: 1, x: 'foo', y: '$bar' });
    const out = run(
      [{ _id: 1 }, { _id: 2 }],
      [
        { $match: { $expr: { $eq: ['$_id', '$$id'] } } },
        { $project: { _id: 0, x: '$$x', y: '$$y', now: '$$NOW' } },
      ],
      {
        variables,
      },
    );
    expect(out).toEqual([{ x: 'foo', y: '$bar', now: NOW }]);
  });

  it('keeps ObjectId, Date and Long values through mingo', () => {
    const id = new ObjectId();
    const big = Long.fromString('9007199254740993');
    const out = run([{ _id: id, at: NOW, big, d: Decimal128.fromString('1.5') }], [{ $addFields: { x: 1 } }]);
    expect(out[0]!._id).toBeInstanceOf(ObjectId);
    expect(out[0]!.at).toEqual(NOW);
    expect(bsonTypeByte(out[0]!.big)).toBe(BSON_INT64);
    expect((out[0]!.big as Long).toString()).toBe('9007199254740993');
    expect((out[0]!.d as Decimal128).toString()).toBe('1.5');
  });

  it('keeps the BSON types of unchanged values of documents that keep their _id', () => {
    const out = run(
      [{ _id: 1, d: new Double(2), m: Decimal128.fromString('2.50'), n: 1 }],
      [{ $set: { n: 2 } }, { $sort: { _id: 1 } }],
    );
    expect(bsonTypeByte(out[0]!.d)).toBe(BSON_DOUBLE);
    expect((out[0]!.m as Decimal128).toString()).toBe('2.50');
    const grouped = run([{ _id: 1, d: new Double(2) }], [{ $group: { _id: null, d: { $first: '$d' } } }]);
    expect(grouped).toEqual([{ _id: null, d: 2 }]);
  });

  it('groups by ObjectId values', () => {
    const a = new ObjectId();
    const b = new ObjectId();
    const out = run(
      [
        { _id: 1, o: a },
        { _id: 2, o: new ObjectId(a.toHexString()) },
        { _id: 3, o: b },
      ],
      [{ $group: { _id: '$o', n: { $sum: 1 } } }, { $sort: { n: -1 } }],
    );
    expect(out.map((d) => [(d._id as ObjectId).toHexString(), d.n])).toEqual([
      [a.toHexString(), 2],
      [b.toHexString(), 1],
    ]);
  });

  it('runs window functions, $bucketAuto, $graphLookup, $redact, $densify and $fill', () => {
    const docs = [
      { _id: 1, g: 'a', v: 1, p: null },
      { _id: 2, g: 'a', v: 3, p: 1 },
      { _id: 3, g: 'b', v: 5, p: 2 },
    ];
    const window = run(docs, [
      {
        $setWindowFields: {
          partitionBy: '$g',
          sortBy: { v: 1 },
          output: { cum: { $sum: '$v', window: { documents: ['unbounded', 'current'] } } },
        },
      },
    ]);
    expect(window.map((d) => d.cum)).toEqual([1, 4, 5]);
    expect(run(docs, [{ $bucketAuto: { groupBy: '$v', buckets: 2 } }])[0]).toEqual({
      _id: { min: 1, max: 5 },
      count: 2,
    });
    const chain = run(
      docs,
      [
        {
          $graphLookup: {
            from: 'self',
            startWith: '$p',
            connectFromField: 'p',
            connectToField: '_id',
            as: 'chain',
          },
        },
        { $project: { n: { $size: '$chain' } } },
      ],
      { collection: () => docs.map(wire) },
    );
    expect(chain).toEqual([
      { _id: 1, n: 0 },
      { _id: 2, n: 1 },
      { _id: 3, n: 2 },
    ]);
    expect(
      run(docs, [{ $redact: { $cond: [{ $eq: ['$g', 'a'] }, '$$KEEP', '$$PRUNE'] } }]).map((d) => d._id),
    ).toEqual([1, 2]);
    expect(run(docs, [{ $densify: { field: 'v', range: { step: 1, bounds: 'full' } } }])).toHaveLength(5);
    expect(run(docs, [{ $fill: { output: { p: { value: 0 } } } }]).map((d) => d.p)).toEqual([0, 1, 2]);
  });

  it('puts _id first in reshaped documents like mongod', () => {
    expect(Object.keys(run([{ _id: 1, a: 1 }], [{ $project: { b: '$a' } }])[0]!)).toEqual(['_id', 'b']);
  });

  it('refuses server-side JavaScript', () => {
    expect(
      errorOf(() =>
        run([{ _id: 1 }], [{ $set: { x: { $function: { body: 'function(){}', args: [], lang: 'js' } } } }]),
      ).code,
    ).toBe(238);
    expect(errorOf(() => run([{ _id: 1 }], [{ $match: { $where: 'true' } }])).code).toBe(238);
  });

  it('refuses stages the embedded engine cannot run', () => {
    expect(errorOf(() => run([], [{ $geoNear: {} }])).code).toBe(238);
    expect(errorOf(() => run([], [{ $search: {} }])).code).toBe(238);
    expect(errorOf(() => run([], [{ $collStats: {} }])).code).toBe(238);
    expect(errorOf(() => run([], [{ $out: 'x' }, { $match: {} }])).code).toBe(40601);
    expect(errorOf(() => run([], [{ $bogus: {} }]))).toEqual({
      code: 40324,
      message: "Unrecognized pipeline stage name: '$bogus'",
    });
    expect(errorOf(() => run([], [{ $match: {}, $sort: { a: 1 } }])).code).toBe(40323);
  });

  it('reports mingo evaluation errors as EngineError', () => {
    const err = errorOf(() => run([{ _id: 1, a: 'x' }], [{ $addFields: { b: { $add: ['$a', 1] } } }]));
    expect(err.code).toBe(2);
  });
});
