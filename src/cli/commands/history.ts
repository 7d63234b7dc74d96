import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { meetsThreshold, type Severity } from '../../core/findings/finding';
import { GitNotFoundError, NotARepositoryError } from '../../core/git/gitErrors';
import { buildHistoryReport, type HistoryReport } from '../../core/git/historyReport';
import { stateDir } from '../../core/state/stateDir';
import type { Exposure } from '../../core/git/exposures';
import { choice, UsageError, type CliCommand } from '../command';
import { stderrLogger } from '../logger';
import { displayPath } from '../paths';

export const historyCommand: CliCommand = {
  name: 'history',
  summary: 'Find every .env file ever committed, leaked values (pushed or not) and tracked or unignored .env files',
  usage: `rekey history [--repo DIR] [--format text|json] [--all-files] [--submodules]
               [--fail-on error|warning|info|never] [--verbose]

Reads the history of the git repository containing DIR (default: the current folder), on every
branch, tag and remote-tracking ref, without contacting any remote:
  envBlobs    every version of every .env-family file ever committed, with the commits that
              introduced it
  exposures   secrets in the working .env files whose exact current value was committed
              ("current": true: rotate it) or whose earlier values were ("current": false:
              rotated since exposure); "pushed" says whether a remote-tracking ref has the commit
  tracked     .env files git tracks now;  notIgnored  .env files no .gitignore rule covers
--all-files also searches every committed file (not only .env files) for the current values.
--submodules reports on each initialised submodule too.
A shallow or partial clone gives a partial answer ("partial": true, with "partialReason").
JSON: {"version":1,"envBlobs":[{"path","blob","commits","firstCommit","lastCommit"}],
"exposures":[{"file","key","kind","path","commit","pushed","current","commits"}],"tracked":[...],
"notIgnored":[...],"partial":false}. Values are never printed.
Exit code: 1 when a finding reaches --fail-on (default error: a current leak or a tracked file;
warning: an unignored file; info: a rotated one), 2 on usage errors, no git, or not a repository.`,
  options: {
    repo: { type: 'string' },
    format: { type: 'string' },
    'all-files': { type: 'boolean' },
    submodules: { type: 'boolean' },
    'fail-on': { type: 'string' },
    verbose: { type: 'boolean', short: 'v' },
  },
  async run(values, positionals, io) {
    if (positionals.length) throw new UsageError(`history: unexpected argument '${positionals[0]}' (use --repo DIR)`);
    const format = choice(values.format, 'format', ['text', 'json'] as const, 'text');
    const failOn = choice(values['fail-on'], 'fail-on', ['error', 'warning', 'info', 'never'] as const, 'error');
    const dir = path.resolve(io.cwd, typeof values.repo === 'string' ? values.repo : '.');
    const st = await fs.stat(dir).catch(() => undefined);
    if (!st) throw new UsageError(`history: folder not found: ${typeof values.repo === 'string' ? values.repo : dir}`);
    const logger = stderrLogger(io, values.verbose === true);
    let report: HistoryReport;
    try {
      report = await buildHistoryReport(st.isDirectory() ? dir : path.dirname(dir), {
        trusted: true,
        allFiles: values['all-files'] === true,
        submodules: values.submodules === true,
        logger,
        versionCacheDir: stateDir(io.env),
      });
    } catch (err) {
      if (err instanceof GitNotFoundError || err instanceof NotARepositoryError) throw new UsageError(`history: ${err.message}`);
      throw err;
    }
    if (format === 'json') io.stdout(JSON.stringify(historyJson(report, io.cwd), null, 2) + '\n');
    else io.stdout(historyText(report, io.cwd) + '\n');
    return worstSeverities(report).some((s) => meetsThreshold(s, failOn)) ? 1 : 0;
  },
};

function worstSeverities(r: HistoryReport): Severity[] {
  const out: Severity[] = [];
  for (const e of r.exposures) out.push(e.current ? 'error' : 'info');
  if (r.tracking.tracked.length) out.push('error');
  if (r.tracking.notIgnored.some((n) => !n.tracked)) out.push('warning');
  for (const s of r.submodules) for (const sev of worstSeverities(s)) out.push(sev);
  return out;
}

function exposureJson(e: Exposure, cwd: string): Record<string, unknown> {
  return {
    file: displayPath(e.file, cwd),
    key: e.key,
    kind: e.kind,
    line: e.range ? e.range.start.line + 1 : null,
    path: e.path,
    commit: e.commit,
    pushed: e.pushed,
    current: e.current,
    commits: [...new Set(e.occurrences.map((o) => o.commit))],
    occurrences: e.occurrences.map((o) => ({ path: o.path, commit: o.commit, pushed: o.pushed, via: o.via, date: new Date(o.time * 1000).toISOString() })),
  };
}

/** `rekey history --format json`: value-free. */
export function historyJson(r: HistoryReport, cwd: string, top = true): Record<string, unknown> {
  const out: Record<string, unknown> = top ? { version: 1 } : {};
  if (r.submodulePath !== undefined) out.path = r.submodulePath;
  out.root = displayPath(r.root, cwd);
  out.commits = r.commits;
  out.envBlobs = r.envBlobs.map((b) => {
    const o: Record<string, unknown> = { path: b.path, blob: b.blob, role: b.role, commits: b.commits, firstCommit: b.firstCommit, lastCommit: b.lastCommit };
    if (b.unreadable) o.unreadable = b.unreadable;
    return o;
  });
  out.exposures = r.exposures.map((e) => exposureJson(e, cwd));
  out.tracked = r.tracking.tracked.map((t) => ({ path: t.path, role: t.role, ignored: t.ignored, fix: t.fix }));
  out.notIgnored = r.tracking.notIgnored.map((n) => ({ path: n.path, role: n.role, tracked: n.tracked, ignoreLine: n.ignoreLine, fix: n.fix }));
  out.partial = r.partial;
  if (r.partial) out.partialReason = r.partialReasons.join('; ');
  if (r.submodules.length) out.submodules = r.submodules.map((s) => historyJson(s, cwd, false));
  return out;
}

/** `rekey history` for people. */
export function historyText(r: HistoryReport, cwd: string): string {
  const lines: string[] = [];
  const paths = new Set(r.envBlobs.map((b) => b.path));
  const title = r.submodulePath !== undefined ? `submodule ${r.submodulePath}` : displayPath(r.root, cwd);
  lines.push(`${title}: ${r.commits} commit(s) read; ${r.envBlobs.length} version(s) of ${paths.size} .env file path(s) in history`);
  if (r.state.empty) lines.push('  empty repository: no commits yet');
  if (r.partial) for (const why of r.partialReasons) lines.push(`  partial answer: ${why}`);
  const current = r.exposures.filter((e) => e.current);
  const rotated = r.exposures.filter((e) => !e.current);
  if (current.length) {
    lines.push('', 'Leaked: current values found in history (rotate them):');
    for (const e of current) {
      const line = e.range ? `:${e.range.start.line + 1}` : '';
      const more = e.occurrences.length > 1 ? ` (+${e.occurrences.length - 1} more)` : '';
      lines.push(`  ${displayPath(e.file, cwd)}${line}  ${e.key} (${e.kind})  committed in ${e.commit.slice(0, 7)} as ${e.path}${more}, ${e.pushed ? 'PUSHED' : 'not pushed'}  -> rekey rotate ${e.key}`);
    }
  }
  if (rotated.length) {
    lines.push('', 'Rotated since exposure (earlier values committed, current one never was):');
    for (const e of rotated) lines.push(`  ${displayPath(e.file, cwd)}  ${e.key}  first committed in ${e.commit.slice(0, 7)} as ${e.path}, ${e.pushed ? 'pushed' : 'not pushed'}`);
  }
  if (r.tracking.tracked.length) {
    lines.push('', 'Tracked by git (every version gets committed):');
    for (const t of r.tracking.tracked) lines.push(`  ${t.path}  fix: ${t.fix}`);
  }
  const unignored = r.tracking.notIgnored.filter((n) => !n.tracked);
  if (unignored.length) {
    lines.push('', 'Not covered by .gitignore:');
    for (const n of unignored) lines.push(`  ${n.path}  fix: ${n.fix}`);
  }
  if (paths.size) {
    lines.push('', '.env files in history:');
    const byPath = new Map<string, { versions: number; first: number; last: number }>();
    for (const b of r.envBlobs) {
      const s = byPath.get(b.path) ?? { versions: 0, first: b.firstTime, last: b.lastTime };
      s.versions++;
      s.first = Math.min(s.first, b.firstTime);
      s.last = Math.max(s.last, b.lastTime);
      byPath.set(b.path, s);
    }
    for (const [p, s] of byPath) lines.push(`  ${p}  ${s.versions} version(s), ${day(s.first)} .. ${day(s.last)}`);
  }
  if (!current.length && !rotated.length && !r.tracking.tracked.length && !unignored.length) lines.push('', 'No leaked values, tracked or unignored .env files.');
  for (const s of r.submodules) lines.push('', historyText(s, cwd));
  return lines.join('\n');
}

function day(seconds: number): string {
  return new Date(seconds * 1000).toISOString().slice(0, 10);
}

