import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { runGitCommand } from '../git/gitStream';
import { SKIPPED_DIRS } from './envFileNames';
import { walkTree } from './walk';

/*
 * The files of a workspace as git sees them (tracked plus untracked-but-not-ignored), so the
 * consumer scan reads what the project ships rather than build output or vendored copies. git runs
 * only when the caller trusts the workspace, and then through the one git spawn point, whose
 * overrides stop the repository's config from starting programs (`core/git/safeConfig.ts`).
 */

export interface WorkspaceFilesOptions {
  /** Whether git may run in this workspace (the CLI: yes; VS Code: workspace trust). Default false. */
  trusted?: boolean;
  signal?: AbortSignal;
  /** Safety valve for huge trees (default 200 000). */
  maxFiles?: number;
}

/** Runs git with the safe flags and environment; resolves stdout, or `undefined` when git fails or is missing. */
export function runGit(cwd: string, args: string[], signal?: AbortSignal): Promise<string | undefined> {
  // Without inherited GIT_* variables (the spawn point drops them): a GIT_DIR from a hook must not
  // redirect the listing.
  return runGitCommand(args, { cwd, ...(signal ? { signal } : {}) }).then(
    (out) => out,
    () => undefined,
  );
}

/** The top folder of the git work tree containing `dir`, or `undefined` outside one (or untrusted). */
export async function gitTopLevel(dir: string, options: WorkspaceFilesOptions = {}): Promise<string | undefined> {
  if (!options.trusted) return undefined;
  const out = await runGit(dir, ['rev-parse', '--show-toplevel'], options.signal);
  const top = out?.trim();
  return top ? path.resolve(top) : undefined;
}

function skipped(rel: string): boolean {
  // Most paths hold no folder name that is skipped: look at the segments only past a cheap test.
  for (let start = 0, end = rel.indexOf('/'); end !== -1; start = end + 1, end = rel.indexOf('/', start)) {
    if (SKIPPED_DIRS.has(rel.slice(start, end))) return true;
  }
  return SKIPPED_DIRS.has(rel.slice(rel.lastIndexOf('/') + 1));
}

/**
 * Absolute paths of the workspace's files under `root`, honouring `.gitignore`: `git ls-files -co
 * --exclude-standard` in a trusted git work tree, otherwise a walk that applies every `.gitignore`
 * on the way down. Dependency folders (`SKIPPED_DIRS`) are always left out.
 */
export async function listWorkspaceFiles(root: string, options: WorkspaceFilesOptions = {}): Promise<string[]> {
  const abs = path.resolve(root);
  const max = options.maxFiles ?? 200_000;
  if (options.trusted) {
    const out = await runGit(abs, ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], options.signal);
    if (out !== undefined) {
      // git prints clean `/` paths (no `.`, `..` or doubled slashes), so joining by hand gives what
      // path.join would, at a fraction of its cost over tens of thousands of files.
      const prefix = abs.endsWith(path.sep) ? abs : abs + path.sep;
      const files = new Set<string>();
      // Only folder names that occur in the listing at all need testing, path by path.
      const check = [...SKIPPED_DIRS].some((d) => out.includes(d));
      for (const rel of out.split('\0')) {
        if (rel === '' || (check && skipped(rel))) continue;
        files.add(prefix + (path.sep === '/' ? rel : rel.split('/').join(path.sep)));
        if (files.size >= max) break;
      }
      return [...files].sort();
    }
  }
  return walkWithGitignore(abs, max, options.signal);
}

export interface FilesContainingOptions extends WorkspaceFilesOptions {
  /** Letters match in either case. */
  ignoreCase?: boolean;
  /** Only files whose name matches one of these globs, in any folder and any case (`*.ts`). */
  names?: readonly string[];
}

/*
 * Pinned for the run: a user's `grep.fallbackToNoIndex` would search ignored files outside a
 * repository, and `grep.fullName` would make the paths relative to the top instead of `root`.
 */
const GREP_CONFIG = ['grep.fallbackToNoIndex=false', 'grep.fullName=false'];

/**
 * Absolute, sorted paths of the files under `root` that {@link listWorkspaceFiles} lists and whose
 * text holds at least one of `needles` (fixed strings), found by one `git grep -l --untracked`
 * (tracked plus untracked-but-not-ignored files, as `ls-files -co --exclude-standard`), so the
 * caller reads only the files that can matter. Dependency folders (`SKIPPED_DIRS`) are left out.
 * Each needle costs git a pass over every file: pass few, short ones and let the caller refine.
 * @returns `undefined` when git cannot answer (untrusted, git missing, not a work tree): the caller
 * then lists the files with {@link listWorkspaceFiles} and checks their text itself.
 */
export async function filesContaining(root: string, needles: readonly string[], options: FilesContainingOptions = {}): Promise<string[] | undefined> {
  if (!options.trusted) return undefined;
  if (needles.length === 0) return [];
  const abs = path.resolve(root);
  const args = ['grep', '-l', '-z', '--untracked', '--no-textconv', '--no-recurse-submodules', '-F'];
  if (options.ignoreCase) args.push('-i');
  for (const n of needles) args.push('-e', n);
  args.push('--', ...(options.names ?? []).map((n) => `:(icase)${n}`));
  let out: string;
  try {
    // Exit 1 is "no file matches", an answer.
    out = await runGitCommand(args, { cwd: abs, config: GREP_CONFIG, okCodes: [1], ...(options.signal ? { signal: options.signal } : {}) });
  } catch (err) {
    if (options.signal?.aborted) throw err;
    return undefined;
  }
  const max = options.maxFiles ?? 200_000;
  const files: string[] = [];
  for (const rel of out.split('\0')) {
    if (rel === '' || skipped(rel)) continue;
    files.push(path.join(abs, rel));
    if (files.length >= max) break;
  }
  return files.sort();
}

interface IgnoreLayer {
  base: string;
  ig: Ignore;
}

async function loadGitignore(dir: string): Promise<IgnoreLayer | undefined> {
  try {
    const text = await fs.readFile(path.join(dir, '.gitignore'), 'utf8');
    return { base: dir, ig: ignore().add(text) };
  } catch {
    return undefined;
  }
}

function ignoredBy(layers: IgnoreLayer[], abs: string, isDir: boolean): boolean {
  let ignored = false;
  for (const layer of layers) {
    const rel = path.relative(layer.base, abs).split(path.sep).join('/');
    const r = layer.ig.test(isDir ? `${rel}/` : rel);
    // Deeper files override shallower ones, as in git.
    if (r.ignored) ignored = true;
    else if (r.unignored) ignored = false;
  }
  return ignored;
}

async function walkWithGitignore(root: string, max: number, signal?: AbortSignal): Promise<string[]> {
  const out: string[] = [];
  const rootLayer = await loadGitignore(root);
  await walkTree<IgnoreLayer[]>(root, rootLayer ? [rootLayer] : [], {
    folder: async (full, d, layers) => {
      if (SKIPPED_DIRS.has(d.name) || ignoredBy(layers, full, true)) return undefined;
      const layer = await loadGitignore(full);
      return layer ? [...layers, layer] : layers;
    },
    entry: (full, d, layers) => {
      if (d.isFile() && !ignoredBy(layers, full, false)) out.push(full);
    },
    done: () => out.length >= max,
  }, signal);
  return out.sort();
}

/**
 * Whether git ignores `file`: `git check-ignore` when trusted and inside a work tree, else the
 * `.gitignore` files from `root` down to the file. `undefined` when `file` is not in a git work
 * tree at all (nothing can leak through git then).
 */
export async function isIgnoredByGit(file: string, options: WorkspaceFilesOptions & { root?: string } = {}): Promise<boolean | undefined> {
  const dir = path.dirname(file);
  if (options.trusted) {
    const top = await gitTopLevel(dir, options);
    if (!top) return undefined;
    // check-ignore exits 0 when ignored, 1 when not; runGit maps non-zero to undefined.
    const out = await runGit(dir, ['check-ignore', '-q', '--no-index', path.relative(dir, file)], options.signal);
    return out !== undefined;
  }
  const root = options.root ?? (await findGitRootByWalking(dir));
  if (!root) return undefined;
  const layers: IgnoreLayer[] = [];
  const rel = path.relative(root, dir);
  const parts = rel === '' ? [] : rel.split(path.sep);
  for (let i = 0; i <= parts.length; i++) {
    const layer = await loadGitignore(path.join(root, ...parts.slice(0, i)));
    if (layer) layers.push(layer);
  }
  for (let i = 1; i <= parts.length; i++) {
    if (ignoredBy(layers, path.join(root, ...parts.slice(0, i)), true)) return true;
  }
  return ignoredBy(layers, file, false);
}

/** The nearest folder above `dir` that holds a `.git` entry, without running git. */
export async function findGitRootByWalking(dir: string): Promise<string | undefined> {
  let d = path.resolve(dir);
  for (;;) {
    try {
      await fs.stat(path.join(d, '.git'));
      return d;
    } catch {
      const up = path.dirname(d);
      if (up === d) return undefined;
      d = up;
    }
  }
}
