import * as path from 'node:path';
import type { KindId } from '../catalog/types';
import type { DetectedSecret } from '../detect/types';
import type { ParsedEnv } from '../env/types';
import { findRepoRoot } from '../git/repoRoot';
import { silentLogger, type Logger } from '../log';
import type { Range } from '../text/lineIndex';
import type { Ledger } from './ledger';
import { secretAge, type AgeInput, type BackupSnapshot, type GitAgesFn, type GitValueAge, type SecretAge } from './secretAge';

/** One live file and the secrets detected in it. */
export interface LiveSecrets {
  file: { path: string; text: string; parsed: ParsedEnv; mtimeMs?: number };
  secrets: DetectedSecret[];
}

export interface CollectAgesOptions {
  /** Default: the current time. */
  now?: Date;
  /** Default 14. */
  dueSoonDays?: number;
  ledger?: Ledger;
  /** Note every value seen in the ledger and save it (the CLI's `ages` and the extension do). */
  record?: boolean;
  /** Value ages from git history; called only when `trusted`. */
  gitAges?: GitAgesFn;
  trusted?: boolean;
  /** Backups by absolute live path. */
  backups?: ReadonlyMap<string, readonly BackupSnapshot[]>;
  logger?: Logger;
  signal?: AbortSignal;
}

/** A secret's age with where it is. Value-free. */
export interface SecretAgeReport extends SecretAge {
  file: string;
  key: string;
  kind: KindId;
  /** The entry's key range, for diagnostics. */
  range: Range;
  suppressed: boolean;
}

/**
 * Ages of every secret of every file, each from the best source available (see `secretAge`).
 * Reads git (when trusted and given) once per repository; records observations in the ledger
 * when asked, after computing, so that this run's look does not date itself. Never throws for a
 * failing source: it is logged and left out.
 */
export async function collectAges(items: readonly LiveSecrets[], options: CollectAgesOptions = {}): Promise<SecretAgeReport[]> {
  const now = options.now ?? new Date();
  const logger = options.logger ?? silentLogger;
  const git = options.trusted && options.gitAges ? await gitAgesByFile(items, options.gitAges, logger) : new Map<string, Map<string, GitValueAge>>();
  const out: SecretAgeReport[] = [];
  for (const { file, secrets } of items) {
    options.signal?.throwIfAborted();
    const backups = options.backups?.get(file.path) ?? [];
    const fileGit = git.get(file.path);
    for (const s of secrets) {
      const fp = options.ledger?.fingerprint(s.entry.value);
      // One input object per secret, without the temporary objects of spreads (19k secrets in a 1 MiB file).
      const input: AgeInput = { entry: s.entry, text: file.text, intervalDays: s.intervalDays, now, backups };
      if (options.dueSoonDays !== undefined) input.dueSoonDays = options.dueSoonDays;
      if (file.mtimeMs !== undefined) input.fileMtimeMs = file.mtimeMs;
      if (options.ledger && fp !== undefined) {
        input.ledgerRuns = options.ledger.history(file.path, s.entry.key);
        input.fingerprint = fp;
      }
      const g = fileGit?.get(s.entry.key);
      if (g) input.git = g;
      // The age is a fresh object: it becomes the report (its fields first, then where it is).
      const report = secretAge(input) as SecretAgeReport;
      report.file = file.path;
      report.key = s.entry.key;
      report.kind = s.kind;
      report.range = s.entry.keyRange;
      report.suppressed = s.suppressed !== undefined;
      out.push(report);
    }
  }
  if (options.record && options.ledger?.writable) {
    for (const { file, secrets } of items) {
      for (const s of secrets) {
        const fp = options.ledger.fingerprint(s.entry.value);
        if (fp !== undefined) options.ledger.observe(file.path, s.entry.key, fp, now);
      }
    }
    try {
      await options.ledger.save();
    } catch (err) {
      logger.warn((err as Error).message);
    }
  }
  return out;
}

async function gitAgesByFile(items: readonly LiveSecrets[], gitAges: GitAgesFn, logger: Logger): Promise<Map<string, Map<string, GitValueAge>>> {
  const byRoot = new Map<string, string[]>();
  for (const { file } of items) {
    const root = findRepoRoot(file.path);
    if (!root) continue;
    const list = byRoot.get(root) ?? [];
    list.push(file.path);
    byRoot.set(root, list);
  }
  const out = new Map<string, Map<string, GitValueAge>>();
  for (const [root, files] of byRoot) {
    const rels = files.map((f) => path.relative(root, f).split(path.sep).join('/'));
    try {
      const ages = await gitAges(root, rels);
      files.forEach((f, i) => {
        const m = ages.get(rels[i] as string);
        if (m) out.set(f, m);
      });
    } catch (err) {
      logger.warn(`git value ages unavailable for ${root}: ${(err as Error).message}`);
    }
  }
  return out;
}
