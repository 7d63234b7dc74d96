import { promises as fs } from 'node:fs';
import { backupFile, writeFileAtomic } from '../../fs/atomicWrite';
import { ensureBackupIgnored } from '../apply';
import { RotationError } from '../errors';
import { BACKUP_SUFFIX } from '../plan';
import type { CodeChange } from './codeEdits';
import { silentLogger } from '../../log';

/*
 * Writes the code side of a zero-logout rotation, after the user confirmed it. Same rules as the
 * `.env` write: refuse when the file changed since planning, back up first, one atomic
 * replacement per file, and put every file back if any write fails.
 */

export interface AppliedCodeChange {
  file: string;
  backup: string;
}

/**
 * Applies `changes` (from the plan's `zeroLogout.codeChanges`).
 * @throws RotationError `file-changed` when a file differs from the planned text, `write-failed`
 * when a backup or write fails (files already written are restored).
 */
export async function applyCodeChanges(changes: readonly CodeChange[], options: { trusted?: boolean } = {}): Promise<AppliedCodeChange[]> {
  for (const c of changes) {
    const onDisk = await fs.readFile(c.file, 'utf8').catch(() => undefined);
    if (onDisk !== c.oldText) throw new RotationError(`${c.file} changed since the rotation was planned; plan it again`, 'file-changed');
  }
  const done: AppliedCodeChange[] = [];
  try {
    for (const c of changes) {
      // Source files hold no secret, but the backup keeps the usual name so the ignore line covers it.
      const backup = await backupFile(c.file, c.file + BACKUP_SUFFIX, { mode: 0o600 });
      await ensureBackupIgnored(backup, options.trusted === true, silentLogger);
      await writeFileAtomic(c.file, c.newText);
      done.push({ file: c.file, backup });
    }
  } catch (err) {
    for (const d of done) await writeFileAtomic(d.file, await fs.readFile(d.backup)).catch(() => undefined);
    throw new RotationError(`could not apply the code edit (${(err as Error).message}); ${done.length ? 'restored the files already changed' : 'nothing was changed'}`, 'write-failed', done.map((d) => d.file));
  }
  return done;
}

/** Puts code files back from their backups (after the `.env` write failed); best effort, never throws. */
export async function restoreCodeChanges(applied: readonly AppliedCodeChange[]): Promise<void> {
  for (const d of applied) {
    try {
      await writeFileAtomic(d.file, await fs.readFile(d.backup));
    } catch {
      // The backup stays next to the file; the error message names it.
    }
  }
}
