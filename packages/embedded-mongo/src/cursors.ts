/**
 * Open cursors: results are materialized when the cursor is opened and handed out in batches
 * (101 documents first by default, capped at 16 MiB per batch, Int64 ids, 10-minute idle timeout).
 */
import { calculateObjectSize, Long } from 'bson';
import { randomBytes } from 'node:crypto';
import { EngineError } from './errors.js';
import type { Doc } from './values.js';

export const DEFAULT_FIRST_BATCH = 101;
const MAX_BATCH_BYTES = 16 * 1024 * 1024;
export const CURSOR_IDLE_TIMEOUT_MS = 10 * 60 * 1000;

interface CursorState {
  id: Long;
  ns: string;
  docs: Doc[];
  position: number;
  lastUsed: number;
  noTimeout: boolean;
  trace?: CursorTrace;
  charged: { keys: number; docs: number };
}

/**
 * What the scan behind a cursor examined, so each batch is charged its share as mongod's
 * streaming executor would be: up to its last document, and the rest with the batch that
 * exhausts the cursor. Kept only while the profiler is on.
 */
export interface CursorTrace {
  /** Keys / documents examined when result i was produced; absent: all charged to the first batch. */
  keysAt?: number[];
  docsAt?: number[];
  totalKeys: number;
  totalDocs: number;
  planSummary?: string;
  originatingCommand: Doc;
}

/** One batch's share of the work, for the profiler. */
export interface BatchCharge {
  keysExamined: number;
  docsExamined: number;
  exhausted: boolean;
  planSummary?: string;
  originatingCommand?: Doc;
}

export interface OpenCursorOptions {
  batchSize?: number;
  singleBatch?: boolean;
  noTimeout?: boolean;
  trace?: CursorTrace;
  onBatch?: (charge: BatchCharge) => void;
}

export interface CursorReply {
  id: Long;
  ns: string;
  firstBatch?: Doc[];
  nextBatch?: Doc[];
}

export class CursorManager {
  private readonly cursors = new Map<string, CursorState>();

  constructor(private readonly clock: () => number = Date.now) {}

  get openCount(): number {
    return this.cursors.size;
  }

  /** Returns the first batch; keeps a cursor open only when documents remain. */
  open(ns: string, docs: Doc[], options: OpenCursorOptions = {}): CursorReply {
    const state: CursorState = {
      id: Long.ZERO,
      ns,
      docs,
      position: 0,
      lastUsed: this.clock(),
      noTimeout: options.noTimeout ?? false,
      trace: options.trace,
      charged: { keys: 0, docs: 0 },
    };
    const firstBatch = this.takeBatch(state, options.batchSize ?? DEFAULT_FIRST_BATCH);
    const open = state.position < docs.length && !options.singleBatch;
    if (open) {
      state.id = this.newId();
      this.cursors.set(state.id.toString(), state);
    }
    options.onBatch?.(charge(state, !open));
    return { firstBatch, id: state.id, ns };
  }

  getMore(
    id: Long,
    ns: string,
    batchSize: number | undefined,
    onBatch?: (charge: BatchCharge) => void,
  ): CursorReply {
    const key = id.toString();
    const state = this.cursors.get(key);
    if (!state) throw EngineError.of('CursorNotFound', `cursor id ${key} not found`);
    if (state.ns !== ns) {
      throw new EngineError(
        13,
        `Requested getMore on namespace '${ns}', but cursor belongs to a different namespace ${state.ns}`,
        {},
        'Unauthorized',
      );
    }
    state.lastUsed = this.clock();
    const nextBatch = this.takeBatch(state, batchSize && batchSize > 0 ? batchSize : Infinity);
    let replyId = state.id;
    if (state.position >= state.docs.length) {
      this.cursors.delete(key);
      replyId = Long.ZERO;
    }
    onBatch?.(charge(state, replyId.isZero()));
    return { nextBatch, id: replyId, ns };
  }

  /** Kills the given ids; returns which were found. */
  kill(ids: Long[]): { killed: Long[]; notFound: Long[] } {
    const killed: Long[] = [];
    const notFound: Long[] = [];
    for (const id of ids) {
      if (this.cursors.delete(id.toString())) killed.push(id);
      else notFound.push(id);
    }
    return { killed, notFound };
  }

  /** Closes cursors idle for longer than the timeout; returns how many. */
  sweep(): number {
    const now = this.clock();
    let closed = 0;
    for (const [key, state] of this.cursors) {
      if (!state.noTimeout && now - state.lastUsed > CURSOR_IDLE_TIMEOUT_MS) {
        this.cursors.delete(key);
        closed++;
      }
    }
    return closed;
  }

  closeAll(): void {
    this.cursors.clear();
  }

  private takeBatch(state: CursorState, batchSize: number): Doc[] {
    const batch: Doc[] = [];
    let bytes = 0;
    while (state.position < state.docs.length && batch.length < batchSize) {
      const doc = state.docs[state.position]!;
      const size = calculateObjectSize(doc);
      if (batch.length > 0 && bytes + size > MAX_BATCH_BYTES) break;
      batch.push(doc);
      bytes += size;
      state.position++;
    }
    return batch;
  }

  private newId(): Long {
    for (;;) {
      const bytes = randomBytes(8);
      bytes[7]! &= 0x7f;
      const id = Long.fromBytesLE([...bytes]);
      if (!id.isZero() && !this.cursors.has(id.toString())) return id;
    }
  }
}

/** The examined keys and documents not yet charged to an earlier batch, up to the cursor's position. */
function charge(state: CursorState, exhausted: boolean): BatchCharge {
  const { trace } = state;
  if (!trace) return { keysExamined: 0, docsExamined: 0, exhausted };
  const last = state.position - 1;
  const keys = exhausted || !trace.keysAt ? trace.totalKeys : last >= 0 ? trace.keysAt[last]! : 0;
  const docs = exhausted || !trace.docsAt ? trace.totalDocs : last >= 0 ? trace.docsAt[last]! : 0;
  const result: BatchCharge = {
    keysExamined: Math.max(0, keys - state.charged.keys),
    docsExamined: Math.max(0, docs - state.charged.docs),
    exhausted,
    planSummary: trace.planSummary,
    originatingCommand: trace.originatingCommand,
  };
  state.charged = { keys: Math.max(keys, state.charged.keys), docs: Math.max(docs, state.charged.docs) };
  return result;
}
