// Screenshots for the README, taken from the headless host. Opt-in: runs only with
// REKEY_SCREENSHOTS=dir (the code-server launcher then saves the page when a test prints
// `REKEY_SCREENSHOT name`; see launch/codeServer.mjs). Skipped otherwise.
//
//   REKEY_SCREENSHOTS=media/screenshots node test/integration/launch/codeServer.mjs --run basic --grep screenshots
//
// The welcome view needs a folder without `.env` files (only a template), opened ad hoc:
//
//   mkdir -p /tmp/starter && printf 'API_KEY=\n' > /tmp/starter/.env.example
//   REKEY_SCREENSHOTS=media/screenshots node test/integration/launch/codeServer.mjs \
//     --workspace /tmp/starter --suites screenshots.test.ts --grep welcome
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { CANARY, closeAll, fileUri, git, lineOf, openEditor, rekeyApi, waitFor } from './support/rekey';

const dir = process.env.REKEY_SCREENSHOTS;

/** Asks the launcher for a screenshot and waits until the PNG is on disk. */
async function screenshot(name: string, settleMs = 1500): Promise<void> {
  assert.ok(dir);
  const file = path.join(dir, `${name}.png`);
  await fs.rm(file, { force: true });
  // Let the workbench paint what the last command opened.
  await new Promise((resolve) => setTimeout(resolve, settleMs));
  // eslint-disable-next-line no-console
  console.log(`REKEY_SCREENSHOT ${name}`);
  await waitFor(() => fs.stat(file).then(() => true, () => false), `the launcher to save ${name}.png`, 30_000);
}

describe('screenshots', function () {
  before(function () {
    if (!dir) this.skip();
  });
  after(closeAll);

  it('the Secrets view and the rotation plan preview', async function () {
    if ((await vscode.workspace.findFiles('**/.env')).length === 0) this.skip();
    const api = await rekeyApi();
    assert.ok(api.views && api.test);
    // A committed secret, so the view shows every status.
    const leaky = fileUri('billing').fsPath;
    await fs.mkdir(leaky, { recursive: true });
    await fs.writeFile(path.join(leaky, '.env'), `# canary values only: ${CANARY}\nBILLING_JWT_SECRET=${CANARY}_billing_jwt_Wq8Re3Ty6Ui9\n`);
    await git(leaky, 'init', '-q');
    await git(leaky, 'commit', '-q', '--allow-empty', '-m', 'start');
    await git(leaky, 'add', '.env');
    await git(leaky, 'commit', '-q', '-m', 'add env');
    await api.model.refresh();
    await api.whenIdle();
    await vscode.commands.executeCommand('rekey.scanHistory');
    await waitFor(async () => (await api.views?.secretsTree.describeAll())?.some((n) => n.status === 'leaked'), 'a leaked secret in the tree');

    await vscode.commands.executeCommand('workbench.action.closeAuxiliaryBar');
    await vscode.commands.executeCommand('workbench.view.extension.rekey');
    // The side bar at its default width: descriptions are built to fit it.
    const editor = await openEditor(fileUri('orders', '.env'));
    const line = lineOf(editor.document, 'ORDERS_DB_PASSWORD');
    editor.selection = new vscode.Selection(line, 0, line, 0);
    await waitFor(() => api.masking.maskedRanges(editor.document.uri).length > 0, 'masked values');
    await screenshot('secrets-view');

    // The plan preview, left open: the keep-previous question is answered "cancel".
    api.test.queueAnswers([undefined]);
    const result = await vscode.commands.executeCommand<{ reason?: string }>('rekey.rotateSecret', { uri: fileUri('orders', '.env'), key: 'ORDERS_SESSION_SECRET' });
    assert.equal(result?.reason, 'cancelled');
    // The preview alone in the editor area, next to the view.
    await vscode.commands.executeCommand('workbench.action.joinAllGroups');
    await screenshot('rotation-preview', 6000);

    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('rekey.showRotationReport');
    await screenshot('rotation-report', 6000);
  });

  it('the welcome view of a workspace without .env files', async function () {
    if ((await vscode.workspace.findFiles('**/.env')).length > 0) this.skip();
    await vscode.commands.executeCommand('workbench.action.closeAuxiliaryBar');
    // Opening the view activates rekey (no .env: the workspaceContains events did not).
    await vscode.commands.executeCommand('workbench.view.extension.rekey');
    await rekeyApi();
    await screenshot('welcome-view', 3000);
  });
});
