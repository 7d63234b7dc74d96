// Smoke suite: the extension host is real, the workspace is the one the launcher opened, and
// rekey activates on its own there, returns its API and owns `.env` documents.
// Runs in every launcher run (see launch/runs.mjs), so it must hold in any fixture workspace
// that contains a `.env` file, trusted or not.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RekeyApi } from '../../src/extension/extension';

const EXTENSION_ID = 'rekey-dev.rekey';

describe('smoke', () => {
  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('opens the workspace the launcher asked for', () => {
    const expected = process.env.REKEY_TEST_WORKSPACE;
    assert.ok(expected, 'REKEY_TEST_WORKSPACE is not set: run through a launcher in test/integration/launch/');
    const folders = vscode.workspace.workspaceFolders ?? [];
    assert.ok(folders.length > 0, 'no workspace folder is open');
    if (expected.endsWith('.code-workspace')) {
      assert.equal(vscode.workspace.workspaceFile?.fsPath, expected);
      assert.ok(folders.length > 1, `multi-root workspace opened with ${folders.length} folder(s)`);
    } else {
      assert.deepEqual(folders.map((f) => f.uri.fsPath), [expected]);
    }
  });

  it('runs with the workspace trust the launcher asked for', () => {
    const trust = process.env.REKEY_TEST_TRUST ?? 'trusted';
    assert.equal(vscode.workspace.isTrusted, trust === 'trusted', `run asked for trust=${trust}`);
  });

  it('activates by itself because the workspace contains a .env file', async () => {
    const extension = vscode.extensions.getExtension<RekeyApi>(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not loaded in the extension host`);
    // No activate() call here: the workspaceContains activation event must do it.
    await waitFor(() => extension.isActive, `${EXTENSION_ID} to activate`, 30_000);
  });

  it('returns its API from activate(), with the package version', async () => {
    const extension = vscode.extensions.getExtension<RekeyApi>(EXTENSION_ID);
    assert.ok(extension);
    const api = await extension.activate();
    assert.equal(typeof api, 'object');
    const manifest = extension.packageJSON as { version: string };
    assert.match(api.version, /^\d+\.\d+\.\d+/);
    assert.equal(api.version, manifest.version);
    assert.equal(extension.exports, api);
  });

  it('opens .env files as dotenv documents', async () => {
    // `.env`, `.env.local` and the like: the names package.json contributes to the language.
    const envFiles = await vscode.workspace.findFiles('**/{.env,.env.*,*.env}', '**/node_modules/**');
    assert.ok(envFiles.some((uri) => path.basename(uri.fsPath) === '.env'), 'the fixture workspace has no .env file');
    for (const uri of envFiles) {
      const document = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(document);
      assert.equal(document.languageId, 'dotenv', `${path.basename(uri.fsPath)} opened as ${document.languageId}`);
      assert.match(document.getText(), /REKEY_CANARY_7f3a9c1e5b/);
    }
  });

  it('registers exactly the commands package.json contributes', async () => {
    const extension = vscode.extensions.getExtension<RekeyApi>(EXTENSION_ID);
    assert.ok(extension);
    await extension.activate();
    const manifest = extension.packageJSON as { contributes: { commands: Array<{ command: string; category?: string }> } };
    const contributed = manifest.contributes.commands.map((c) => c.command).sort();
    assert.equal(new Set(contributed).size, contributed.length, 'package.json lists a command twice');
    // VS Code adds `<view id>.focus` and the like for the contributed view: not rekey's own.
    const viewCommand = /^rekey\.secrets\.\w+$/;
    const registered = (await vscode.commands.getCommands(true)).filter((id) => id.startsWith('rekey.') && !viewCommand.test(id)).sort();
    assert.deepEqual(registered.filter((id) => !contributed.includes(id)), [], 'registered but missing from package.json');
    assert.deepEqual(contributed.filter((id) => !registered.includes(id)), [], 'in package.json but never registered');
    for (const c of manifest.contributes.commands) assert.equal(c.category, 'rekey', `${c.command} has no "rekey" category`);
  });
});

/** Polls `condition` until it holds, failing with `what` after `timeoutMs`. */
async function waitFor(condition: () => boolean, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) {
      assert.fail(`timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
