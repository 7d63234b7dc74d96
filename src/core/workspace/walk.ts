import type { Dirent } from 'node:fs';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/** What {@link walkTree} asks of its caller. `S` is per-folder state (depth, ignore rules...). */
export interface TreeVisitor<S> {
  /** State for a subfolder, or `undefined` not to enter it. Folder links are never followed. */
  folder(full: string, entry: Dirent, parent: S): S | undefined | Promise<S | undefined>;
  /** Called for every other entry (files, links to files or folders, sockets...). */
  entry(full: string, entry: Dirent, state: S): void | Promise<void>;
  /** Stops the walk as soon as it returns true (a result cap). */
  done?(): boolean;
  /** Told about each folder that could not be read (its error code), so callers can report it. */
  unreadable?(dir: string, reason: string): void;
}

/**
 * Walks the tree under `root` breadth-first: shallow files first, so a result cap keeps the
 * files nearest the root. Unreadable folders are skipped and passed to `unreadable`, when given.
 * @throws the abort reason when `signal` fires.
 */
export async function walkTree<S>(root: string, rootState: S, visitor: TreeVisitor<S>, signal?: AbortSignal): Promise<void> {
  const queue: Array<{ dir: string; state: S }> = [{ dir: root, state: rootState }];
  while (queue.length > 0 && !visitor.done?.()) {
    signal?.throwIfAborted();
    const { dir, state } = queue.shift() as { dir: string; state: S };
    let dirents: Dirent[];
    try {
      dirents = await fs.readdir(dir, { withFileTypes: true });
    } catch (err) {
      visitor.unreadable?.(dir, (err as NodeJS.ErrnoException).code ?? 'unreadable');
      continue;
    }
    for (const d of dirents) {
      const full = path.join(dir, d.name);
      if (d.isDirectory()) {
        const child = await visitor.folder(full, d, state);
        if (child !== undefined) queue.push({ dir: full, state: child });
      } else {
        await visitor.entry(full, d, state);
      }
      if (visitor.done?.()) return;
    }
  }
}
