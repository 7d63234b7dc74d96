import { createHash } from 'node:crypto';
import { promises as fs, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { GitRunner } from './gitRunner';

/** Facts about a repository that limit what history can tell. */
export interface RepoState {
  /** No commit on any ref (a fresh `git init`). */
  empty: boolean;
  /** HEAD names a commit (false on an unborn branch). */
  hasHead: boolean;
  /** HEAD is detached. */
  detached: boolean;
  shallow: boolean;
  /** Objects may be missing and would be fetched on demand (a `--filter` clone). */
  partialClone: boolean;
  /** At least one remote-tracking ref exists (`refs/remotes/*`). */
  hasRemoteRefs: boolean;
  /** Hash of every ref and HEAD with the commits they name: equal keys mean the same history. */
  refsKey: string;
}

/**
 * Reads {@link RepoState}: from what `GitRunner.open` already read when it is the first to ask
 * (no command), otherwise with four short commands run at once.
 */
export async function readRepoState(git: GitRunner, signal?: AbortSignal): Promise<RepoState> {
  const opening = git.takeOpeningRefs();
  const [refs, head, promisor, symbolic] = opening
    ? [opening.refs.map(([oid, name]) => `${oid} ${name}\n`).join(''), opening.head, await isPartialClone(git, signal), opening.symbolicHead]
    : await Promise.all([
        git.run(['for-each-ref', '--format=%(objectname) %(refname)'], { signal }),
        // `--verify -q` exits 1 without a message on an unborn HEAD; `symbolic-ref -q` likewise when detached.
        git.run(['rev-parse', '--verify', '-q', 'HEAD'], { signal }).catch(() => ''),
        isPartialClone(git, signal),
        git.run(['symbolic-ref', '-q', 'HEAD'], { signal }).catch(() => ''),
      ]);
  signal?.throwIfAborted();
  const refNames = refs.split('\n').filter((l) => l !== '').map((l) => l.slice(l.indexOf(' ') + 1));
  const hasHead = /^[0-9a-f]{40,64}$/.test(head.trim());
  return {
    empty: !hasHead && refNames.length === 0,
    hasHead,
    detached: hasHead && symbolic.trim() === '',
    shallow: git.shallow,
    partialClone: promisor,
    hasRemoteRefs: refNames.some((r) => r.startsWith('refs/remotes/')),
    refsKey: createHash('sha256').update(refs).update('\0').update(head.trim()).digest('hex'),
  };
}

/**
 * Whether objects may be missing locally and fetched on demand (a `--filter` clone). A partial
 * clone keeps what it fetched in "promisor" packs (`objects/pack/*.promisor`) and names its
 * promisor remote in the config; when neither file shows a sign of it, no git process is needed.
 */
export async function isPartialClone(git: GitRunner, signal?: AbortSignal): Promise<boolean> {
  const common = commonGitDir(git.gitDir);
  const packs = await fs.readdir(path.join(common, 'objects', 'pack')).catch(() => [] as string[]);
  const config = await fs.readFile(path.join(common, 'config'), 'utf8').catch(() => '');
  if (!packs.some((f) => f.endsWith('.promisor')) && !/promisor|partialclone/i.test(config)) return false;
  const out = await git.run(['config', '--get-regexp', '^(extensions\\.partialclone|remote\\..+\\.promisor)$'], { signal }).catch(() => '');
  return out.split('\n').some((l) => {
    const value = l.trim().split(/\s+/)[1];
    return value !== undefined && value.toLowerCase() !== 'false';
  });
}

/** The git dir shared by all worktrees (objects, config) for a worktree's own git dir. */
function commonGitDir(gitDir: string): string {
  try {
    const rel = readFileSync(path.join(gitDir, 'commondir'), 'utf8').trim();
    return rel ? path.resolve(gitDir, rel) : gitDir;
  } catch {
    return gitDir;
  }
}

/**
 * Ids of objects present locally, among `wanted`. Only needed in partial clones, where asking
 * `cat-file` for an absent object would make git try to fetch it (and fail, since rekey forbids
 * every transport): the local object store is listed instead, which never fetches.
 */
export async function presentObjects(git: GitRunner, wanted: Set<string>, signal?: AbortSignal): Promise<Set<string>> {
  const present = new Set<string>();
  if (wanted.size === 0) return present;
  const proc = git.stream(['cat-file', '--batch-check=%(objectname)', '--batch-all-objects', '--unordered'], { signal, bulk: true });
  let rest = '';
  for await (const chunk of proc.stdout as AsyncIterable<Buffer>) {
    const text = rest + chunk.toString('latin1');
    const lines = text.split('\n');
    rest = lines.pop() ?? '';
    for (const l of lines) if (wanted.has(l)) present.add(l);
  }
  if (wanted.has(rest)) present.add(rest);
  await proc.done;
  return present;
}

/** Committer time (seconds) of each commit in `ids`, read with one command. */
export async function readCommitTimes(git: GitRunner, ids: Iterable<string>, signal?: AbortSignal): Promise<Map<string, number>> {
  const list = [...new Set(ids)].filter((id) => /^[0-9a-f]{40,64}$/.test(id));
  const times = new Map<string, number>();
  if (list.length === 0) return times;
  const out = await git.run(['log', '--no-walk=unsorted', '--stdin', '--format=%H %ct'], { signal, input: list.join('\n') + '\n' });
  for (const line of out.split('\n')) {
    const [id, t] = line.split(' ');
    if (id && t) times.set(id, Number(t));
  }
  return times;
}
