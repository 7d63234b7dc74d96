import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { resolveGitDirs } from '../../core/git/repoRoot';
import type { Logger } from '../../core/log';
import type { PassScheduler } from '../../core/schedule/passScheduler';

/** A file-system watcher as the repository watcher uses it (a `vscode.FileSystemWatcher` is one). */
export interface PathWatcher {
  onDidChange(listener: (uri: { fsPath: string }) => unknown): { dispose(): unknown };
  onDidCreate(listener: (uri: { fsPath: string }) => unknown): { dispose(): unknown };
  onDidDelete(listener: (uri: { fsPath: string }) => unknown): { dispose(): unknown };
  dispose(): unknown;
}

export interface RepositoryWatcherOptions {
  /** Watches `glob` under the folder `base` (`createFileSystemWatcher(new RelativePattern(...))`). */
  createWatcher: (base: string, glob: string) => PathWatcher;
  /** Debounces the checks (`repo\0<root>` ids). */
  scheduler: PassScheduler;
  /** Called when a repository's HEAD, index or refs really moved. */
  onRepositoryChanged: (root: string) => void;
  logger: Logger;
  /** Wait after a git event before comparing states: commands touch HEAD and the index in bursts. */
  debounceMs?: number;
}

/** Default wait after a git change (HEAD, index) before re-reading history. */
export const GIT_DEBOUNCE_MS = 1500;

/**
 * Watches HEAD, the index and refs of each repository the folders' `.env` files belong to, so
 * commits, checkouts and staging re-run the git pass. In linked worktrees and submodules `.git`
 * is a file naming the real git dir, and refs live in the shared (common) dir: both are resolved
 * first (`resolveGitDirs`). A check compares the repository's state with the one the last git
 * pass started from (`noteState`), so git commands rekey runs itself cannot loop.
 */
export class RepositoryWatcher {
  private readonly watched = new Map<string, Array<{ dispose(): unknown }>>();
  /** State of each repository's HEAD, index and refs when its last git pass started. */
  private readonly stamps = new Map<string, string>();
  private readonly forced = new Set<string>();
  private readonly debounceMs: number;

  constructor(private readonly options: RepositoryWatcherOptions) {
    this.debounceMs = options.debounceMs ?? GIT_DEBOUNCE_MS;
  }

  /** Starts watching each repository not watched yet. */
  watch(roots: readonly string[]): void {
    for (const root of roots) {
      if (this.watched.has(root)) continue;
      const dirs = resolveGitDirs(root);
      if (!dirs) continue;
      // As the built-in git extension does: the files directly in the git dir, and refs.
      const watchers = [this.options.createWatcher(dirs.gitDir, '*'), this.options.createWatcher(dirs.commonDir, 'refs/**')];
      if (dirs.commonDir !== dirs.gitDir) watchers.push(this.options.createWatcher(dirs.commonDir, 'packed-refs'));
      const onGit = (uri: { fsPath: string }) => this.onGitEvent(root, uri.fsPath);
      this.watched.set(root, watchers.flatMap((w) => [w, w.onDidChange(onGit), w.onDidCreate(onGit), w.onDidDelete(onGit)]));
    }
  }

  isWatching(root: string): boolean {
    return this.watched.has(root);
  }

  /** Remembers the repository's state as a git pass starts from it. */
  async noteState(root: string): Promise<void> {
    this.stamps.set(root, await repoStamp(root));
  }

  dispose(): void {
    for (const subs of this.watched.values()) for (const s of subs) s.dispose();
    this.watched.clear();
  }

  private onGitEvent(root: string, fsPath: string): void {
    const name = path.basename(fsPath);
    const isRef = fsPath.includes(`${path.sep}refs${path.sep}`);
    if (!isRef && name !== 'HEAD' && name !== 'index' && name !== 'packed-refs') return;
    // rekey never writes refs: a changed tag or remote branch (a push) always counts.
    if (isRef) this.forced.add(root);
    this.options.scheduler.debounce(`repo\0${root}`, this.debounceMs, async () => {
      const stamp = await repoStamp(root);
      const forced = this.forced.delete(root);
      if (!forced && stamp === this.stamps.get(root)) return;
      this.options.logger.debug(`git state of ${root} changed: checking again`);
      this.options.onRepositoryChanged(root);
    });
  }
}

/** A cheap summary of a repository's HEAD, index and refs (contents of HEAD, times and sizes of the rest). */
export async function repoStamp(root: string): Promise<string> {
  const dirs = resolveGitDirs(root);
  if (!dirs) return '-';
  const stat = (dir: string, p: string) => fs.stat(path.join(dir, p)).then((s) => `${s.mtimeMs}:${s.size}`, () => '-');
  const head = await fs.readFile(path.join(dirs.gitDir, 'HEAD'), 'utf8').catch(() => '');
  const ref = /^ref: (refs\/[^\s]+)/.exec(head)?.[1];
  const parts = await Promise.all([stat(dirs.gitDir, 'index'), stat(dirs.commonDir, 'packed-refs'), ref ? stat(dirs.commonDir, ref) : Promise.resolve('-')]);
  return [head.trim(), ...parts].join('|');
}
