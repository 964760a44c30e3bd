/** Every call the fake answered, in order, with listeners (the sandbox streams them). */
import type { JsonObject, JsonValue, RecordedCall } from './types.js';

export type CallListener = (call: RecordedCall) => void;

export class CallLog {
  private readonly recorded: RecordedCall[] = [];
  private readonly listeners = new Set<CallListener>();
  private seq = 0;

  constructor(private readonly now: () => number) {}

  calls(): RecordedCall[] {
    return [...this.recorded];
  }

  mark(): number {
    return this.seq;
  }

  callsSince(mark: number): RecordedCall[] {
    return this.recorded.filter((c) => c.seq > mark);
  }

  onCall(listener: CallListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  record(method: string, args: JsonObject, status: number, response: JsonValue): void {
    this.seq += 1;
    const call: RecordedCall = { seq: this.seq, method, args, status, response, timestamp: this.now() };
    this.recorded.push(call);
    for (const listener of this.listeners) listener(call);
  }

  /** Empties the log; positions from `mark()` keep counting up. */
  clear(): void {
    this.recorded.length = 0;
  }
}
