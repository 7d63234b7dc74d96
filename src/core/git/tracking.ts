import * as path from 'node:path';
import { shellQuote } from '../text/shellQuote';
import { classifyEnvFileName, type EnvFileRole } from '../workspace/envFileNames';
import type { GitRunner } from './gitRunner';

/** A live or backup `.env`-family file that git tracks (templates such as `.env.example` are meant to be). */
export interface TrackedEnvFile {
  /** Repository-relative, `/`-separated. */
  path: string;
  role: EnvFileRole;
  /** Whether `.gitignore` rules cover it (tracking wins over ignoring, so it is committed anyway). */
  ignored: boolean;
  /** The `.gitignore` line that would cover it. */
  ignoreLine: string;
  /** Commands that stop tracking it while keeping the working copy. */
  fix: string;
}

/** A working `.env`-family file no ignore rule covers: `git add .` would commit it. */
export interface UnignoredEnvFile {
  path: string;
  role: EnvFileRole;
  tracked: boolean;
  ignoreLine: string;
  fix: string;
}

export interface TrackingReport {
  tracked: TrackedEnvFile[];
  notIgnored: UnignoredEnvFile[];
}

/** The `.gitignore` line to suggest: the file's name, which matches it in every folder. */
export function ignoreLineFor(relPath: string): string {
  const base = relPath.slice(relPath.lastIndexOf('/') + 1);
  return base.replace(/([*?[\\!#])/g, '\\$1').replace(/^ /, '\\ ');
}

/**
 * Tracking hygiene for one repository: `.env`-family files git tracks now (`git ls-files`) and,
 * among those plus `workingFiles` (absolute paths of env files in the work tree), the ones no
 * ignore rule covers (`git check-ignore --no-index`, which judges the rules alone, so a tracked
 * file is still reported when nothing would ignore it). Templates are left out of both lists.
 */
export async function trackingHygiene(git: GitRunner, workingFiles: string[], options: { signal?: AbortSignal } = {}): Promise<TrackingReport> {
  const { signal } = options;
  if (git.bare) return { tracked: [], notIgnored: [] };
  // The glob pathspecs are a superset of the family, matched by git itself, so a huge index is not
  // sent through the pipe; the exact test is classifyEnvFileName.
  const listed = await git.run(['ls-files', '-z', '--cached', '--full-name', '--', ':(glob)**/.env*', ':(glob)**/*.env', ':(glob)**/*.env.*'], { signal });
  const tracked = new Set<string>();
  for (const p of listed.split('\0')) {
    if (p && p.includes('.env') && isLiveOrBackup(p)) tracked.add(p);
  }
  const candidates = new Set(tracked);
  for (const abs of workingFiles) {
    const rel = path.relative(git.root, abs);
    if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) continue;
    const posix = rel.split(path.sep).join('/');
    if (isLiveOrBackup(posix) && !/[\0\n]/.test(posix)) candidates.add(posix);
  }
  const ignored = new Set<string>();
  if (candidates.size) {
    const out = await git.run(['check-ignore', '--no-index', '-z', '--stdin'], { signal, input: [...candidates].join('\0') + '\0' });
    for (const p of out.split('\0')) if (p) ignored.add(p);
  }
  const sorted = (s: Iterable<string>) => [...s].sort();
  const report: TrackingReport = { tracked: [], notIgnored: [] };
  for (const p of sorted(tracked)) {
    const ignoreLine = ignoreLineFor(p);
    const isIgnored = ignored.has(p);
    const fix = `git rm --cached ${shellQuote(p)}${isIgnored ? '' : ` and add \`${ignoreLine}\` to .gitignore`}`;
    report.tracked.push({ path: p, role: classifyEnvFileName(p) ?? 'env', ignored: isIgnored, ignoreLine, fix });
  }
  for (const p of sorted(candidates)) {
    if (ignored.has(p)) continue;
    const ignoreLine = ignoreLineFor(p);
    report.notIgnored.push({ path: p, role: classifyEnvFileName(p) ?? 'env', tracked: tracked.has(p), ignoreLine, fix: `add \`${ignoreLine}\` to .gitignore` });
  }
  return report;
}

function isLiveOrBackup(p: string): boolean {
  const role = classifyEnvFileName(p);
  return role === 'env' || role === 'backup';
}
