import * as path from 'node:path';
import type { GitValueAge } from '../age/secretAge';
import { backupRules } from '../backup/backupRules';
import type { AuthSecretHint } from '../consumers/authSecretHints';
import { secretsForScanFile } from '../detect/scanSecrets';
import type { Finding } from '../findings/finding';
import type { ScanContext, ScanFile, ScanSettings } from '../findings/scanContext';
import { GitNotFoundError, isAbortError, NotARepositoryError } from '../git/gitErrors';
import { buildHistoryReport } from '../git/historyReport';
import { historyFindings } from '../git/historyRules';
import { findRepoRoot } from '../git/repoRoot';
import { gitValueAgesProvider } from '../git/valueAges';
import type { Logger } from '../log';

/** Rules whose answers come from git; the fast pass never produces them. */
export const GIT_RULES = new Set(['leaked-in-history', 'env-tracked', 'env-not-ignored', 'backup-tracked', 'backup-not-ignored']);

export interface GitPassInput {
  /** The folder analysed (the scan root). */
  root: string;
  files: ScanFile[];
  /** The rule families' settings, as for a scan of the folder. */
  settings: ScanSettings;
  /** Search every committed file for current values, not only `.env` files. */
  allFiles: boolean;
  /** Size cap per file in bytes. */
  maxBytes: number;
  /** Kind hints from the folder's code, already computed. */
  kindHints?: ReadonlyMap<string, AuthSecretHint>;
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
  const { files, logger, signal, maxBytes } = input;
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
  const ctx: ScanContext = {
    files,
    roots: [input.root],
    options: { maxBytes, trusted: true, settings: input.settings, logger, signal, ...(input.kindHints ? { kindHints: input.kindHints } : {}) },
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
        allFiles: input.allFiles,
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
