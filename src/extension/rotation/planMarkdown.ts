import * as path from 'node:path';
import { liveServiceOf } from '../../core/live/rotateLive';
import { zeroLogoutMarkdown } from './zeroLogoutMarkdown';
import { countConsumers } from '../../core/rotation/consumerCount';
import type { RotationPlan } from '../../core/rotation/plan';
import { PATTERN_TEXT } from '../../core/rotation/runbooks/sections';

/*
 * The rotation plan as Markdown, for the preview shown before anything changes. Reads only the
 * plan's enumerable, value-free fields: never `newValue` or `sources`.
 */

function rel(root: string, abs: string): string {
  const r = path.relative(root, abs);
  return r === '' || r.startsWith('..') || path.isAbsolute(r) ? abs : r.split(path.sep).join('/');
}

function code(s: string): string {
  return `\`${s.replace(/`/g, "'")}\``;
}

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

export interface PlanMarkdownOptions {
  /** The plan has been applied (the preview is kept as a record). */
  applied?: { backup: string; files: string[] };
  /** What the user is asked next, in the words of the prompt that asks it (Markdown, one sentence or two). */
  next?: string;
}

/** Renders the plan: what changes, the kind's impact and pattern, linked entries, consumers, restart order. */
export function renderPlanMarkdown(plan: RotationPlan, options: PlanMarkdownOptions = {}): string {
  const root = plan.workspaceRoot;
  const file = rel(root, plan.file);
  const out: string[] = [];
  out.push(`# Rotate ${code(plan.key)}`, '');
  out.push(`${code(`${file}:${plan.target.line + 1}`)} · **${plan.kindName}** (${plan.kindReason})`, '');
  if (options.applied) {
    out.push(`> **Applied.** Backup: ${code(rel(root, options.applied.backup))}. Undo (Ctrl+Z in the file) reverts the edit; the backup stays.`, '');
  } else if (plan.blockers.length > 0) {
    out.push('> **Cannot be applied yet:**', '>');
    for (const b of plan.blockers) out.push(`> - ${b}`);
    if (options.next) out.push('>', `> ${options.next}`);
    out.push('');
  } else {
    out.push(`> ${options.next ?? 'Nothing has changed yet. Confirm in the dialog to apply; the new value is never shown here.'}`, '');
  }

  out.push('## What changes', '');
  if (plan.mode === 'add-new') {
    out.push(`- ${code(plan.newKey ?? `${plan.key}_NEW`)} is **added** next to ${code(plan.key)}; ${code(plan.key)} keeps the current key until the data is re-encrypted and the switch is made (see the runbook).`);
  } else {
    out.push(`- ${code(plan.key)} gets a new value${plan.target.part === 'url-password' ? ' (the password inside its URL only)' : ''}${plan.force && plan.kind === 'encryption-key' ? ', **replacing the encryption key in place**' : ''}.`);
    if (plan.keepPrevious) out.push(`- The old value is kept as ${code(plan.keepPrevious)} for the dual-credential window.`);
    out.push(`- A ${code(`# rotated: ${plan.date}`)} line is written above it.`);
  }
  const newValue = plan.generated.spec === 'provider' ? 'issued by the provider' : plan.generated.description;
  out.push(`- New value: ${newValue}${plan.generated.reason ? ` — ${plan.generated.reason}` : ''}.`);
  out.push(`- Backup first: ${code(rel(root, plan.backupPath))} (mode 600, ignored by git).`);
  out.push('');

  const live = liveServiceOf(plan);
  if (live && !options.applied) {
    out.push('## Also change it in the ' + (live === 'postgres' ? 'database' : 'cache'), '');
    out.push(`Run **rekey: Rotate Secret on the Server** (CLI: ${code(`rekey rotate ${plan.key} --live`)}) to change the password on ${live === 'postgres' ? 'PostgreSQL' : 'Redis'} too: rekey checks a new connection before writing the file and puts the old password back if a step fails. Rotate Secret alone changes only the file.`, '');
  }
  out.push(...zeroLogoutMarkdown(plan));
  out.push('## Impact', '', plan.impact, '');
  out.push(`## Pattern: ${PATTERN_TEXT[plan.pattern].title}`, '', PATTERN_TEXT[plan.pattern].text, '');

  if (plan.breaks.length > 0) {
    out.push('## What breaks', '');
    for (const b of plan.breaks) out.push(`- ${b}`);
    out.push('');
  }

  out.push(`## Linked entries (${plan.linked.length})`, '');
  if (plan.linked.length === 0) out.push('No other `.env` entry holds the same secret.', '');
  else {
    out.push('| Where | Key | Action | What happens |', '|---|---|---|---|');
    for (const l of plan.linked) out.push(`| ${code(`${rel(root, l.file)}:${l.line + 1}`)} | ${code(l.key)} | ${l.action} | ${cell(l.description)} |`);
    out.push('');
  }

  const counted = countConsumers(plan.consumers, plan.key);
  out.push(`## Consumers (${counted.count}${counted.linked > 0 ? `, and ${counted.linked} reading linked entries` : ''})`, '');
  if (plan.consumers.length === 0) out.push('None found in the workspace: restart whatever loads the file.', '');
  else {
    out.push('| Where | Service | Role | Reads |', '|---|---|---|---|');
    for (const c of plan.consumers) {
      const reads = `${c.key !== plan.key ? `${c.key}: ` : ''}${c.detail}${c.authLibrary ? ` (${c.authLibrary} secret)` : ''}${c.copy ? ' — own copy, change by hand' : ''}`;
      out.push(`| ${code(`${rel(root, c.file)}:${c.line + 1}`)} | ${c.service ? code(c.service) : '—'} | ${c.role} | ${cell(reads)} |`);
    }
    out.push('');
  }

  out.push('## Restart order', '');
  if (plan.restartOrder.length === 0) out.push('Nothing found to restart: restart whatever loads the file.', '');
  else {
    for (const s of plan.restartOrder) out.push(`${s.order}. **${s.name}** (${s.role}): ${s.action}${s.note ? ` — ${s.note}` : ''}`);
    out.push('');
  }

  if (plan.warnings.length > 0) {
    out.push('## Warnings', '');
    for (const w of plan.warnings) out.push(`- ${w}`);
    out.push('');
  }
  out.push('---', '', 'The full runbook opens after the rotation (or with **rekey: Insert Runbook Snippet**).', '');
  return out.join('\n');
}
