import type { SecretAge } from '../age/secretAge';
import type { Finding } from '../findings/finding';

/*
 * The one vocabulary of a secret's state. The Secrets view (descriptions, tooltips, badge), the
 * status bar, the hovers and the reports all derive their words and counts from `secretStatus`,
 * so no two of them can disagree about a secret. Pure and value-free.
 */

/** Worst first. `unknown`: no finding and no usable age for the value. */
export type SecretStatus = 'leaked' | 'changed' | 'overdue' | 'due-soon' | 'ok' | 'unknown';

/** Urgency rank: lower is worse. `unknown` ranks after `due-soon`: nobody knows it is fine. */
export const STATUS_RANK: Record<SecretStatus, number> = { leaked: 0, changed: 1, overdue: 2, 'due-soon': 3, unknown: 4, ok: 5 };

/** Full words, for tooltips, hovers and reports. */
export const STATUS_LABEL: Record<SecretStatus, string> = {
  leaked: 'leaked in git history',
  changed: 'changed since backup',
  overdue: 'overdue',
  'due-soon': 'due soon',
  ok: 'ok',
  unknown: 'age unknown',
};

/** Short words, for tree descriptions and quick picks where space is tight. */
export const STATUS_SHORT: Record<SecretStatus, string> = {
  leaked: 'leaked',
  changed: 'changed',
  overdue: 'overdue',
  'due-soon': 'due soon',
  ok: 'ok',
  unknown: 'age unknown',
};

/** Longest tree description that fits the default side-bar width next to a typical key. */
export const DESCRIPTION_MAX = 28;

/**
 * Characters of key and description together that a secret's row shows at the default side-bar
 * width (file → secret, single folder) before the description is cut.
 */
export const ROW_TEXT_MAX = 31;

/** The description budget left beside `key` on a row: `ROW_TEXT_MAX` minus the key, at most `DESCRIPTION_MAX`. */
export function descriptionBudget(key: string): number {
  return Math.max(0, Math.min(DESCRIPTION_MAX, ROW_TEXT_MAX - key.length - 1));
}

/** The part of an age a status needs: the rotation status and how sure the day count is. */
export type StatusAge = Pick<SecretAge, 'status' | 'ageDays' | 'bound'>;

export interface StatusInput {
  /** Findings about this key in this file. */
  findings: readonly Finding[];
  age?: StatusAge | undefined;
}

export interface StatusReport {
  /** The worst status. */
  status: SecretStatus;
  /** Every status that applies, worst first (never empty). */
  statuses: SecretStatus[];
  /** Full label of the worst status. */
  label: string;
  /** Short word of the worst status. */
  short: string;
  /** Urgency rank of the worst status (lower is worse). */
  rank: number;
  /** Leaked, changed, overdue or due soon: what the badge and the status bar count. */
  needsAttention: boolean;
  /** Number of commits the current value was committed in (0 when not leaked or not scanned). */
  exposures: number;
}

const ATTENTION: ReadonlySet<SecretStatus> = new Set(['leaked', 'changed', 'overdue', 'due-soon']);

/**
 * A secret's statuses from its findings and age: leaked when history holds the current value
 * (an error finding), changed when it differs from its backup without a recorded rotation, and
 * the rotation status of its age when that is known.
 */
export function secretStatus(input: StatusInput): StatusReport {
  const statuses: SecretStatus[] = [];
  let exposures = 0;
  for (const f of input.findings) {
    if (f.rule === 'leaked-in-history' && f.severity === 'error') {
      if (!statuses.includes('leaked')) statuses.push('leaked');
      const commits = f.data?.commits;
      exposures = Math.max(exposures, Array.isArray(commits) ? commits.length : 1);
    }
    // A deliberate rotation (annotated) is expected to differ from its backup.
    if (f.rule === 'changed-since-backup' && f.data?.rotated !== true && f.severity !== 'info' && !statuses.includes('changed')) statuses.push('changed');
  }
  const age = input.age;
  if (age && (age.status === 'overdue' || age.status === 'due-soon' || age.status === 'ok')) statuses.push(age.status);
  if (statuses.length === 0) statuses.push('unknown');
  statuses.sort((a, b) => STATUS_RANK[a] - STATUS_RANK[b]);
  const status = statuses[0] as SecretStatus;
  return { status, statuses, label: STATUS_LABEL[status], short: STATUS_SHORT[status], rank: STATUS_RANK[status], needsAttention: ATTENTION.has(status), exposures };
}

/** Whether a status is one the badge and the status bar count. */
export function isAttention(status: SecretStatus): boolean {
  return ATTENTION.has(status);
}

/**
 * The age as a few characters: `123 d`, `≥ 40 d` (a lower bound), `≤ 3 d` (an upper bound),
 * `< 1 d` (a value younger than a day, however it is known), or undefined when nothing useful is
 * known ("at least 0 days" says nothing).
 */
export function agePart(age: StatusAge | undefined): string | undefined {
  if (!age || age.ageDays === undefined) return undefined;
  if (age.bound === 'at-least') return age.ageDays > 0 ? `≥ ${age.ageDays} d` : undefined;
  if (age.ageDays <= 0) return '< 1 d';
  return `${age.bound === 'at-most' ? '≤ ' : ''}${age.ageDays} d`;
}

/**
 * The status first, then the age: `leaked · 631 d`, `ok · ≤ 3 d`, `age unknown`. A known age
 * bound with no rotation status reads as just the bound (`≤ 549 d`): "age unknown" beside a
 * day count would contradict it.
 */
export function statusText(report: Pick<StatusReport, 'status'>, age: StatusAge | undefined): string {
  const part = agePart(age);
  if (!part) return STATUS_SHORT[report.status];
  return report.status === 'unknown' ? part : `${STATUS_SHORT[report.status]} · ${part}`;
}

/**
 * A tree description that fits `max` characters where it can: the status text and the kind's
 * name; without the kind when that is too long; the status word alone when even the age does
 * not fit. The status is never the part the side bar cuts off.
 */
export function describeStatus(report: Pick<StatusReport, 'status'>, age: StatusAge | undefined, kindName: string, max = DESCRIPTION_MAX): string {
  const head = statusText(report, age);
  const full = `${head} · ${kindName}`;
  if (full.length <= max) return full;
  if (head.length <= max) return head;
  // An unknown status with a known bound reads as the bound alone (`≤ 549 d`): keep it.
  return report.status === 'unknown' ? head : STATUS_SHORT[report.status];
}

/** How many of `items` need attention, skipping suppressed ones: the one count of badge, status bar and tree. */
export function countAttention(items: readonly { status: SecretStatus; suppressed: boolean }[]): number {
  return items.filter((s) => !s.suppressed && ATTENTION.has(s.status)).length;
}
