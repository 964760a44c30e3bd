import { describe, expect, it } from '@jest/globals';
import { SortedList } from '../../src/storage/sorted-list.js';

function pseudoRandom(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x;
  };
}

describe('SortedList', () => {
  it('keeps items in order across many chunk splits', () => {
    const list = new SortedList<number>((a, b) => a - b);
    const next = pseudoRandom(42);
    const values = Array.from({ length: 5000 }, () => next() % 1000);
    for (const v of values) list.insert(v);
    expect(list.size).toBe(5000);
    expect([...list]).toEqual([...values].sort((a, b) => a - b));
  });

  it('removes exactly one equal item and reports missing ones', () => {
    const list = new SortedList<number>((a, b) => a - b);
    [3, 1, 3, 2].forEach((v) => list.insert(v));
    expect(list.remove(3)).toBe(true);
    expect([...list]).toEqual([1, 2, 3]);
    expect(list.remove(9)).toBe(false);
    expect(list.size).toBe(3);
  });

  it('finds range boundaries and ranks with firstWhere', () => {
    const list = new SortedList<number>((a, b) => a - b);
    for (let i = 0; i < 3000; i++) list.insert(i * 2);
    const start = list.firstWhere((x) => x >= 1001);
    const end = list.firstWhere((x) => x > 1100);
    expect([...list.range(start, end)]).toEqual(Array.from({ length: 50 }, (_, k) => 1002 + 2 * k));
    expect(list.rank(end) - list.rank(start)).toBe(50);
    expect(list.rank(list.firstWhere(() => true))).toBe(0);
    expect(list.rank(list.firstWhere(() => false))).toBe(3000);
  });

  it('empties cleanly when everything is removed', () => {
    const list = new SortedList<number>((a, b) => a - b);
    for (let i = 0; i < 2500; i++) list.insert(i);
    for (let i = 0; i < 2500; i++) expect(list.remove(i)).toBe(true);
    expect(list.size).toBe(0);
    expect([...list]).toEqual([]);
    list.insert(7);
    expect([...list]).toEqual([7]);
  });
});

describe('SortedList.rangeReverse', () => {
  it('walks any range backwards across chunks', () => {
    const list = new SortedList<number>((a, b) => a - b);
    for (let i = 0; i < 5000; i++) list.insert((i * 7919) % 5000);
    const from = list.firstWhere((x) => x >= 1000);
    const to = list.firstWhere((x) => x >= 3500);
    const forward = [...list.range(from, to)];
    expect([...list.rangeReverse(from, to)]).toEqual(forward.reverse());
    expect([...list.rangeReverse(list.start())]).toEqual([...list].reverse());
    expect([...list.rangeReverse(to, from)]).toEqual([]);
  });
});
