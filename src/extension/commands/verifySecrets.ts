import * as vscode from 'vscode';
import { loadEnvFiles } from '../../core/live/loadEnvFiles';
import { deriveTargets } from '../../core/live/targets';
import * as path from 'node:path';
import { promises as fs } from 'node:fs';
import { statusLabel, verifySecrets, type VerifyReport } from '../../core/live/verify';
import { recordVerifiedRotations, type VerifiedRotation } from '../../core/live/recordVerified';
import { docName, showMarkdownPreview } from '../views/virtualDocuments';
import type { ExtensionServices } from '../services';
import { UserFacingError } from './registry';

/** Arguments of `rekey.verifySecrets`: a file or folder to limit it to, keys, and whether to open the report. */
export interface VerifySecretsArgs {
  uri?: vscode.Uri | string;
  keys?: string[];
  showReport?: boolean;
}

/** Value-free result for callers and tests. */
export interface VerifySecretsResult {
  counts: VerifyReport['counts'];
  ok: boolean;
  results: Array<{ key: string; host: string; status: string; detail: string }>;
  reportUri?: string;
  /** Keys whose rotation this check moved to `verified`. */
  verifiedRotations: string[];
}

function md(s: string): string {
  return s.replace(/[|\\`*_[\]<>]/g, (c) => `\\${c}`);
}

function reportMarkdown(report: VerifyReport, rel: (f: string) => string): string {
  const out = ['# Verify Secrets', '', 'Each connection secret was tried against its server with the current value. No value is shown.', ''];
  if (report.results.length === 0) out.push('No connection secrets found (PostgreSQL, MySQL, Redis URLs and password keys, SMTP).');
  else {
    out.push('| Result | Key | Server | Where | Detail |', '| --- | --- | --- | --- | --- |');
    for (const r of report.results) {
      out.push(`| **${statusLabel(r.status)}** | ${md(r.key)}${r.via ? ` (via ${md(r.via)})` : ''} | ${md(r.user ? `${r.user}@${r.host}` : r.host)} | ${md(`${rel(r.file)}:${r.line + 1}`)} | ${md(r.detail)} |`);
    }
  }
  return out.join('\n') + '\n';
}

/**
 * Verify Secrets: connects with the current credentials of every connection secret in the
 * workspace's `.env` files and shows, per key and host, ok / auth failed / unreachable / skipped.
 * Connecting to servers is refused in untrusted workspaces.
 */
export async function verifySecretsCommand(ctx: ExtensionServices, arg: unknown): Promise<VerifySecretsResult | undefined> {
  if (!ctx.isTrusted()) throw new UserFacingError('rekey: Verify Secrets connects to the servers your .env files name; trust this workspace first.');
  const args: VerifySecretsArgs = arg instanceof vscode.Uri ? { uri: arg } : arg && typeof arg === 'object' ? (arg) : {};
  const uri = typeof args.uri === 'string' ? vscode.Uri.parse(args.uri) : args.uri;
  const roots = uri ? [uri.fsPath] : (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
  if (roots.length === 0) throw new UserFacingError('rekey: open a folder with .env files to verify its secrets.');
  // A file (the editor's title or explorer menu) is checked on its own, not searched as a folder.
  const isFile = uri ? await fs.stat(uri.fsPath).then((st) => st.isFile(), () => false) : false;
  let loaded: Awaited<ReturnType<typeof loadEnvFiles>>['files'] = [];

  const report = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'rekey: verifying secrets', cancellable: true },
    async (progress, token) => {
      const abort = new AbortController();
      const sub = token.onCancellationRequested(() => abort.abort());
      try {
        const files = [];
        if (isFile && uri) files.push(...(await loadEnvFiles(path.dirname(uri.fsPath), [uri.fsPath], abort.signal)).files);
        else for (const r of roots) files.push(...(await loadEnvFiles(r, undefined, abort.signal)).files);
        loaded = files;
        const items = deriveTargets(files, args.keys);
        return await verifySecrets(items, {
          signal: abort.signal,
          onResult: (res, done, total) => progress.report({ message: `${res.key}: ${statusLabel(res.status)} (${done}/${total})`, increment: 100 / Math.max(1, total) }),
        });
      } catch (err) {
        if (token.isCancellationRequested) throw new vscode.CancellationError();
        throw err;
      } finally {
        sub.dispose();
      }
    },
  );
  const verified = await recordVerified(ctx, loaded, report);
  const rel = (f: string): string => vscode.workspace.asRelativePath(f, roots.length > 1);
  const reportUri = ctx.docs.report.set(`${docName('Verify Secrets')}.md`, reportMarkdown(report, rel));
  if (args.showReport !== false) await showMarkdownPreview(reportUri, ctx.logger, { side: true });
  const c = report.counts;
  const summary = `${c.ok} ok, ${c['auth-failed']} auth failed, ${c.unreachable} unreachable, ${c.error} error, ${c.skipped} skipped`;
  ctx.logger.info(`verify secrets: ${summary}`);
  if (report.results.length === 0) void ctx.notifier.info('rekey: no connection secrets to verify.');
  else if (report.ok) void ctx.notifier.info(`rekey: every connection secret works (${summary}).`);
  else void ctx.notifier.warn(`rekey: some connection secrets fail (${summary}). See the report.`);
  return {
    counts: report.counts, ok: report.ok, reportUri: reportUri.toString(),
    results: report.results.map((r) => ({ key: r.key, host: r.host, status: r.status, detail: r.detail })),
    verifiedRotations: verified.map((v) => v.key),
  };
}

/** Moves the rotations whose new value connected to `verified` in the shared ledger, then refreshes the views. */
async function recordVerified(ctx: ExtensionServices, files: Parameters<typeof recordVerifiedRotations>[1], report: VerifyReport): Promise<VerifiedRotation[]> {
  if (report.counts.ok === 0) return [];
  const ledger = await ctx.openLedger();
  if (!ledger) return [];
  try {
    const marked = await recordVerifiedRotations(ledger, files, report);
    for (const m of marked) ctx.logger.info(`rotation of ${m.key} in ${path.basename(m.file)} verified`);
    for (const f of new Set(marked.map((m) => m.file))) await ctx.model.refresh(vscode.Uri.file(f));
    return marked;
  } catch (err) {
    ctx.logger.warn(`the verified rotations were not recorded: ${(err as Error).message}`);
    return [];
  }
}
