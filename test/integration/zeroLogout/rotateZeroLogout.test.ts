// Rotate Secret in the real host on the zero-logout fixture workspace: the plan offers the
// choice, the Auth.js rotation stages AUTH_SECRET_1, the express-session one applies its code edit,
// declining logs everyone out, and the previous-secret-retirable quick fix retires the old value.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { parse as dotenvParse } from 'dotenv';
import * as vscode from 'vscode';
import type { RotateResult } from '../../../src/extension/commands/rotateSecret';
import { CANARY, closeAll, fileUri, rekeyApi } from '../support/rekey';

async function envOf(...parts: string[]): Promise<Record<string, string>> {
  return dotenvParse(await fs.readFile(fileUri(...parts).fsPath, 'utf8'));
}

async function planText(result: RotateResult): Promise<string> {
  assert.ok(result.planUri);
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(result.planUri));
  return doc.getText();
}

describe('Rotate Secret without logging anyone out', () => {
  afterEach(closeAll);

  it('Auth.js: offers the choice; "keep" stages the new value in AUTH_SECRET_1 and AUTH_SECRET keeps the old one', async () => {
    const api = await rekeyApi();
    const before = await envOf('authjs', '.env');
    api.test?.queueAnswers(['keep', 'Rotate']);
    const result = await vscode.commands.executeCommand<RotateResult>('rekey.rotateSecret', { uri: fileUri('authjs', '.env'), key: 'AUTH_SECRET', openRunbook: false, showPlan: false });
    assert.equal(result.applied, true, JSON.stringify(result));
    assert.ok(api.test?.questions().some((q) => /can keep sessions\): Keep existing sessions valid\?/.test(q)), 'the choice was offered');
    assert.equal(result.framework, 'authjs');
    assert.equal(result.zeroLogout, true);
    const after = await envOf('authjs', '.env');
    assert.equal(after.AUTH_SECRET, before.AUTH_SECRET);
    assert.ok(after.AUTH_SECRET_1 && after.AUTH_SECRET_1 !== before.AUTH_SECRET);
    // The new value went to AUTH_SECRET_1: Copy New Value reads it from there.
    const copied = await vscode.commands.executeCommand<{ copied: boolean; from?: string }>('rekey.copyNewValue', { uri: fileUri('authjs', '.env').toString(), key: 'AUTH_SECRET' });
    assert.equal(copied.copied, true);
    assert.equal(copied.from, 'AUTH_SECRET_1');
    const plan = await planText(result);
    assert.match(plan, /## Sessions/);
    assert.match(plan, /Rotate without logging anyone out/);
    assert.ok(!plan.includes(after.AUTH_SECRET_1) && !plan.includes(before.AUTH_SECRET as string), 'no value in the plan');
  });

  it('express-session, declined ("log everyone out"): a plain rotation, no previous secret, no code edit', async () => {
    const api = await rekeyApi();
    const appBefore = await fs.readFile(fileUri('express', 'app.js').fsPath, 'utf8');
    api.test?.queueAnswers(['logout', 'Rotate']);
    const result = await vscode.commands.executeCommand<RotateResult>('rekey.rotateSecret', { uri: fileUri('express', '.env'), key: 'SESSION_SECRET', openRunbook: false, showPlan: false });
    assert.equal(result.applied, true, JSON.stringify(result));
    assert.equal(result.framework, 'express-session');
    assert.equal(result.zeroLogout, false);
    assert.equal((await envOf('express', '.env')).SESSION_SECRET_PREVIOUS, undefined);
    assert.equal(await fs.readFile(fileUri('express', 'app.js').fsPath, 'utf8'), appBefore);
    assert.match(await planText(result), /Everyone is logged out/);
  });

  it('express-session: the code edit is applied with the rotation when confirmed', async () => {
    const before = await envOf('express', '.env');
    const result = await vscode.commands.executeCommand<RotateResult>('rekey.rotateSecret', { uri: fileUri('express', '.env'), key: 'SESSION_SECRET', confirm: true, zeroLogout: true, applyCode: true, openRunbook: false, showPlan: false });
    assert.equal(result.applied, true, JSON.stringify(result));
    assert.deepEqual(result.codeFiles, [fileUri('express', 'app.js').fsPath]);
    const app = await fs.readFile(fileUri('express', 'app.js').fsPath, 'utf8');
    assert.match(app, /secret: \[process\.env\.SESSION_SECRET, process\.env\.SESSION_SECRET_PREVIOUS\]\.filter\(Boolean\)/);
    const after = await envOf('express', '.env');
    assert.equal(after.SESSION_SECRET_PREVIOUS, before.SESSION_SECRET);
    const plan = await planText(result);
    assert.match(plan, /```diff\n--- a\/express\/app\.js/);
  });

  it('Retire Previous Secret (the previous-secret-retirable quick fix) moves AUTH_SECRET_1 into AUTH_SECRET and removes it, after a backup', async () => {
    const api = await rekeyApi();
    const uri = fileUri('retire', '.env');
    const before = await envOf('retire', '.env');
    api.test?.queueAnswers(['Retire']);
    const result = await vscode.commands.executeCommand<{ retired: boolean; backup?: string }>('rekey.retirePrevious', { uri: uri.toString(), key: 'AUTH_SECRET' });
    assert.equal(result.retired, true);
    assert.ok(api.test?.questions().some((q) => /Retire the previous AUTH_SECRET/.test(q)));
    assert.deepEqual(await envOf('retire', '.env'), { AUTH_SECRET: before.AUTH_SECRET_1 });
    assert.ok(result.backup && !result.backup.includes(CANARY));
    assert.deepEqual(dotenvParse(await fs.readFile(result.backup, 'utf8')), before, 'the backup holds the text before');
  });
});
