/**
 * Paces calls to one Slack method within its rate limit: at most `perMinute` starts in any sliding
 * minute and `concurrency` at a time, in arrival order. A call Slack still answers with 429 is retried
 * by the Web API client after Retry-After; the pacer keeps the rest from piling onto it meanwhile.
 */
export interface PacerOptions {
  perMinute: number;
  concurrency: number;
  /** Milliseconds since some origin; injectable so tests control the window. */
  now?: () => number;
}

export class Pacer {
  private readonly starts: number[] = [];
  private readonly waiting: Array<() => void> = [];
  private active = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly now: () => number;

  constructor(private readonly options: PacerOptions) {
    this.now = options.now ?? (() => performance.now());
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    await new Promise<void>((resolve) => {
      this.waiting.push(resolve);
      this.pump();
    });
    try {
      return await task();
    } finally {
      this.active -= 1;
      this.pump();
    }
  }

  /**
   * Counts a call made without waiting (a person opened their home and is looking at it now), so the
   * paced calls leave room for it.
   */
  note(): void {
    this.starts.push(this.now());
  }

  private pump(): void {
    const windowMs = 60_000;
    for (;;) {
      const now = this.now();
      while (this.starts.length > 0 && now - this.starts[0]! >= windowMs) this.starts.shift();
      if (this.waiting.length === 0 || this.active >= this.options.concurrency) return;
      if (this.starts.length >= this.options.perMinute) {
        // Wake when the oldest start leaves the window.
        if (!this.timer) {
          const wait = windowMs - (now - this.starts[0]!);
          this.timer = setTimeout(() => {
            this.timer = undefined;
            this.pump();
          }, wait);
          this.timer.unref();
        }
        return;
      }
      this.starts.push(now);
      this.active += 1;
      this.waiting.shift()!();
    }
  }
}
