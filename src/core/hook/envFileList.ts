import * as path from 'node:path';
import { isEnvFamilyName, SKIPPED_DIRS } from '../workspace/envFileNames';
import { findEnvFiles } from '../workspace/findEnvFiles';
import { LS_IGNORED_ARGS, LS_VISIBLE_ARGS } from './hookCommands';

/** Runs a git command in the work tree's root (`HookGit.run`). */
export interface LsFilesRunner {
  run(args: string[]): Promise<string>;
}

/**
 * The work tree's `.env`-family files, git-ignored ones included, listed by git rather than by
 * walking every folder: `git ls-files` answers from the index and its untracked cache in a few
 * milliseconds where a walk of a mid-sized repository takes tens (the hook's whole budget).
 *
 * Two listings: tracked and untracked files outside ignore rules, then ignored ones with ignored
 * folders collapsed (`--directory`), so `node_modules/` is one line, not a hundred thousand.
 * Ignored folders that are not dependency or tool folders (`SKIPPED_DIRS`) are walked, since
 * `.env` files do live in ignored folders (`secrets/`, `deploy/`). Nested repositories are left
 * to their own hooks, as git lists them as folders and never enters them.
 *
 * `git` must run at `root`. Returns absolute paths, sorted; on any git failure it falls back to
 * walking the whole tree.
 */
export async function listEnvFiles(git: LsFilesRunner, root: string): Promise<string[]> {
  let listed: string[];
  let ignoredDirs: string[];
  try {
    const [visible, ignored] = await Promise.all([
      git.run(LS_VISIBLE_ARGS),
      git.run(LS_IGNORED_ARGS),
    ]);
    const all = [...visible.split('\0'), ...ignored.split('\0')].filter((p) => p !== '');
    listed = all.filter((p) => !p.endsWith('/') && isEnvFamilyName(p));
    ignoredDirs = all.filter((p) => p.endsWith('/') && !p.slice(0, -1).split('/').some((seg) => SKIPPED_DIRS.has(seg)));
  } catch {
    return findEnvFiles(root).catch(() => []);
  }
  const out = new Set(listed.map((p) => path.join(root, ...p.split('/'))));
  const walked = await Promise.all(ignoredDirs.map((d) => findEnvFiles(path.join(root, ...d.split('/'))).catch(() => [] as string[])));
  for (const list of walked) for (const f of list) out.add(f);
  return [...out].sort();
}
