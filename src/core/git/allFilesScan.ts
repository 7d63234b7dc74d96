import type { GitRunner, GitStream } from './gitRunner';
import type { HistoryProgress } from './envHistory';
import { NeedleSearch } from './needleSearch';

/** Where a searched string was seen in a commit's patch. */
export interface AllFilesHit {
  /** Index of the needle in the array given to {@link scanAllFiles}. */
  needle: number;
  /** A commit whose tree holds the string at `path`. */
  commit: string;
  /** Repository-relative path, `/`-separated. */
  path: string;
}

export interface AllFilesOptions {
  signal?: AbortSignal;
  onProgress?: (p: HistoryProgress) => void;
}

/** Needles shorter than this are not searched: they would match by chance. */
export const MIN_NEEDLE_LENGTH = 8;

const DIFF_HEADER = Buffer.from('\ndiff --git ');
/** Bytes of output searched at once (see the reader). */
const BLOCK = 1 << 18;

/** `git log -p` as the all-files search reads it (add the `--format` of {@link PatchScanner}). */
export const ALL_FILES_LOG_ARGS = ['log', '-p', '--all', '--no-renames', '--no-color', '--no-ext-diff', '--no-textconv', '--submodule=short', '--src-prefix=a/', '--dst-prefix=b/'];

/** Raw lines (`--raw`) a walk also wants, for the `.env` history read from the same stream. */
export interface RawLineSink {
  /** Only lines holding this string are parsed (the cheap test first: most are not wanted). */
  mustContain: string;
  /** One `:modes oids status<TAB>path` line; `path` unquoted. */
  onLine(commit: string, time: number, meta: string, path: string): void;
}

/**
 * Searches every file of every commit on every ref for each needle (exact substring), reading
 * `git log -p --all` as it streams: a string is in a commit's tree from the commit whose patch adds
 * it (a `+` line) on, and a `-` or context line shows it in the parent. Needles are searched with
 * `Buffer.indexOf` per needle over large blocks, which stays well under git's own cost of
 * producing the patches for the few dozen secrets a workspace has.
 *
 * Limits, as for `git log -p`: patches of merge commits are not shown (content that only a merge
 * introduced is seen once a later commit touches it), binary files are skipped, and needles with a
 * line break or shorter than {@link MIN_NEEDLE_LENGTH} are not searched. Not for partial clones
 * (every missing blob would be fetched): callers check first.
 */
export async function scanAllFiles(git: GitRunner, needles: string[], options: AllFilesOptions = {}): Promise<AllFilesHit[]> {
  const scanner = new PatchScanner(needles);
  if (!scanner.searching) return [];
  const proc = git.stream([...ALL_FILES_LOG_ARGS, '--format=%x00C%H %P'], { signal: options.signal, bulk: true });
  await scanner.read(proc, options);
  return scanner.hits();
}

/**
 * Reads a `git log -p` stream (format `%x00C%H %P`, optionally followed by ` %ct` and with
 * `--raw`) and finds where each needle was added or seen; see {@link scanAllFiles}. With a
 * {@link RawLineSink} it also hands over the raw lines, so one walk serves two readers.
 */
export class PatchScanner {
  private readonly searchable: Array<{ i: number; buf: Buffer }>;
  private readonly found = new Map<string, AllFilesHit & { added: boolean }>();
  // (needle, path) pairs seen on an added line: their removal and context lines add nothing.
  private readonly added = new Set<string>();
  private readonly push: (chunk: Buffer) => void;
  private readonly flush: () => void;
  /** Commits read so far. */
  commits = 0;

  constructor(needles: string[], raw?: RawLineSink) {
    this.searchable = needles
      .map((n, i) => ({ i, buf: Buffer.from(n, 'utf8') }))
      .filter((n) => n.buf.length >= MIN_NEEDLE_LENGTH && !/[\n\r]/.test(needles[n.i] as string));
    [this.push, this.flush] = this.reader(raw);
  }

  /** Whether any needle can be searched (otherwise there is nothing to find, without a raw sink). */
  get searching(): boolean {
    return this.searchable.length > 0;
  }

  /** Consumes `proc` to its end. */
  async read(proc: GitStream, options: AllFilesOptions = {}): Promise<void> {
    const { signal, onProgress } = options;
    const stdout = proc.stdout;
    try {
      // 'data' events rather than an async iterator: git writes a few KiB at a time, and a
      // promise and a microtask per piece cost more than the search of it.
      await new Promise<void>((resolve, reject) => {
        let sinceProgress = 0;
        let failed = false;
        const fail = (err: unknown) => {
          if (failed) return;
          failed = true;
          stdout.removeListener('data', onData);
          reject(err instanceof Error ? err : new Error(String(err)));
        };
        const onData = (chunk: Buffer) => {
          try {
            signal?.throwIfAborted();
            this.push(chunk);
            sinceProgress += chunk.length;
            if (onProgress && sinceProgress > 1 << 22) {
              sinceProgress = 0;
              onProgress({ phase: 'files', done: this.commits });
            }
          } catch (err) {
            fail(err);
          }
        };
        stdout.on('data', onData);
        stdout.once('error', fail);
        stdout.once('end', () => {
          if (!failed) resolve();
        });
        proc.done.catch(fail);
      });
      this.flush();
      onProgress?.({ phase: 'files', done: this.commits });
      await proc.done;
    } catch (err) {
      proc.kill();
      throw err;
    }
  }

  /** The hits (once the stream has been read). */
  hits(): AllFilesHit[] {
    // A `-` or context line only matters where no commit's patch shows the string being added
    // (content a merge introduced, or added before a shallow boundary).
    return [...this.found.values()]
      .filter((h) => h.added || !this.added.has(`${h.needle}\0${h.path}`))
      .map(({ needle, commit: c, path: p }) => ({ needle, commit: c, path: p }));
  }

  private reader(raw: RawLineSink | undefined): [(chunk: Buffer) => void, () => void] {
    const searchable = this.searchable;
    const hits = this.found;
    const added = this.added;
    // State carried across blocks: the commit and file the last processed byte belonged to.
    let commit = '';
    let firstParent = '';
    let file = '';
    // The commit the raw lines belong to (read only where a wanted raw line needs it).
    let rawCommit = '';
    let rawTime = 0;
    const mustContain = raw ? Buffer.from(raw.mustContain) : undefined;

    const search = new NeedleSearch(searchable.map((n) => n.buf));
    const readMark = (block: Buffer, at: number, kind: 'c' | 'd') => {
      const eol = block.indexOf(10, at);
      const stop = eol === -1 ? block.length : eol;
      if (kind === 'c') {
        const parts = block.toString('latin1', at + 2, stop).trim().split(' ');
        commit = parts[0] ?? '';
        firstParent = parts[1] ?? '';
        file = '';
      } else {
        file = diffHeaderPath(block.toString('utf8', at, stop));
      }
    };

    const processBlock = (block: Buffer) => {
      const commitMarks: number[] = [];
      // The format puts a NUL before each commit header; patches never contain one (binary files
      // are not shown), so a one-byte search finds them.
      for (let p = block.indexOf(0); p !== -1; p = block.indexOf(0, p + 1)) if (block[p + 1] === 67) commitMarks.push(p);
      this.commits += commitMarks.length;
      if (raw && mustContain) {
        // Raw lines come right after a commit's header and a blank line, before its patch (whose
        // lines never start with `:`), so only those places are looked at, not the whole block.
        // A block may also start among the raw lines of the commit before it.
        const len = block.length;
        const rawLines = (from: number) => {
          let q = from;
          while (q < len && block[q] === 10) q++;
          while (q < len && block[q] === 58) {
            const eol = block.indexOf(10, q);
            const stop = eol === -1 ? len : eol;
            const tab = block.indexOf(9, q);
            if (tab !== -1 && tab < stop && contains(block, mustContain, tab + 1, stop)) {
              const rawPath = block.toString('utf8', tab + 1, stop);
              raw.onLine(rawCommit, rawTime, block.toString('latin1', q, tab), rawPath.startsWith('"') ? unquoteC(rawPath.slice(1, -1)) : rawPath);
            }
            q = stop + 1;
          }
        };
        rawLines(0);
        for (const at of commitMarks) {
          const eol = block.indexOf(10, at);
          const stop = eol === -1 ? len : eol;
          const parts = block.toString('latin1', at + 2, stop).trim().split(' ');
          rawCommit = parts[0] ?? '';
          rawTime = Number(parts[parts.length - 1]);
          rawLines(stop + 1);
        }
      }
      const found: Array<{ at: number; needle: number }> = [];
      search.scan(block, (n, at) => found.push({ at, needle: (searchable[n] as { i: number }).i }));
      const atEnd = () => {
        // Only the commit and file in effect at the end of the block matter to the next one.
        const lastCommit = commitMarks.length ? (commitMarks[commitMarks.length - 1] as number) : -1;
        if (lastCommit !== -1) readMark(block, lastCommit, 'c');
        const lastDiff = block.lastIndexOf(DIFF_HEADER);
        if (lastDiff !== -1 && lastDiff + 1 > lastCommit) readMark(block, lastDiff + 1, 'd');
        else if (lastCommit === -1 && startsWithHeader(block)) readMark(block, 0, 'd');
      };
      if (found.length === 0) {
        atEnd();
        return;
      }
      found.sort((a, b) => a.at - b.at);
      // Each hit is attributed to the commit and the `diff --git` header before it. Headers are
      // looked for only near hits: `nextDiff` is the first header after the previous hit, so the
      // bytes between two hits of one file's diff are not searched again.
      let c = -1; // index in commitMarks of the last commit header before the hit
      let commitAt = -1; // the commit header read last in this block
      let diffAt = -1; // the diff header read last in this block
      let nextDiff = -2; // unknown yet
      for (const f of found) {
        while (c + 1 < commitMarks.length && (commitMarks[c + 1] as number) < f.at) c++;
        const markAt = c >= 0 ? (commitMarks[c] as number) : -1;
        if (markAt !== commitAt) {
          readMark(block, markAt, 'c');
          commitAt = markAt;
        }
        if (nextDiff === -2 || (nextDiff !== -1 && nextDiff < f.at)) {
          const d = block.lastIndexOf(DIFF_HEADER, f.at);
          const header = d !== -1 ? d + 1 : startsWithHeader(block) ? 0 : -1;
          if (header !== -1 && header !== diffAt && header > markAt) {
            readMark(block, header, 'd');
            diffAt = header;
          }
          nextDiff = block.indexOf(DIFF_HEADER, f.at);
        }
        if (!commit || !file) continue;
        const lineStart = block.lastIndexOf(10, f.at) + 1;
        const sign = block[lineStart];
        // `+++ b/path` / `--- a/path` name the file; only content lines count.
        if (block[lineStart + 1] === sign && block[lineStart + 2] === sign && (sign === 43 || sign === 45)) continue;
        let where = '';
        if (sign === 43) where = commit; // +
        else if (sign === 45 || sign === 32) where = firstParent || commit; // - or context
        if (!where) continue;
        const key = `${f.needle}\0${where}\0${file}`;
        if (sign === 43) added.add(`${f.needle}\0${file}`);
        const known = hits.get(key);
        if (!known) hits.set(key, { needle: f.needle, commit: where, path: file, added: sign === 43 });
        else if (sign === 43) known.added = true;
      }
      atEnd();
    };

    // Whole lines only, in blocks of at least BLOCK bytes: git writes a few KiB at a time, and each
    // block has a fixed cost (the headers in effect at its end are read as strings). The pieces
    // are joined once; the part after a block's last line break starts the next one.
    let pending: Buffer[] = [];
    let size = 0;
    const drain = (end: boolean) => {
      if (size === 0) return;
      const all = pending.length === 1 ? (pending[0] as Buffer) : Buffer.concat(pending, size);
      pending = [];
      size = 0;
      const last = end ? all.length - 1 : all.lastIndexOf(10);
      if (last >= 0) processBlock(last + 1 === all.length ? all : all.subarray(0, last + 1));
      if (last + 1 < all.length) {
        pending.push(all.subarray(last + 1));
        size = all.length - last - 1;
      }
    };
    const onChunk = (chunk: Buffer) => {
      pending.push(chunk);
      size += chunk.length;
      if (size >= BLOCK) drain(false);
    };

    return [onChunk, () => drain(true)];
  }
}

/** Whether a block starts with a `diff --git` line (the line break before it ended the last block). */
function startsWithHeader(block: Buffer): boolean {
  return block.subarray(0, DIFF_HEADER.length - 1).equals(DIFF_HEADER.subarray(1));
}

/** Whether `buf[start, end)` holds `needle`. */
function contains(buf: Buffer, needle: Buffer, start: number, end: number): boolean {
  const first = needle[0] as number;
  const last = end - needle.length;
  outer: for (let i = start; i <= last; i++) {
    if (buf[i] !== first) continue;
    for (let j = 1; j < needle.length; j++) if (buf[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

/** The path of `diff --git a/<p> b/<p>` (renames are off, so both sides name the same file). */
export function diffHeaderPath(line: string): string {
  const rest = line.startsWith('diff --git ') ? line.slice('diff --git '.length) : line;
  if (rest.startsWith('"')) {
    // Quoted (control characters, quotes or backslashes in the name): take the first quoted name.
    const m = /^"((?:[^"\\]|\\.)*)"/.exec(rest);
    return m ? unquoteC(m[1] as string).replace(/^a\//, '') : '';
  }
  const half = (rest.length - 1) / 2;
  if (Number.isInteger(half) && rest.startsWith('a/') && rest.slice(half + 1).startsWith('b/')) return rest.slice(2, half);
  const sp = rest.indexOf(' b/');
  return sp > 2 ? rest.slice(2, sp) : '';
}

/** Reverses git's C-style quoting of a path (octal escapes are UTF-8 bytes). */
function unquoteC(s: string): string {
  const bytes: number[] = [];
  const simple: Record<string, number> = { n: 10, t: 9, r: 13, '"': 34, '\\': 92, a: 7, b: 8, f: 12, v: 11 };
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    if (c !== '\\') {
      for (const b of Buffer.from(c, 'utf8')) bytes.push(b);
      continue;
    }
    const n = s[i + 1] ?? '';
    if (/[0-7]/.test(n)) {
      bytes.push(parseInt(s.slice(i + 1, i + 4), 8));
      i += 3;
    } else {
      bytes.push(simple[n] ?? n.charCodeAt(0));
      i += 1;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}
