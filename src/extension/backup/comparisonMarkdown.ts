import { KINDS } from '../../core/catalog/kinds';
import type { BackupChange, KeyChangeType } from '../../core/backup/compare';

/*
 * A backup comparison as Markdown, for the read-only document Compare with Backup opens. Reads
 * only the value-free fields of `BackupChange` (key, status, kind, keyed fingerprints, impact):
 * the comparison is useful without a single value on screen.
 */

export interface ComparisonMarkdownInput {
  /** The live file and the backup, as the user reads them (workspace-relative). */
  file: string;
  backup: string;
  /** When the backup was last written, already formatted; omitted when unknown. */
  backupWhen?: string;
  changes: readonly BackupChange[];
  /** Whether fingerprints could be made (the state folder's key was usable). */
  fingerprints: boolean;
}

const STATUS: Record<KeyChangeType, string> = { changed: 'changed', added: 'added', removed: 'removed', unchanged: 'same' };
/** Most telling first: what a user must look at before what merely exists. */
const ORDER: KeyChangeType[] = ['changed', 'removed', 'added', 'unchanged'];

function code(s: string): string {
  return `\`${s.replace(/`/g, "'")}\``;
}

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function kindName(c: BackupChange): string {
  return c.kind ? KINDS[c.kind].name : 'not a secret';
}

function line(c: BackupChange): string {
  const r = c.liveRange ?? c.backupRange;
  return r ? String(r.start.line + 1) : '';
}

/** Counts per status, in the order the document lists them. */
export function comparisonCounts(changes: readonly BackupChange[]): Record<KeyChangeType, number> {
  const out: Record<KeyChangeType, number> = { changed: 0, added: 0, removed: 0, unchanged: 0 };
  for (const c of changes) out[c.change]++;
  return out;
}

/** One line a notification can show: `1 changed, 1 added, 0 removed, 4 same`. */
export function comparisonSummary(changes: readonly BackupChange[]): string {
  const n = comparisonCounts(changes);
  return ORDER.map((s) => `${n[s]} ${STATUS[s]}`).join(', ');
}

/** Renders the key-by-key comparison: status, kind and short keyed fingerprints per key, then the impact of each changed secret. */
export function renderComparisonMarkdown(input: ComparisonMarkdownInput): string {
  const out: string[] = [];
  out.push(`# Compare ${code(input.file)} with ${code(input.backup)}`, '');
  out.push(`${code(input.file)} now against the backup ${code(input.backup)}${input.backupWhen ? ` (written ${input.backupWhen})` : ''}, key by key, as dotenv reads them (the last definition of a key wins).`, '');
  out.push(input.fingerprints
    ? '> No value is shown here. A fingerprint is a short keyed HMAC of a value (its key never leaves rekey\'s state folder): two fingerprints are equal exactly when the values are, and neither says anything about the value.'
    : '> No value is shown here. Fingerprints are unavailable (rekey\'s state folder cannot be used: see the log), so only the statuses are listed.', '');

  const rows = ORDER.flatMap((s) => input.changes.filter((c) => c.change === s));
  const secrets = input.changes.filter((c) => c.secret && (c.change === 'changed' || c.change === 'removed')).length;
  out.push(`**${comparisonSummary(input.changes)}**; ${secrets} secret${secrets === 1 ? '' : 's'} changed or removed.`, '');
  if (rows.length === 0) {
    out.push('Neither file defines a key.', '');
  } else {
    out.push(`| Status | Key | Line | Kind | Backup | Now |`, '|---|---|---|---|---|---|');
    for (const c of rows) {
      const status = c.change === 'unchanged' ? STATUS[c.change] : `**${STATUS[c.change]}**`;
      const fp = (v: string | undefined): string => (v ? code(v) : '—');
      out.push(`| ${status} | ${code(c.key)} | ${line(c)} | ${cell(kindName(c))} | ${fp(c.fingerprints?.backup)} | ${fp(c.fingerprints?.live)} |`);
    }
    out.push('');
  }

  const impacts = rows.filter((c) => c.impact);
  if (impacts.length > 0) {
    out.push('## What the changes do', '');
    for (const c of impacts) {
      out.push(`- ${code(c.key)} (${kindName(c)}, ${c.change}${c.severity === 'error' ? ', **critical**' : ''}): ${c.impact ?? ''}${c.kindEvidence ? ` Kind from ${cell(c.kindEvidence)}.` : ''}`);
    }
    out.push('');
  }
  out.push('---', '', 'To see the values themselves, run **rekey: Reveal Values in Backup Diff** (it asks first). To put one entry back as the backup has it, use **Restore from Backup** in the hover or quick fixes of an entry whose value differs from your backup (Undo reverts it).', '');
  return out.join('\n');
}
