import { promises as fs } from 'node:fs';
import { readEnvFile } from '../fs/readTextFile';
import { findEnvFiles } from '../workspace/findEnvFiles';
import { readRekeyBackupHeader, type RekeyBackupInfo } from '../env/rekeyBackupHeader';

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

/**
 * Deletes the rekey-made backup `file`.
 * @throws RetireError when `file` is not a backup rekey made (a user's backup is never deleted).
 */
export async function retireBackup(file: string): Promise<RekeyBackup> {
  const b = await readRekeyBackup(file);
  if (!b) throw new RetireError(`${file} is not a backup rekey made (its first line does not say so); rekey only retires its own backups`);
  await fs.unlink(file);
  return b;
}
