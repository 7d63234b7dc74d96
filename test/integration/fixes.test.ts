// Quick fixes, tied to rekey's diagnostics by code: ignore, set the kind, restore from the
// backup, fix backup permissions, rotate (handed to rekey.rotateSecret). Text changes are
// WorkspaceEdits, so Undo reverts them.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as vscode from 'vscode';
import { fix, runFix } from './support/codeActions';
import { closeAll, fileUri, lineOf, openEditor, rekeyApi, waitFor, waitForDiagnostic, waitForNoDiagnostic, rekeyDiagnostics, codeOf } from './support/rekey';

describe('quick fixes', () => {
  afterEach(closeAll);

  it('ignores a secret with # rekey-ignore, undoably', async () => {
    const api = await rekeyApi();
    const env = fileUri('.env');
    const editor = await openEditor(env);
    const line = lineOf(editor.document, 'API_TOKEN');
    const d = await waitForDiagnostic(env, 'secret', line);
    await runFix(await fix(env, d, /^Ignore API_TOKEN/));
    assert.equal(editor.document.lineAt(line).text, '# rekey-ignore');
    assert.equal(lineOf(editor.document, 'API_TOKEN'), line + 1);
    await waitFor(() => !rekeyDiagnostics(env).some((x) => codeOf(x) === 'secret' && x.message.includes('API_TOKEN')), 'the ignored secret to lose its diagnostic');
    await waitFor(() => api.model.file(env)?.secrets.find((s) => s.key === 'API_TOKEN')?.suppressed, 'the API to mark it suppressed');
    await vscode.commands.executeCommand('undo');
    assert.equal(lineOf(editor.document, 'API_TOKEN'), line);
    await waitForDiagnostic(env, 'secret', line);
  });

  it('sets the kind through a quick pick, updating an existing annotation', async () => {
    const api = await rekeyApi();
    assert.ok(api.test, 'test hooks are available under tests');
    const env = fileUri('.env');
    const editor = await openEditor(env);
    const line = lineOf(editor.document, 'API_TOKEN');
    const d = await waitForDiagnostic(env, 'secret', line);
    api.test.queueAnswers(['webhook-secret']);
    assert.equal(await runFix(await fix(env, d, /^Set the kind of API_TOKEN/)), true);
    assert.equal(editor.document.lineAt(line).text, '# rekey: kind=webhook-secret');
    await waitFor(() => api.model.file(env)?.secrets.find((s) => s.key === 'API_TOKEN')?.kind === 'webhook-secret', 'the new kind in the analysis');
    const d2 = await waitForDiagnostic(env, 'secret', line + 1);
    api.test.queueAnswers(['shared-secret']);
    await runFix(await fix(env, d2, /^Set the kind of API_TOKEN/));
    assert.equal(editor.document.lineAt(line).text, '# rekey: kind=shared-secret', 'the annotation is updated, not duplicated');
    api.test.queueAnswers([undefined]);
    assert.equal(await runFix(await fix(env, await waitForDiagnostic(env, 'secret', line + 1), /^Set the kind/)), false, 'cancelling changes nothing');
    assert.ok(api.test.questions().some((q) => q.includes('API_TOKEN')));
    await vscode.commands.executeCommand('undo');
    await vscode.commands.executeCommand('undo');
    assert.equal(lineOf(editor.document, 'API_TOKEN'), line);
    assert.equal(editor.document.isDirty, false);
  });

  it('restores a changed key from the backup as an undoable edit', async () => {
    const env = fileUri('.env');
    const editor = await openEditor(env);
    const line = lineOf(editor.document, 'SESSION_SECRET');
    const before = editor.document.lineAt(line).text;
    const backupLine = (await fs.readFile(fileUri('.env.backup').fsPath, 'utf8')).split('\n').find((l) => l.startsWith('SESSION_SECRET='));
    const d = await waitForDiagnostic(env, 'changed-since-backup', line);
    assert.equal(await runFix(await fix(env, d, /^Restore SESSION_SECRET from \.env\.backup/)), true);
    assert.equal(editor.document.lineAt(line).text === backupLine, true, 'the value is the backup\'s');
    assert.equal(editor.document.isDirty, true, 'left unsaved for review');
    await waitForNoDiagnostic(env, 'changed-since-backup');
    await vscode.commands.executeCommand('undo');
    assert.equal(editor.document.lineAt(line).text === before, true, 'undo brings the current value back');
    await waitForDiagnostic(env, 'changed-since-backup', line);
  });

  it('offers to rotate, handing the key to rekey.rotateSecret', async () => {
    const env = fileUri('.env');
    const editor = await openEditor(env);
    const d = await waitForDiagnostic(env, 'secret', lineOf(editor.document, 'API_TOKEN'));
    const rotate = await fix(env, d, /^Rotate API_TOKEN/);
    assert.equal(rotate.command?.command, 'rekey.rotateSecret');
    assert.deepEqual(rotate.command?.arguments, [{ uri: env.toString(), key: 'API_TOKEN' }]);
  });

  it('makes a world-readable backup private (chmod 600)', async () => {
    const api = await rekeyApi();
    const backup = fileUri('.env.backup');
    await fs.chmod(backup.fsPath, 0o644);
    await api.model.refresh(backup);
    await openEditor(backup);
    const d = await waitForDiagnostic(backup, 'backup-permissions');
    assert.equal(await runFix(await fix(backup, d, /chmod 600/)), true);
    assert.equal((await fs.stat(backup.fsPath)).mode & 0o777, 0o600);
    await waitForNoDiagnostic(backup, 'backup-permissions');
  });
});
