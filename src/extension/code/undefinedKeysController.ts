import * as vscode from 'vscode';
import { envReadDialect, envReadsIn } from '../../core/consumers/envReads';
import { DIAGNOSTIC_SOURCE } from '../convert';
import type { WorkspaceModel } from '../model/types';
import { readSettings } from '../settings';
import { allKeys } from './envKeyIndex';

export const UNDEFINED_KEY_RULE = 'env-key-undefined';
const SETTING = 'rekey.code.reportUndefinedKeys';

/** Set by the platform or the shell, not by a `.env` file: reading them is never a mistake. */
export const PLATFORM_KEYS: ReadonlySet<string> = new Set(['NODE_ENV', 'PATH', 'HOME', 'USER', 'USERNAME', 'PWD', 'SHELL', 'TERM', 'CI', 'TMPDIR', 'TEMP', 'TMP', 'LANG', 'HOSTNAME', 'APPDATA', 'USERPROFILE', 'DEBUG']);

const DEBOUNCE_MS = 300;

/**
 * With `rekey.code.reportUndefinedKeys` on (default off), an information diagnostic on each place
 * an open code file reads an environment key that no `.env`-family or template file of the
 * workspace defines (a typo, or a key missing from `.env.example`).
 */
export class UndefinedKeysController implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('rekey-code');
  private readonly disposables: vscode.Disposable[] = [];
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly model: WorkspaceModel) {
    this.disposables.push(
      this.collection,
      vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d)),
      vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document)),
      vscode.workspace.onDidCloseTextDocument((d) => this.collection.delete(d.uri)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(SETTING)) this.refreshAll();
      }),
      model.onDidChange(() => this.refreshAll()),
    );
    this.refreshAll();
  }

  private enabled(uri: vscode.Uri): boolean {
    return readSettings(uri).reportUndefinedKeys;
  }

  private refreshAll(): void {
    for (const d of vscode.workspace.textDocuments) this.update(d);
  }

  private schedule(doc: vscode.TextDocument): void {
    if (!envReadDialect(doc.languageId)) return;
    const id = doc.uri.toString();
    clearTimeout(this.timers.get(id));
    this.timers.set(id, setTimeout(() => {
      this.timers.delete(id);
      this.update(doc);
    }, DEBOUNCE_MS));
  }

  private update(doc: vscode.TextDocument): void {
    const dialect = envReadDialect(doc.languageId);
    if (!dialect || doc.isClosed || (doc.uri.scheme !== 'file' && doc.uri.scheme !== 'untitled')) return;
    if (!this.enabled(doc.uri) || this.model.files().length === 0) {
      this.collection.delete(doc.uri);
      return;
    }
    const known = allKeys(this.model);
    const out: vscode.Diagnostic[] = [];
    for (const r of envReadsIn(doc.getText(), dialect)) {
      if (known.has(r.key) || PLATFORM_KEYS.has(r.key)) continue;
      const d = new vscode.Diagnostic(
        new vscode.Range(doc.positionAt(r.start), doc.positionAt(r.end)),
        `${r.key} is read here but no .env or .env.example file defines it.`,
        vscode.DiagnosticSeverity.Information,
      );
      d.source = DIAGNOSTIC_SOURCE;
      d.code = UNDEFINED_KEY_RULE;
      out.push(d);
    }
    this.collection.set(doc.uri, out);
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const d of this.disposables) d.dispose();
  }
}
