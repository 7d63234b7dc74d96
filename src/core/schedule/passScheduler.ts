import { IdleTracker } from './idleTracker';

/*
 * When analyses run: debounced requests per id (a later request replaces an earlier one), one
 * run at a time per id, and a request arriving while one runs makes it run once more afterwards
 * with the latest job, so the last edit is always analysed and never twice in parallel. All
 * scheduled and running work counts for `whenIdle()`.
 */

type Job = () => Promise<void> | void;

export class PassScheduler {
  private readonly idle = new IdleTracker();
  private readonly timers = new Map<string, { handle: ReturnType<typeof setTimeout>; token: symbol }>();
  private readonly running = new Map<string, Promise<void>>();
  private readonly again = new Map<string, Job>();
  private disposed = false;

  /** @param onError called when a job throws (the scheduler itself never rejects). */
  constructor(private readonly onError: (id: string, err: unknown) => void = () => undefined) {}

  /** Runs `job` under `id` after `delayMs`, replacing a request for `id` that has not started yet. */
  debounce(id: string, delayMs: number, job: Job): void {
    if (this.disposed) return;
    this.cancel(id);
    const token = this.idle.begin(id);
    const handle = setTimeout(() => {
      this.timers.delete(id);
      void this.run(id, job).finally(() => this.idle.end(token));
    }, delayMs);
    this.timers.set(id, { handle, token });
  }

  /** Drops the pending (not yet started) request for `id`, if any. */
  cancel(id: string): void {
    const previous = this.timers.get(id);
    if (!previous) return;
    clearTimeout(previous.handle);
    this.timers.delete(id);
    this.idle.end(previous.token);
  }

  /**
   * Runs `job` now unless a job of `id` is running: then, without `wait`, `job` runs once after
   * it (later calls replace `job`); with `wait`, this call waits for the running one and then
   * runs `job`. Resolves when this call's work is done.
   */
  async run(id: string, job: Job, wait = false): Promise<void> {
    if (this.disposed) return;
    const current = this.running.get(id);
    if (current) {
      if (!wait) {
        this.again.set(id, job);
        return;
      }
      await current;
      return this.run(id, job, wait);
    }
    const token = this.idle.begin(`run ${id}`);
    const run = (async () => {
      try {
        await job();
      } catch (err) {
        this.onError(id, err);
      }
    })();
    this.running.set(id, run);
    try {
      await run;
    } finally {
      this.running.delete(id);
      const next = this.again.get(id);
      if (next !== undefined && !this.disposed) {
        this.again.delete(id);
        await this.run(id, next);
      }
      this.idle.end(token);
    }
  }

  /** Counts `promise` as work in flight until it settles (discovery, say). */
  track<T>(what: string, promise: Promise<T>): Promise<T> {
    const token = this.idle.begin(what);
    return promise.finally(() => this.idle.end(token));
  }

  isPending(id: string): boolean {
    return this.timers.has(id);
  }

  /** Resolves when nothing is scheduled or running. */
  whenIdle(): Promise<void> {
    return this.idle.whenIdle();
  }

  /** Cancels every pending request; running jobs finish but nothing runs again. */
  dispose(): void {
    this.disposed = true;
    for (const id of [...this.timers.keys()]) this.cancel(id);
    this.again.clear();
  }
}
