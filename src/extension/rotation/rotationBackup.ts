import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../../core/fs/atomicWrite';

/*
 * The backup the VS Code rotation writes before it edits anything. Unlike `applyRotation`, which
 * copies the file on disk, it writes the exact text the plan was made from: in an editor that
 * may be an unsaved buffer, and the backup must hold what the rotation replaced.
 */

async function exists(p: string): Promise<boolean> {
  return fs.lstat(p).then(
    () => true,
    () => false,
  );
}

/**
 * Writes `text` to `base` (or `base-2`, `base-3`... when taken: an older backup is never
 * overwritten) with mode 0600 and returns the path written.
 */
export async function writeRotationBackup(base: string, text: string): Promise<string> {
  let dest = base;
  for (let n = 2; await exists(dest); n++) {
    if (n > 1000) throw new Error(`too many backups named ${path.basename(base)}-N; remove old ones`);
    dest = `${base}-${n}`;
  }
  await writeFileAtomic(dest, text, { mode: 0o600 });
  // The umask never widens what writeFileAtomic set, but a file system might: say it explicitly.
  await fs.chmod(dest, 0o600);
  return dest;
}

