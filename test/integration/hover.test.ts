// Hovers on a key: kind, confidence, age with its source and status, interval, history,
// linked keys, consumers, and the value masked, with a link that reveals it.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as vscode from 'vscode';
import { assertNoCanary, closeAll, fileUri, hoverText, lineOf, openEditor, rekeyApi, waitFor } from './support/rekey';

async function hoverAt(uri: vscode.Uri, line: number, character: number): Promise<vscode.Hover[]> {
  return (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(line, character))) ?? [];
}

describe('hover', () => {
  afterEach(closeAll);

  it('describes a secret without showing its value', async () => {
    await rekeyApi();
    const env = fileUri('.env');
    const editor = await openEditor(env);
    const line = lineOf(editor.document, 'API_TOKEN');
    const text = await waitFor(async () => {
      const t = hoverText(await hoverAt(env, line, 2));
      return t.includes('rekey') && !t.includes('still counting') ? t : undefined;
    }, 'the rekey hover of API_TOKEN');
    assertNoCanary(text, 'the hover');
    assert.match(text, /API_TOKEN/);
    assert.match(text, /API token/i, 'names the kind');
    assert.match(text, /high confidence/);
    assert.match(text, /\*\*Value:\*\* `••••••••` \(23 characters · fingerprint `[0-9a-f]{8}`\)/, 'the value is masked, with its length and a keyed fingerprint');
    assert.match(text, /\[Reveal\]\(command:rekey\.revealValue\?/, 'a command link reveals it');
    assert.match(text, /\*\*Age:\*\*.*source/, 'age and its source');
    assert.match(text, /\*\*Status:\*\* /, 'the status, in the words of the Secrets view');
    assert.match(text, /every 90 days/, 'the rotation interval');
    assert.match(text, /\*\*History:\*\*/);
    assert.match(text, /\*\*Linked keys:\*\* `DATABASE_URL`/, 'the URL that embeds the same value is linked');
    assert.match(text, /\*\*Consumers:\*\* \d+/);
  });

  it('counts the places in the code that read the key', async () => {
    await rekeyApi();
    const src = fileUri('src', 'client.js');
    await fs.mkdir(fileUri('src').fsPath, { recursive: true });
    await fs.writeFile(src.fsPath, 'const token = process.env.API_TOKEN;\nmodule.exports = { token, again: process.env.API_TOKEN };\n');
    try {
      const env = fileUri('.env');
      const editor = await openEditor(env);
      const line = lineOf(editor.document, 'API_TOKEN');
      const text = await waitFor(async () => {
        const t = hoverText(await hoverAt(env, line, 2));
        return /\*\*Consumers:\*\* [1-9]/.test(t) ? t : undefined;
      }, 'the hover to count the consumer in src/client.js');
      assert.match(text, /code/);
    } finally {
      await fs.rm(fileUri('src').fsPath, { recursive: true, force: true });
    }
  });

  it('shows nothing on entries that are not secrets', async () => {
    await rekeyApi();
    const env = fileUri('.env');
    const editor = await openEditor(env);
    const text = hoverText(await hoverAt(env, lineOf(editor.document, 'PORT'), 1));
    assert.doesNotMatch(text, /\*\*rekey\*\*/);
  });
});
