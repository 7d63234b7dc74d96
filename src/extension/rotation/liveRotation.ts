import * as path from 'node:path';
import * as vscode from 'vscode';
import { loadEnvFiles } from '../../core/live/loadEnvFiles';
import { liveServiceOf, rotateLive, type LiveRotationResult } from '../../core/live/rotateLive';
import { LiveError } from '../../core/live/types';
import { RotationError } from '../../core/rotation/errors';
import { UserFacingError } from '../commands/registry';
import { resolveSecret } from '../commands/secretTarget';
import { docName, showMarkdownPreview } from '../views/virtualDocuments';
import type { ExtensionServices } from '../services';
import { applyRotationInEditor } from './applyInEditor';
import { renderPlanMarkdown } from './planMarkdown';
import { planForSecret } from './planForSecret';

/** Value-free result of the live rotation command, for callers and tests. */
export interface LiveRotateCommandResult {
  ok: boolean;
  reason?: 'cancelled' | 'blocked' | 'no-secret';
  failedStep?: string;
  restored?: boolean;
  steps?: LiveRotationResult['steps'];
  remaining?: string[];
  reportUri?: string;
}

function resultMarkdown(key: string, r: LiveRotationResult): string {
  const out = [`# Live rotation of \`${key}\``, '', `${r.service} · ${r.server}`, '', '## Done by rekey', ''];
  for (const s of r.steps) out.push(`- **${s.status}** ${s.id}: ${s.detail}`);
  out.push('');
  if (r.ok) {
    out.push('## Remaining (rekey does not do these)', '');
    r.remaining.forEach((x, i) => out.push(`${i + 1}. ${x}`));
  } else {
    out.push(`**Not rotated:** the ${r.failedStep ?? 'connect'} step failed. ${r.restored === false ? 'The server could not be set back: see the steps above.' : '.env is unchanged.'}`);
  }
  return out.join('\n') + '\n';
}

/**
 * Rotate Secret and change it on the server: the plan preview, one confirmation, then the live
 * rotation (change on PostgreSQL/Redis, check a new connection, write `.env` as a WorkspaceEdit
 * with a backup; the old password goes back on any failure). Trusted workspaces only.
 */
export async function rotateSecretLiveCommand(ctx: ExtensionServices, arg: unknown): Promise<LiveRotateCommandResult> {
  if (!ctx.isTrusted()) throw new UserFacingError('rekey: changing a password on the server needs a trusted workspace.');
  const ref = await resolveSecret(arg, ctx, 'rekey: Rotate Secret on the Server');
  if (!ref) return { ok: false, reason: 'no-secret' };
  const confirmed = arg && typeof arg === 'object' && (arg as { confirm?: unknown }).confirm === true;
  const plan = await planForSecret(ctx, ref);
  const service = liveServiceOf(plan);
  const planUri = ctx.docs.plan.set(`${docName(`Rotate ${plan.key}`)}.md`, renderPlanMarkdown(plan));
  if (!confirmed) await showMarkdownPreview(planUri, ctx.logger, { side: true });
  if (plan.blockers.length > 0) {
    void ctx.notifier.warn(`rekey: ${plan.key} cannot be rotated yet: ${plan.blockers[0] as string}`);
    return { ok: false, reason: 'blocked' };
  }
  if (!service) throw new UserFacingError(`rekey: ${plan.key} does not lead to a PostgreSQL or Redis server rekey can change; Rotate Secret changes the file only.`);
  if (!confirmed) {
    const detail = `rekey connects with the current credentials, changes the password on ${service === 'postgres' ? 'PostgreSQL' : 'Redis'}, checks a new connection with the new one, then writes ${path.basename(plan.file)} (backup first). On any failure the old password is put back and the file is left as it is. Restarting consumers stays with you.`;
    if (!(await ctx.prompter.confirm(`Rotate ${plan.key} and change it in the ${service === 'postgres' ? 'database' : 'cache'}?`, detail, 'Rotate on Server'))) return { ok: false, reason: 'cancelled' };
  }
  const { files } = await loadEnvFiles(plan.workspaceRoot, [plan.file]);
  const ledger = await ctx.openLedger();
  let result: LiveRotationResult;
  try {
    result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `rekey: rotating ${plan.key} on the server…` }, () =>
      rotateLive({
        plan, files,
        apply: async (p) => ({ key: p.key, file: p.file, ...(await applyRotationInEditor(p, { trusted: true, logger: ctx.logger, ...(ledger ? { ledger } : {}) })) }),
      }),
    );
  } catch (err) {
    if (err instanceof LiveError || err instanceof RotationError) throw new UserFacingError(`rekey: ${err.message}`);
    throw err;
  }
  for (const s of result.steps) ctx.logger.info(`live rotation of ${plan.key}: ${s.id} ${s.status}: ${s.detail}`);
  const reportUri = ctx.docs.runbook.set(`${docName(`${plan.key} live rotation`)}.md`, resultMarkdown(plan.key, result));
  if (!confirmed) await showMarkdownPreview(reportUri, ctx.logger, { side: true });
  await ctx.model.refresh();
  if (result.ok) void ctx.notifier.info(`rekey: ${plan.key} changed on the server and in ${path.basename(plan.file)}. Restart its consumers in the order shown.`);
  else void ctx.notifier.warn(`rekey: ${plan.key} was not rotated: the ${result.failedStep ?? 'connect'} step failed${result.restored === false ? ' and the old password could not be put back' : '; nothing changed'}.`);
  return {
    ok: result.ok, steps: result.steps, remaining: result.remaining, reportUri: reportUri.toString(),
    ...(result.failedStep ? { failedStep: result.failedStep } : {}), ...(result.restored !== undefined ? { restored: result.restored } : {}),
  };
}
