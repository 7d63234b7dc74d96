import { loadScanFile } from '../findings/scanFile';
import type { ScanContext, ScanFile } from '../findings/scanContext';
import { discoverBackups, type BackupRef, type BackupSettings } from './discover';

declare module '../findings/scanContext' {
  interface ScanSettings {
    backups?: BackupSettings;
  }
}

/** A backup found during a scan, read and parsed. */
export interface ScanBackup {
  ref: BackupRef;
  file: ScanFile;
}

export interface ScanBackups {
  backups: ScanBackup[];
  /** Live `.env` files of the scan: role `env`, minus files that turned out to be backups. */
  liveFiles: ScanFile[];
}

const memo = new WeakMap<ScanContext, Promise<ScanBackups>>();

/**
 * The scan's backups paired with live files (settings from `ctx.options.settings.backups`),
 * computed once per scan for every provider that needs them. Backups outside the scanned roots
 * (a configured `~/env-backups` folder) are read here with the scan's size cap.
 */
export function backupsForScan(ctx: ScanContext): Promise<ScanBackups> {
  let p = memo.get(ctx);
  if (!p) {
    p = (async () => {
      const settings = ctx.options.settings?.backups ?? {};
      const envFiles = ctx.files.filter((f) => f.role === 'env').map((f) => f.path);
      const refs = await discoverBackups(
        ctx.roots,
        ctx.files.map((f) => f.path),
        envFiles,
        settings,
        ctx.signal ? { signal: ctx.signal } : {},
      );
      const byPath = new Map(ctx.files.map((f) => [f.path, f]));
      const backups: ScanBackup[] = [];
      for (const ref of refs) {
        const file = byPath.get(ref.path) ?? (await loadScanFile(ref.path, ctx.options.maxBytes));
        backups.push({ ref, file });
      }
      const backupPaths = new Set(refs.map((r) => r.path));
      const liveFiles = ctx.files.filter((f) => f.role === 'env' && !backupPaths.has(f.path));
      return { backups, liveFiles };
    })();
    memo.set(ctx, p);
  }
  return p;
}
