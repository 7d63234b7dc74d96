// The editor keeps values off the screen and fixes what it reports: Search exclusion, masking
// state, URL credentials, lint quick fixes and Fix All, the hover card's links, rekey in code
// files (hover, Go to Definition, completion) and the walkthrough.
import * as assert from 'node:assert/strict';
import { existsSync, promises as fs, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { assertNoCanary, CANARY, closeAll, codeOf, EXTENSION_ID, fileUri, hoverText, lineOf, openEditor, pageText, rekeyApi, rekeyDiagnostics, waitFor, waitForDiagnostic } from './support/rekey';

async function hoverAt(uri: vscode.Uri, position: vscode.Position): Promise<string> {
  return hoverText((await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position)) ?? []);
}

/** Every `command:` link of a hover, decoded: id and its first argument. */
function commandLinks(markdown: string): Array<{ title: string; id: string; arg: unknown }> {
  const out: Array<{ title: string; id: string; arg: unknown }> = [];
  for (const m of markdown.matchAll(/\[([^\]]+)\]\(command:([\w.]+)\?([^ )]+)/g)) {
    out.push({ title: m[1] as string, id: m[2] as string, arg: (JSON.parse(decodeURIComponent(m[3] as string)) as unknown[])[0] });
  }
  return out;
}

function positionOf(doc: vscode.TextDocument, needle: string, delta = 1): vscode.Position {
  const i = doc.getText().indexOf(needle);
  assert.ok(i >= 0, `${needle} is in ${path.basename(doc.uri.fsPath)}`);
  return doc.positionAt(i + delta);
}

describe('editor: values off the screen', () => {
  afterEach(closeAll);

  it('keeps .env-family files out of Search by default, keeping VS Code\'s own exclusions', () => {
    const exclude = vscode.workspace.getConfiguration('search').get<Record<string, unknown>>('exclude') ?? {};
    for (const glob of ['**/.env', '**/.env.*', '**/*.env']) assert.equal(exclude[glob], true, `search.exclude has ${glob}`);
    assert.equal(exclude['**/node_modules'], true, 'the built-in defaults are merged, not replaced');
    const minimap = vscode.workspace.getConfiguration('editor', { languageId: 'dotenv' }).get<boolean>('minimap.enabled');
    const inline = vscode.workspace.getConfiguration('editor', { languageId: 'dotenv' }).get<boolean>('inlineSuggest.enabled');
    assert.equal(minimap, false, 'no minimap for dotenv');
    assert.equal(inline, false, 'no inline (AI) suggestions for dotenv');
    assert.equal(vscode.workspace.getConfiguration('editor', { languageId: 'javascript' }).get<boolean>('inlineSuggest.enabled'), true, 'other languages keep them');
  });

  it('lists no .env value in the Search view\'s results, and does once the user includes them', async function () {
    if (!process.env.REKEY_PAGE_PROBE_DIR) this.skip();
    await rekeyApi();
    // No .env editor open: VS Code searches open editors' text whatever search.exclude says.
    await closeAll();
    // A file Search may list, beside the .env whose DATABASE_URL holds the same text.
    const notes = fileUri('notes', 'database.md');
    await fs.mkdir(path.dirname(notes.fsPath), { recursive: true });
    await fs.writeFile(notes.fsPath, 'The local database listens on localhost:5432.\n');
    const search = async (): Promise<string> => {
      await vscode.commands.executeCommand('workbench.action.findInFiles', { query: 'localhost:5432', triggerSearch: true, isRegex: false, filesToInclude: '', filesToExclude: '' });
      return waitFor(async () => {
        const t = (await pageText('.search-view .results')) ?? '';
        return t.includes('database.md') ? t : undefined;
      }, 'Search to list notes/database.md', 30_000);
    };
    try {
      const results = await search();
      assertNoCanary(results, 'the Search view\'s results');
      assert.doesNotMatch(results, /^\.env/m, 'no .env file is listed');
      // The check can fail: with the exclusion turned off, the same search lists the .env line,
      // value and all (the user asked for it).
      assert.equal(await vscode.commands.executeCommand('rekey.includeEnvInSearch'), true);
      const included = await waitFor(async () => {
        const t = await search();
        return t.includes(CANARY) ? t : undefined;
      }, 'Search to list the .env line once .env files are included', 30_000);
      assert.match(included, /^\.env/m);
    } finally {
      assert.equal(await vscode.commands.executeCommand('rekey.excludeEnvFromSearch'), true, 'the exclusion is back');
      await vscode.commands.executeCommand('search.action.clearSearchResults');
      await vscode.commands.executeCommand('workbench.action.closeSidebar');
      await fs.rm(path.dirname(notes.fsPath), { recursive: true, force: true });
    }
    const exclude = vscode.workspace.getConfiguration('search').get<Record<string, unknown>>('exclude') ?? {};
    for (const glob of ['**/.env', '**/.env.*', '**/*.env']) assert.equal(exclude[glob], true, `search.exclude has ${glob} again`);
  });

  it('opens .env files from a quick pick, since Quick Open honours search.exclude', async () => {
    const api = await rekeyApi();
    assert.ok(api.test);
    api.test.queueAnswers([fileUri('.env').toString()]);
    assert.equal(await vscode.commands.executeCommand('rekey.openEnvFile'), true);
    await waitFor(() => vscode.window.activeTextEditor?.document.uri.fsPath === fileUri('.env').fsPath, 'the picked file to open');
  });

  it('shows the masking state in the title button context key and the status bar', async () => {
    const api = await rekeyApi();
    const env = fileUri('.env');
    await openEditor(env);
    await waitFor(() => api.masking.state().contextKey, 'masking on');
    assert.equal(api.masking.state().statusBar.visible, false, 'no warning while masked');
    try {
      assert.equal(await vscode.commands.executeCommand('rekey.showValues'), false);
      const off = await waitFor(() => (api.masking.state().enabled ? undefined : api.masking.state()), 'masking off');
      assert.equal(off.contextKey, false);
      assert.equal(off.statusBar.visible, true, 'a status bar warning while values are shown');
      assert.match(off.statusBar.text, /Secrets visible/);
      assert.deepEqual(api.masking.maskedRanges(env), []);
    } finally {
      await vscode.commands.executeCommand('rekey.maskValues');
    }
    const on = await waitFor(() => (api.masking.state().enabled ? api.masking.state() : undefined), 'masking back on');
    assert.equal(on.statusBar.visible, false);
    assert.equal(on.contextKey, true);
  });

  it('masks only the password of a connection URL', async () => {
    const api = await rekeyApi();
    const env = fileUri('.env');
    const editor = await openEditor(env);
    const line = lineOf(editor.document, 'DATABASE_URL');
    const range = await waitFor(() => api.masking.maskedRanges(env).find((r) => r.start.line === line), 'the URL mask');
    const text = editor.document.lineAt(line).text;
    assert.equal(text.slice(range.start.character, range.end.character), CANARY, 'exactly the password is hidden');
    assert.ok(text.slice(0, range.start.character).endsWith('postgres://app:'), 'scheme and user stay readable');
    assert.ok(text.slice(range.end.character).startsWith('@localhost:5432/app'), 'host and database stay readable');
  });
});

describe('editor: every lint problem with its fix', () => {
  const lint = () => fileUri('lint.env');
  afterEach(async () => {
    await closeAll();
    await fs.rm(lint().fsPath, { force: true });
  });

  it('offers one quick fix per problem and a Fix All that keeps the values', async () => {
    await rekeyApi();
    await fs.writeFile(lint().fsPath, 'GREETING = hello world  \r\nPORT=1\r\nPORT=2\r\nlower=x');
    const editor = await openEditor(lint());
    const d = await waitForDiagnostic(lint(), 'spaces-around-equals');
    for (const x of rekeyDiagnostics(lint())) {
      assert.ok(!x.message.includes('\n') && !x.message.includes('`'), `one plain line: ${codeOf(x)}`);
    }
    const quick = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', lint(), d.range, vscode.CodeActionKind.QuickFix.value)) ?? [];
    const spaces = quick.find((a) => /^Remove the spaces around = in GREETING/.test(a.title));
    assert.ok(spaces?.edit, `a quick fix for the spaces (got: ${quick.map((a) => a.title).join(' | ')})`);
    assert.ok(quick.some((a) => /^Fix all rekey problems in this file/.test(a.title)), 'Fix all next to it');
    assert.ok(await vscode.workspace.applyEdit(spaces.edit));
    assert.match(editor.document.lineAt(0).text, /^GREETING=hello world/);
    const expected: Array<[string, RegExp]> = [
      ['unquoted-spaces', /^Quote the value of GREETING$/],
      ['duplicate-key', /^Remove this earlier definition of PORT/],
      ['trailing-whitespace', /^Remove trailing whitespace$/],
      ['crlf', /^Use LF line endings/],
      ['missing-final-newline', /^Add a newline at the end of the file$/],
      ['lowercase-key', /^Rename lower to LOWER \(code that reads lower must change too\)$/],
    ];
    for (const [code, title] of expected) {
      await waitForDiagnostic(lint(), code);
      // The whole file: diagnostics published before the last edit may still sit at old columns.
      const whole = new vscode.Range(0, 0, editor.document.lineCount, 0);
      const fixes = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', lint(), whole, vscode.CodeActionKind.QuickFix.value)) ?? [];
      assert.ok(fixes.some((a) => title.test(a.title) && a.edit), `a quick fix for ${code} (got: ${fixes.map((a) => a.title).join(' | ')})`);
    }
    const all = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', lint(), new vscode.Range(0, 0, 0, 0), 'source.fixAll.rekey')) ?? [];
    assert.equal(all.length, 1, 'one source.fixAll action');
    assert.match(all[0]!.title, /^Fix all rekey problems in this file \(\d+ fixes, values unchanged\)$/);
    // The user's path: the Fix All command applies it in the main thread, line ends included
    // (an edit passed back to an extension loses its end-of-line change).
    await vscode.commands.executeCommand('editor.action.fixAll');
    await waitFor(() => editor.document.getText() === "GREETING='hello world'\nPORT=2\nlower=x\n", 'Fix All to apply', 5000).catch(() => undefined);
    // lower=x keeps its name: renaming a key changes meaning and is never part of Fix All.
    assert.equal(editor.document.getText(), "GREETING='hello world'\nPORT=2\nlower=x\n");
  });
});

describe('editor: hover card and code references', () => {
  afterEach(closeAll);

  it('leads with the command links, and they run', async () => {
    const api = await rekeyApi();
    const env = fileUri('.env');
    const editor = await openEditor(env);
    const text = await waitFor(async () => {
      const t = await hoverAt(env, new vscode.Position(lineOf(editor.document, 'SESSION_SECRET'), 2));
      return t.includes('**rekey**') ? t : undefined;
    }, 'the SESSION_SECRET hover');
    assertNoCanary(text, 'the hover');
    const links = commandLinks(text);
    assert.deepEqual(links.map((l) => l.title), ['Rotate', 'Open Runbook', 'Show Consumers', 'Restore from Backup', 'Reveal']);
    const card = text.split('\n');
    assert.match(card.find((l) => l.includes('[Rotate]')) ?? '', /^\[Rotate\]/, 'links right under the title');
    const byTitle = (t: string) => links.find((l) => l.title === t)!;
    const runbook = await vscode.commands.executeCommand<string>(byTitle('Open Runbook').id, byTitle('Open Runbook').arg);
    assert.match(String(runbook), /runbook/i);
    const consumers = await vscode.commands.executeCommand<unknown[]>(byTitle('Show Consumers').id, byTitle('Show Consumers').arg);
    assert.ok(Array.isArray(consumers));
    assert.equal(await vscode.commands.executeCommand(byTitle('Reveal').id, byTitle('Reveal').arg), true);
    await waitFor(() => api.masking.revealedKeys(env).includes('SESSION_SECRET'), 'the reveal');
    // Mask it again now rather than after the timeout, so later suites start masked.
    await vscode.commands.executeCommand('rekey.showValues');
    await vscode.commands.executeCommand('rekey.maskValues');
    assert.deepEqual(api.masking.revealedKeys(env), []);
    assert.equal(await vscode.commands.executeCommand(byTitle('Restore from Backup').id, byTitle('Restore from Backup').arg), true);
    await waitFor(() => editor.document.isDirty && editor.document.getText().includes('session_old'), 'the backup value restored (unsaved)');
    await vscode.window.showTextDocument(editor.document);
    await vscode.commands.executeCommand('undo');
    await waitFor(() => !editor.document.getText().includes('session_old'), 'Undo to bring the current value back');
    await waitForDiagnostic(env, 'changed-since-backup');
  });

  it('hovers an env read in code without its value, and goes to its definition', async () => {
    await rekeyApi();
    const app = fileUri('orders', 'src', 'app.js');
    const doc = (await openEditor(app)).document;
    const pos = positionOf(doc, 'ORDERS_SESSION_SECRET', 3);
    const text = await waitFor(async () => {
      const t = await hoverAt(app, pos);
      return t.includes('**rekey**') ? t : undefined;
    }, 'the code hover');
    assertNoCanary(text, 'a code hover');
    assert.match(text, /`ORDERS_SESSION_SECRET`/);
    assert.match(text, /\*\*Defined in:\*\* `orders\/\.env` line \d+/);
    assert.match(text, /\*\*Status:\*\*/);
    assert.deepEqual(commandLinks(text).map((l) => l.title), ['Rotate', 'Open Runbook', 'Show Consumers', 'Show in File']);
    const defs = (await vscode.commands.executeCommand<Array<vscode.Location | vscode.LocationLink>>('vscode.executeDefinitionProvider', app, pos)) ?? [];
    const target = defs.map((d) => ('targetUri' in d ? { uri: d.targetUri, range: d.targetRange } : d)).find((d) => d.uri.fsPath === fileUri('orders', '.env').fsPath);
    assert.ok(target, 'Go to Definition reaches orders/.env');
    const envDoc = await vscode.workspace.openTextDocument(target.uri);
    assert.equal(envDoc.getText(target.range), 'ORDERS_SESSION_SECRET');
  });

  it('completes key names, never values, and hovers ${X} in Compose files', async () => {
    await rekeyApi();
    const file = fileUri('orders', 'src', 'complete.js');
    await fs.writeFile(file.fsPath, 'const t = process.env.\n');
    try {
      const doc = (await openEditor(file)).document;
      const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', file, new vscode.Position(0, 22), '.');
      const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
      assert.ok(labels.includes('ORDERS_SESSION_SECRET') && labels.includes('API_TOKEN'), 'keys of the workspace .env files');
      assertNoCanary(JSON.stringify(list.items.map((i) => [i.label, i.detail, i.documentation, i.insertText])), 'completion items');
      assert.ok(doc);
      const compose = fileUri('orders', 'docker-compose.yml');
      const cdoc = (await openEditor(compose)).document;
      const text = await hoverAt(compose, positionOf(cdoc, 'ORDERS_DB_PASSWORD', 2));
      assert.match(text, /`ORDERS_DB_PASSWORD`/);
      assertNoCanary(text, 'a compose hover');
    } finally {
      await fs.rm(file.fsPath, { force: true });
    }
  });
});

describe('editor: walkthrough', () => {
  it('contributes the four first-run steps with value-free media', async () => {
    await rekeyApi();
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    const manifest = ext.packageJSON as { contributes: { walkthroughs: Array<{ id: string; steps: Array<{ id: string; description: string; media: { markdown: string } }> }> } };
    const walk = manifest.contributes.walkthroughs.find((w) => w.id === 'rekey.gettingStarted');
    assert.ok(walk);
    assert.deepEqual(walk.steps.map((s) => s.id), ['openSecretsView', 'scanHistory', 'installHooks', 'rotateSecret']);
    for (const s of walk.steps) {
      const media = path.join(ext.extensionPath, s.media.markdown);
      assert.ok(existsSync(media), s.media.markdown);
      assertNoCanary(readFileSync(media, 'utf8') + s.description, 'the walkthrough');
      assert.match(s.description, /\(command:[\w.]+\)/, `${s.id} has its command link`);
    }
    await vscode.commands.executeCommand('workbench.action.openWalkthrough', `${EXTENSION_ID}#rekey.gettingStarted`, false);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
