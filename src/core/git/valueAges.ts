import { randomBytes } from 'node:crypto';
import { Fingerprinter } from '../state/fingerprint';
import type { CatFileBatch, CatFileObject } from './catFileBatch';
import { readEnvValues } from './envAssignments';
import { GitRunner } from './gitRunner';
import { isNullOid, RAW_LOG_FORMAT, readRawLog, type RawChange } from './rawLog';
import { isPartialClone, presentObjects } from './repoState';

/** When the value a key holds in the last committed version of a file was introduced. */
export interface ValueAge {
  /** The commit that introduced the value: its parent(s) held another value, no value, or no file. */
  commit: string;
  /** That commit's committer date. */
  date: Date;
  /** Keyed fingerprint of the value (`Fingerprinter.of`), to check the working file still holds it. */
  fingerprint: string;
}

/** The ages of every key of one file. */
export interface FileValueAges {
  /** Repository-relative path as asked. */
  path: string;
  /** `head`: the file is in HEAD. `deleted`: it is not; the ages describe its last version in HEAD's history. */
  source: 'head' | 'deleted';
  /** The commit whose version of the file the ages describe (HEAD, or the last commit that had it). */
  at: string;
  /** That version's blob id. */
  blob: string;
  /** For `deleted`: the commit that removed the file. */
  deletedIn?: string;
  /** Last definition of each key in that version. */
  keys: Map<string, ValueAge>;
  /** Set when history stops early (shallow clone, missing objects): the oldest ages may be too recent. */
  partial?: string;
}

export interface ValueAgeOptions {
  /** Used when `repo` is a path (default false: the safe overrides apply). */
  trusted?: boolean;
  signal?: AbortSignal;
  /** Fingerprints values; default: a key made for this call (fingerprints then compare only within it). */
  fingerprinter?: Fingerprinter;
}

interface LogCommit {
  parents: string[];
  time: number;
  /** Changes against the first parent (non-merge commits only), by path. */
  changes: Map<string, RawChange>;
}

/** Keys still looking for their introducing commit, carried down the history of one path. */
interface Carry {
  blob: string;
  /** key -> current value still held */
  open: Map<string, string>;
}

/**
 * For every key of each file in `relPaths` (repository-relative, `/`-separated), the commit and
 * date at which its current value was introduced, all keys of all files in one pass over history.
 *
 * "Current" is HEAD's version of the file; for a file no longer in HEAD, its last version in
 * HEAD's history (the working copy may differ from either: compare `fingerprint`s). The walk
 * follows HEAD's history the way `git blame` does, per key: going back from a commit, a key keeps
 * its value through any parent that holds the same value (for a merge, the first such parent), and
 * the first commit whose parents all hold a different value, no value or no file introduced it.
 *
 * One `git log HEAD --parents --raw -- <paths>` lists the simplified history of the
 * files with the blob ids before and after each change; their contents stream from one
 * `git cat-file --batch` process as the log arrives; the walk then runs in memory. Merges (rare in
 * a file's simplified history) have their parents' versions looked up through the same process.
 */
export async function historyValueAges(repo: GitRunner | string, relPaths: string[], options: ValueAgeOptions = {}): Promise<Map<string, FileValueAges>> {
  const { signal } = options;
  const git = typeof repo === 'string' ? await GitRunner.open(repo, { trusted: options.trusted ?? false, signal }) : repo;
  const fp = options.fingerprinter ?? new Fingerprinter(randomBytes(32));
  const result = new Map<string, FileValueAges>();
  const paths = [...new Set(relPaths.map((p) => p.replace(/\\/g, '/').replace(/^\.\//, '')))].filter((p) => p !== '' && !/[\n\r]/.test(p));
  if (paths.length === 0) return result;

  const cat = git.catFile({ signal, eager: false });
  try {
    return await walk(git, cat, paths, fp, result, signal);
  } finally {
    await cat.close();
  }
}

async function walk(
  git: GitRunner,
  cat: CatFileBatch,
  paths: string[],
  fp: Fingerprinter,
  result: Map<string, FileValueAges>,
  signal: AbortSignal | undefined,
): Promise<Map<string, FileValueAges>> {
  const texts = new Map<string, Promise<string | undefined>>();
  // In a partial clone, objects known to be absent are never asked for (git would try to fetch).
  const absent = new Set<string>();
  const collected = new Set<string>();
  // Prefetches go out in batches while git log runs; once it has ended, every read is awaited
  // at once, so it is sent at once.
  let logDone = false;
  /** Unknown until the config says; blob ids seen meanwhile wait in `collected`. */
  let partial: boolean | undefined;
  const fetchBlob = (spec: string): Promise<string | undefined> => {
    if (absent.has(spec)) return Promise.resolve(undefined);
    let p = texts.get(spec);
    if (!p) {
      p = cat.read(spec).then((o) => (o ? o.content.toString('utf8') : undefined));
      p.catch(() => undefined);
      texts.set(spec, p);
      if (logDone) cat.flush();
    }
    return p;
  };

  let order: string[] = [];
  const commits = new Map<string, LogCommit>();
  const wanted = new Set(paths);
  const partialCheck = isPartialClone(git, signal);
  partialCheck.catch(() => undefined);
  const log = git.stream(
    ['log', 'HEAD', '--parents', '--raw', '--no-renames', '--no-abbrev', '-z', '--no-color', '--no-ext-diff', '--no-textconv', RAW_LOG_FORMAT, '--', ...paths.map((p) => `:(literal)${p}`)],
    { signal, bulk: true },
  );
  // Reading starts at once: node drops the unread output of a child that has exited.
  const reading = readRawLog(log.stdout, (rec) => {
    let c = commits.get(rec.commit);
    if (!c) {
      c = { parents: rec.parents, time: rec.time, changes: new Map() };
      commits.set(rec.commit, c);
      order.push(rec.commit);
    }
    if (rec.parents.length > 1) return;
    for (const ch of rec.changes) {
      c.changes.set(ch.path, ch);
      // Prefetch both sides while git is still walking (in a partial clone, only note them).
      for (const oid of [ch.after, ch.before[0] ?? '']) {
        if (!oid || isNullOid(oid)) continue;
        if (partial === false) void fetchBlob(oid);
        else collected.add(oid);
      }
    }
  }, { pathFilter: (p) => wanted.has(p), signal });
  reading.catch(() => undefined);
  let headCommit: Promise<{ oid: string } | undefined>;
  let headBlobs: Array<Promise<CatFileObject | undefined>>;
  try {
    partial = await partialCheck;
  } catch (err) {
    log.kill();
    throw err;
  }
  if (!partial) {
    for (const oid of collected) void fetchBlob(oid);
    collected.clear();
    // HEAD's commit id and version of each file, asked of cat-file while git log starts: no
    // separate rev-parse before the walk can begin.
    headCommit = cat.read('HEAD^{commit}');
    headBlobs = paths.map((p) => cat.read(`HEAD:${p}`));
  } else {
    ({ headCommit, headBlobs } = partialHead(git, cat, paths, collected, absent, signal));
  }
  headCommit.catch(() => undefined);
  for (const p of headBlobs) p.catch(() => undefined);
  cat.flush();
  try {
    await reading;
    await log.done;
  } catch (err) {
    log.kill();
    // An unborn HEAD (no commit yet) makes git log fail: there is simply no history.
    if (!signal?.aborted && (await headCommit.catch(() => undefined)) === undefined) return result;
    throw err;
  }
  if (partial) {
    const present = await presentObjects(git, collected, signal);
    for (const oid of collected) if (!present.has(oid)) absent.add(oid);
  }
  const head = (await headCommit)?.oid;
  if (!head) return result;
  logDone = true;
  cat.flush();

  // Children before parents. git's --topo-order would give this too, but only after walking the
  // whole history first, which would stop the blob reads from overlapping with the walk.
  order = topologicalOrder(order, commits);

  const parsed = new Map<string, Map<string, string>>();
  const valuesOf = async (oid: string): Promise<Map<string, string> | undefined> => {
    let v = parsed.get(oid);
    if (!v) {
      const text = await fetchBlob(oid);
      if (text === undefined) return undefined;
      v = readEnvValues(text);
      parsed.set(oid, v);
    }
    return v;
  };

  // Where each file's walk starts, and what it carries.
  const pending = new Map<string, Map<string, Carry>>();
  const carry = (commit: string, path: string, c: Carry) => {
    let at = pending.get(commit);
    if (!at) {
      at = new Map<string, Carry>();
      pending.set(commit, at);
    }
    const prev = at.get(path);
    if (prev) for (const [k, v] of c.open) prev.open.set(k, v);
    else at.set(path, c);
  };
  const shallowNote = git.shallow ? 'shallow clone: the oldest ages may be more recent than the real ones' : undefined;
  for (const [i, path] of paths.entries()) {
    const obj = await headBlobs[i];
    let start: { commit: string; blob: string; text?: string; source: 'head' | 'deleted'; deletedIn?: string } | undefined;
    if (obj && obj.type === 'blob') {
      start = { commit: order[0] ?? head, blob: obj.oid, text: obj.content.toString('utf8'), source: 'head' };
    } else {
      // Not in HEAD: start from the version the most recent change (in topological order) left.
      for (const id of order) {
        const ch = commits.get(id)?.changes.get(path);
        if (!ch) continue;
        const c = commits.get(id) as LogCommit;
        if (isNullOid(ch.after)) {
          const before = ch.before[0];
          const parent = c.parents[0];
          if (before && !isNullOid(before) && parent) start = { commit: parent, blob: before, source: 'deleted', deletedIn: id };
        } else {
          start = { commit: id, blob: ch.after, source: 'deleted' };
        }
        break;
      }
    }
    if (!start) continue;
    const values = start.text !== undefined ? readEnvValues(start.text) : await valuesOf(start.blob);
    if (!values) continue;
    if (start.text !== undefined) parsed.set(start.blob, values);
    const entry: FileValueAges = { path, source: start.source, at: start.source === 'head' ? head : start.commit, blob: start.blob, keys: new Map() };
    if (start.deletedIn) entry.deletedIn = start.deletedIn;
    result.set(path, entry);
    if (values.size) carry(start.commit, path, { blob: start.blob, open: new Map(values) });
  }

  const introduce = (path: string, commit: string, time: number, keys: Iterable<[string, string]>, note?: string) => {
    const entry = result.get(path);
    if (!entry) return;
    for (const [k, v] of keys) entry.keys.set(k, { commit, date: new Date(time * 1000), fingerprint: fp.of(v) });
    if (note) entry.partial = note;
  };

  for (const id of order) {
    signal?.throwIfAborted();
    const here = pending.get(id);
    if (!here) continue;
    pending.delete(id);
    const c = commits.get(id) as LogCommit;
    for (const [path, state] of here) {
      if (c.parents.length <= 1) {
        const ch = c.changes.get(path);
        const parent = c.parents[0];
        const parentBlob = ch ? ch.before[0] ?? '' : state.blob;
        if (!parent || !parentBlob || isNullOid(parentBlob)) {
          // A root commit (or the shallow boundary), or the file was added here.
          introduce(path, id, c.time, state.open, !parent && shallowNote ? shallowNote : undefined);
          continue;
        }
        if (!commits.has(parent)) {
          introduce(path, id, c.time, state.open, shallowNote ?? 'history ends here (parent commit not available)');
          continue;
        }
        if (parentBlob === state.blob) {
          carry(parent, path, state);
          continue;
        }
        const before = await valuesOf(parentBlob);
        if (!before) {
          introduce(path, id, c.time, state.open, 'an older version of the file is not available (partial clone?)');
          continue;
        }
        const kept = new Map<string, string>();
        const changed: Array<[string, string]> = [];
        for (const [k, v] of state.open) {
          if (before.get(k) === v) kept.set(k, v);
          else changed.push([k, v]);
        }
        introduce(path, id, c.time, changed);
        if (kept.size) carry(parent, path, { blob: parentBlob, open: kept });
      } else {
        // A merge that changed one of the files relative to every parent: look at each parent's version.
        const perParent: Array<{ parent: string; blob: string; values?: Map<string, string> }> = [];
        // (In a partial clone, only versions already known to be present are read.)
        const lookups = c.parents.map((parent) => (partial ? Promise.resolve(undefined) : cat.read(`${parent}:${path}`)));
        for (const l of lookups) l.catch(() => undefined); // awaited in turn below
        cat.flush();
        for (const [pi, parent] of c.parents.entries()) {
          const obj = await lookups[pi];
          if (obj && obj.type === 'blob') {
            if (!parsed.has(obj.oid)) parsed.set(obj.oid, readEnvValues(obj.content.toString('utf8')));
            perParent.push({ parent, blob: obj.oid, values: parsed.get(obj.oid) });
          }
        }
        const byParent = new Map<string, Carry>();
        const changed: Array<[string, string]> = [];
        for (const [k, v] of state.open) {
          const match = perParent.find((p) => p.values?.get(k) === v && commits.has(p.parent));
          if (!match) {
            changed.push([k, v]);
            continue;
          }
          let cc = byParent.get(match.parent);
          if (!cc) byParent.set(match.parent, (cc = { blob: match.blob, open: new Map() }));
          cc.open.set(k, v);
        }
        introduce(path, id, c.time, changed);
        for (const [parent, cc] of byParent) carry(parent, path, cc);
      }
    }
  }
  // Anything still pending sits on a commit outside the listed history (should not happen).
  // Without a known commit time there is no age to report: leave those keys unknown rather than
  // dating them to 1970.
  for (const [commit, here] of pending) {
    const time = commits.get(commit)?.time;
    if (time === undefined) continue;
    for (const [path, state] of here) introduce(path, commit, time, state.open, 'history incomplete');
  }
  return result;
}

/** The shape the age rules consume (`GitAgesFn` of `core/age/secretAge.ts`), structurally. */
export interface GitValueAgeRecord {
  commit: string;
  date: Date;
  /** Present when a (ledger) fingerprinter was given: `Fingerprinter.of` of the committed value. */
  valueFingerprint?: string;
  /** Whether `value` is the committed value (compared through a keyed hash: no value is retained). */
  sameValue: (value: string) => boolean;
}

/**
 * Adapts {@link historyValueAges} to `(repoRoot, relPaths) => relPath → key → age`, the function
 * the age rules take in their settings (`gitAges`).
 */
export function gitValueAgesProvider(options: ValueAgeOptions = {}): (repoRoot: string, relPaths: string[]) => Promise<Map<string, Map<string, GitValueAgeRecord>>> {
  return async (repoRoot, relPaths) => {
    const fp = options.fingerprinter ?? new Fingerprinter(randomBytes(32));
    const ages = await historyValueAges(repoRoot, relPaths, { ...options, fingerprinter: fp });
    const out = new Map<string, Map<string, GitValueAgeRecord>>();
    for (const [rel, file] of ages) {
      const keys = new Map<string, GitValueAgeRecord>();
      for (const [key, age] of file.keys) {
        const rec: GitValueAgeRecord = { commit: age.commit, date: age.date, sameValue: (v) => fp.of(v) === age.fingerprint };
        if (options.fingerprinter) rec.valueFingerprint = age.fingerprint;
        keys.set(key, rec);
      }
      out.set(rel, keys);
    }
    return out;
  };
}

/** `ids` (in git's output order) reordered so every commit comes before its listed parents. */
function topologicalOrder(ids: string[], commits: Map<string, LogCommit>): string[] {
  const children = new Map<string, number>();
  for (const id of ids) {
    for (const p of (commits.get(id) as LogCommit).parents) if (commits.has(p)) children.set(p, (children.get(p) ?? 0) + 1);
  }
  const ready = ids.filter((id) => !children.has(id)).reverse();
  const out: string[] = [];
  while (ready.length) {
    const id = ready.pop() as string;
    out.push(id);
    const parents = (commits.get(id) as LogCommit).parents;
    for (let i = parents.length - 1; i >= 0; i--) {
      const p = parents[i] as string;
      const left = children.get(p);
      if (left === undefined) continue;
      if (left <= 1) {
        children.delete(p);
        ready.push(p);
      } else {
        children.set(p, left - 1);
      }
    }
  }
  return out;
}

/**
 * HEAD's commit and file versions in a partial clone, without asking cat-file for anything that
 * may be absent: ids come from `rev-parse`/`ls-tree` (trees and commits are present in a blob
 * filter clone), contents only for blobs the object store has. Absent ones are added to `absent`.
 */
function partialHead(
  git: GitRunner,
  cat: CatFileBatch,
  paths: string[],
  collected: Set<string>,
  absent: Set<string>,
  signal: AbortSignal | undefined,
): { headCommit: Promise<{ oid: string } | undefined>; headBlobs: Array<Promise<CatFileObject | undefined>> } {
  const headCommit = git.run(['rev-parse', '--verify', '-q', 'HEAD^{commit}'], { signal }).then(
    (out) => (out.trim() ? { oid: out.trim() } : undefined),
    () => undefined,
  );
  const listing = git
    .run(['ls-tree', '-z', '--full-tree', 'HEAD', '--', ...paths.map((p) => `:(literal)${p}`)], { signal })
    .catch(() => '')
    .then(async (out) => {
      const byPath = new Map<string, string>();
      for (const rec of out.split('\0')) {
        const m = /^\d+ blob ([0-9a-f]+)\t(.*)$/s.exec(rec);
        if (m) byPath.set(m[2] as string, m[1] as string);
      }
      const present = await presentObjects(git, new Set(byPath.values()), signal);
      for (const oid of byPath.values()) if (!present.has(oid)) absent.add(oid);
      return { byPath, present };
    });
  const headBlobs = paths.map((p) =>
    listing.then(({ byPath, present }) => {
      const oid = byPath.get(p);
      if (!oid || !present.has(oid)) return undefined;
      collected.add(oid);
      const read = cat.read(oid);
      cat.flush();
      return read;
    }),
  );
  return { headCommit, headBlobs };
}
