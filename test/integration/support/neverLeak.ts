// The never-leak rule, checked from outside: after exercising every feature on every .env-family
// file and on the code that reads them, no canary value may appear in a diagnostic, a hover (in
// .env or code files), a quick-fix title, a completion item, the walkthrough, a notification, the
// log, or anything the API returns.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { RekeyApi } from '../../../src/extension/extension';
import { assertNoCanary, closeAll, hoverText, openEditor, pageText, waitFor } from './rekey';

/**
 * Hovers every entry, lists every quick fix, reveals and re-masks, toggles masking, opens quick
 * picks, runs commands that notify, searches the workspace for the text around the values.
 */
export async function exerciseEveryFeature(api: RekeyApi): Promise<{ hovers: string[]; fixes: string[]; screen: string[] }> {
  const hovers: string[] = [];
  const fixes: string[] = [];
  const screen: string[] = [];
  const codeHovers: string[] = [];
  await api.whenIdle();
  const files = api.model.files();
  assert.ok(files.length > 0, 'the model knows some files');
  for (const f of files) {
    if (f.error) continue;
    const uri = vscode.Uri.parse(f.uri);
    const editor = await openEditor(uri);
    const doc = editor.document;
    for (let line = 0; line < doc.lineCount; line++) {
      const text = doc.lineAt(line).text;
      if (!text.includes('=')) continue;
      for (const character of [1, Math.min(text.length, text.indexOf('=') + 3)]) {
        const hs = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(line, character))) ?? [];
        hovers.push(hoverText(hs));
      }
    }
    for (const d of vscode.languages.getDiagnostics(uri).filter((x) => x.source === 'rekey')) {
      const actions = (await vscode.commands.executeCommand<Array<vscode.CodeAction | vscode.Command>>('vscode.executeCodeActionProvider', uri, d.range)) ?? [];
      fixes.push(...actions.map((a) => a.title));
    }
    for (const s of f.secrets) {
      await vscode.commands.executeCommand('rekey.revealValue', { uri: f.uri, key: s.key });
    }
  }
  // Code that reads the secrets: hover every position of lines that read the environment, and
  // ask for key completions where a key name goes.
  const codeFiles = await vscode.workspace.findFiles('**/*.{js,ts,py,rb,go,php,sh,yml,yaml}', '**/node_modules/**', 50);
  let readingLines = 0;
  for (const uri of codeFiles) {
    const doc = (await openEditor(uri)).document;
    for (let line = 0; line < doc.lineCount; line++) {
      const text = doc.lineAt(line).text;
      if (!/env|ENV|\$\{/.test(text)) continue;
      readingLines++;
      for (let character = 0; character < text.length; character += 2) {
        const hs = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(line, character))) ?? [];
        const t = hoverText(hs);
        if (t.includes('**rekey**')) codeHovers.push(t);
        hovers.push(t);
      }
    }
  }
  const probe = await vscode.workspace.openTextDocument({ language: 'javascript', content: 'process.env.\nos.getenv("\n' });
  for (const position of [new vscode.Position(0, 12), new vscode.Position(1, 11)]) {
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', probe.uri, position);
    fixes.push(...list.items.map((i) => `${typeof i.label === 'string' ? i.label : i.label.label} ${i.detail ?? ''} ${typeof i.insertText === 'string' ? i.insertText : ''}`));
  }
  // The walkthrough's texts and media.
  const ext = vscode.extensions.getExtension('rekey-dev.rekey');
  const walkthroughs = ((ext?.packageJSON as { contributes?: { walkthroughs?: Array<{ steps: Array<{ description: string; media: { markdown?: string } }> }> } }).contributes?.walkthroughs) ?? [];
  for (const w of walkthroughs) {
    for (const step of w.steps) {
      hovers.push(step.description);
      if (ext && step.media.markdown) hovers.push(String(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(ext.extensionUri, step.media.markdown))));
    }
  }
  if (readingLines > 0) assert.ok(codeHovers.length > 0, 'there were code hovers to check');
  // Quick picks and questions (answered "cancel"), and commands that report in a notification.
  assert.ok(api.test, 'the test API is on');
  api.test.queueAnswers([undefined]);
  await vscode.commands.executeCommand('rekey.openEnvFile');
  // A session secret: its rotation asks a question first (the keep-previous choice).
  const session = files.flatMap((f) => (f.error ? [] : f.secrets.filter((x) => x.kind === 'session-signing').map((x) => ({ uri: f.uri, key: x.key }))))[0];
  if (session && vscode.workspace.isTrusted) {
    api.test.queueAnswers([undefined]);
    await vscode.commands.executeCommand('rekey.rotateSecret', session);
  }
  await vscode.commands.executeCommand('rekey.scanHistory');
  if (session) await vscode.commands.executeCommand('rekey.showConsumers', session);
  // The Search view, read off the screen, for text that sits next to values in the .env files.
  // With the editors closed: VS Code also searches the text of open editors, search.exclude or
  // not (microsoft/vscode#31819), which the README states.
  await closeAll();
  for (const query of ['localhost', 'postgres://', '_SECRET']) {
    await vscode.commands.executeCommand('workbench.action.findInFiles', { query, triggerSearch: true, isRegex: false, filesToInclude: '', filesToExclude: '' });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const text = await pageText('.search-view');
    if (text !== undefined) screen.push(text);
  }
  await vscode.commands.executeCommand('search.action.clearSearchResults');
  await vscode.commands.executeCommand('rekey.toggleMasking');
  await vscode.commands.executeCommand('rekey.toggleMasking');
  await api.model.refresh();
  await closeAll();
  return { hovers, fixes, screen };
}

/** Fails if any canary shows up in what rekey showed, logged or returned. */
export async function assertNothingLeaked(api: RekeyApi, observed: { hovers: string[]; fixes: string[]; screen: string[] }): Promise<void> {
  await api.whenIdle();
  let diagnostics = 0;
  for (const [uri, list] of vscode.languages.getDiagnostics()) {
    for (const d of list.filter((x) => x.source === 'rekey')) {
      diagnostics++;
      assertNoCanary(d.message, `a diagnostic of ${uri.fsPath}`);
      for (const r of d.relatedInformation ?? []) assertNoCanary(`${r.message} ${r.location.uri.toString()}`, `related information of ${uri.fsPath}`);
    }
  }
  assert.ok(diagnostics > 0, 'there were diagnostics to check');
  const secretHovers = observed.hovers.filter((h) => h.includes('**rekey**'));
  assert.ok(secretHovers.length > 0, 'there were hovers to check');
  for (const h of observed.hovers) assertNoCanary(h, 'a hover');
  for (const t of observed.fixes) assertNoCanary(t, 'a quick-fix title');
  const logs = await waitFor(() => api.logLines(), 'log lines');
  assert.ok(logs.some((l) => /revealed the value of/.test(l)), 'reveals were logged (by key)');
  assertNoCanary(logs.join('\n'), 'the log');
  assert.ok(api.notifications().length > 0, 'there were notifications to check');
  assertNoCanary(api.notifications().join('\n'), 'a notification');
  assert.ok((api.test?.promptTexts() ?? []).length > 0, 'there were quick picks and questions to check');
  assertNoCanary((api.test?.promptTexts() ?? []).join('\n'), 'a quick pick item, question or dialog');
  for (const t of observed.screen) assertNoCanary(t, 'the Search view');
  // The single-folder fixture has code that Search lists for these queries.
  if (observed.screen.length > 0 && vscode.workspace.workspaceFolders?.length === 1) assert.ok(observed.screen.some((t) => /\d+ results? in \d+ files?/.test(t)), 'the Search view listed results to check');
  assertNoCanary(JSON.stringify(api.model.files()), 'the API\'s model');
  assertNoCanary(JSON.stringify(api.model.history()), 'the API\'s history state');
  assertNoCanary(JSON.stringify(api.stats()), 'the API\'s stats');
}
