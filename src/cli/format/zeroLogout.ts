import * as path from 'node:path';
import type { RotationPlan } from '../../core/rotation/plan';
import { unifiedDiff } from '../../core/rotation/zeroLogout/unifiedDiff';
import { displayPath } from '../paths';

/*
 * The zero-logout part of `rekey rotate`'s output: which framework, what happens to sessions,
 * the `.env` layout, the retire-by date and the code edit as a patch. Value-free: code edits hold
 * env variable names only.
 */

function repoPath(plan: RotationPlan, file: string): string {
  const r = path.relative(plan.workspaceRoot, file);
  return r.startsWith('..') || path.isAbsolute(r) ? file : r.split(path.sep).join('/');
}

/** The `zeroLogout` object of `rekey rotate --format json`. */
export function zeroLogoutJson(plan: RotationPlan, cwd: string): Record<string, unknown> | null {
  const z = plan.zeroLogout;
  if (!z) return null;
  return {
    framework: z.framework, name: z.frameworkName, version: z.version ?? null, versionFile: z.versionFile ?? null, evidence: z.evidence,
    available: z.available, chosen: plan.zeroLogoutChosen, summary: z.summary,
    layout: z.layout ?? null, previousKey: z.previousKey ?? null, syntax: z.syntax ?? null,
    retireBy: z.retireBy, lifetimeDays: z.lifetimeDays, lifetimeFrom: z.lifetimeFrom,
    keeps: z.keeps, loses: z.loses,
    codeChanges: z.codeChanges.map((c) => ({ file: displayPath(c.file, cwd), description: c.description, patch: unifiedDiff(c, repoPath(plan, c.file)) })),
    manual: z.manual ?? null,
    docUrl: z.docUrl, proof: z.proof,
  };
}

/** Text lines for `rekey rotate`; `patch` adds the code edits as unified diffs (dry runs). */
export function zeroLogoutText(plan: RotationPlan, patch: boolean): string[] {
  const z = plan.zeroLogout;
  if (!z) return [];
  const out = ['', `Sessions (${z.frameworkName}; ${z.evidence}${z.version ? `; version ${z.version}` : ''}):`];
  if (plan.zeroLogoutChosen) {
    out.push(`  zero-logout: ${z.summary}`);
    out.push(`  retire-by: ${z.retireBy} (${z.lifetimeFrom}); then \`rekey retire-previous ${plan.key}\``);
    for (const k of z.keeps) out.push(`  + ${k}`);
    for (const l of z.loses) out.push(`  - ${l}`);
  } else if (z.available) {
    out.push(`  everyone is logged out: zero-logout was declined (${z.summary})`);
  } else {
    out.push(`  everyone is logged out: ${z.summary}`);
    if (z.manual) {
      out.push(`  to keep sessions next time, add to ${z.manual.where}:`);
      for (const line of z.manual.snippet.split('\n')) out.push(`    ${line}`);
    }
  }
  if (plan.zeroLogoutChosen && z.codeChanges.length > 0) {
    out.push('', `Code edit (applied only with --apply-code):`);
    for (const c of z.codeChanges) {
      out.push(`  ${c.description}`);
      if (patch) out.push('', ...unifiedDiff(c, repoPath(plan, c.file)).trimEnd().split('\n'));
    }
  }
  return out;
}
