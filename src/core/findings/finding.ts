import type { Range } from '../text/lineIndex';

export type Severity = 'error' | 'warning' | 'info';

export const SEVERITY_RANK: Record<Severity, number> = { info: 1, warning: 2, error: 3 };

/** Confidence that an entry holds a real secret. */
export type Confidence = 'high' | 'medium' | 'low';

/** A pointer to another place that explains a finding (a commit, a backup, a linked key). */
export interface RelatedInfo {
  /** Absolute path, or a description such as `git:<commit>:<path>` where no file exists. */
  file: string;
  range?: Range;
  message: string;
}

/**
 * One thing rekey reports about a file. Layers render it (diagnostic, CLI line, SARIF result).
 *
 * Invariant: no field ever holds a secret value. Messages name keys, kinds and places only.
 */
export interface Finding {
  /** Absolute path of the file the finding is about. */
  file: string;
  /** 0-based range in that file. */
  range: Range;
  key?: string;
  /** Stable kebab-case rule id (`secret`, `leaked-in-history`, a parser problem code, ...). */
  rule: string;
  severity: Severity;
  message: string;
  /** Secret kind id from the catalog, for secret-related rules. */
  kind?: string;
  confidence?: Confidence;
  intervalDays?: number;
  related?: RelatedInfo[];
  /** Rule-specific, value-free extra fields that JSON output includes verbatim. */
  data?: Record<string, unknown>;
}

/** Orders findings by file, then position, then rule, so every output is deterministic. */
export function compareFindings(a: Finding, b: Finding): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return (
    a.range.start.line - b.range.start.line ||
    a.range.start.character - b.range.start.character ||
    (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0) ||
    ((a.key ?? '') < (b.key ?? '') ? -1 : (a.key ?? '') > (b.key ?? '') ? 1 : 0)
  );
}

/** Whether `severity` is at or above the threshold (`never` is above everything). */
export function meetsThreshold(severity: Severity, threshold: Severity | 'never'): boolean {
  return threshold !== 'never' && SEVERITY_RANK[severity] >= SEVERITY_RANK[threshold];
}

/**
 * Whether a finding fails a run at `threshold` (`--fail-on`): its severity reaches it and it is
 * not a low-confidence detection. Low findings (entropy or weak evidence only) are inventory.
 */
export function failsAt(finding: Finding, threshold: Severity | 'never'): boolean {
  return finding.confidence !== 'low' && meetsThreshold(finding.severity, threshold);
}
