import { promises as fs } from 'node:fs';
import { rekeyBackupHeader } from '../../core/backup/rekeyBackup';
import { backupFile } from '../../core/fs/atomicWrite';

/*
 * The backup the VS Code rotation writes before it edits anything. It holds the exact text the
 * plan was made from (in an editor that may be an unsaved buffer, and the backup must hold what
 * the rotation replaced), after the first-line comment that marks every rekey-made backup, as
 * `applyRotation` writes it.
 */

/**
 * Writes `text` to `base` (or `base-2`, `base-3`... when taken: an older backup is never
 * overwritten) with mode 0600 and returns the path written.
 */
export async function writeRotationBackup(base: string, text: string, keys: readonly string[], date: Date): Promise<string> {
  const header = rekeyBackupHeader({ keys, date, eol: text.includes('\r\n') ? '\r\n' : '\n' });
  const dest = await backupFile(base, base, { mode: 0o600, content: text, header });
  // The umask never widens what the write set, but a file system might: say it explicitly.
  await fs.chmod(dest, 0o600);
  return dest;
}
