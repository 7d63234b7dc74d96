// Hovers on a key: kind, confidence, age with its source and status, interval, history,
// linked keys, consumers, and the value masked, with a link that reveals it.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
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

  it('gives one consumer count in the hover, Show Consumers, the rotation plan and the CLI', async () => {
    const api = await rekeyApi();
    assert.ok(api.test);
    const env = fileUri('orders', '.env');
    const editor = await openEditor(env);
    const key = 'ORDERS_DB_PASSWORD';
    const line = lineOf(editor.document, key);
    const hover = await waitFor(async () => {
      const t = hoverText(await hoverAt(env, line, 2));
      return /\*\*Consumers:\*\* \d+/.test(t) ? t : undefined;
    }, `the hover to count the consumers of ${key}`);
    const inHover = Number(/\*\*Consumers:\*\* (\d+)/.exec(hover)?.[1]);
    // compose reads it as ${ORDERS_DB_PASSWORD} and through env_file; ORDERS_DATABASE_URL, which
    // embeds it, has readers of its own (the worker, src/app.js) that are not its consumers.
    assert.ok(inHover >= 2, `the hover counts the compose readers (${inHover})`);

    const peek = await vscode.commands.executeCommand<Array<{ file: string }>>('rekey.showConsumers', { uri: env, key });
    assert.equal(peek?.length, inHover, 'Show Consumers lists as many places as the hover counts');

    api.test.queueAnswers([undefined]);
    await vscode.commands.executeCommand('rekey.rotateSecret', { uri: env, key });
    const plan = (await vscode.workspace.openTextDocument(vscode.Uri.from({ scheme: 'rekey-plan', path: `/Rotate-${key}.md` }))).getText();
    const heading = /^## Consumers \((\d+)(, and (\d+) reading linked entries)?\)/m.exec(plan);
    assert.ok(heading, `the plan has a Consumers heading:\n${plan.slice(0, 400)}`);
    assert.equal(Number(heading[1]), inHover, 'the plan counts the same consumers as the hover');
    assert.ok(Number(heading[3] ?? 0) >= 1, 'the plan counts the linked URL\'s readers apart');

    const extensionPath = vscode.extensions.getExtension('rekey-dev.rekey')?.extensionPath ?? '';
    const root = vscode.workspace.getWorkspaceFolder(env)?.uri.fsPath ?? '';
    const cli = spawnSync(process.execPath, [path.join(extensionPath, 'dist', 'cli.js'), 'rotate', key, '--dry-run', '--file', env.fsPath, '--root', root], { cwd: root, encoding: 'utf8' });
    const inCli = /^Consumers \((\d+)/m.exec(cli.stdout)?.[1];
    assert.equal(Number(inCli), inHover, `the CLI counts the same consumers:\n${cli.stdout}${cli.stderr}`);
    assertNoCanary(`${hover}${plan}${cli.stdout}${cli.stderr}`, 'the consumer counts');
  });

  it('shows nothing on entries that are not secrets', async () => {
    await rekeyApi();
    const env = fileUri('.env');
    const editor = await openEditor(env);
    const text = hoverText(await hoverAt(env, lineOf(editor.document, 'PORT'), 1));
    assert.doesNotMatch(text, /\*\*rekey\*\*/);
  });
});
