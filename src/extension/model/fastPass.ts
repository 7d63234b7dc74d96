import * as path from 'node:path';
import { ageRules } from '../../core/age/ageRules';
import { collectAges, type LiveSecrets, type SecretAgeReport } from '../../core/age/collectAges';
import { Ledger } from '../../core/age/ledger';
import { secretsForScanFile } from '../../core/detect/scanSecrets';
import { backupSnapshotsByLive, liveSecretsOf } from '../../core/age/ageInputs';
import type { GitAgesFn, GitValueAge } from '../../core/age/secretAge';
import { backupRules } from '../../core/backup/backupRules';
import { backupsForScan } from '../../core/backup/scanBackups';
import { secretRules } from '../../core/detect/secretRules';
import type { DetectConfig, DetectedSecret } from '../../core/detect/types';
import type { Finding } from '../../core/findings/finding';
import type { Logger } from '../../core/log';
import { parseRules } from '../../core/analysis/parseRules';
import { runProviders } from '../../core/analysis/scan';
import type { RuleProvider, ScanContext, ScanFile, ScanOptions } from '../../core/findings/scanContext';
import type { RekeySettings } from '../settings';
import type { FileGroup } from './fileState';
import { scanSettings } from './scanSettings';

/** What one fast pass found for one file (the model adds the editor-side fields). */
export interface FastFileResult {
  findings: Finding[];
  secrets: DetectedSecret[];
  ages: Map<string, SecretAgeReport>;
  backups: string[];
  backupOf?: string;
}

export interface FastPassInput {
  group: FileGroup;
  files: ScanFile[];
  settings: RekeySettings;
  settingsConfig: DetectConfig;
  stateDir: string;
  /** Workspace trust: git value ages cached by the last git pass are used only when trusted. */
  trusted: boolean;
  /** Note the values seen in the rotation ledger (only for text that is saved on disk). */
  record: boolean;
  logger: Logger;
  now?: Date;
}

/** A provider run with some scan options replaced. */
function withOptions(provider: RuleProvider, patch: (options: ScanOptions) => ScanOptions): RuleProvider {
  return { id: provider.id, run: (ctx) => provider.run({ ...ctx, options: patch(ctx.options) }) };
}

/** Git value ages from the last git pass, served without running git. */
function cachedGitAges(cache: ReadonlyMap<string, Map<string, GitValueAge>>): GitAgesFn {
  return (repoRoot, relPaths) => {
    const out = new Map<string, Map<string, GitValueAge>>();
    for (const rel of relPaths) {
      const ages = cache.get(path.join(repoRoot, ...rel.split('/')));
      if (ages) out.set(rel, ages);
    }
    return Promise.resolve(out);
  };
}

/**
 * The rules that need no program: parse problems, secrets, backup comparison and hygiene
 * (without git), and rotation ages (git ages only from the last git pass's cache). Runs over
 * every file of the group, because backups and ages relate files to each other; parsing is
 * cached per text by the caller, so an edit costs one parse and linear rule work.
 */
export async function runFastPass(input: FastPassInput): Promise<Map<string, FastFileResult>> {
  const { group, files, logger } = input;
  const now = input.now ?? new Date();
  const settings = scanSettings({ settings: input.settings, fileConfig: group.fileConfig, settingsConfig: input.settingsConfig, stateDir: input.stateDir });
  const ctx: ScanContext = {
    files,
    roots: [group.root],
    // Untrusted as far as the shared rules go: backup rules then skip their git checks, which
    // the git pass runs instead.
    options: { maxBytes: input.settings.maxFileSizeKB * 1024, trusted: false, settings, now, logger, kindHints: group.kindHints },
    logger,
  };
  const gitAges = input.trusted && group.gitAges.size > 0 ? cachedGitAges(group.gitAges) : undefined;
  const ages = gitAges
    ? withOptions(ageRules, (o) => ({ ...o, trusted: true, settings: { ...o.settings, age: { ...(o.settings?.age as object), gitAges } } }))
    : ageRules;
  const { findings } = await runProviders(ctx, [parseRules, secretRules, backupRules, ages]);

  const out = new Map<string, FastFileResult>();
  for (const f of files) out.set(f.path, { findings: [], secrets: await secretsForScanFile(ctx, f), ages: new Map(), backups: [] });
  for (const finding of findings) out.get(finding.file)?.findings.push(finding);

  const { backups, liveFiles } = await backupsForScan(ctx);
  for (const b of backups) {
    out.get(b.ref.livePath)?.backups.push(b.file.path);
    const self = out.get(b.file.path);
    if (self) self.backupOf = b.ref.livePath;
  }
  const snapshots = backupSnapshotsByLive(backups);

  const items: LiveSecrets[] = [];
  for (const f of liveFiles) {
    const item = liveSecretsOf(f, out.get(f.path)?.secrets.filter((s) => !s.suppressed) ?? []);
    if (item) items.push(item);
  }
  if (items.length > 0) {
    let ledger: Ledger | undefined;
    try {
      ledger = await Ledger.open(input.stateDir, { readOnly: !input.record });
    } catch (err) {
      logger.warn(`rotation ledger unavailable: ${(err as Error).message}`);
    }
    const reports = await collectAges(items, {
      now,
      dueSoonDays: input.settings.dueSoonDays,
      ...(ledger ? { ledger } : {}),
      record: input.record,
      ...(gitAges ? { gitAges } : {}),
      trusted: gitAges !== undefined,
      backups: snapshots,
      logger,
    });
    for (const r of reports) out.get(r.file)?.ages.set(r.key, r);
  }
  return out;
}
