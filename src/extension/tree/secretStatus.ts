import * as path from 'node:path';
import type { SecretAgeReport } from '../../core/age/collectAges';
import { KINDS } from '../../core/catalog/kinds';
import type { KindId } from '../../core/catalog/types';
import type { Confidence, Finding, Severity } from '../../core/findings/finding';
import type { Range } from '../../core/text/lineIndex';
import { describeStatus, descriptionBudget, isAttention, secretStatus, statusText, STATUS_RANK, type SecretStatus } from '../../core/analysis/secretStatus';
import type { FileAnalysis } from '../model/types';

/*
 * One value-free summary per secret, computed from the workspace model's analysis. The tree,
 * the status bar, the quick picks and the rotation report all render these, so they agree on
 * what "needs attention" means. No `vscode` import at run time: unit tests load this in Node.
 */

export { STATUS_LABEL, STATUS_RANK, STATUS_SHORT, agePart, type SecretStatus } from '../../core/analysis/secretStatus';

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
  /** The kind's name (`connection URL`), spelled the same in every view. */
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
  /** `overdue · 123 d`, `ok · ≥ 40 d`, `age unknown`: the worst status first. */
  ageText: string;
  /** The tree description: `leaked · 631 d · API token`, the kind dropped when it would not fit. */
  description: string;
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
export function needsAttention(s: Pick<SecretSummary, 'status'>): boolean {
  return isAttention(s.status);
}

/** `overdue · 123 d`, `leaked · 0 d`, `≥ 40 d`, or `age unknown`: the worst status first, then the age. */
export function ageText(age: SecretAgeReport | undefined, status: SecretStatus = age && age.status !== 'unknown' ? age.status : 'unknown'): string {
  return statusText({ status }, age);
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
    const { status, statuses, exposures } = secretStatus({ findings, age });
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
      status,
      statuses,
      ...(age ? { age } : {}),
      ageText: statusText({ status }, age),
      description: s.suppressed !== undefined ? `ignored · ${KINDS[s.kind].name}` : describeStatus({ status }, age, KINDS[s.kind].name, descriptionBudget(key)),
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
