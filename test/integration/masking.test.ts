// Masking: secret values in .env-family editors are hidden by decorations by default; the
// toggle command and the reveal command (one value, for a while) change that. Completions
// offered in .env files never carry a value.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { RekeyApi } from '../../src/extension/extension';
import { assertNoCanary, closeAll, fileUri, lineOf, openEditor, rekeyApi, waitFor } from './support/rekey';

function covers(ranges: Array<{ start: { line: number; character: number }; end: { line: number; character: number } }>, line: number): boolean {
  return ranges.some((r) => r.start.line === line);
}

async function maskedLines(api: RekeyApi, uri: vscode.Uri): Promise<number[]> {
  return waitFor(() => {
    const lines = api.masking.maskedRanges(uri).map((r) => r.start.line);
    return lines.length > 0 ? lines : undefined;
  }, 'masks in the editor');
}

describe('masking', () => {
  afterEach(async () => {
    await closeAll();
    await vscode.workspace.getConfiguration('rekey').update('mask.revealTimeoutSeconds', undefined, vscode.ConfigurationTarget.Global);
  });

  it('hides secret values, and only those, when a .env file opens', async () => {
    const api = await rekeyApi();
    const env = fileUri('.env');
    const editor = await openEditor(env);
    const doc = editor.document;
    await maskedLines(api, env);
    const ranges = api.masking.maskedRanges(env);
    for (const key of ['API_TOKEN', 'DATABASE_URL', 'SESSION_SECRET']) assert.ok(covers(ranges, lineOf(doc, key)), `${key} is masked`);
    for (const key of ['APP_NAME', 'PORT', 'DEBUG']) assert.ok(!covers(ranges, lineOf(doc, key)), `${key} is not a secret and stays visible`);
    const token = ranges.find((r) => r.start.line === lineOf(doc, 'API_TOKEN'))!;
    assert.equal(doc.getText(new vscode.Range(token.start.line, 0, token.start.line, token.start.character)), 'API_TOKEN=', 'the mask starts at the value');
    assert.equal(token.end.character, doc.lineAt(token.start.line).text.length, 'and covers all of it');
    assert.ok(api.masking.enabled(env));
  });

  it('masks backups too, and a secret as soon as it is typed', async () => {
    const api = await rekeyApi();
    const backup = fileUri('.env.backup');
    const editor = await openEditor(backup);
    const lines = await maskedLines(api, backup);
    assert.ok(lines.includes(lineOf(editor.document, 'SESSION_SECRET')));
    const env = fileUri('.env');
    const e2 = await openEditor(env);
    await maskedLines(api, env);
    // The analysis is held back for 30 s: masking must not depend on it.
    await vscode.workspace.getConfiguration('rekey').update('diagnostics.debounceMs', 30_000, vscode.ConfigurationTarget.Global);
    try {
      const end = e2.document.lineAt(e2.document.lineCount - 1).range.end;
      assert.ok(await e2.edit((b) => b.insert(end, 'STRIPE_SECRET_KEY=sk_live_REKEY_CANARY_7f3a9c1e5b_typed0000\n')));
      const at = lineOf(e2.document, 'STRIPE_SECRET_KEY');
      await waitFor(() => covers(api.masking.maskedRanges(env), at), 'the typed secret to be masked', 3000);
    } finally {
      await vscode.workspace.getConfiguration('rekey').update('diagnostics.debounceMs', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('toggles masking off and on', async () => {
    const api = await rekeyApi();
    const env = fileUri('.env');
    await openEditor(env);
    await maskedLines(api, env);
    assert.equal(await vscode.commands.executeCommand('rekey.toggleMasking'), false);
    assert.equal(api.masking.enabled(env), false);
    assert.deepEqual(api.masking.maskedRanges(env), []);
    assert.equal(await vscode.commands.executeCommand('rekey.toggleMasking'), true);
    assert.ok(api.masking.maskedRanges(env).length > 0);
  });

  it('reveals one value on request and masks it again after the timeout', async () => {
    const api = await rekeyApi();
    await vscode.workspace.getConfiguration('rekey').update('mask.revealTimeoutSeconds', 1, vscode.ConfigurationTarget.Global);
    const env = fileUri('.env');
    const editor = await openEditor(env);
    await maskedLines(api, env);
    const line = lineOf(editor.document, 'API_TOKEN');
    editor.selection = new vscode.Selection(line, 3, line, 3);
    assert.equal(await vscode.commands.executeCommand('rekey.revealValue'), true, 'reveals the value under the cursor');
    assert.deepEqual(api.masking.revealedKeys(env), ['API_TOKEN']);
    assert.ok(!covers(api.masking.maskedRanges(env), line), 'API_TOKEN is visible');
    assert.ok(covers(api.masking.maskedRanges(env), lineOf(editor.document, 'SESSION_SECRET')), 'other values stay masked');
    await waitFor(() => covers(api.masking.maskedRanges(env), line), 'API_TOKEN to be masked again', 5000);
    assert.deepEqual(api.masking.revealedKeys(env), []);

    // The hover's link passes the key explicitly.
    assert.equal(await vscode.commands.executeCommand('rekey.revealValue', { uri: env.toString(), key: 'SESSION_SECRET' }), true);
    assert.deepEqual(api.masking.revealedKeys(env), ['SESSION_SECRET']);
    assert.equal(await vscode.commands.executeCommand('rekey.revealValue', { uri: env.toString(), key: 'PORT' }), false, 'PORT is not a masked secret');
  });

  it('offers no value in completions', async () => {
    await rekeyApi();
    const env = fileUri('.env');
    const editor = await openEditor(env);
    const at = editor.document.lineAt(editor.document.lineCount - 1).range.end;
    assert.ok(await editor.edit((b) => b.insert(at, 'NEW_KEY=REK')));
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', env, new vscode.Position(at.line, 11));
    for (const item of list?.items ?? []) {
      const label = typeof item.label === 'string' ? item.label : item.label.label;
      const insert = typeof item.insertText === 'string' ? item.insertText : (item.insertText?.value ?? '');
      assertNoCanary(`${label} ${insert} ${item.detail ?? ''}`, 'a completion item');
    }
    const annotation = new vscode.Position(lineOf(editor.document, 'API_TOKEN'), 0);
    assert.ok(await editor.edit((b) => b.insert(annotation, '# rekey: kind=\n')));
    const kinds = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', env, new vscode.Position(annotation.line, 14));
    const labels = (kinds?.items ?? []).map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    assert.ok(labels.includes('session-signing'), 'kind ids are offered in annotations');
  });
});
