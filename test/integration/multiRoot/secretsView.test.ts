// The Secrets view in a multi-root workspace: workspace folder → file → secret, through the API.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TreeNodeDescription } from '../../../src/extension/tree/secretsView';
import { assertNoCanary, rekeyApi, waitFor } from '../support/rekey';

describe('Secrets view (multi-root)', () => {
  it('groups the files under their workspace folders', async () => {
    const api = await rekeyApi();
    const views = api.views;
    assert.ok(views, 'the API exposes the Secrets view');
    const roots = await waitFor(async () => {
      const r = await views.secretsTree.getChildren();
      return r.length === 2 ? r : undefined;
    }, 'two folder nodes');
    assert.deepEqual(roots.map((n) => [n.type, n.label]), [['folder', 'api'], ['folder', 'web']]);

    const secrets = new Map<string, TreeNodeDescription[]>();
    for (const folder of roots) {
      const files = await views.secretsTree.getChildren(folder);
      assert.deepEqual(files.map((f) => f.label), ['.env'], `${folder.label} has one .env file`);
      secrets.set(folder.label, await views.secretsTree.getChildren(files[0]));
    }
    // SHARED_KEY is listed in both: suppressed by api's folder settings, a pepper in web's.
    assert.deepEqual(secrets.get('api')?.map((s) => s.label), ['API_TOKEN', 'SHARED_KEY']);
    assert.deepEqual(secrets.get('web')?.map((s) => s.label), ['SESSION_SECRET', 'SHARED_KEY']);
    const folder = vscode.workspace.workspaceFolders?.find((f) => f.name === 'web');
    assert.equal(secrets.get('web')?.[0]?.uri, vscode.Uri.joinPath(folder!.uri, '.env').toString());
    assertNoCanary(JSON.stringify(await views.secretsTree.describeAll()), 'the multi-root tree');

    const report = await vscode.commands.executeCommand<{ text: string }>('rekey.showRotationReport', { show: false });
    assert.match(report?.text ?? '', /### api\/\.env[\s\S]*### web\/\.env/, 'the report names the folders');
  });
});
