import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { SKIPPED_DIRS, isEnvFamilyName } from './envFileNames';
import { listEnvFamilyByGit, regularFiles } from './gitEnvFiles';
import { walkTree } from './walk';

export interface FindEnvFilesOptions {
  /** Stop walking when aborted. */
  signal?: AbortSignal;
  /** Extra folder names to skip. */
  skipDirs?: Iterable<string>;
  /** Safety valve for huge trees. */
  maxFiles?: number;
  /** Told about each folder that could not be read (so callers can say what was not checked). */
  onSkipped?: (dir: string, reason: string) => void;
  /**
   * Whether git may run here (the CLI: yes; VS Code: workspace trust). In a git work tree the
   * names then come from `git ls-files`, and only the folders git does not enter are walked.
   * Default false: a walk of the whole tree.
   */
  trusted?: boolean;
}

/**
 * Finds `.env`-family files under `root`, including git-ignored ones (that is where secrets live),
 * without descending into dependency folders or following symbolic links to folders (no loops).
 * `root` may itself be a file. Results are absolute, sorted paths.
 */
export async function findEnvFiles(root: string, options: FindEnvFilesOptions = {}): Promise<string[]> {
  const skip = new Set([...SKIPPED_DIRS, ...(options.skipDirs ?? [])]);
  const max = options.maxFiles ?? 100_000;
  const abs = path.resolve(root);
  const stat = await fs.stat(abs);
  if (stat.isFile()) return [abs];
  if (options.trusted) {
    const listed = await listEnvFamilyByGit(abs, skip, options.signal);
    if (listed) {
      const found = new Set(await regularFiles(listed.files));
      for (const folder of listed.folders) {
        if (found.size >= max) break;
        for (const f of await walkForEnvFiles(folder, skip, max - found.size, options)) found.add(f);
      }
      return [...found].slice(0, max).sort();
    }
  }
  return (await walkForEnvFiles(abs, skip, max, options)).sort();
}

async function walkForEnvFiles(abs: string, skip: ReadonlySet<string>, max: number, options: FindEnvFilesOptions): Promise<string[]> {
  const out: string[] = [];
  await walkTree(abs, null, {
    folder: (_full, d) => (skip.has(d.name) ? undefined : null),
    entry: async (full, d) => {
      if (!(d.isFile() || d.isSymbolicLink()) || !isEnvFamilyName(d.name)) return;
      if (d.isSymbolicLink()) {
        const target = await fs.stat(full).catch(() => undefined);
        if (!target?.isFile()) return;
      }
      out.push(full);
    },
    done: () => out.length >= max,
    ...(options.onSkipped ? { unreadable: options.onSkipped } : {}),
  }, options.signal);
  return out;
}
