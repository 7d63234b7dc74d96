import type { ScanBackup } from '../backup/scanBackups';
import type { DetectedSecret } from '../detect/types';
import type { ScanFile } from '../findings/scanContext';
import type { LiveSecrets } from '../age/collectAges';
import type { BackupSnapshot } from '../age/secretAge';

/**
 * Groups readable backups by the live file they back up, as the age computation takes them
 * (a backup holding another value bounds the current value's age).
 */
export function backupSnapshotsByLive(backups: readonly ScanBackup[]): Map<string, BackupSnapshot[]> {
  const snapshots = new Map<string, BackupSnapshot[]>();
  for (const b of backups) {
    if (!b.file.parsed || b.file.mtimeMs === undefined) continue;
    const list = snapshots.get(b.ref.livePath) ?? [];
    list.push({ path: b.file.path, mtimeMs: b.file.mtimeMs, parsed: b.file.parsed });
    snapshots.set(b.ref.livePath, list);
  }
  return snapshots;
}

/** A live file with its secrets, or undefined when it was not read or holds none. */
export function liveSecretsOf(file: ScanFile, secrets: DetectedSecret[]): LiveSecrets | undefined {
  if (file.text === undefined || !file.parsed || secrets.length === 0) return undefined;
  return { file: { path: file.path, text: file.text, parsed: file.parsed, ...(file.mtimeMs !== undefined ? { mtimeMs: file.mtimeMs } : {}) }, secrets };
}
