import * as path from 'node:path';
import type { RotationPlan } from '../../core/rotation/plan';
import { code } from '../../core/rotation/runbooks/sections';
import { unifiedDiff } from '../../core/rotation/zeroLogout/unifiedDiff';

/*
 * The "Sessions" section of the rotation plan preview: the framework found, whether this
 * rotation logs anyone out, the `.env` layout, the retire-by date and the code edit as a diff.
 * Value-free.
 */

/** Markdown lines, empty when no session framework was found. */
export function zeroLogoutMarkdown(plan: RotationPlan): string[] {
  const z = plan.zeroLogout;
  if (!z) return [];
  const out = ['## Sessions', '', `**${z.frameworkName}**${z.version ? ` ${z.version}` : ''}: ${z.evidence}. [How it verifies with old secrets](${z.docUrl}).`, ''];
  if (plan.zeroLogoutChosen) {
    out.push(`**Rotate without logging anyone out.** ${z.summary}`, '');
    out.push(`- Retire-by: **${z.retireBy}** (${z.lifetimeFrom}); recorded in a ${code('# rekey-previous:')} comment above ${code(z.previousKey ?? '')}.`);
    for (const k of z.keeps) out.push(`- Will: ${k}`);
    for (const l of z.loses) out.push(`- Will not: ${l}`);
  } else if (z.available) {
    out.push(`**Everyone is logged out**: rotating without keeping the previous secret was chosen. ${z.summary}`);
  } else {
    out.push(`**Everyone is logged out.** ${z.summary}`);
    if (z.manual) out.push('', `To keep sessions next time, add to ${z.manual.where}:`, '', `\`\`\`${z.manual.language}`, z.manual.snippet, '```');
  }
  if (plan.zeroLogoutChosen && z.codeChanges.length > 0) {
    out.push('', '### Code edit (applied only when you confirm it)', '');
    for (const c of z.codeChanges) {
      const rel = path.relative(plan.workspaceRoot, c.file).split(path.sep).join('/');
      out.push(`- ${c.description}`, '', '```diff', unifiedDiff(c, rel).trimEnd(), '```', '');
    }
  }
  out.push('');
  return out;
}
