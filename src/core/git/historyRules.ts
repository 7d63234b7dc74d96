import * as path from 'node:path';
import { secretsForScanFile } from '../detect/scanSecrets';
import { KINDS } from '../catalog/kinds';
import type { KindId } from '../catalog/types';
import { readRekeyBackupHeader } from '../env/rekeyBackupHeader';
import type { Finding } from '../findings/finding';
import { registerRules } from '../findings/ruleInfo';
import type { RuleProvider, ScanContext, ScanFile } from '../findings/scanContext';
import type { Range } from '../text/lineIndex';
import type { Exposure } from './exposures';
import { GitNotFoundError, isAbortError, NotARepositoryError } from './gitErrors';
import { findRepoRoot } from './repoRoot';
import { buildHistoryReport, type HistoryReport } from './historyReport';

registerRules([
  {
    id: 'leaked-in-history',
    name: 'LeakedInHistory',
    description: 'A secret whose current value is in a file committed on some branch or tag (error: rotate it), or whose earlier values were committed while the current one never was (info: rotated since exposure).',
    severity: 'error',
    security: true,
  },
  {
    id: 'env-tracked',
    name: 'EnvFileTracked',
    description: 'A .env file that git tracks: every version of it is committed. Stop tracking it (git rm --cached) and ignore it.',
    severity: 'error',
    security: true,
  },
  {
    id: 'env-not-ignored',
    name: 'EnvFileNotIgnored',
    description: 'A .env file that no .gitignore rule covers: `git add .` would commit it.',
    severity: 'warning',
    security: true,
  },
]);

/** `settings.history` of a scan. */
export interface HistorySettings {
  /** Run the history rules at all (default true). */
  enabled?: boolean;
  /** Also search every committed file for current values (slower: reads every patch). */
  allFiles?: boolean;
  /** Also check initialised submodules. */
  submodules?: boolean;
}

declare module '../findings/scanContext' {
  interface ScanSettings {
    history?: HistorySettings;
  }
}

/** Reads {@link HistorySettings} from loosely typed input (never throws). */
export function readHistorySettings(raw: unknown): HistorySettings {
  const out: HistorySettings = {};
  if (typeof raw !== 'object' || raw === null) return out;
  const r = raw as Record<string, unknown>;
  for (const k of ['enabled', 'allFiles', 'submodules'] as const) if (typeof r[k] === 'boolean') out[k] = r[k];
  return out;
}

const FILE_START: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/**
 * History rules: `leaked-in-history`, `env-tracked`, `env-not-ignored`. Files are grouped by the
 * repository that owns them and each repository is read once. git runs with the safe overrides of
 * `safeConfig.ts` unless the scan is trusted. Without git, or outside a repository, the rules log
 * once and report nothing.
 */
export const historyRules: RuleProvider = {
  id: 'history',
  async run(ctx) {
    const settings = ctx.options.settings?.history ?? {};
    if (settings.enabled === false) return [];
    const byRoot = new Map<string, ScanFile[]>();
    for (const f of ctx.files) {
      const root = findRepoRoot(f.path);
      if (!root) continue;
      const list = byRoot.get(root) ?? [];
      list.push(f);
      byRoot.set(root, list);
    }
    if (byRoot.size === 0) {
      if (ctx.files.length) ctx.logger.info('history: no scanned file is inside a git repository; history rules skipped');
      return [];
    }
    const out: Finding[] = [];
    for (const [root, files] of byRoot) {
      ctx.signal?.throwIfAborted();
      let report: HistoryReport;
      try {
        report = await buildHistoryReport(root, {
          trusted: ctx.options.trusted === true,
          files,
          allFiles: settings.allFiles === true,
          submodules: false,
          logger: ctx.logger,
          secretsOf: (file) => secretsForScanFile(ctx, file),
          ...(ctx.signal ? { signal: ctx.signal } : {}),
          ...(ctx.options.maxBytes ? { maxBytes: ctx.options.maxBytes } : {}),
        });
      } catch (err) {
        if (isAbortError(err, ctx.signal) || ctx.signal?.aborted) throw err;
        if (err instanceof GitNotFoundError) {
          ctx.logger.info(`history: ${err.message}; history rules skipped`);
          return out;
        }
        if (err instanceof NotARepositoryError) ctx.logger.info(`history: ${err.message}; skipped`);
        else ctx.logger.warn(`history: ${root}: ${(err as Error).message}`);
        continue;
      }
      if (report.partial) ctx.logger.info(`history: ${root}: answer is partial: ${report.partialReasons.join('; ')}`);
      for (const f of historyFindings(report, ctx)) out.push(f);
    }
    return out;
  },
};

/** Findings for one repository's report (value-free). */
export function historyFindings(report: HistoryReport, ctx: Pick<ScanContext, 'files'>): Finding[] {
  const out: Finding[] = [];
  // A backup rekey made before a rotation holds the values that rotation replaced: a leak of one
  // of them is reported (as rotated since) on the live file, and the backup is one item to retire.
  const rekeyBackups = new Set(ctx.files.filter((f) => f.role === 'backup' && f.text !== undefined && readRekeyBackupHeader(f.text)).map((f) => f.path));
  for (const e of report.exposures) if (!rekeyBackups.has(e.file)) out.push(exposureFinding(e));
  const byRel = new Map<string, ScanFile>();
  for (const f of ctx.files) byRel.set(path.relative(report.root, f.path).split(path.sep).join('/'), f);
  // Backups have their own rules (backup-tracked, backup-not-ignored, as errors): one finding each.
  for (const t of report.tracking.tracked) {
    const f = byRel.get(t.path);
    if (!f || f.role === 'backup') continue;
    out.push({
      file: f.path, range: FILE_START, rule: 'env-tracked', severity: 'error',
      message: `${t.path} is tracked by git, so every version of it is committed${t.ignored ? ' (an ignore rule covers it, but tracking wins)' : ''}. Fix: ${t.fix}; then rotate the secrets it held.`,
      data: { path: t.path, ignored: t.ignored, ignoreLine: t.ignoreLine },
    });
  }
  for (const n of report.tracking.notIgnored) {
    if (n.tracked) continue; // env-tracked already says it, with the same fix
    const f = byRel.get(n.path);
    if (!f || f.role === 'backup') continue;
    out.push({
      file: f.path, range: FILE_START, rule: 'env-not-ignored', severity: 'warning',
      message: `${n.path} is not covered by .gitignore, so \`git add .\` would commit it. Fix: ${n.fix}.`,
      data: { path: n.path, ignoreLine: n.ignoreLine },
    });
  }
  return out;
}

function kindName(kind: string): string {
  return (KINDS as Partial<Record<string, { name: string }>>)[kind as KindId]?.name ?? kind;
}

function exposureFinding(e: Exposure): Finding {
  const short = e.commit.slice(0, 7);
  const where = `${short} as ${e.path}${e.occurrences.length > 1 ? ` (and ${e.occurrences.length - 1} more place${e.occurrences.length > 2 ? 's' : ''})` : ''}`;
  const pushed = e.pushed ? 'pushed to a remote' : 'not pushed yet';
  const f: Finding = e.current
    ? {
        file: e.file, range: e.range ?? FILE_START, key: e.key, rule: 'leaked-in-history', severity: 'error', kind: e.kind,
        message: `${e.key} (${kindName(e.kind)}) holds a value that is in git history: committed in ${where}, ${pushed}. Deleting the file does not remove it from history; rotate it: rekey rotate ${e.key}`,
      }
    : {
        file: e.file, range: e.range ?? FILE_START, key: e.key, rule: 'leaked-in-history', severity: 'info', kind: e.kind,
        message: `Earlier values of ${e.key} are in git history (first committed in ${where}, ${pushed}); the current value never was: rotated since exposure.`,
      };
  f.related = e.occurrences.slice(0, 5).map((o) => ({ file: `git:${o.commit.slice(0, 12)}:${o.path}`, message: `committed in ${o.commit.slice(0, 7)}${o.pushed ? ' (pushed)' : ''}` }));
  f.data = { commit: e.commit, path: e.path, pushed: e.pushed, current: e.current, commits: [...new Set(e.occurrences.map((o) => o.commit))] };
  return f;
}
