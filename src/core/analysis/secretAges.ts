import { readAgeSettings } from '../age/ageSettings';
import { collectAges, type LiveSecrets, type SecretAgeReport } from '../age/collectAges';
import { Ledger } from '../age/ledger';
import { secretsForScanFile } from '../detect/scanSecrets';
import { backupsForScan, type ScanBackup } from '../backup/scanBackups';
import type { ReadFailure } from '../fs/readTextFile';
import type { ScanContext, ScanFile } from '../findings/scanContext';
import { stateDir } from '../state/stateDir';
import { backupSnapshotsByLive, liveSecretsOf } from './ageInputs';

/*
 * The ages pipeline, once for every entry point (`rekey ages`, `rekey scan` and the hook through
 * the age rules, the editor's fast pass): the scan's backups → backup snapshots → the live files'
 * secrets minus suppressed ones → the ledger → `collectAges`. Computed once per scan context, so
 * the age rules and a caller that wants the reports themselves share one computation.
 */

/** A live `.env` file whose secrets could not be dated because it was not read. */
export interface SkippedFile {
  path: string;
  /** Value-free reason, e.g. "binary content", "larger than 1024 KiB". */
  message: string;
  reason: ReadFailure;
}

export interface SecretAges {
  /** Every secret of every readable live file, suppressed ones left out. */
  reports: SecretAgeReport[];
  /** Live files that were not read (binary, invalid UTF-8, too large, unreadable). */
  skipped: SkippedFile[];
  /** The scan's backups, paired with their live files. */
  backups: ScanBackup[];
  liveFiles: ScanFile[];
}

const memo = new WeakMap<ScanContext, Promise<SecretAges>>();

/**
 * Ages of a file's secrets computed by an earlier scan that still hold (the editor's fast pass
 * keeps them per file): `reuse` returns them, or undefined to compute them; `computed` receives
 * the reports of each file computed afresh.
 */
export interface AgeReuse {
  reuse(file: ScanFile): SecretAgeReport[] | undefined;
  computed(file: ScanFile, reports: SecretAgeReport[]): void;
  /** The ledger, opened read-only by the caller while it is unchanged on disk (not used when recording). */
  ledger?: () => Promise<Ledger | undefined>;
}

const reuseOf = new WeakMap<ScanContext, AgeReuse>();

/** Lets the ages of `ctx` reuse earlier results per file (call before the scan's rules run). */
export function reuseSecretAges(ctx: ScanContext, reuse: AgeReuse): void {
  reuseOf.set(ctx, reuse);
}

/**
 * The ages of every secret of the scan, each from the best source (see `secretAge`), from the
 * settings in `ctx.options.settings.age` (`AgeSettings`): the ledger folder (default the user's
 * state folder; read-only unless `record`), the due-soon window and git value ages (used only
 * when the scan is trusted). Never throws for an unusable ledger or git: it is logged and left out.
 */
export function secretAgesForScan(ctx: ScanContext): Promise<SecretAges> {
  let p = memo.get(ctx);
  if (!p) {
    p = compute(ctx);
    memo.set(ctx, p);
  }
  return p;
}

async function compute(ctx: ScanContext): Promise<SecretAges> {
  const settings = readAgeSettings(ctx.options.settings?.age);
  const { backups, liveFiles } = await backupsForScan(ctx);
  const skipped: SkippedFile[] = [];
  const items: LiveSecrets[] = [];
  const reuse = reuseOf.get(ctx);
  const reused: SecretAgeReport[] = [];
  const fresh = new Map<string, ScanFile>();
  for (const f of liveFiles) {
    if (f.error) {
      if (f.error.reason !== 'not-found') skipped.push({ path: f.path, message: f.error.message, reason: f.error.reason });
      continue;
    }
    const earlier = settings.record === true ? undefined : reuse?.reuse(f);
    if (earlier) {
      for (const r of earlier) reused.push(r);
      continue;
    }
    fresh.set(f.path, f);
    const item = liveSecretsOf(f, (await secretsForScanFile(ctx, f)).filter((s) => !s.suppressed));
    if (item) items.push(item);
  }
  if (items.length === 0) {
    for (const f of fresh.values()) reuse?.computed(f, []);
    return { reports: reused, skipped, backups, liveFiles };
  }

  let ledger: Ledger | undefined;
  if (settings.noLedger !== true) {
    try {
      const given = reuse?.ledger && settings.record !== true ? await reuse.ledger() : undefined;
      ledger = given ?? await Ledger.open(settings.ledgerDir ?? stateDir(), { readOnly: settings.record !== true });
    } catch (err) {
      ctx.logger.warn(`rotation ledger unavailable: ${(err as Error).message}`);
    }
  }
  const reports = await collectAges(items, {
    ...(ctx.options.now ? { now: ctx.options.now } : {}),
    ...(settings.dueSoonDays !== undefined ? { dueSoonDays: settings.dueSoonDays } : {}),
    ...(ledger ? { ledger } : {}),
    record: settings.record === true,
    ...(settings.gitAges ? { gitAges: settings.gitAges } : {}),
    trusted: ctx.options.trusted === true || settings.gitAgesCached === true,
    backups: backupSnapshotsByLive(backups),
    logger: ctx.logger,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  });
  if (reuse) {
    const byFile = new Map<string, SecretAgeReport[]>([...fresh.keys()].map((p) => [p, []]));
    for (const r of reports) byFile.get(r.file)?.push(r);
    for (const [p, list] of byFile) reuse.computed(fresh.get(p)!, list);
  }
  return { reports: reused.length > 0 ? [...reused, ...reports] : reports, skipped, backups, liveFiles };
}
