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

  it("applies each folder's own rekey.kinds, rekey.intervals and rekey.notSecret", async () => {
    // api/.vscode/settings.json: notSecret SHARED_KEY; web/.vscode/settings.json: SHARED_KEY is a
    // pepper rotated every 45 days. Both .env files define SHARED_KEY.
    const api = await rekeyApi();
    const apiEnv = folderUri('api', '.env');
    const webEnv = folderUri('web', '.env');
    const shared = (uri: vscode.Uri) => api.model.file(uri)?.secrets.find((s) => s.key === 'SHARED_KEY');
    const web = await waitFor(() => shared(webEnv), 'SHARED_KEY among the secrets of web');
    assert.equal(web.kind, 'pepper');
    assert.equal(web.intervalDays, 45);
    // notSecret keeps the detection but marks it suppressed (no diagnostic, shown struck out).
    const apiShared = await waitFor(() => shared(apiEnv), 'SHARED_KEY among the detections of api');
    assert.ok(apiShared.suppressed, 'api says SHARED_KEY is not a secret');
    assert.ok(!web.suppressed, 'web does not suppress SHARED_KEY');

    // A change to one folder's setting reaches that folder (affectsConfiguration with its scope).
    const apiFolder = vscode.workspace.getWorkspaceFolder(apiEnv);
    assert.ok(apiFolder);
    const config = vscode.workspace.getConfiguration('rekey', apiFolder.uri);
    await config.update('notSecret', [], vscode.ConfigurationTarget.WorkspaceFolder);
    try {
      await waitFor(() => (shared(apiEnv) && !shared(apiEnv)?.suppressed ? true : undefined), 'SHARED_KEY to become a secret of api');
      assert.equal(shared(webEnv)?.kind, 'pepper', 'web keeps its own kinds');
    } finally {
      await config.update('notSecret', ['SHARED_KEY'], vscode.ConfigurationTarget.WorkspaceFolder);
    }
    await waitFor(() => (shared(apiEnv)?.suppressed ? true : undefined), 'SHARED_KEY to be suppressed in api again');
  });

  it('leaks nothing', async () => {
    const api = await rekeyApi();
    await assertNothingLeaked(api, await exerciseEveryFeature(api));
  });
});
