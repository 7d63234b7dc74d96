import { promises as fs } from 'node:fs';
import { rekeyBackupHeader } from '../../core/env/rekeyBackupHeader';
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
  return writePrivateCopy(base, text, header);
}

/**
 * The backup of a code file a rotation edits: the exact text, without the `.env` comment header
 * (which would not be a comment in most languages), mode 0600.
 */
export async function writeCodeBackup(base: string, text: string): Promise<string> {
  return writePrivateCopy(base, text, undefined);
}

async function writePrivateCopy(base: string, text: string, header: string | undefined): Promise<string> {
  const dest = await backupFile(base, base, { mode: 0o600, content: text, ...(header === undefined ? {} : { header }) });
  // The umask never widens what the write set, but a file system might: say it explicitly.
  await fs.chmod(dest, 0o600);
  return dest;
}
