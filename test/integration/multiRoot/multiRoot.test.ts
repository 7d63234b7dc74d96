// A multi-root workspace: each folder is discovered and analysed on its own (history state per
// folder), diagnostics, hovers and masking work in both.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { assertNothingLeaked, exerciseEveryFeature } from '../support/neverLeak';
import { closeAll, hoverText, lineOf, openEditor, rekeyApi, waitFor, waitForDiagnostic } from '../support/rekey';

function folderUri(name: string, ...rest: string[]): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.find((f) => f.name === name);
  assert.ok(folder, `no workspace folder ${name}`);
  return vscode.Uri.joinPath(folder.uri, ...rest);
}

describe('multi-root workspace', function () {
  this.timeout(90_000);
  afterEach(closeAll);

  it('analyses every folder, keeping them apart', async () => {
    const api = await rekeyApi();
    const api1 = folderUri('api', '.env');
    const web = folderUri('web', '.env');
    await waitForDiagnostic(api1, 'secret');
    await waitForDiagnostic(web, 'secret');
    assert.equal(api.model.file(api1)?.folder, 'api');
    assert.equal(api.model.file(web)?.folder, 'web');
    assert.equal(api.model.file(api1)?.relativePath, '.env');
    assert.deepEqual(api.model.history().map((h) => h.folder).sort(), ['api', 'web']);
    assert.ok(api.model.file(web)?.secrets.some((s) => s.key === 'SESSION_SECRET'));
    assert.ok(!api.model.file(web)?.secrets.some((s) => s.key === 'API_TOKEN'), 'keys of one folder do not leak into the other');
  });

  it('hovers and masks in each folder', async () => {
    const api = await rekeyApi();
    for (const [name, key] of [['api', 'API_TOKEN'], ['web', 'SESSION_SECRET']] as const) {
      const uri = folderUri(name, '.env');
      const editor = await openEditor(uri);
      const line = lineOf(editor.document, key);
      const text = await waitFor(async () => {
        const t = hoverText((await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(line, 1))) ?? []);
        return t.includes('**rekey**') ? t : undefined;
      }, `the hover in ${name}`);
      assert.match(text, new RegExp(key));
      await waitFor(() => api.masking.maskedRanges(uri).some((r) => r.start.line === line), `the mask in ${name}`);
    }
  });

  it('leaks nothing', async () => {
    const api = await rekeyApi();
    await assertNothingLeaked(api, await exerciseEveryFeature(api));
  });
});
