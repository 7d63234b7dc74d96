import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { runGitCommand } from '../git/gitStream';
import { isEnvFamilyName } from './envFileNames';

/*
 * The `.env`-family files under a folder as git's index and untracked cache know them, so a
 * workspace of tens of thousands of source files costs two `git ls-files` rather than a walk of
 * every folder. Ignored folders (where `.env` files often live: `secrets/`, `deploy/`), nested
 * repositories and submodules are handed back for the caller to walk, so the answer is the one
 * a full walk would give.
 */

/** Tracked files with their mode (a submodule is `160000`), plus untracked-but-not-ignored ones. */
const VISIBLE_ARGS = ['ls-files', '-z', '--stage', '--cached', '--others', '--exclude-standard'];
/** Ignored files, each ignored folder collapsed to one line. */
const IGNORED_ARGS = ['ls-files', '-z', '--others', '--ignored', '--exclude-standard', '--directory'];

export interface GitEnvListing {
  /** Absolute paths of `.env`-family files git lists (not yet checked to be regular files). */
  files: string[];
  /** Absolute folders git does not enter (ignored folders, nested repositories, submodules). */
  folders: string[];
}


/**
 * Lists `.env`-family names under `dir` through git (the one spawn point, with its safety
 * overrides), and the folders git leaves out, which the caller walks. Paths through a folder
 * named in `skip` (dependency folders) are left out of both.
 * @returns `undefined` when git cannot answer (missing, not a work tree): the caller walks instead.
 */
export async function listEnvFamilyByGit(dir: string, skip: ReadonlySet<string>, signal?: AbortSignal): Promise<GitEnvListing | undefined> {
  const abs = path.resolve(dir);
  const opts = { cwd: abs, ...(signal ? { signal } : {}) };
  let visible: string;
  let ignored: string;
  try {
    [visible, ignored] = await Promise.all([runGitCommand(VISIBLE_ARGS, opts), runGitCommand(IGNORED_ARGS, opts)]);
  } catch (err) {
    if (signal?.aborted) throw err;
    return undefined;
  }
  const withinSkipped = (rel: string): boolean => rel.split('/').some((seg) => skip.has(seg));
  // Run inside an ignored folder, git names the folder itself (`./`): walk it all.
  if (ignored.split('\0').some((e) => e === './' || e === '.')) return { files: [], folders: [abs] };
  const files: string[] = [];
  const folders: string[] = [];
  const prefix = abs.endsWith(path.sep) ? abs : abs + path.sep;
  const toAbs = (rel: string): string => prefix + (path.sep === '/' ? rel : rel.split('/').join(path.sep));
  const take = (rel: string, folder: boolean): void => {
    if (folder) {
      const clean = rel.endsWith('/') ? rel.slice(0, -1) : rel;
      if (clean !== '' && !withinSkipped(clean)) folders.push(toAbs(clean));
    } else if (isEnvFamilyName(rel) && !withinSkipped(rel)) {
      files.push(toAbs(rel));
    }
  };
  for (const entry of visible.split('\0')) {
    if (entry === '') continue;
    const tab = entry.indexOf('\t');
    // `--stage` prints tracked entries as `mode object stage<TAB>path`; untracked ones bare. Every
    // `.env`-family name holds `.env`: the many other files are passed over on that test alone.
    if (tab === -1) {
      if (entry.endsWith('/') || entry.includes('.env')) take(entry, entry.endsWith('/'));
    } else if (entry.startsWith('160000 ') || entry.includes('.env', tab)) {
      take(entry.slice(tab + 1), entry.startsWith('160000 '));
    }
  }
  for (const entry of ignored.split('\0')) if (entry !== '') take(entry, entry.endsWith('/'));
  return { files, folders };
}

/** Keeps the paths that are regular files or links to one (as a walk would), in order. */
export async function regularFiles(paths: readonly string[]): Promise<string[]> {
  const ok = await Promise.all(paths.map((p) => fs.stat(p).then((s) => s.isFile(), () => false)));
  return paths.filter((_, i) => ok[i]);
}
