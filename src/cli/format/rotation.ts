import { PATTERN_TEXT } from '../../core/rotation/runbooks/sections';
import type { ApplyResult } from '../../core/rotation/apply';
import { countConsumers } from '../../core/rotation/consumerCount';
import type { RotationPlan } from '../../core/rotation/plan';
import { displayPath } from '../paths';
import { zeroLogoutJson, zeroLogoutText } from './zeroLogout';

/*
 * How `rekey rotate` shows a plan. Both renderers are value-free unless `reveal` is set: the plan
 * keeps its generated value in a non-enumerable property, and only these functions, asked to,
 * read it.
 */

export interface PlanRenderOptions {
  /** Include the new value (only with --reveal). */
  reveal?: boolean;
  /** Result of applying the plan, when it was applied. */
  applied?: ApplyResult;
  /** Print code edits as unified diffs (dry runs). */
  patch?: boolean;
  /** Why an attempted (not dry-run) rotation wrote nothing: blocked or failed. */
  notApplied?: string;
}

function appliedJson(a: ApplyResult, cwd: string): Record<string, unknown> {
  return {
    mode: a.mode,
    ...(a.newKey ? { newKey: a.newKey } : {}),
    ...(a.keptPrevious ? { keptPrevious: a.keptPrevious } : {}),
    date: a.date,
    backup: displayPath(a.backup, cwd),
    files: a.files.map((f) => ({ file: displayPath(f.file, cwd), backup: displayPath(f.backup, cwd), keys: f.keys })),
    gitignoreUpdated: a.gitignoreUpdated.map((g) => displayPath(g, cwd)),
    warnings: a.warnings,
  };
}

/** `rekey rotate --format json`. Lines are 1-based. */
export function rotationPlanJson(plan: RotationPlan, cwd: string, options: PlanRenderOptions = {}): string {
  const out: Record<string, unknown> = {
    version: 1,
    key: plan.key,
    file: displayPath(plan.file, cwd),
    line: plan.target.line + 1,
    kind: plan.kind,
    kindReason: plan.kindReason,
    impact: plan.impact,
    pattern: plan.pattern,
    mode: plan.mode,
    ...(plan.newKey ? { newKey: plan.newKey } : {}),
    ...(plan.keepPrevious ? { keepPrevious: plan.keepPrevious } : {}),
    generated: {
      format: plan.generated.spec,
      length: plan.generated.length,
      description: plan.generated.description,
      from: plan.generated.from,
      ...(options.reveal && plan.newValue !== undefined ? { value: plan.newValue } : {}),
    },
    linked: plan.linked.map((l) => ({
      file: displayPath(l.file, cwd), key: l.key, line: l.line + 1, relation: l.relation, action: l.action, description: l.description,
    })),
    consumers: plan.consumers.map((c) => ({
      file: displayPath(c.file, cwd), line: c.line + 1, column: c.column + 1, service: c.service ?? null, role: c.role, key: c.key, via: c.via, detail: c.detail,
      ...(c.copy ? { copy: true } : {}),
      ...(c.authLibrary ? { authLibrary: c.authLibrary } : {}),
    })),
    restartOrder: plan.restartOrder.map((s) => ({
      order: s.order, name: s.name, role: s.role, target: s.target, action: s.action, ...(s.note ? { note: s.note } : {}),
    })),
    backup: displayPath(plan.backupPath, cwd),
    warnings: plan.warnings,
    blockers: plan.blockers,
    ...(plan.breaks.length ? { breaks: plan.breaks } : {}),
    zeroLogout: zeroLogoutJson(plan, cwd),
    runbook: plan.runbook,
    applied: options.applied ? appliedJson(options.applied, cwd) : null,
  };
  return JSON.stringify(out, null, 2);
}

function table(rows: string[][]): string[] {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return rows.map((r) => `  ${r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ')}`.trimEnd());
}

/** `rekey rotate` text output: a readable plan, then what was done when it was applied. */
export function rotationPlanText(plan: RotationPlan, cwd: string, options: PlanRenderOptions = {}): string {
  const out: string[] = [];
  const file = displayPath(plan.file, cwd);
  out.push(`Rotate ${plan.key} (${file}:${plan.target.line + 1}): ${plan.kindName}, ${plan.kindReason}`);
  out.push(`  impact:   ${plan.impact}`);
  out.push(`  pattern:  ${PATTERN_TEXT[plan.pattern].title}`);
  out.push(`  new value: ${plan.generated.spec === 'provider' ? plan.generated.description : `${plan.generated.spec}, ${plan.generated.description}`}${plan.target.part === 'url-password' ? ' (the password inside the URL)' : ''}`);
  if (options.reveal && plan.newValue !== undefined) out.push(`  value:    ${plan.newValue}`);
  const zl = plan.zeroLogoutChosen ? plan.zeroLogout : undefined;
  const change = zl
    ? zl.layout === 'stage-indexed'
      ? `adds ${zl.previousKey ?? ''} with the new value (it signs); ${plan.key} keeps the old value until retirement`
      : `replaces ${plan.key}, moves the old value to ${zl.previousKey ?? ''} (verify only)`
    : plan.mode === 'add-new'
      ? `adds ${plan.newKey ?? ''} next to ${plan.key}; ${plan.key} keeps the old key until the switch`
      : `replaces ${plan.key}${plan.keepPrevious ? `, keeps the old value as ${plan.keepPrevious}` : ''}`;
  out.push(`  change:   ${change}`);
  out.push(`  backup:   ${displayPath(plan.backupPath, cwd)} (mode 600, ignored by git)`);
  out.push(...zeroLogoutText(plan, options.patch === true));

  out.push('', `Linked entries (${plan.linked.length}):`);
  if (plan.linked.length === 0) out.push('  none');
  else for (const row of table(plan.linked.map((l) => [`${displayPath(l.file, cwd)}:${l.line + 1}`, l.key, l.action, l.description]))) out.push(row);

  const counted = countConsumers(plan.consumers, plan.key);
  out.push('', `Consumers (${counted.count}${counted.linked > 0 ? `, and ${counted.linked} reading linked entries` : ''}):`);
  if (plan.consumers.length === 0) out.push('  none found in the workspace');
  else {
    out.push(
      ...table(
        plan.consumers.map((c) => [
          `${displayPath(c.file, cwd)}:${c.line + 1}`,
          c.service ?? '-',
          c.role,
          `${c.key !== plan.key ? `${c.key}: ` : ''}${c.detail}${c.authLibrary ? ` (${c.authLibrary} secret)` : ''}${c.copy ? ' [own copy]' : ''}`,
        ]),
      ),
    );
  }

  out.push('', 'Restart order:');
  if (plan.restartOrder.length === 0) out.push('  nothing found: restart whatever loads the file');
  for (const s of plan.restartOrder) out.push(`  ${s.order}. ${s.name} (${s.role}): ${s.action}`);

  if (plan.breaks.length) {
    out.push('', 'What breaks (--force):');
    for (const b of plan.breaks) out.push(`  - ${b}`);
  }
  if (plan.warnings.length) {
    out.push('', 'Warnings:');
    for (const w of plan.warnings) out.push(`  ! ${w}`);
  }
  if (plan.blockers.length) {
    out.push('', 'Cannot apply:');
    for (const b of plan.blockers) out.push(`  x ${b}`);
  }

  out.push('');
  const a = options.applied;
  if (a) {
    out.push(`Rotated ${plan.key}${a.newKey ? ` (new key staged as ${a.newKey})` : ''}:`);
    for (const f of a.files) out.push(`  wrote ${displayPath(f.file, cwd)} (${f.keys.join(', ') || 'code edit'}); backup ${displayPath(f.backup, cwd)}`);
    for (const g of a.gitignoreUpdated) out.push(`  added the backup pattern to ${displayPath(g, cwd)}`);
    for (const w of a.warnings) out.push(`  ! ${w}`);
    out.push(`Next: follow the runbook (rekey runbook ${plan.key}${file === '.env' ? '' : ` --file ${file}`}), restarting in the order above.`);
  } else if (options.notApplied !== undefined) {
    out.push(`Nothing was written: ${options.notApplied}`);
  } else {
    out.push(`Dry run: nothing was written. \`rekey runbook ${plan.key}${file === '.env' ? '' : ` --file ${file}`}\` prints the full runbook.`);
  }
  return out.join('\n');
}
