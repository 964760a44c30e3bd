/**
 * An ordered multiset kept as a list of bounded sorted chunks: O(log n) search and O(chunk) insert
 * or delete, so index maintenance stays cheap at 100k+ entries whatever the key order. Pure.
 */
const MAX_CHUNK = 1024;

export interface Position {
  chunk: number;
  offset: number;
}

export class SortedList<T> {
  private chunks: T[][] = [];
  private count = 0;

  constructor(private readonly compare: (a: T, b: T) => number) {}

  get size(): number {
    return this.count;
  }

  /** The first position whose item satisfies `pred`; `pred` must be false...false true...true over the order. */
  firstWhere(pred: (item: T) => boolean): Position {
    const chunks = this.chunks;
    let lo = 0;
    let hi = chunks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const chunk = chunks[mid]!;
      if (pred(chunk[chunk.length - 1]!)) hi = mid;
      else lo = mid + 1;
    }
    if (lo === chunks.length) return { chunk: lo, offset: 0 };
    const chunk = chunks[lo]!;
    let a = 0;
    let b = chunk.length;
    while (a < b) {
      const mid = (a + b) >>> 1;
      if (pred(chunk[mid]!)) b = mid;
      else a = mid + 1;
    }
    return { chunk: lo, offset: a };
  }

  insert(item: T): void {
    if (this.chunks.length === 0) {
      this.chunks.push([item]);
      this.count = 1;
      return;
    }
    let pos = this.firstWhere((x) => this.compare(x, item) > 0);
    if (pos.chunk === this.chunks.length)
      pos = { chunk: pos.chunk - 1, offset: this.chunks[pos.chunk - 1]!.length };
    const chunk = this.chunks[pos.chunk]!;
    chunk.splice(pos.offset, 0, item);
    this.count++;
    if (chunk.length > MAX_CHUNK) {
      const tail = chunk.splice(chunk.length >>> 1);
      this.chunks.splice(pos.chunk + 1, 0, tail);
    }
  }

  /** Removes one item equal (compare === 0) to `item`; returns whether one was found. */
  remove(item: T): boolean {
    const pos = this.firstWhere((x) => this.compare(x, item) >= 0);
    const chunk = this.chunks[pos.chunk];
    if (!chunk || pos.offset >= chunk.length || this.compare(chunk[pos.offset]!, item) !== 0) return false;
    chunk.splice(pos.offset, 1);
    this.count--;
    if (chunk.length === 0) this.chunks.splice(pos.chunk, 1);
    return true;
  }

  /** Number of items before `pos` in order (O(number of chunks)). */
  rank(pos: Position): number {
    let total = 0;
    for (let i = 0; i < pos.chunk && i < this.chunks.length; i++) total += this.chunks[i]!.length;
    return total + pos.offset;
  }

  /** Items from `from` (inclusive) to `to` (exclusive), in order. */
  *range(from: Position, to?: Position): Generator<T> {
    const end = to ?? { chunk: this.chunks.length, offset: 0 };
    let c = from.chunk;
    let o = from.offset;
    while (c < this.chunks.length && (c < end.chunk || (c === end.chunk && o < end.offset))) {
      const chunk = this.chunks[c]!;
      if (o >= chunk.length) {
        c++;
        o = 0;
        continue;
      }
      yield chunk[o]!;
      o++;
    }
  }

  /** Items from `to` (exclusive) back to `from` (inclusive), in reverse order. */
  *rangeReverse(from: Position, to?: Position): Generator<T> {
    let c = to ? Math.min(to.chunk, this.chunks.length) : this.chunks.length;
    let o = to && to.chunk < this.chunks.length ? to.offset - 1 : -1;
    for (;;) {
      while (o < 0) {
        c--;
        if (c < 0) return;
        o = this.chunks[c]!.length - 1;
      }
      if (c < from.chunk || (c === from.chunk && o < from.offset)) return;
      yield this.chunks[c]![o]!;
      o--;
    }
  }

  start(): Position {
    return { chunk: 0, offset: 0 };
  }

  *[Symbol.iterator](): Generator<T> {
    for (const chunk of this.chunks) yield* chunk;
  }

  clear(): void {
    this.chunks = [];
    this.count = 0;
  }
}
