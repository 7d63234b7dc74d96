/** One analysis, timed: what the activation bench and `api.stats()` report. */
export interface PassTiming {
  kind: 'fast' | 'git';
  group: string;
  reason: string;
  files: number;
  /** Files whose per-file rules ran afresh (the others' results came from the cache); fast passes only. */
  analysed?: number;
  /** Lines across the group's files. */
  lines: number;
  /** performance.now() of the event that asked for it (an edit), when there was one. */
  requestedAt?: number;
  debounceMs: number;
  startedAt: number;
  finishedAt: number;
  /** When the listeners (diagnostics, masking, views) had the results; fast passes only. */
  publishedAt?: number;
}

/** The last `limit` pass timings, oldest first. Value-free. */
export class PassTimings {
  private readonly timings: PassTiming[] = [];

  constructor(private readonly limit = 200) {}

  record(t: PassTiming): void {
    this.timings.push(t);
    if (this.timings.length > this.limit) this.timings.shift();
  }

  list(): PassTiming[] {
    return [...this.timings];
  }
}
