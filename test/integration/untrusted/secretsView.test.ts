// The Secrets view and Rotate Secret in an untrusted workspace: the tree and the rotation work
// (no program runs: consumers are found by reading files, .gitignore files are read instead of
// asking git), and Scan Git History explains why it does not run git.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as vscode from 'vscode';
import { closeAll, fileUri, rekeyApi, waitFor } from '../support/rekey';

describe('Secrets view (untrusted)', () => {
  afterEach(closeAll);

  it('lists the secrets and rotates one without running git', async () => {
    const api = await rekeyApi();
    assert.ok(api.views);
    const views = api.views;
    await waitFor(async () => (await views.secretsTree.describeAll()).some((n) => n.key === 'ORDERS_WEBHOOK_SECRET'), 'orders/.env in the tree');

    const scan = await vscode.commands.executeCommand<{ leaked: number; folders: Array<{ status: string }> }>('rekey.scanHistory');
    assert.ok(scan);
    assert.ok(scan.folders.every((f) => f.status === 'untrusted'), 'git did not run');
    assert.ok(api.notifications().some((n) => /untrusted workspace/.test(n)));

    const env = fileUri('orders', '.env');
    const before = await fs.readFile(env.fsPath, 'utf8');
    const result = await vscode.commands.executeCommand<{ applied: boolean; backup?: string }>('rekey.rotateSecret', {
      uri: env, key: 'ORDERS_WEBHOOK_SECRET', confirm: true, showPlan: false, openRunbook: false,
    });
    assert.equal(result?.applied, true);
    // The old text after the first-line comment that marks a rekey-made backup.
    const backupText = await fs.readFile(result.backup ?? '', 'utf8');
    assert.match(backupText, /^# rekey: backup before rotating \S+ on \S+; delete it once the new value works everywhere \(rekey retire\)\n/);
    assert.equal(backupText.replace(/^[^\n]*\n/, ''), before);
    assert.notEqual(await fs.readFile(env.fsPath, 'utf8'), before);
    await waitFor(async () => (await views.secretsTree.describeAll()).find((n) => n.key === 'ORDERS_WEBHOOK_SECRET')?.ageDays === 0, 'age 0 after the rotation');

    // Leave the workspace as the other suites expect it.
    await fs.writeFile(env.fsPath, before);
    await fs.rm(result.backup ?? '', { force: true });
    await api.model.refresh();
  });
});
