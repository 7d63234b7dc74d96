import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { collectAges, type LiveSecrets, type SecretAgeReport } from '../../core/age/collectAges';
import { Ledger } from '../../core/age/ledger';
import { secretsForScanFile } from '../../core/detect/scanSecrets';
import { backupSnapshotsByLive, liveSecretsOf } from '../../core/age/ageInputs';
import { backupsForScan } from '../../core/backup/scanBackups';
import { gitValueAgesProvider } from '../../core/git/valueAges';
import { loadScanFile } from '../../core/findings/scanFile';
import type { ScanContext } from '../../core/findings/scanContext';
import { stateDir } from '../../core/state/stateDir';
import { findEnvFiles } from '../../core/workspace/findEnvFiles';
import { choice, UsageError, type CliCommand } from '../command';
import { stderrLogger } from '../logger';
import { displayPath } from '../paths';

export const agesCommand: CliCommand = {
  name: 'ages',
  summary: 'Show how old every secret\'s current value is, where that date comes from, and whether rotation is due',
  usage: `rekey ages [PATH...] [--format text|json] [--due-soon DAYS] [--no-ledger] [--verbose]

For every secret in the .env files under each PATH (default: the current folder), the date its
current value came into use, from the best source available:
  annotation  a "# rotated: YYYY-MM-DD" comment directly above the entry
  ledger      rekey's own record of the values it has seen (keyed fingerprints, never values,
              kept in $REKEY_STATE_DIR, else $XDG_STATE_HOME/rekey or ~/.local/state/rekey)
  git         the commit that introduced the value
  backup      a backup holding a different value: the value is newer than the backup
  mtime       the file's modification time: the value is at least that old
Status: ok, due-soon (within DAYS of the interval, default 14), overdue, or unknown.
JSON: {"version":1,"secrets":[{"file","key","kind","since","ageDays","source","intervalDays",
"status","bound"}]}; "bound" is "exact", "at-least" or "at-most" (what "since" means).
Each run records the values it sees in the ledger; --no-ledger neither reads nor writes it.`,
  options: {
    format: { type: 'string' },
    'due-soon': { type: 'string' },
    'no-ledger': { type: 'boolean' },
    verbose: { type: 'boolean', short: 'v' },
  },
  async run(values, positionals, io) {
    const format = choice(values.format, 'format', ['text', 'json'] as const, 'text');
    const dueSoonRaw = values['due-soon'];
    let dueSoonDays = 14;
    if (dueSoonRaw !== undefined) {
      if (typeof dueSoonRaw !== 'string' || !/^\d{1,4}$/.test(dueSoonRaw)) throw new UsageError(`--due-soon must be a whole number of days (got ${JSON.stringify(dueSoonRaw)})`);
      dueSoonDays = Number(dueSoonRaw);
    }
    const roots = (positionals.length ? positionals : ['.']).map((p) => path.resolve(io.cwd, p));
    for (const [i, r] of roots.entries()) {
      if (!(await fs.stat(r).then(() => true, () => false))) throw new UsageError(`ages: path not found: ${positionals[i] ?? r}`);
    }
    const logger = stderrLogger(io, values.verbose === true);
    const paths = [...new Set((await Promise.all(roots.map((r) => findEnvFiles(r)))).flat())].sort();
    const files = await Promise.all(paths.map((p) => loadScanFile(p)));
    const now = new Date();
    const ctx: ScanContext = { files, roots, options: { trusted: true, now, logger }, logger };

    const { backups, liveFiles } = await backupsForScan(ctx);
    const snapshots = backupSnapshotsByLive(backups);
    const items: LiveSecrets[] = [];
    for (const f of liveFiles) {
      const item = liveSecretsOf(f, await secretsForScanFile(ctx, f));
      if (item) items.push(item);
    }
    let ledger: Ledger | undefined;
    if (values['no-ledger'] !== true) {
      try {
        ledger = await Ledger.open(stateDir(io.env));
      } catch (err) {
        logger.warn(`rotation ledger unavailable: ${(err as Error).message}`);
      }
    }
    const reports = await collectAges(items, {
      now,
      dueSoonDays,
      record: ledger !== undefined,
      // The user ran the command: git may run (its safe overrides stay on for history reads).
      trusted: true,
      gitAges: gitValueAgesProvider({ trusted: true }),
      backups: snapshots,
      logger,
      ...(ledger ? { ledger } : {}),
    });

    if (format === 'json') {
      io.stdout(JSON.stringify({ version: 1, secrets: reports.map((r) => ageJson(r, io.cwd)) }, null, 2) + '\n');
    } else {
      io.stdout(agesText(reports, io.cwd) + '\n');
    }
    return 0;
  },
};

function ageJson(r: SecretAgeReport, cwd: string): Record<string, unknown> {
  return {
    file: displayPath(r.file, cwd),
    key: r.key,
    kind: r.kind,
    since: r.since ? r.since.toISOString() : null,
    ageDays: r.ageDays ?? null,
    source: r.source,
    intervalDays: r.intervalDays,
    status: r.status,
    bound: r.bound ?? null,
    ...(r.dueInDays !== undefined ? { dueInDays: r.dueInDays } : {}),
    line: r.range.start.line + 1,
    detail: r.detail,
    ...(r.notes.length ? { notes: r.notes } : {}),
    ...(r.suppressed ? { suppressed: true } : {}),
  };
}

function agesText(reports: SecretAgeReport[], cwd: string): string {
  if (reports.length === 0) return 'No secrets found.';
  const rows = reports.map((r) => {
    const age = r.ageDays === undefined ? '?' : r.bound === 'at-least' ? `≥${r.ageDays}d` : r.bound === 'at-most' ? `≤${r.ageDays}d` : `${r.ageDays}d`;
    return [
      `${displayPath(r.file, cwd)}:${r.range.start.line + 1}`,
      r.key,
      r.kind,
      r.since ? r.since.toISOString().slice(0, 10) : '-',
      age,
      `${r.intervalDays}d`,
      r.source,
      r.status,
    ];
  });
  const header = ['FILE', 'KEY', 'KIND', 'SINCE', 'AGE', 'INTERVAL', 'SOURCE', 'STATUS'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ');
  const count = (s: string): number => reports.filter((r) => r.status === s).length;
  return [
    line(header),
    ...rows.map(line),
    `${reports.length} secret${reports.length === 1 ? '' : 's'}: ${count('overdue')} overdue, ${count('due-soon')} due soon, ${count('ok')} ok, ${count('unknown')} unknown`,
  ].join('\n');
}
