import { promises as fs } from 'node:fs';
import { readEnvFile } from '../fs/readTextFile';
import { findEnvFiles } from '../workspace/findEnvFiles';
import { readRekeyBackupHeader, type RekeyBackupInfo } from '../env/rekeyBackupHeader';
import type { Ledger } from '../age/ledger';
import { liveFileCandidatesForBackup } from '../workspace/envFileNames';

/*
 * The last step of a rotation's life: planned → applied (backup kept, old value retrievable) →
 * verified (the new value works everywhere) → retired (the backup holding the old value is
 * deleted, so the old secret no longer sits on disk). Only backups rekey made are retired here;
 * a user's own backups are theirs to keep or delete.
 */

/** A backup rekey made before one of its changes. */
export interface RekeyBackup {
  path: string;
  info: RekeyBackupInfo;
}

/** Retiring was refused; nothing was deleted. */
export class RetireError extends Error {
  override name = 'RetireError';
}

/** The rekey-made backup at `file`, or `undefined` when it is not one (or cannot be read). */
export async function readRekeyBackup(file: string): Promise<RekeyBackup | undefined> {
  const r = await readEnvFile(file);
  const info = r.ok ? readRekeyBackupHeader(r.text) : undefined;
  return info ? { path: file, info } : undefined;
}

/** Every rekey-made backup among the `.env`-family files under `root`, oldest change first. */
export async function findRekeyBackups(root: string): Promise<RekeyBackup[]> {
  const out: RekeyBackup[] = [];
  for (const f of await findEnvFiles(root)) {
    const b = await readRekeyBackup(f);
    if (b) out.push(b);
  }
  return out.sort((a, b) => (a.info.date < b.info.date ? -1 : a.info.date > b.info.date ? 1 : 0));
}

export interface RetireOptions {
  /** When given (writable), the rotation the backup was taken for moves to `retired` in it. */
  ledger?: Ledger;
  /** Default: now. */
  now?: Date;
}

/**
 * Deletes the rekey-made backup `file`; for a rotation backup, records the rotation as retired
 * in `options.ledger` (the keys its header names, in the live file it backs up). A ledger that
 * cannot be saved does not undo the deletion: the error is returned in `ledgerError`.
 * @throws RetireError when `file` is not a backup rekey made (a user's backup is never deleted).
 */
export async function retireBackup(file: string, options: RetireOptions = {}): Promise<RekeyBackup & { ledgerError?: string }> {
  const b = await readRekeyBackup(file);
  if (!b) throw new RetireError(`${file} is not a backup rekey made (its first line does not say so); rekey only retires its own backups`);
  await fs.unlink(file);
  if (!options.ledger || b.info.action !== 'rotating') return b;
  try {
    await recordRetirement(options.ledger, b, options.now ?? new Date());
    return b;
  } catch (err) {
    return { ...b, ledgerError: (err as Error).message };
  }
}

/** Marks the rotation `backup` was taken for as retired, for each key in the first live file that has it. */
async function recordRetirement(ledger: Ledger, backup: RekeyBackup, now: Date): Promise<void> {
  const rotatedOn = new Date(backup.info.date);
  if (Number.isNaN(rotatedOn.getTime())) return;
  for (const key of backup.info.keys) {
    for (const live of liveFileCandidatesForBackup(backup.path)) {
      if (ledger.rotationRun(live, key, rotatedOn)) {
        await ledger.recordRetired(live, key, rotatedOn, now);
        break;
      }
    }
  }
}
