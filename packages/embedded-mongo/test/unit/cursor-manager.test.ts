import { describe, expect, it } from '@jest/globals';
import { Long } from 'bson';
import { CURSOR_IDLE_TIMEOUT_MS, CursorManager } from '../../src/cursors.js';
import { EngineError } from '../../src/errors.js';

const docs = (n: number) => Array.from({ length: n }, (_, i) => ({ i }));

describe('CursorManager', () => {
  it('hands out 101 documents first, then the rest, closing the cursor at the end', () => {
    const cursors = new CursorManager(() => 0);
    const first = cursors.open('db.c', docs(150));
    expect(first.firstBatch).toHaveLength(101);
    expect(first.id.isZero()).toBe(false);
    const next = cursors.getMore(first.id, 'db.c', undefined);
    expect(next.nextBatch).toHaveLength(49);
    expect(next.id.isZero()).toBe(true);
    expect(cursors.openCount).toBe(0);
  });

  it('does not keep a cursor when the first batch holds everything or singleBatch is asked', () => {
    const cursors = new CursorManager(() => 0);
    expect(cursors.open('db.c', docs(5)).id.isZero()).toBe(true);
    expect(cursors.open('db.c', docs(50), { batchSize: 2, singleBatch: true }).id.isZero()).toBe(true);
    expect(cursors.openCount).toBe(0);
  });

  it('times out idle cursors after 10 minutes unless noTimeout', () => {
    let now = 1_000;
    const cursors = new CursorManager(() => now);
    const idle = cursors.open('db.c', docs(10), { batchSize: 1 });
    const pinned = cursors.open('db.c', docs(10), { batchSize: 1, noTimeout: true });
    now += CURSOR_IDLE_TIMEOUT_MS - 1;
    expect(cursors.sweep()).toBe(0);
    cursors.getMore(idle.id, 'db.c', 1);
    now += CURSOR_IDLE_TIMEOUT_MS + 1;
    expect(cursors.sweep()).toBe(1);
    expect(() => cursors.getMore(idle.id, 'db.c', 1)).toThrow(EngineError);
    expect(cursors.getMore(pinned.id, 'db.c', 1).nextBatch).toHaveLength(1);
  });

  it('refuses a getMore from another namespace and unknown ids with code 43', () => {
    const cursors = new CursorManager(() => 0);
    const open = cursors.open('db.c', docs(10), { batchSize: 1 });
    expect(() => cursors.getMore(open.id, 'db.other', 1)).toThrow(/different namespace/);
    try {
      cursors.getMore(Long.fromNumber(5), 'db.c', 1);
      throw new Error('expected CursorNotFound');
    } catch (err) {
      expect((err as EngineError).code).toBe(43);
    }
  });

  it('caps a batch at 16 MiB but always returns at least one document', () => {
    const cursors = new CursorManager(() => 0);
    const big = 'x'.repeat(6 * 1024 * 1024);
    const reply = cursors.open('db.c', [{ big }, { big }, { big }, { big }], { batchSize: 10 });
    expect(reply.firstBatch).toHaveLength(2);
    const huge = cursors.open('db.c', [{ big: 'y'.repeat(17 * 1024 * 1024) }, { a: 1 }]);
    expect(huge.firstBatch).toHaveLength(1);
  });

  it('reports killed and unknown ids', () => {
    const cursors = new CursorManager(() => 0);
    const open = cursors.open('db.c', docs(10), { batchSize: 1 });
    const { killed, notFound } = cursors.kill([open.id, Long.fromNumber(77)]);
    expect(killed.map(String)).toEqual([open.id.toString()]);
    expect(notFound.map(String)).toEqual(['77']);
  });
});
