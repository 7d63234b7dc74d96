import * as path from 'node:path';
import type { AgeSettings } from '../../core/age/ageSettings';
import type { SecretAgeReport } from '../../core/age/collectAges';
import { secretsForScanFile } from '../../core/detect/scanSecrets';
import type { GitAgesFn, GitValueAge } from '../../core/age/secretAge';
import { ageRules } from '../../core/analysis/ageRules';
import { secretAgesForScan } from '../../core/analysis/secretAges';
import { backupRules } from '../../core/backup/backupRules';
import { secretRules } from '../../core/detect/secretRules';
import { previousSecretRules } from '../../core/rotation/zeroLogout/retireRules';
import type { DetectConfig, DetectedSecret } from '../../core/detect/types';
import type { Finding } from '../../core/findings/finding';
import type { Logger } from '../../core/log';
import { parseRules } from '../../core/analysis/parseRules';
import { runProviders } from '../../core/analysis/scan';
import type { ScanContext, ScanFile } from '../../core/findings/scanContext';
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
  const gitAges = input.trusted && group.gitAges.size > 0 ? cachedGitAges(group.gitAges) : undefined;
  const age: AgeSettings = {
    ...(settings.age),
    dueSoonDays: input.settings.dueSoonDays,
    ledgerDir: input.stateDir,
    record: input.record,
    ...(gitAges ? { gitAges, gitAgesCached: true } : {}),
  };
  const ctx: ScanContext = {
    files,
    roots: [group.root],
    // Untrusted as far as the shared rules go: backup rules then skip their git checks, which the
    // git pass runs instead. Git ages come from the git pass's cache, never from running git.
    options: { maxBytes: input.settings.maxFileSizeKB * 1024, trusted: false, settings: { ...settings, age }, now, logger, kindHints: group.kindHints },
    logger,
  };
  const { findings } = await runProviders(ctx, [parseRules, secretRules, backupRules, ageRules, previousSecretRules]);

  const out = new Map<string, FastFileResult>();
  for (const f of files) out.set(f.path, { findings: [], secrets: await secretsForScanFile(ctx, f), ages: new Map(), backups: [] });
  for (const finding of findings) out.get(finding.file)?.findings.push(finding);

  // The same computation the age rules used (once per scan context): no second pass over ages.
  const { reports, backups } = await secretAgesForScan(ctx);
  for (const b of backups) {
    out.get(b.ref.livePath)?.backups.push(b.file.path);
    const self = out.get(b.file.path);
    if (self) self.backupOf = b.ref.livePath;
  }
  for (const r of reports) out.get(r.file)?.ages.set(r.key, r);
  return out;
}
