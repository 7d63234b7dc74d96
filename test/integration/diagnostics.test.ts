// Diagnostics: every core finding of .env-family files (and backups) becomes a diagnostic with
// source "rekey", the rule id as code, a mapped severity and related information; they follow
// edits (debounced), saves, files created and deleted on disk.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as vscode from 'vscode';
import {
  closeAll, codeOf, fileUri, lineOf, openEditor, rekeyApi, rekeyDiagnostics, waitFor, waitForDiagnostic, waitForNoDiagnostic,
} from './support/rekey';

describe('diagnostics', () => {
  afterEach(closeAll);

  it('reports secrets as hints and the backup comparison with a related location, without opening files', async () => {
    const api = await rekeyApi();
    const env = fileUri('.env');
    const secret = await waitForDiagnostic(env, 'secret', 4);
    assert.equal(secret.source, 'rekey');
    assert.equal(secret.severity, vscode.DiagnosticSeverity.Hint, 'the inventory rule is a hint, not a problem');
    assert.match(secret.message, /API_TOKEN/);

    const changed = await waitForDiagnostic(env, 'changed-since-backup', 6);
    const finding = api.model.file(env)?.findings.find((f) => f.rule === 'changed-since-backup');
    assert.ok(finding, 'the API lists the finding too');
    const expected = { error: vscode.DiagnosticSeverity.Error, warning: vscode.DiagnosticSeverity.Warning, info: vscode.DiagnosticSeverity.Information }[finding.severity];
    assert.equal(changed.severity, expected, 'severity follows the finding');
    assert.match(changed.message, /SESSION_SECRET/);
    const related = changed.relatedInformation ?? [];
    // The backup first; advice beyond the one-line message, if any, follows at the finding itself.
    assert.ok(related.length >= 1);
    for (const r of related.slice(1)) assert.equal(r.location.uri.fsPath, env.fsPath);
    assert.ok(!changed.message.includes('\n') && !changed.message.includes('`'), 'one plain line');
    assert.equal(related[0]!.location.uri.fsPath, fileUri('.env.backup').fsPath);
    assert.equal(related[0]!.location.range.start.line, 2, 'points at the key in the backup');
  });

  it('reports on backups too (permissions), with the live file as related information', async () => {
    await rekeyApi();
    const backup = fileUri('.env.backup');
    const d = await waitForDiagnostic(backup, 'backup-permissions');
    assert.equal(d.severity, vscode.DiagnosticSeverity.Warning);
    assert.equal(d.relatedInformation?.[0]?.location.uri.fsPath, fileUri('.env').fsPath);
  });

  it('updates after an edit (debounced) and again after undo, from the unsaved buffer', async () => {
    const api = await rekeyApi();
    const env = fileUri('.env');
    const editor = await openEditor(env);
    const line = lineOf(editor.document, 'PORT');
    assert.ok(await editor.edit((b) => b.insert(new vscode.Position(line, 0), 'BROKEN LINE WITHOUT EQUALS\n')));
    const d = await waitForDiagnostic(env, 'no-equals', line);
    assert.equal(d.severity, vscode.DiagnosticSeverity.Warning);
    // Findings below the edit moved with it.
    await waitForDiagnostic(env, 'secret', lineOf(editor.document, 'API_TOKEN'));
    await vscode.commands.executeCommand('undo');
    await waitForNoDiagnostic(env, 'no-equals');
    await waitForDiagnostic(env, 'secret', lineOf(editor.document, 'API_TOKEN'));
    await api.whenIdle();
    const edits = api.stats().filter((t) => t.kind === 'fast' && t.reason === 'edit');
    assert.ok(edits.length > 0, 'edits are analysed by the fast pass');
  });

  it('updates on save and keeps what was saved', async () => {
    const env = fileUri('.env');
    const original = await fs.readFile(env.fsPath, 'utf8');
    try {
      const editor = await openEditor(env);
      assert.ok(await editor.edit((b) => b.insert(editor.document.lineAt(editor.document.lineCount - 1).range.end, 'lower_case_flag=1\n')));
      assert.ok(await editor.document.save());
      const d = await waitForDiagnostic(env, 'lowercase-key');
      assert.equal(d.severity, vscode.DiagnosticSeverity.Information);
      await closeAll();
      // Closed: the analysis of the file on disk keeps it.
      await waitForDiagnostic(env, 'lowercase-key');
    } finally {
      await fs.writeFile(env.fsPath, original);
    }
    await waitForNoDiagnostic(env, 'lowercase-key');
  });

  it('picks up files created on disk and clears them when deleted', async () => {
    await rekeyApi();
    const dir = fileUri('created');
    const uri = fileUri('created', '.env.staging');
    await fs.mkdir(dir.fsPath, { recursive: true });
    await fs.writeFile(uri.fsPath, 'STAGING_HOST=example.invalid\nSTAGING_HOST=again.invalid\n');
    const d = await waitForDiagnostic(uri, 'duplicate-key');
    assert.equal(codeOf(d), 'duplicate-key');
    await fs.rm(dir.fsPath, { recursive: true, force: true });
    await waitFor(() => rekeyDiagnostics(uri).length === 0, 'diagnostics of the deleted file to be cleared');
  });

  it('follows settings changes (rekey.notSecret)', async () => {
    await rekeyApi();
    const env = fileUri('.env');
    const line = (await vscode.workspace.openTextDocument(env)).getText().split('\n').findIndex((l) => l.startsWith('API_TOKEN='));
    await waitForDiagnostic(env, 'secret', line);
    const config = vscode.workspace.getConfiguration('rekey');
    await config.update('notSecret', ['API_TOKEN'], vscode.ConfigurationTarget.Global);
    try {
      await waitFor(() => !rekeyDiagnostics(env).some((d) => codeOf(d) === 'secret' && d.range.start.line === line), 'API_TOKEN to stop being reported');
    } finally {
      await config.update('notSecret', undefined, vscode.ConfigurationTarget.Global);
    }
    await waitForDiagnostic(env, 'secret', line);
  });

  it('reports a file it cannot read instead of failing', async () => {
    const api = await rekeyApi();
    const uri = fileUri('binary', '.env.bin-test');
    await fs.mkdir(fileUri('binary').fsPath, { recursive: true });
    await fs.writeFile(uri.fsPath, Buffer.from([0x41, 0x3d, 0x00, 0x01, 0x02]));
    try {
      const d = await waitForDiagnostic(uri, 'unreadable-file');
      assert.match(d.message, /binary/);
      assert.match(api.model.file(uri)?.error ?? '', /binary/);
    } finally {
      await fs.rm(fileUri('binary').fsPath, { recursive: true, force: true });
    }
  });
});
