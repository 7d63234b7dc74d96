// Shared helpers for rekey's integration suites: the API, polling with deadlines, fixture paths.
// Suites drive only the public surface (commands, language features, the API activate() returns).
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RekeyApi } from '../../../src/extension/extension';

export const EXTENSION_ID = 'rekey-dev.rekey';

/** The canary every fixture secret embeds: it must never appear in anything rekey shows or logs. */
export const CANARY = 'REKEY_CANARY_7f3a9c1e5b';

export async function rekeyApi(): Promise<RekeyApi> {
  const extension = vscode.extensions.getExtension<RekeyApi>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not loaded`);
  const api = await extension.activate();
  await api.whenIdle();
  return api;
}

/** The opened workspace (a per-run copy of the fixture). */
export function workspaceRoot(): string {
  const root = process.env.REKEY_TEST_WORKSPACE;
  assert.ok(root, 'REKEY_TEST_WORKSPACE is not set: run through a launcher');
  return root.endsWith('.code-workspace') ? path.dirname(root) : root;
}

export function fileUri(...parts: string[]): vscode.Uri {
  return vscode.Uri.file(path.join(workspaceRoot(), ...parts));
}

/** Polls `probe` until it returns a truthy value, failing with `what` after `timeoutMs`. */
export async function waitFor<T>(probe: () => T | undefined | false | Promise<T | undefined | false>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) assert.fail(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export function rekeyDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'rekey');
}

export function codeOf(d: vscode.Diagnostic): string {
  return String(typeof d.code === 'object' ? d.code.value : d.code);
}

/** Waits until `uri` has a rekey diagnostic with rule `code` (optionally on `line`). */
export function waitForDiagnostic(uri: vscode.Uri, code: string, line?: number, timeoutMs = 20_000): Promise<vscode.Diagnostic> {
  return waitFor(
    () => rekeyDiagnostics(uri).find((d) => codeOf(d) === code && (line === undefined || d.range.start.line === line)),
    `a ${code} diagnostic in ${path.basename(uri.fsPath)}${line === undefined ? '' : ` on line ${line + 1}`}`,
    timeoutMs,
  );
}

export function waitForNoDiagnostic(uri: vscode.Uri, code: string, timeoutMs = 20_000): Promise<true> {
  return waitFor(() => !rekeyDiagnostics(uri).some((d) => codeOf(d) === code), `no ${code} diagnostic in ${path.basename(uri.fsPath)}`, timeoutMs);
}

export async function openEditor(uri: vscode.Uri): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(uri);
  return vscode.window.showTextDocument(doc, { preview: false });
}

/** The line (0-based) where `key` is defined in the document. */
export function lineOf(doc: vscode.TextDocument, key: string): number {
  for (let i = doc.lineCount - 1; i >= 0; i--) {
    if (new RegExp(`^\\s*(export\\s+)?${key}\\s*=`).test(doc.lineAt(i).text)) return i;
  }
  assert.fail(`${key} is not defined in ${path.basename(doc.uri.fsPath)}`);
}

/** Everything a hover shows, as plain text. */
export function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))
    .join('\n');
}

/** Asserts `text` holds no canary; the message never repeats the text itself. */
export function assertNoCanary(text: string, where: string): void {
  if (text.includes(CANARY) || /CANARY7f3a9c1e5b/.test(text)) {
    assert.fail(`a canary value appeared in ${where}`);
  }
}

/** Reverts unsaved changes and closes every editor (teardown). */
export async function closeAll(): Promise<void> {
  const root = workspaceRoot();
  for (const doc of vscode.workspace.textDocuments) {
    // Only the tests' own edits: VS Code may hold its settings.json dirty while it writes it.
    if (!doc.isDirty || doc.uri.scheme !== 'file' || !doc.uri.fsPath.startsWith(root)) continue;
    try {
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    } catch {
      // Another editor took focus meanwhile; closing below discards nothing we need.
    }
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/** Runs git in `cwd` with a fixed identity; throws with git's stderr on failure. */
export async function git(cwd: string, ...args: string[]): Promise<string> {
  const { execFile } = await import('node:child_process');
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      ['-c', 'user.name=rekey test', '-c', 'user.email=test@example.invalid', '-c', 'init.defaultBranch=main', '-c', 'commit.gpgsign=false', ...args],
      // Marked, so the recording git shim (runs.mjs `gitShim`) tells the suite's git from rekey's.
      { cwd, env: { ...process.env, REKEY_TEST_OWN_GIT: '1' } },
      (err, stdout, stderr) => (err ? reject(new Error(`git ${args.join(' ')}: ${stderr || err.message}`)) : resolve(stdout)),
    );
  });
}

/** One git process the host started, as the recording shim saw it. */
export interface GitCall {
  argv: string[];
  cwd: string;
  /** Started by the suite's own `git()` helper. */
  suite: boolean;
}

/** Every git process started so far in this run (the run must have `gitShim: true`). */
export async function gitCalls(): Promise<GitCall[]> {
  const log = process.env.REKEY_TEST_GIT_LOG;
  if (!log) throw new Error('this run has no git shim (gitShim in launch/runs.mjs)');
  const { promises: fsp } = await import('node:fs');
  const text = await fsp.readFile(log, 'utf8').catch(() => '');
  return text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as GitCall);
}

let pageProbes = 0;

/**
 * The visible text of the workbench elements matching `selector`, read from the page by the
 * code-server launcher (it watches for the line printed here; see launch/codeServer.mjs).
 * Undefined in hosts without a page to read (Electron).
 */
export async function pageText(selector: string): Promise<string | undefined> {
  const dir = process.env.REKEY_PAGE_PROBE_DIR;
  if (!dir) return undefined;
  const name = `probe-${++pageProbes}`;
  const file = path.join(dir, `${name}.txt`);
  // eslint-disable-next-line no-console
  console.log(`REKEY_PAGE_TEXT ${name} ${selector}`);
  const { text } = await waitFor(() => fs.readFile(file, 'utf8').then((t) => ({ text: t }), () => undefined), `the launcher to read ${selector} from the page`, 15_000);
  assert.doesNotMatch(text, /^REKEY_PAGE_TEXT failed/, text);
  return text;
}
