import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { SecretAgeReport } from '../../core/age/collectAges';
import type { AgeSettings } from '../../core/age/ageSettings';
import { secretAgesForScan, type SkippedFile } from '../../core/analysis/secretAges';
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
Rotation: for a value rekey rotated to, where that rotation stands: applied (the old value is
kept in a rekey-made backup), verified (\`rekey verify\` or Verify Secrets succeeded with it),
retired (that backup was deleted with \`rekey retire\`); "-" for any other value.
JSON: {"version":1,"secrets":[{"file","key","kind","since","ageDays","source","intervalDays",
"status","bound","rotation"}]}; "bound" is "exact", "at-least" or "at-most" (what "since" means);
"rotation" is null or {"stage","rotatedOn","verifiedOn"?,"retiredOn"?}.
Each run records the values it sees in the ledger; --no-ledger neither reads nor writes it.
Entries marked "# rekey-ignore" are left out, as in \`rekey scan\`. Files that cannot be read
(binary, invalid UTF-8, over the size limit, no permission) are listed as not checked (JSON:
"skipped").`,
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
    const age: AgeSettings = {
      dueSoonDays,
      // The user ran the command: git may run (its safe overrides stay on for history reads).
      gitAges: gitValueAgesProvider({ trusted: true }),
      ...(values['no-ledger'] === true ? { noLedger: true } : { ledgerDir: stateDir(io.env), record: true }),
    };
    const ctx: ScanContext = { files, roots, options: { trusted: true, now, logger, settings: { age } }, logger };
    // The same pipeline as `rekey scan`, the hooks and the editor: same ages, sources, suppressions.
    const { reports, skipped } = await secretAgesForScan(ctx);

    if (format === 'json') {
      const out = { version: 1, secrets: reports.map((r) => ageJson(r, io.cwd)), ...(skipped.length ? { skipped: skipped.map((f) => ({ file: displayPath(f.path, io.cwd), reason: f.reason, message: f.message })) } : {}) };
      io.stdout(JSON.stringify(out, null, 2) + '\n');
    } else {
      io.stdout(agesText(reports, io.cwd) + '\n');
      for (const line of skippedText(skipped, io.cwd)) io.stdout(line + '\n');
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
    rotation: r.rotation ?? null,
    ...(r.dueInDays !== undefined ? { dueInDays: r.dueInDays } : {}),
    line: r.range.start.line + 1,
    detail: r.detail,
    ...(r.notes.length ? { notes: r.notes } : {}),
    ...(r.suppressed ? { suppressed: true } : {}),
  };
}

function skippedText(skipped: readonly SkippedFile[], cwd: string): string[] {
  if (skipped.length === 0) return [];
  return [
    `Not checked (${skipped.length} file${skipped.length === 1 ? '' : 's'}): their secrets have no age here.`,
    ...skipped.map((f) => `  ${displayPath(f.path, cwd)}: ${f.message}`),
  ];
}

function agesText(reports: SecretAgeReport[], cwd: string): string {
  if (reports.length === 0) return 'No secrets found in the files that were read.';
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
      r.rotation ? r.rotation.stage : '-',
      r.status,
    ];
  });
  const header = ['FILE', 'KEY', 'KIND', 'SINCE', 'AGE', 'INTERVAL', 'SOURCE', 'ROTATION', 'STATUS'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ');
  const count = (s: string): number => reports.filter((r) => r.status === s).length;
  return [
    line(header),
    ...rows.map(line),
    `${reports.length} secret${reports.length === 1 ? '' : 's'}: ${count('overdue')} overdue, ${count('due-soon')} due soon, ${count('ok')} ok, ${count('unknown')} unknown`,
  ].join('\n');
}
