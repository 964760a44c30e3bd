import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Binary, Decimal128, Double, Int32, Long, ObjectId, Timestamp, UUID } from 'mongodb';
import { openHarness } from './harness.js';
import type { Harness, Loose } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await openHarness('bson');
});
afterAll(async () => {
  await h.close();
});

describe('BSON type round-trip', () => {
  it('stores and returns every value with its BSON type intact', async () => {
    const oid = new ObjectId();
    const when = new Date('2024-02-29T12:34:56.789Z');
    const doc = {
      _id: 1,
      int32: new Int32(7),
      int64: Long.fromString('9007199254740993'),
      negLong: Long.fromString('-9223372036854775808'),
      double: new Double(1.0),
      fraction: 2.5,
      decimal: Decimal128.fromString('12345678901234567890.123456789'),
      date: when,
      oid,
      bin: new Binary(Buffer.from([0, 1, 2, 255]), 0),
      uuid: new UUID('0c8b4f2e-1a2b-4c3d-8e9f-0a1b2c3d4e5f'),
      nil: null,
      bool: false,
      ts: new Timestamp({ t: 100, i: 2 }),
      nested: { arr: [new Int32(1), new Double(2), Long.fromNumber(3)] },
    };
    await h.db.collection<Loose>('types').insertOne(doc);
    const back = await h.db
      .collection<Loose>('types')
      .findOne({ _id: 1 }, { promoteValues: false, promoteLongs: false } as never);
    expect(back).not.toBeNull();
    expect(back!.int32).toBeInstanceOf(Int32);
    expect(back!.int32.valueOf()).toBe(7);
    expect(back!.int64).toBeInstanceOf(Long);
    expect(back!.int64.toString()).toBe('9007199254740993');
    expect(back!.negLong.toString()).toBe('-9223372036854775808');
    expect(back!.double).toBeInstanceOf(Double);
    expect(back!.double.valueOf()).toBe(1);
    expect(back!.fraction).toBeInstanceOf(Double);
    expect(back!.decimal).toBeInstanceOf(Decimal128);
    expect(back!.decimal.toString()).toBe('12345678901234567890.123456789');
    expect(back!.date).toEqual(when);
    expect((back!.oid as ObjectId).equals(oid)).toBe(true);
    expect(Buffer.from((back!.bin as Binary).buffer)).toEqual(Buffer.from([0, 1, 2, 255]));
    expect((back!.uuid as Binary).sub_type).toBe(4);
    expect(back!.nil).toBeNull();
    expect(back!.bool).toBe(false);
    expect(back!.ts).toBeInstanceOf(Timestamp);
    expect(back!.nested.arr[0]).toBeInstanceOf(Int32);
    expect(back!.nested.arr[1]).toBeInstanceOf(Double);
    expect(back!.nested.arr[2]).toBeInstanceOf(Long);
  });

  it('matches numbers by value across types, exactly beyond 2^53', async () => {
    const coll = h.db.collection<Loose>('numbers');
    await coll.insertMany([
      { _id: 'a', n: Long.fromString('9007199254740993') },
      { _id: 'b', n: Long.fromString('9007199254740992') },
      { _id: 'c', n: new Int32(5) },
    ]);
    const exact = await coll.find({ n: Long.fromString('9007199254740993') }).toArray();
    expect(exact.map((d) => d._id)).toEqual(['a']);
    const five = await coll.find({ n: new Double(5) }).toArray();
    expect(five.map((d) => d._id)).toEqual(['c']);
    const decimal = await coll.find({ n: Decimal128.fromString('5.0') }).toArray();
    expect(decimal.map((d) => d._id)).toEqual(['c']);
  });

  it('keeps Int32 + Int32 as Int32 and Long as Long under $inc', async () => {
    const coll = h.db.collection<Loose>('inc');
    await coll.insertOne({ _id: 1, i: new Int32(1), l: Long.fromNumber(1) });
    await coll.updateOne({ _id: 1 }, { $inc: { i: new Int32(2), l: new Int32(2) } });
    const back = await coll.findOne({ _id: 1 }, { promoteValues: false } as never);
    expect(back!.i).toBeInstanceOf(Int32);
    expect(back!.i.valueOf()).toBe(3);
    expect(back!.l).toBeInstanceOf(Long);
    expect(back!.l.toNumber()).toBe(3);
  });
});
