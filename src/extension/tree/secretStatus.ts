import * as path from 'node:path';
import type { SecretAgeReport } from '../../core/age/collectAges';
import { KINDS } from '../../core/catalog/kinds';
import type { KindId } from '../../core/catalog/types';
import type { Confidence, Finding, Severity } from '../../core/findings/finding';
import type { Range } from '../../core/text/lineIndex';
import type { FileAnalysis } from '../model/types';

/*
 * One value-free summary per secret, computed from the workspace model's analysis. The tree,
 * the status bar, the quick picks and the rotation report all render these, so they agree on
 * what "needs attention" means. No `vscode` import at run time: unit tests load this in Node.
 */

/** Worst first. `unknown`: no finding and no date for the value. */
export type SecretStatus = 'leaked' | 'changed' | 'overdue' | 'due-soon' | 'ok' | 'unknown';

/** Urgency rank: lower is worse. `unknown` ranks after `due-soon`: nobody knows it is fine. */
export const STATUS_RANK: Record<SecretStatus, number> = { leaked: 0, changed: 1, overdue: 2, 'due-soon': 3, unknown: 4, ok: 5 };

export const STATUS_LABEL: Record<SecretStatus, string> = {
  leaked: 'leaked in git history',
  changed: 'changed since backup',
  overdue: 'overdue',
  'due-soon': 'due soon',
  ok: 'ok',
  unknown: 'age unknown',
};

/** Everything the views say about one secret. Never holds a value. */
export interface SecretSummary {
  /** Absolute path of the `.env`-family file. */
  file: string;
  /** Workspace folder name, when the file is inside one. */
  folder?: string;
  /** Path shown to people: relative to the workspace folder. */
  relativePath: string;
  key: string;
  kind: KindId;
  kindName: string;
  confidence: Confidence;
  /** 0-based line of the entry and the range of its key. */
  line: number;
  keyRange: Range;
  intervalDays: number;
  /** The worst status, and every status that applies (worst first). */
  status: SecretStatus;
  statuses: SecretStatus[];
  /** Rotation age as the model computed it, when known. */
  age?: SecretAgeReport;
  /** `123 d · overdue`, `≥ 40 d · ok`, `age unknown`. */
  ageText: string;
  /** Number of commits the current value was committed in (0 when not leaked or not scanned). */
  exposures: number;
  /** Findings about this key in this file, value-free messages. */
  findings: Finding[];
  /** Worst finding severity for this key, if any. */
  severity?: Severity;
  /** When the next rotation is due (exact ages only). */
  nextDue?: Date;
  suppressed: boolean;
  provider?: string;
}

const DAY = 86_400_000;
const SEVERITY_ORDER: Record<Severity, number> = { error: 3, warning: 2, info: 1 };

/** Whether the secret should be acted on: leaked, changed, overdue or due soon. */
export function needsAttention(s: SecretSummary): boolean {
  return s.status === 'leaked' || s.status === 'changed' || s.status === 'overdue' || s.status === 'due-soon';
}

/** Short status words for tree descriptions, where space is tight. */
export const STATUS_SHORT: Record<SecretStatus, string> = {
  leaked: 'leaked',
  changed: 'changed',
  overdue: 'overdue',
  'due-soon': 'due soon',
  ok: 'ok',
  unknown: 'age unknown',
};

/**
 * The age part of a description: `123 d`, `≥ 40 d` (a lower bound), `≤ 3 d` (an upper bound), or
 * undefined when nothing useful is known ("at least 0 days" says nothing).
 */
export function agePart(age: SecretAgeReport | undefined): string | undefined {
  if (!age || age.ageDays === undefined) return undefined;
  if (age.bound === 'at-least') return age.ageDays > 0 ? `≥ ${age.ageDays} d` : undefined;
  return `${age.bound === 'at-most' ? '≤ ' : ''}${age.ageDays} d`;
}

/** `123 d · overdue`, `0 d · leaked`, `≥ 40 d · age unknown`, or `age unknown`: the age and the worst status. */
export function ageText(age: SecretAgeReport | undefined, status: SecretStatus = age && age.status !== 'unknown' ? age.status : 'unknown'): string {
  const part = agePart(age);
  return part ? `${part} · ${STATUS_SHORT[status]}` : STATUS_SHORT[status];
}

/** Sorts summaries by urgency: worst status first, then the oldest, then by key. */
export function compareUrgency(a: SecretSummary, b: SecretSummary): number {
  return (
    STATUS_RANK[a.status] - STATUS_RANK[b.status] ||
    (b.age?.ageDays ?? -1) - (a.age?.ageDays ?? -1) ||
    a.key.localeCompare(b.key) ||
    a.file.localeCompare(b.file)
  );
}

/** The folder-relative path (posix separators) of `file`, or its base name outside a folder. */
export function relativeToFolder(file: string, folder: string | undefined): string {
  if (!folder) return path.basename(file);
  const rel = path.relative(folder, file);
  return rel === '' || rel.startsWith('..') || path.isAbsolute(rel) ? path.basename(file) : rel.split(path.sep).join('/');
}

/**
 * The value-free summaries of one analysed file, in file order. Suppressed secrets are kept
 * (marked) so the tree can show them greyed out; the status bar and filters skip them.
 */
export function summarizeFile(analysis: FileAnalysis): SecretSummary[] {
  const file = analysis.uri.fsPath;
  const relativePath = analysis.relativePath || relativeToFolder(file, analysis.folder?.uri.fsPath);
  const byKey = new Map<string, Finding[]>();
  for (const f of analysis.findings) {
    if (f.key === undefined) continue;
    const list = byKey.get(f.key) ?? [];
    list.push(f);
    byKey.set(f.key, list);
  }
  const out: SecretSummary[] = [];
  for (const s of analysis.secrets) {
    const key = s.entry.key;
    const findings = byKey.get(key) ?? [];
    const age = analysis.ages.get(key);
    const statuses: SecretStatus[] = [];
    let exposures = 0;
    for (const f of findings) {
      if (f.rule === 'leaked-in-history' && f.severity === 'error') {
        if (!statuses.includes('leaked')) statuses.push('leaked');
        const commits = f.data?.commits;
        exposures = Math.max(exposures, Array.isArray(commits) ? commits.length : 1);
      }
      // A deliberate rotation (annotated) is expected to differ from its backup.
      if (f.rule === 'changed-since-backup' && f.data?.rotated !== true && f.severity !== 'info' && !statuses.includes('changed')) statuses.push('changed');
    }
    if (age && (age.status === 'overdue' || age.status === 'due-soon' || age.status === 'ok')) statuses.push(age.status);
    if (statuses.length === 0) statuses.push('unknown');
    statuses.sort((a, b) => STATUS_RANK[a] - STATUS_RANK[b]);
    const severity = findings.reduce<Severity | undefined>((w, f) => (!w || SEVERITY_ORDER[f.severity] > SEVERITY_ORDER[w] ? f.severity : w), undefined);
    const nextDue = age?.bound === 'exact' && age.since ? new Date(age.since.getTime() + age.intervalDays * DAY) : undefined;
    out.push({
      file,
      ...(analysis.folder ? { folder: analysis.folder.name } : {}),
      relativePath,
      key,
      kind: s.kind,
      kindName: KINDS[s.kind].name,
      confidence: s.confidence,
      line: s.entry.range.start.line,
      keyRange: s.entry.keyRange,
      intervalDays: s.intervalDays,
      status: statuses[0] as SecretStatus,
      statuses,
      ...(age ? { age } : {}),
      ageText: ageText(age, statuses[0]),
      exposures,
      findings,
      ...(severity ? { severity } : {}),
      ...(nextDue ? { nextDue } : {}),
      suppressed: s.suppressed !== undefined,
      ...(s.provider ? { provider: s.provider } : {}),
    });
  }
  return out;
}

/** Summaries of every live file the model knows (backups left out: their values are history). */
export function summarizeAll(files: readonly FileAnalysis[]): SecretSummary[] {
  return files.filter((f) => f.role !== 'backup').flatMap(summarizeFile);
}
