import * as path from 'node:path';
import { secretsForScanFile } from '../../core/detect/scanSecrets';
import type { GitValueAge } from '../../core/age/secretAge';
import { backupRules } from '../../core/backup/backupRules';
import type { DetectConfig } from '../../core/detect/types';
import type { Finding } from '../../core/findings/finding';
import { GitNotFoundError, isAbortError, NotARepositoryError } from '../../core/git/gitErrors';
import { buildHistoryReport } from '../../core/git/historyReport';
import { historyFindings } from '../../core/git/historyRules';
import { findRepoRoot } from '../../core/git/repoRoot';
import { gitValueAgesProvider } from '../../core/git/valueAges';
import type { Logger } from '../../core/log';
import type { ScanContext, ScanFile } from '../../core/findings/scanContext';
import type { RekeySettings } from '../settings';
import type { FileGroup } from './fileState';
import { scanSettings } from './scanSettings';

/** Rules whose answers come from git; the fast pass never produces them. */
export const GIT_RULES = new Set(['leaked-in-history', 'env-tracked', 'env-not-ignored', 'backup-tracked', 'backup-not-ignored']);

export interface GitPassInput {
  group: FileGroup;
  files: ScanFile[];
  settings: RekeySettings;
  settingsConfig: DetectConfig;
  stateDir: string;
  logger: Logger;
  signal: AbortSignal;
}

export interface GitPassResult {
  findings: Finding[];
  gitAges: Map<string, Map<string, GitValueAge>>;
  repositories: string[];
  /** `unavailable` when git is missing or no file is in a repository; `done` otherwise. */
  status: 'done' | 'unavailable';
  /** What to tell the user: why unavailable, or why the answer is partial. */
  detail?: string;
}

/**
 * The rules that run git, for a trusted workspace only: exposures of current values in history,
 * tracking and ignore hygiene of `.env` files and backups, and when each value was committed
 * (cached for the fast pass's ages). One history read per repository.
 * @throws the abort reason when `signal` fires.
 */
export async function runGitPass(input: GitPassInput): Promise<GitPassResult> {
  const { group, files, logger, signal } = input;
  const byRepo = new Map<string, ScanFile[]>();
  for (const f of files) {
    const root = findRepoRoot(f.path);
    if (!root) continue;
    const list = byRepo.get(root) ?? [];
    list.push(f);
    byRepo.set(root, list);
  }
  const result: GitPassResult = { findings: [], gitAges: new Map(), repositories: [...byRepo.keys()].sort(), status: 'done' };
  if (byRepo.size === 0) {
    return { ...result, status: 'unavailable', detail: 'No git repository holds the .env files of this folder, so there is no history to check.' };
  }
  const settings = scanSettings({ settings: input.settings, fileConfig: group.fileConfig, settingsConfig: input.settingsConfig, stateDir: input.stateDir });
  const maxBytes = input.settings.maxFileSizeKB * 1024;
  const ctx: ScanContext = {
    files,
    roots: [group.root],
    options: { maxBytes, trusted: true, settings, logger, signal, kindHints: group.kindHints },
    logger,
    signal,
  };
  const notes: string[] = [];
  for (const [root, repoFiles] of byRepo) {
    signal.throwIfAborted();
    try {
      const report = await buildHistoryReport(root, {
        trusted: true,
        files: repoFiles,
        allFiles: input.settings.historyAllFiles,
        submodules: false,
        logger,
        signal,
        maxBytes,
        secretsOf: (file) => secretsForScanFile(ctx, file),
      });
      if (report.partial) notes.push(`partial answer for ${path.basename(root)}: ${report.partialReasons.join('; ')}`);
      result.findings.push(...historyFindings(report, ctx));
    } catch (err) {
      if (isAbortError(err, signal) || signal.aborted) throw err;
      if (err instanceof GitNotFoundError) return { ...result, status: 'unavailable', detail: err.message };
      if (err instanceof NotARepositoryError) {
        logger.info(`history: ${err.message}; skipped`);
        continue;
      }
      logger.warn(`history: ${root}: ${(err as Error).message}`);
      notes.push(`history of ${path.basename(root)} could not be read (see the log)`);
      continue;
    }
    const rels = repoFiles.filter((f) => f.role === 'env').map((f) => path.relative(root, f.path).split(path.sep).join('/'));
    if (rels.length > 0) {
      try {
        const ages = await gitValueAgesProvider({ trusted: true, signal })(root, rels);
        for (const [rel, keys] of ages) result.gitAges.set(path.join(root, ...rel.split('/')), keys);
      } catch (err) {
        if (isAbortError(err, signal) || signal.aborted) throw err;
        logger.warn(`git value ages unavailable for ${root}: ${(err as Error).message}`);
      }
    }
  }
  // Backup tracking and ignore checks: the backup rules with git allowed, keeping only those.
  const backupFindings = await backupRules.run(ctx);
  result.findings.push(...backupFindings.filter((f) => GIT_RULES.has(f.rule)));
  if (notes.length) result.detail = notes.join('; ');
  return result;
}
