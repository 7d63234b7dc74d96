import * as path from 'node:path';
import type { SecretAgeReport } from '../../core/age/collectAges';
import { rotationStageText } from '../../core/age/rotationStageText';
import { isAttention, secretStatus, STATUS_LABEL } from '../../core/analysis/secretStatus';
import { KINDS } from '../../core/catalog/kinds';
import type { DetectedSecret } from '../../core/detect/types';
import type { Finding } from '../../core/findings/finding';
import type { LinkedEntry } from '../../core/rotation/linked';
import { backupOf } from '../model/findingFacts';
import type { HistoryState } from '../model/types';

/*
 * The text of a secret's hover, as plain markdown lines built from value-free data. The value
 * itself only ever appears as the fixed mask; its length and a keyed fingerprint are the most a
 * hover says about it.
 */

export interface HoverFacts {
  secret: DetectedSecret;
  /** Length of the value in characters. */
  valueLength: number;
  fingerprint?: string;
  /** `command:` link that reveals the value (undefined when masking is off). */
  revealLink?: string;
  /** The card's command links as one markdown line (Rotate, Open Runbook, ...), shown first. */
  actions?: string;
  age?: SecretAgeReport;
  /** Findings of the file about this key. */
  findings: Finding[];
  history?: HistoryState;
  linked: LinkedEntry[];
  /** Number of places that read the key, or why it is not known. */
  consumers: { count: number; summary: string } | { pending: true } | undefined;
  mask: string;
}

/** Escapes the markdown characters that can change rendering inside a line (never at its start). */
export function md(text: string): string {
  return text.replace(/[\\`*_[\]<>|]/g, '\\$&');
}

function code(text: string): string {
  return '`' + text.replace(/`/g, "'") + '`';
}

/** Every status that applies, in the words of the Secrets view; the ones to act on in bold. */
export function statusLine(findings: readonly Finding[], age: SecretAgeReport | undefined): string {
  const { statuses } = secretStatus({ findings, age });
  return `**Status:** ${statuses.map((x) => (isAttention(x) ? `**${md(STATUS_LABEL[x])}**` : md(STATUS_LABEL[x]))).join(', ')}`;
}

function ageLine(age: SecretAgeReport | undefined): string {
  if (!age) return '**Age:** unknown';
  let when: string;
  const day = age.since?.toISOString().slice(0, 10);
  if (age.ageDays === undefined || !day) when = 'unknown';
  else if (age.bound === 'at-least') when = `at least ${age.ageDays} days (since before ${day})`;
  else if (age.bound === 'at-most') when = `at most ${age.ageDays} days (after ${day})`;
  else when = `${age.ageDays} days (since ${day})`;
  const due = age.dueInDays !== undefined ? (age.dueInDays < 0 ? `, ${-age.dueInDays} days past due` : `, due in ${age.dueInDays} days`) : '';
  const line = `**Age:** ${md(when)}${md(due)} · source: ${md(age.source)}${age.detail ? ` (${md(age.detail)})` : ''}`;
  return age.rotation ? `${line}\n\n**Rotation:** ${md(rotationStageText(age.rotation))}` : line;
}

function historyLine(facts: HoverFacts): string {
  const leaks = facts.findings.filter((f) => f.rule === 'leaked-in-history');
  if (leaks.length > 0) {
    const parts = leaks.map((f) => {
      const d = (f.data ?? {}) as { commit?: string; commits?: string[]; pushed?: boolean; current?: boolean };
      const commits = d.commits?.length ?? 1;
      const first = d.commit ? ` first in ${code(d.commit.slice(0, 7))}` : '';
      return d.current === false
        ? `earlier values committed (${commits} commit${commits === 1 ? '' : 's'}${first}); the current value never was`
        : `**current value committed** in ${commits} commit${commits === 1 ? '' : 's'}${first}, ${d.pushed ? '**pushed**' : 'not pushed'}`;
    });
    return `**History:** ${parts.join('; ')}`;
  }
  const h = facts.history;
  if (!h) return '**History:** not checked (file outside the workspace)';
  switch (h.status) {
    case 'done':
      return '**History:** no exposure of this value in git history';
    case 'running':
      return '**History:** checking…';
    case 'untrusted':
      return '**History:** not checked: the workspace is not trusted, so git does not run';
    case 'disabled':
      return '**History:** not checked (rekey.history.enabled is off)';
    case 'unavailable':
      return `**History:** not available${h.detail ? `: ${md(h.detail)}` : ''}`;
    default:
      return '**History:** not checked yet';
  }
}

/** The hover's markdown source: a compact card, title and command links first. */
export function hoverMarkdown(facts: HoverFacts): string {
  const s = facts.secret;
  const kind = KINDS[s.kind];
  const lines: string[] = [];
  lines.push(`**rekey** · ${code(s.entry.key)} · ${md(kind.name)}${s.provider ? ` (${md(s.provider)})` : ''} · ${s.confidence} confidence`);
  if (facts.actions) lines.push(facts.actions);
  else if (facts.revealLink) lines.push(`[Reveal](${facts.revealLink} "Show this value for a few seconds")`);
  if (s.suppressed) lines.push(`*Ignored* by ${md(s.suppressed.by)}${s.suppressed.reason ? `: ${md(s.suppressed.reason)}` : ''}`);
  const fp = facts.fingerprint ? ` · fingerprint ${code(facts.fingerprint)}` : '';
  lines.push(`**Value:** ${code(facts.mask)} (${facts.valueLength} characters${fp})`);
  lines.push(statusLine(facts.findings, facts.age));
  lines.push(`${ageLine(facts.age)} · rotate every ${s.intervalDays} days`);
  lines.push(historyLine(facts));
  const changed = facts.findings.find((f) => f.rule === 'changed-since-backup');
  if (changed) {
    const backup = backupOf(changed);
    lines.push(`**Backup:** differs from ${backup ? code(path.basename(backup)) : 'the backup'}`);
  }
  if (facts.linked.length > 0) {
    const shown = facts.linked.slice(0, 5).map((l) => `${code(l.key)} in ${code(path.basename(l.file))} (${md(l.relation.replace('-', ' '))})`);
    lines.push(`**Linked keys:** ${shown.join(', ')}${facts.linked.length > 5 ? `, and ${facts.linked.length - 5} more` : ''}`);
  }
  const c = facts.consumers;
  if (!c) lines.push('**Consumers:** unknown');
  else if ('pending' in c) lines.push('**Consumers:** still counting (hover again in a moment)');
  else lines.push(`**Consumers:** ${c.count}${c.summary ? ` (${md(c.summary)})` : ''}`);
  lines.push(`*Impact of rotating:* ${md(kind.impact)}`);
  return lines.join('  \n');
}
