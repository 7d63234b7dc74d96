import { DEFAULT_MAX_BYTES, decodeEnvBytes, type ReadFailure } from '../fs/readTextFile';
import { classifyEnvFileName, type EnvFileRole } from '../workspace/envFileNames';
import type { CatFileBatch } from './catFileBatch';
import { isAbortError } from './gitErrors';
import type { GitRunner } from './gitRunner';
import { isNullOid, RAW_LOG_FORMAT, readRawLog, type RawRecord } from './rawLog';
import { presentObjects, readRepoState, type RepoState } from './repoState';

/** Why a historical blob's content was not read. */
export type BlobUnreadable = 'missing' | Exclude<ReadFailure, 'not-found' | 'unreadable' | 'not-a-file'>;

/** One version of a `.env`-family file that some commit on some ref holds. */
export interface EnvBlob {
  /** Repository-relative path, `/`-separated. */
  path: string;
  /** Blob object id. */
  blob: string;
  role: EnvFileRole;
  /**
   * Commits that put this blob at this path: its content there differs from every parent's
   * (for a merge, the merge itself produced it). Oldest first.
   */
  commits: string[];
  /** Oldest and newest of `commits`, and their committer times (seconds). */
  firstCommit: string;
  lastCommit: string;
  firstTime: number;
  lastTime: number;
  /** Set when the content could not be read (not downloaded in a partial clone, too large, binary...). */
  unreadable?: BlobUnreadable;
}

/** Progress of a long history operation. */
export interface HistoryProgress {
  phase: 'commits' | 'blobs' | 'files';
  done: number;
  /** Known for `commits` once counted (only when a progress callback is given). */
  total?: number;
}

export interface DiscoverOptions {
  signal?: AbortSignal;
  onProgress?: (progress: HistoryProgress) => void;
  /** Blobs larger than this are not read (default 1 MiB, as for working files). */
  maxBytes?: number;
  /** Already-read repository facts, to save the commands. */
  state?: RepoState;
  /**
   * Reuse this process's last answer for the repository while no ref has moved (default true):
   * an editor rescans often, history rarely changes. Kept in memory only, never written anywhere.
   */
  cache?: boolean;
}

/** Recent answers by git dir, refs and size cap; a few repositories at most (they hold blob texts). */
const memo = new Map<string, EnvHistory>();
const MEMO_SIZE = 4;

/** Every `.env`-family blob ever committed on any ref, with its text where it could be read. Treat as read-only (it may be shared through the cache). */
export interface EnvHistory {
  root: string;
  /** Sorted by path, then first commit time. */
  blobs: EnvBlob[];
  /** Decoded text of each readable blob, by blob id. Secret material: in memory only, never printed. */
  texts: Map<string, string>;
  /** Number of commits read. */
  commits: number;
  /** Committer time (seconds) of every commit listed in `blobs`. */
  commitTimes: Map<string, number>;
  /** True when the answer may be incomplete; `partialReasons` says why. */
  partial: boolean;
  partialReasons: string[];
  state: RepoState;
}

/** Whether a history path is a `.env`-family file (the cheap substring test first: most paths are not). */
export function isEnvHistoryPath(p: string): boolean {
  return p.includes('.env') && classifyEnvFileName(p) !== undefined;
}

/** Modes whose content is not file text: symbolic links and submodule commits. */
function isFileMode(mode: string): boolean {
  return mode !== '120000' && mode !== '160000';
}

/**
 * Finds every blob that any commit reachable from any ref (branches, tags, remote-tracking refs,
 * stash, detached HEAD) holds at a `.env`-family path, and reads their text.
 *
 * One `git log --all -c --raw` lists, for every commit, the paths whose content differs from every
 * parent — for a merge that is exactly what the merge itself introduced — with the blob ids on both
 * sides; env paths are picked out as the stream arrives and their blobs requested at once from one
 * `git cat-file --batch` process. Unlike `git rev-list --objects`, which names each blob by one
 * path only, this sees a blob under every env path it ever had (a file renamed out of, or into,
 * the `.env` family is seen under its env name) and the commits that introduced it.
 */
export async function discoverEnvHistory(git: GitRunner, options: DiscoverOptions = {}): Promise<EnvHistory> {
  const { signal, onProgress } = options;
  const collector = await EnvBlobCollector.start(git, options);
  if (collector.done) return collector.done;
  let total: number | undefined;
  if (onProgress) {
    void git.run(['rev-list', '--all', '--count'], { signal }).then((t) => (total = Number(t.trim()) || undefined), () => undefined);
  }
  const log = git.stream(['log', '--all', '-c', '--raw', '--no-renames', '--no-abbrev', '-z', '--no-color', '--no-ext-diff', '--no-textconv', RAW_LOG_FORMAT], { signal, bulk: true });
  let commits = 0;
  try {
    await readRawLog(log.stdout, (rec) => {
      commits++;
      if (onProgress && commits % 1000 === 0) onProgress({ phase: 'commits', done: commits, total });
      collector.onRecord(rec);
    }, { pathFilter: isEnvHistoryPath, signal });
    await log.done;
  } catch (err) {
    log.kill();
    collector.failed(err);
  }
  onProgress?.({ phase: 'commits', done: commits, total: commits });
  return collector.finish(commits);
}

/**
 * Gathers `.env`-family blobs from raw log records (any walk that lists them: `discoverEnvHistory`'s
 * own, or the one walk of `--all-files`) and reads their text through one `cat-file` process.
 */
export class EnvBlobCollector {
  /** Set when no walk is needed: an empty repository, or this process's answer for unchanged refs. */
  done?: EnvHistory;
  private readonly found = new Map<string, { blob: EnvBlob; intro: Array<[string, number]> }>();
  private readonly requested = new Set<string>();
  private readonly reads: Array<Promise<void>> = [];
  private readonly unreadable = new Map<string, BlobUnreadable>();
  private readError: unknown;
  private readonly cat?: CatFileBatch;

  private constructor(
    private readonly git: GitRunner,
    private readonly options: DiscoverOptions,
    private readonly state: RepoState,
    private readonly result: EnvHistory,
    private readonly memoKey: string,
    walk: boolean,
  ) {
    // Blobs are awaited only once the walk has ended: requests can go out in batches.
    if (walk && !state.partialClone) this.cat = git.catFile({ signal: options.signal, eager: false });
  }

  /** A collector for `git`'s repository; check `done` first (no walk needed then). */
  static async start(git: GitRunner, options: DiscoverOptions = {}): Promise<EnvBlobCollector> {
    const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
    const state = options.state ?? (await readRepoState(git, options.signal));
    const partialReasons: string[] = [];
    if (state.shallow) {
      partialReasons.push('shallow clone: commits older than the shallow boundary are not in this repository (git fetch --unshallow gives a complete answer)');
    }
    const result: EnvHistory = {
      root: git.root, blobs: [], texts: new Map(), commits: 0, commitTimes: new Map(), partial: false, partialReasons, state,
    };
    const memoKey = `${git.gitDir}\0${state.refsKey}\0${maxBytes}\0${state.shallow}\0${state.partialClone}`;
    const cached = options.cache === false || state.empty ? undefined : memo.get(memoKey);
    const c = new EnvBlobCollector(git, options, state, result, memoKey, !state.empty && !cached);
    if (state.empty) c.done = finish(result);
    if (cached) {
      memo.delete(memoKey);
      memo.set(memoKey, cached);
      c.done = cached;
    }
    return c;
  }

  /** Takes the changes of one commit (already filtered to `.env`-family paths). */
  onRecord(rec: Pick<RawRecord, 'commit' | 'time' | 'changes'>): void {
    for (const ch of rec.changes) {
      if (isNullOid(ch.after) || !isFileMode(ch.afterMode)) continue;
      const key = `${ch.path}\0${ch.after}`;
      let acc = this.found.get(key);
      if (!acc) {
        const role = classifyEnvFileName(ch.path) ?? 'env';
        acc = { blob: { path: ch.path, blob: ch.after, role, commits: [], firstCommit: '', lastCommit: '', firstTime: 0, lastTime: 0 }, intro: [] };
        this.found.set(key, acc);
      }
      acc.intro.push([rec.commit, rec.time]);
      this.result.commitTimes.set(rec.commit, rec.time);
      if (!this.requested.has(ch.after)) {
        this.requested.add(ch.after);
        if (this.cat) this.reads.push(this.read(this.cat, ch.after));
      }
    }
  }

  /** The walk failed: rethrows, except in a partial clone, where the answer becomes partial. */
  failed(err: unknown): void {
    this.cat?.kill();
    const signal = this.options.signal;
    if (isAbortError(err, signal) || signal?.aborted) throw err;
    if (!this.state.partialClone) throw err;
    // A clone filtered down to missing trees cannot even list history without fetching.
    this.result.partialReasons.push(`partial clone: history could not be read without downloading objects (${(err as Error).message})`);
  }

  // Each read is caught at once: they are awaited only after the walk ends, and a rejection left
  // unhandled until then would take the whole process down.
  private read(c: CatFileBatch, oid: string): Promise<void> {
    const maxBytes = this.options.maxBytes ?? DEFAULT_MAX_BYTES;
    return c.read(oid).then((obj) => {
      if (!obj) {
        this.unreadable.set(oid, 'missing');
        return;
      }
      const decoded = decodeEnvBytes(obj.content, maxBytes);
      if (decoded.ok) this.result.texts.set(oid, decoded.text);
      else this.unreadable.set(oid, decoded.reason as BlobUnreadable);
      this.options.onProgress?.({ phase: 'blobs', done: this.result.texts.size + this.unreadable.size });
    }).catch((err: unknown) => {
      this.readError ??= err;
    });
  }

  /** Reads the requested blobs and returns the answer (`commits`: how many the walk read). */
  async finish(commits: number): Promise<EnvHistory> {
    const { git, result, requested, unreadable } = this;
    const signal = this.options.signal;
    result.commits = commits;
    if (this.cat) {
      await this.cat.close();
      await Promise.all(this.reads);
      if (this.readError !== undefined) throw asError(this.readError);
    } else if (requested.size > 0) {
      const present = await presentObjects(git, requested, signal);
      const missing = [...requested].filter((oid) => !present.has(oid));
      for (const oid of missing) unreadable.set(oid, 'missing');
      if (missing.length) {
        result.partialReasons.push(`partial clone: ${missing.length} historical .env blob(s) were never downloaded and were skipped`);
      }
      if (present.size) {
        const c = git.catFile({ signal, eager: false });
        const pending = [...present].map((oid) => this.read(c, oid));
        await c.close();
        await Promise.all(pending);
        if (this.readError !== undefined) throw asError(this.readError);
      }
    }

    for (const { blob, intro } of this.found.values()) {
      intro.sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1));
      // One walk may list a commit twice for a path (its own patch and the merge walk): once is enough.
      blob.commits = [...new Set(intro.map((i) => i[0]))];
      const first = intro[0] as [string, number];
      const last = intro[intro.length - 1] as [string, number];
      [blob.firstCommit, blob.firstTime, blob.lastCommit, blob.lastTime] = [first[0], first[1], last[0], last[1]];
      const why = unreadable.get(blob.blob);
      if (why) blob.unreadable = why;
      result.blobs.push(blob);
    }
    result.blobs.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.firstTime - b.firstTime || (a.blob < b.blob ? -1 : 1)));
    finish(result);
    if (this.options.cache !== false) {
      memo.set(this.memoKey, result);
      while (memo.size > MEMO_SIZE) memo.delete(memo.keys().next().value as string);
    }
    return result;
  }
}

function finish(result: EnvHistory): EnvHistory {
  result.partial = result.partialReasons.length > 0;
  return result;
}

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}
