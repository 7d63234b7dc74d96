import type { GitStream } from './gitRunner';

/** One object as `git cat-file --batch` returned it. */
export interface CatFileObject {
  oid: string;
  type: string;
  size: number;
  content: Buffer;
}

const HEADER = /^([0-9a-f]{40,64}) ([a-z]+) (\d+)$/;
/** Requests per write when not eager. */
const BATCH = 256;

interface Pending {
  resolve(obj: CatFileObject | undefined): void;
  reject(err: Error): void;
}

/**
 * One long-lived `git cat-file --batch` (or `--batch-command`) process: requests are written to
 * its stdin as they come and answers are matched to them in order, so reading thousands of blobs
 * costs one process.
 * A request may be an object id or any `<rev>:<path>` expression; an object git does not have
 * resolves to `undefined` (never fetched: see `safeConfig.ts`).
 */
export class CatFileBatch {
  private readonly queue: Pending[] = [];
  private chunks: Buffer[] = [];
  private buffered = 0;
  /** Header of the object whose content is still arriving. */
  private current: { oid: string; type: string; size: number } | undefined;
  private failure: Error | undefined;
  private closed = false;
  private readonly outgoing: string[] = [];

  /**
   * @param commandMode the process is `cat-file --batch-command --buffer` (git 2.36+): answers are
   * buffered by git and flushed once per burst of requests (a `flush` command), instead of one
   * pipe write, and one wake-up here, per object as plain `--batch` does.
   */
  constructor(
    private readonly proc: GitStream,
    private readonly commandMode = false,
    /**
     * Send requests at the end of the current turn of the event loop (default). When false,
     * requests go out in batches of {@link BATCH} and on `flush()`/`close()`: fewer writes and
     * fewer wake-ups of git for callers that await the answers only later.
     */
    private readonly eager = true,
  ) {
    proc.stdout.on('data', (chunk: Buffer) => this.onData(chunk));
    proc.done.then(
      () => this.fail(new Error('git cat-file exited before answering every request')),
      (err: Error) => this.fail(err),
    );
    proc.child.stdin?.on('error', () => undefined);
  }

  /** Reads one object; `undefined` when the repository does not have it. */
  read(spec: string): Promise<CatFileObject | undefined> {
    if (this.closed) return Promise.reject(new Error('cat-file batch already closed'));
    if (this.failure) return Promise.reject(this.failure);
    if (/[\n\r]/.test(spec)) return Promise.resolve(undefined);
    return new Promise((resolve, reject) => {
      this.queue.push({ resolve, reject });
      this.outgoing.push(spec);
      // One write per burst of requests: a write per object costs more than git's answer.
      if (this.outgoing.length >= BATCH) this.flush();
      else if (this.eager && this.outgoing.length === 1) setImmediate(() => this.flush());
    });
  }

  /** Sends the requests queued so far. */
  flush(): void {
    if (this.outgoing.length === 0) return;
    const text = this.commandMode ? `contents ${this.outgoing.join('\ncontents ')}\nflush\n` : this.outgoing.join('\n') + '\n';
    this.outgoing.length = 0;
    this.proc.child.stdin?.write(text);
  }

  /** Ends the process once pending requests are answered. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.flush();
    this.proc.child.stdin?.end();
    await this.proc.done.catch(() => undefined);
  }

  /** Kills the process; pending requests reject. */
  kill(): void {
    this.closed = true;
    this.proc.kill();
  }

  private fail(err: Error): void {
    if (!this.failure) this.failure = err;
    for (const p of this.queue.splice(0)) p.reject(this.failure);
  }

  private onData(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    try {
      this.drain();
    } catch (err) {
      this.fail(err as Error);
      this.proc.kill();
    }
  }

  private drain(): void {
    for (;;) {
      if (!this.current) {
        const buf = this.peek();
        const nl = buf.indexOf(10);
        if (nl === -1) return;
        const header = buf.toString('latin1', 0, nl);
        this.consume(nl + 1);
        const m = HEADER.exec(header);
        if (!m) {
          // `<request> missing` / `ambiguous`; the request may contain spaces (a path).
          if (/ (missing|ambiguous)$/.test(header)) {
            this.answer(undefined);
            continue;
          }
          throw new Error('unexpected git cat-file output');
        }
        this.current = { oid: m[1] as string, type: m[2] as string, size: Number(m[3]) };
      }
      const need = this.current.size + 1;
      if (this.buffered < need) return;
      const buf = this.peek(need);
      // A view, not a copy: callers decode it at once and never write to it.
      const content = buf.subarray(0, this.current.size);
      this.consume(need);
      const obj = { ...this.current, content };
      this.current = undefined;
      this.answer(obj);
    }
  }

  private answer(obj: CatFileObject | undefined): void {
    const p = this.queue.shift();
    if (!p) throw new Error('git cat-file answered a request that was never made');
    p.resolve(obj);
  }

  /** The buffered bytes as one Buffer (joined only when needed), at least `min` long if possible. */
  private peek(min = 0): Buffer {
    if (this.chunks.length > 1 && (min === 0 || (this.chunks[0] as Buffer).length < min)) {
      this.chunks = [Buffer.concat(this.chunks, this.buffered)];
    }
    return this.chunks[0] ?? Buffer.alloc(0);
  }

  private consume(n: number): void {
    const first = this.chunks[0];
    if (!first) return;
    if (n >= first.length && this.chunks.length === 1) {
      this.chunks = first.length > n ? [first.subarray(n)] : [];
    } else {
      this.chunks[0] = first.subarray(n);
      if (this.chunks[0].length === 0) this.chunks.shift();
    }
    this.buffered -= n;
  }
}
