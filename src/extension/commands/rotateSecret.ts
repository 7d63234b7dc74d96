import * as path from 'node:path';
import * as vscode from 'vscode';
import { RotationError } from '../../core/rotation/errors';
import type { PlanOptions, RotationPlan } from '../../core/rotation/plan';
import { applyRotationInEditor, type EditorApplyResult } from '../rotation/applyInEditor';
import { applyCodeChangesInEditor } from '../rotation/applyCodeInEditor';
import { buildRunbook } from '../../core/rotation/runbooks/renderRunbook';
import { renderAppliedRunbook, runbookProgress } from '../rotation/appliedRunbookMarkdown';
import { renderPlanMarkdown } from '../rotation/planMarkdown';
import { planForSecret } from '../rotation/planForSecret';
import { docName, showMarkdownPreview } from '../views/virtualDocuments';
import type { ExtensionServices } from '../services';
import { UserFacingError } from './registry';
import { resolveSecret } from './secretTarget';

/**
 * Arguments of `rekey.rotateSecret`. All optional: without them the command asks. Tests and
 * other commands pass them to skip the questions; `confirm: true` is the explicit "Rotate".
 */
export interface RotateArgs {
  uri?: vscode.Uri | string;
  key?: string;
  /** Skip the confirmation dialog (the caller already confirmed). */
  confirm?: boolean;
  /** Keep the old value as `KEY_PREVIOUS` (`true`) or under this name; `false`: do not ask. */
  keepPrevious?: boolean | string;
  /** Encryption keys: replace in place instead of adding `KEY_NEW` (the CLI's `--force`). */
  force?: boolean;
  /** A provider-issued value, instead of asking for it. Secret: never logged. */
  newValue?: string;
  /** Open the plan preview (default true). */
  showPlan?: boolean;
  /** Open the runbook after applying (default true). */
  openRunbook?: boolean;
  /** Keep sessions valid when the framework allows it (`true`), or log everyone out (`false`); default: ask. */
  zeroLogout?: boolean;
  /** Apply the code edit a zero-logout rotation needs without the refactor preview (with `confirm`). */
  applyCode?: boolean;
}

/** What the command returns: value-free, for tests and callers. */
export interface RotateResult {
  applied: boolean;
  /** Why nothing was applied. */
  reason?: 'cancelled' | 'blocked' | 'no-secret';
  key?: string;
  file?: string;
  kind?: string;
  mode?: 'replace' | 'add-new';
  newKey?: string;
  keptPrevious?: string;
  backup?: string;
  files?: string[];
  /** Session framework found, and whether the rotation kept its sessions valid. */
  framework?: string;
  zeroLogout?: boolean;
  /** Code files the zero-logout edit changed. */
  codeFiles?: string[];
  planUri?: string;
  runbookUri?: string;
  blockers?: string[];
  warnings?: string[];
}

function readArgs(arg: unknown): RotateArgs {
  return arg && typeof arg === 'object' ? arg : {};
}

/**
 * Labels of the choices and buttons Rotate shows. The plan preview names the next step with the
 * same words, so what the preview says and what the user is asked agree.
 */
export const ROTATE_LABELS = {
  confirm: 'Rotate',
  replaceAnyway: 'Replace Anyway',
  keepSessions: 'Rotate without logging anyone out',
  logout: 'Rotate and log everyone out',
  replacePrevious: (key: string) => `Replace ${key}`,
  keepPrevious: (previous: string) => `Keep the old value as ${previous}`,
  keepPreviousAs: 'Keep the old value under another name…',
  addNew: (newKey: string, key: string) => `Add ${newKey} next to ${key}`,
  replaceInPlace: (key: string) => `Replace ${key} in place…`,
} as const;

/** What the user is asked next, as the plan preview says it (Markdown). */
function nextStep(p: RotationPlan, args: RotateArgs): string | undefined {
  const interactive = args.confirm !== true;
  if (p.generated.from === 'provider' && p.blockers.length === 1 && interactive) return 'Create the new value at the provider, then paste it in the input box at the top; it goes only into the file.';
  if (p.blockers.length > 0) return undefined;
  if (!interactive) return 'Nothing has changed yet. rekey applies it now; the new value is never shown here.';
  const q = (a: string, b: string): string => `Nothing has changed yet. Choose in the list at the top: **${a}** or **${b}**`;
  if (p.kind === 'encryption-key' && !p.force) {
    const newKey = p.newKey ?? `${p.key}_NEW`;
    return `${q(ROTATE_LABELS.addNew(newKey, p.key), ROTATE_LABELS.replaceInPlace(p.key))}; replacing asks again (**${ROTATE_LABELS.replaceAnyway}**). The new value is never shown here.`;
  }
  if (p.zeroLogout?.available && args.zeroLogout === undefined) {
    return `${q(ROTATE_LABELS.keepSessions, ROTATE_LABELS.logout)}, then **${ROTATE_LABELS.confirm}** in the dialog. The new value is never shown here.`;
  }
  if (p.dualWindow && p.mode === 'replace' && args.keepPrevious === undefined && !p.zeroLogout) {
    return `${q(ROTATE_LABELS.replacePrevious(p.key), ROTATE_LABELS.keepPrevious(`${p.key}_PREVIOUS`))}, then **${ROTATE_LABELS.confirm}** in the dialog. The new value is never shown here.`;
  }
  return `Nothing has changed yet. Click **${ROTATE_LABELS.confirm}** in the dialog to apply; the new value is never shown here.`;
}

function showPlanDoc(ctx: ExtensionServices, p: RotationPlan, applied?: EditorApplyResult, next?: string): vscode.Uri {
  return ctx.docs.plan.set(
    `${docName(`Rotate ${p.key}`)}.md`,
    renderPlanMarkdown(p, applied ? { applied: { backup: applied.backup, files: applied.files.map((f) => f.file) } } : next ? { next } : {}),
  );
}

/** Asks for the provider-issued value (password input, never echoed or logged). */
async function askProviderValue(p: RotationPlan): Promise<string | undefined> {
  return vscode.window.showInputBox({
    title: `rekey: new ${p.key}`,
    prompt: `${p.kindName.charAt(0).toUpperCase()}${p.kindName.slice(1)}s are issued by the provider. Create the new one there, then paste it here; it goes only into the file.`,
    password: true,
    ignoreFocusOut: true,
    validateInput: (v) => (v === '' ? 'Paste the new value issued by the provider' : /[\r\n]/.test(v) ? 'One line only' : undefined),
  });
}

/** Dual-window kinds: keep the old value readable under another key while consumers move? */
async function askKeepPrevious(ctx: ExtensionServices, p: RotationPlan): Promise<string | false | undefined> {
  const previous = `${p.key}_PREVIOUS`;
  const id = await ctx.prompter.pick(
    [
      { id: 'replace', label: ROTATE_LABELS.replacePrevious(p.key), detail: 'The old value is kept only in the backup.' },
      { id: 'keep', label: ROTATE_LABELS.keepPrevious(previous), detail: 'For an app that accepts both values while its consumers move to the new one.' },
      { id: 'keep-as', label: ROTATE_LABELS.keepPreviousAs },
    ],
    'Keep the old value while consumers move?',
    { title: `rekey: Rotate ${p.key} (${p.kindName}, dual-credential window)` },
  );
  if (id === undefined) return undefined;
  if (id === 'replace') return false;
  if (id === 'keep') return previous;
  const name = await vscode.window.showInputBox({
    title: 'rekey: key name for the previous value',
    value: previous,
    validateInput: (v) => (/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(v) && v !== p.key ? undefined : 'A key name (letters, digits, _ . -), not the key itself'),
  });
  return name === undefined ? undefined : name;
}

/** Sessions: keep them valid through the framework's previous secret, or log everyone out? */
async function askZeroLogout(ctx: ExtensionServices, p: RotationPlan): Promise<boolean | undefined> {
  const z = p.zeroLogout;
  if (!z) return false;
  const where = z.layout === 'stage-indexed' ? `the new value goes to ${z.previousKey ?? ''}, ${p.key} keeps the old one` : `the old value moves to ${z.previousKey ?? ''}`;
  const id = await ctx.prompter.pick(
    [
      { id: 'keep', label: ROTATE_LABELS.keepSessions, description: 'recommended', detail: `${where[0]?.toUpperCase() ?? ''}${where.slice(1)}; retire it on ${z.retireBy}. ${z.codeChanges.length ? 'Needs a code edit: VS Code shows it for review before anything is written.' : z.summary}` },
      { id: 'logout', label: ROTATE_LABELS.logout, detail: `Replaces ${p.key} only: every session signed with the old value ends.` },
    ],
    'Keep existing sessions valid?',
    { title: `rekey: Rotate ${p.key} (${z.frameworkName} can keep sessions)` },
  );
  return id === undefined ? undefined : id === 'keep';
}

function summaryDetail(p: RotationPlan): string {
  const lines: string[] = [];
  const file = path.basename(p.file);
  if (p.mode === 'add-new') lines.push(`Adds ${p.newKey ?? ''} next to ${p.key} in ${file}; ${p.key} is not changed.`);
  else if (p.zeroLogoutChosen && p.zeroLogout?.layout === 'stage-indexed') lines.push(`${p.zeroLogout.previousKey ?? ''} gets the new value (${p.generated.description}); ${p.key} keeps the old one until it is retired on ${p.zeroLogout.retireBy}. Nobody is logged out.`);
  else if (p.zeroLogoutChosen && p.zeroLogout) lines.push(`${p.key} in ${file} gets a new value (${p.generated.description}); the old one moves to ${p.zeroLogout.previousKey ?? ''} until ${p.zeroLogout.retireBy}. Nobody is logged out.`);
  else lines.push(`${p.key} in ${file} gets a new value (${p.generated.description})${p.keepPrevious ? `; the old one stays as ${p.keepPrevious}` : ''}.`);
  const rewritten = p.linked.filter((l) => l.action === 'rewrite').length;
  if (rewritten > 0) lines.push(`${rewritten} linked entr${rewritten === 1 ? 'y is' : 'ies are'} rewritten too.`);
  lines.push(`${p.consumers.length} consumer${p.consumers.length === 1 ? '' : 's'} found; restart order in the plan.`);
  lines.push(`Backup first: ${path.basename(p.backupPath)} (mode 600). Undo reverts the edit.`);
  return lines.join('\n');
}

/**
 * Rotate Secret: plan, show the plan, confirm, apply as a WorkspaceEdit (backup first), record,
 * open the runbook. Refuses to replace an encryption key in place without a second, explicit
 * confirmation, as `rekey rotate` does without `--force`.
 */
export async function rotateSecretCommand(ctx: ExtensionServices, arg: unknown): Promise<RotateResult> {
  const args = readArgs(arg);
  const ref = await resolveSecret(arg, ctx, 'rekey: Rotate Secret');
  if (!ref) return { applied: false, reason: 'no-secret' };
  const interactive = args.confirm !== true;
  const showPlan = args.showPlan !== false;

  const extra: PlanOptions = {};
  if (args.force) extra.force = true;
  if (args.newValue !== undefined) extra.newValue = args.newValue;
  if (typeof args.keepPrevious === 'string') extra.keepPrevious = args.keepPrevious;
  else if (args.keepPrevious === true) extra.keepPrevious = true;
  if (args.zeroLogout === false) extra.zeroLogout = false;
  let p = await planForSecret(ctx, ref, extra);
  let planUri = showPlanDoc(ctx, p, undefined, nextStep(p, args));
  if (showPlan) await showMarkdownPreview(planUri, ctx.logger, { side: true });

  // Provider-issued credentials: rekey cannot mint them, the user pastes the new one.
  if (p.generated.from === 'provider' && p.blockers.length === 1 && interactive) {
    const value = await askProviderValue(p);
    if (value === undefined) return { applied: false, reason: 'cancelled', key: p.key, file: p.file, planUri: planUri.toString() };
    p = await planForSecret(ctx, ref, { ...extra, newValue: value });
    planUri = showPlanDoc(ctx, p, undefined, nextStep(p, args));
  }
  const base: RotateResult = { applied: false, key: p.key, file: p.file, kind: p.kind, mode: p.mode, planUri: planUri.toString(), warnings: p.warnings };
  if (p.blockers.length > 0) {
    if (interactive) void ctx.notifier.warn(`rekey: ${p.key} cannot be rotated yet: ${p.blockers[0] as string}`);
    return { ...base, reason: 'blocked', blockers: p.blockers };
  }

  if (interactive) {
    let confirmed = false;
    if (p.kind === 'encryption-key' && !p.force) {
      const newKey = p.newKey ?? `${p.key}_NEW`;
      const how = await ctx.prompter.pick(
        [
          { id: 'add', label: ROTATE_LABELS.addNew(newKey, p.key), description: 'recommended', detail: 'Re-encrypt the stored data with both keys, then switch (the runbook says how).' },
          { id: 'replace', label: ROTATE_LABELS.replaceInPlace(p.key), detail: 'Like rekey rotate --force: data encrypted with the old key becomes unreadable.' },
        ],
        'A data encryption key: add the new key or replace it?',
        { title: `rekey: Rotate ${p.key}` },
      );
      if (how === undefined) return { ...base, reason: 'cancelled' };
      if (how === 'replace') {
        const forced = await planForSecret(ctx, ref, { ...extra, force: true });
        if (!(await ctx.prompter.confirm(`Replace ${p.key} in place? This is what --force does.`, forced.breaks.map((b) => `• ${b}`).join('\n'), ROTATE_LABELS.replaceAnyway))) {
          return { ...base, reason: 'cancelled' };
        }
        p = forced;
        showPlanDoc(ctx, p, undefined, 'Confirmed: rekey applies it now.');
        confirmed = true;
      }
    } else if (p.zeroLogout?.available && args.zeroLogout === undefined) {
      const how = await askZeroLogout(ctx, p);
      if (how === undefined) return { ...base, reason: 'cancelled' };
      if (!how) {
        p = await planForSecret(ctx, ref, { ...extra, zeroLogout: false });
        showPlanDoc(ctx, p, undefined, `Nothing has changed yet. Click **${ROTATE_LABELS.confirm}** in the dialog to apply; the new value is never shown here.`);
      }
    } else if (p.dualWindow && p.mode === 'replace' && args.keepPrevious === undefined && !p.zeroLogout) {
      const keep = await askKeepPrevious(ctx, p);
      if (keep === undefined) return { ...base, reason: 'cancelled' };
      if (keep !== false) {
        p = await planForSecret(ctx, ref, { ...extra, keepPrevious: keep });
        showPlanDoc(ctx, p, undefined, `Nothing has changed yet. Click **${ROTATE_LABELS.confirm}** in the dialog to apply; the new value is never shown here.`);
      }
    }
    if (!confirmed && !(await ctx.prompter.confirm(`Rotate ${p.key}?`, summaryDetail(p), ROTATE_LABELS.confirm))) return { ...base, reason: 'cancelled' };
    if (p.blockers.length > 0) {
      void ctx.notifier.warn(`rekey: ${p.key} cannot be rotated yet: ${p.blockers[0] as string}`);
      return { ...base, reason: 'blocked', blockers: p.blockers };
    }
  }

  // A zero-logout rotation that needs a code edit: previewed (or confirmed by the caller) first.
  const codeChanges = p.zeroLogoutChosen ? p.zeroLogout?.codeChanges ?? [] : [];
  let codeFiles: string[] = [];
  if (codeChanges.length > 0) {
    if (!interactive && args.applyCode !== true) {
      return { ...base, reason: 'blocked', blockers: ['keeping sessions valid needs a code edit: pass applyCode, or zeroLogout: false'] };
    }
    const code = await applyCodeChangesInEditor(codeChanges, interactive);
    if (!code.applied) return { ...base, reason: 'cancelled' };
    codeFiles = codeChanges.map((c) => c.file);
    ctx.logger.info(`applied the zero-logout code edit to ${codeFiles.map((f) => path.basename(f)).join(', ')}`);
  }

  // The file being rotated is shown, so the change is visible and Undo applies to it.
  await vscode.window.showTextDocument(ref.uri, { preview: false, preserveFocus: false, viewColumn: vscode.ViewColumn.One });
  const ledger = await ctx.openLedger();
  let applied: EditorApplyResult;
  try {
    applied = await applyRotationInEditor(p, { trusted: ctx.isTrusted(), logger: ctx.logger, ...(ledger ? { ledger } : {}) });
  } catch (err) {
    if (err instanceof RotationError) throw new UserFacingError(`rekey: ${err.message}`);
    throw err;
  }
  ctx.logger.info(`rotated ${p.key} in ${p.file} (${applied.mode}); backup ${applied.backup}`);
  for (const w of applied.warnings) ctx.logger.warn(w);
  planUri = showPlanDoc(ctx, p, applied);
  await ctx.model.refresh();

  // Copy New Value reads the value back from the file later; only a fingerprint is kept here.
  if (p.newValue !== undefined) {
    ctx.newValues.remember(p.file, p.key, [applied.newKey, p.zeroLogoutChosen ? p.zeroLogout?.previousKey : undefined].filter((k): k is string => k !== undefined), p.newValue);
  }
  // The runbook as it stands now: what rekey just did is marked done, not left as a command to run.
  const backupShown = path.relative(p.workspaceRoot, applied.backup).split(path.sep).join('/');
  const runbook = buildRunbook({ ...p.runbookContext, backup: backupShown }, { applied: true });
  const clipboardSeconds = ctx.settings(ref.uri).clipboardClearSeconds;
  const runbookUri = ctx.docs.runbook.set(`${docName(`${p.key} runbook`)}.md`, renderAppliedRunbook(runbook, { clipboardSeconds }));
  if (args.openRunbook !== false) await showMarkdownPreview(runbookUri, ctx.logger, { side: true });
  if (interactive) {
    const done = applied.newKey
      ? `rekey: ${applied.newKey} added next to ${p.key}. Re-encrypt with both keys, then switch: follow the runbook.`
      : `rekey: ${p.key} rotated. Restart its consumers in the runbook's order.`;
    const copy = runbookProgress(runbook).needsNewValue > 0 && p.newValue !== undefined ? ['Copy New Value'] : [];
    void ctx.notifier.info(`${done} Backup: ${path.basename(applied.backup)}.`, ...copy, 'Compare with Backup').then((pick) => {
      if (pick === 'Copy New Value') void vscode.commands.executeCommand('rekey.copyNewValue', { uri: ref.uri.toString(), key: p.key });
      else if (pick) void vscode.commands.executeCommand('rekey.compareWithBackup', { uri: ref.uri, backup: applied.backup });
    });
  }
  return {
    ...base,
    applied: true,
    mode: applied.mode,
    ...(applied.newKey ? { newKey: applied.newKey } : {}),
    ...(applied.keptPrevious ? { keptPrevious: applied.keptPrevious } : {}),
    backup: applied.backup,
    files: applied.files.map((f) => f.file),
    ...(p.zeroLogout ? { framework: p.zeroLogout.framework, zeroLogout: p.zeroLogoutChosen } : {}),
    ...(codeFiles.length ? { codeFiles } : {}),
    planUri: planUri.toString(),
    runbookUri: runbookUri.toString(),
    warnings: [...p.warnings, ...applied.warnings],
  };
}
