import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../../core/fs/atomicWrite';
import type { Logger } from '../../core/log';
import { BACKUP_IGNORE_LINE } from '../../core/rotation/apply';
import { isIgnoredByGit } from '../../core/rotation/workspaceFiles';

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

/**
 * Makes sure git ignores `backup`: adds {@link BACKUP_IGNORE_LINE} to the `.gitignore` next to
 * it when no rule covers it yet (the same line `rekey rotate` adds). Returns the `.gitignore`
 * changed, and a warning when the backup is still not ignored.
 */
export async function ensureBackupIgnored(backup: string, trusted: boolean, logger: Logger): Promise<{ updated?: string; warning?: string }> {
  const state = await isIgnoredByGit(backup, { trusted });
  if (state !== false) return {};
  const gitignore = path.join(path.dirname(backup), '.gitignore');
  let text = '';
  try {
    text = await fs.readFile(gitignore, 'utf8');
  } catch {
    // No .gitignore yet: it is created.
  }
  if (!text.split(/\r?\n/).includes(BACKUP_IGNORE_LINE)) {
    const eol = text.includes('\r\n') ? '\r\n' : '\n';
    const sep = text === '' || text.endsWith('\n') ? '' : eol;
    await writeFileAtomic(gitignore, `${text}${sep}# rekey: backups made before rotating secrets hold the old values${eol}${BACKUP_IGNORE_LINE}${eol}`, text === '' ? { mode: 0o644 } : {});
    logger.info(`added ${BACKUP_IGNORE_LINE} to ${gitignore}`);
  }
  const after = await isIgnoredByGit(backup, { trusted });
  return { updated: gitignore, ...(after === false ? { warning: `${path.basename(backup)} is still not ignored by git (a rule re-includes it); do not commit it` } : {}) };
}
