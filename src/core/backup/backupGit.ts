import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { GitNotFoundError, isAbortError, NotARepositoryError } from '../git/gitErrors';
import { GitRunner } from '../git/gitRunner';

/*
 * The two git questions backup hygiene asks: is this file tracked, and if not, is it ignored?
 * Runs through the shared git runner with its safe overrides always on (these read-only
 * commands never need the repository's own programs). Callers still run it only in trusted
 * workspaces, as every git call of rekey.
 */

/** How git sees one file. `outside` = not in any git work tree (it cannot leak through git). */
export type GitFileState = 'tracked' | 'ignored' | 'not-ignored' | 'outside';

/** git is not installed or could not run at all. */
export class GitUnavailableError extends Error {
  override name = 'GitUnavailableError';
}

/**
 * Whether each file is tracked, ignored or neither: one repository lookup per folder, then one
 * `ls-files` and one `check-ignore --stdin` per repository. Files git fails on are left out of
 * the result (no answer rather than a false leak).
 * @throws GitUnavailableError when git cannot run at all.
 */
export async function gitFileStates(files: string[], signal?: AbortSignal): Promise<Map<string, GitFileState>> {
  const out = new Map<string, GitFileState>();
  const runnerByDir = new Map<string, GitRunner | undefined>();
  const byRoot = new Map<string, { git: GitRunner; items: Array<{ file: string; rel: string }> }>();
  for (const file of files) {
    // git reports real paths (symlinks resolved), so compare in that space.
    const real = await fs.realpath(file).catch(() => path.resolve(file));
    const dir = path.dirname(real);
    if (!runnerByDir.has(dir)) runnerByDir.set(dir, await openRepo(dir, signal));
    const git = runnerByDir.get(dir);
    if (!git || git.bare) {
      out.set(file, 'outside');
      continue;
    }
    const rel = path.relative(git.root, real).split(path.sep).join('/');
    if (rel.startsWith('../') || /[\0\n]/.test(rel)) continue;
    const group = byRoot.get(git.root) ?? { git, items: [] };
    group.items.push({ file, rel });
    byRoot.set(git.root, group);
  }
  for (const { git, items } of byRoot.values()) {
    try {
      const listed = await git.run(['ls-files', '-z', '--full-name', '--', ...items.map((l) => `:(literal)${l.rel}`)], { signal });
      const tracked = new Set(splitZ(listed));
      const untracked = items.filter((l) => !tracked.has(l.rel));
      for (const l of items) if (tracked.has(l.rel)) out.set(l.file, 'tracked');
      if (untracked.length === 0) continue;
      const ignoredOut = await git.run(['check-ignore', '-z', '--stdin'], { signal, input: untracked.map((l) => l.rel).join('\0') + '\0' });
      const ignored = new Set(splitZ(ignoredOut));
      for (const l of untracked) out.set(l.file, ignored.has(l.rel) ? 'ignored' : 'not-ignored');
    } catch (err) {
      if (isAbortError(err, signal)) throw err;
      // Leave this repository's files unanswered.
    }
  }
  return out;
}

async function openRepo(dir: string, signal?: AbortSignal): Promise<GitRunner | undefined> {
  if (!(await fs.stat(dir).then((s) => s.isDirectory(), () => false))) return undefined;
  try {
    return await GitRunner.open(dir, { trusted: false, ...(signal ? { signal } : {}) });
  } catch (err) {
    if (err instanceof GitNotFoundError) throw new GitUnavailableError(`${err.message}; backup tracking checks skipped`);
    if (err instanceof NotARepositoryError) return undefined;
    if (isAbortError(err, signal)) throw err;
    return undefined;
  }
}

function splitZ(s: string): string[] {
  return s.split('\0').filter((x) => x !== '');
}
