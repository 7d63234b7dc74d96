// The rotation flow in the editor: Compare with Backup as a key-by-key comparison without values
// (and the values only behind a confirmation), the runbook after Rotate marking what rekey did,
// Copy New Value with its clipboard clearing, the plan preview naming the next question in its
// own words, and the never-leak rule over every quick pick item, dialog and notification shown.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RekeyApi } from '../../src/extension/extension';
import { assertNoCanary, CANARY, closeAll, codeOf, fileUri, hoverText, lineOf, openEditor, rekeyApi, rekeyDiagnostics, waitFor } from './support/rekey';

interface RotateResult {
  applied: boolean;
  reason?: string;
  key?: string;
  planUri?: string;
  runbookUri?: string;
  backup?: string;
  blockers?: string[];
}

interface CompareResult {
  backup: string;
  file: string;
  documentUri: string;
  counts: { changed: number; added: number; removed: number; unchanged: number };
}

const ORDERS = ['orders', '.env'];
/** Values the tests saw written: like the canary, none may appear outside the files. */
const generated: string[] = [];

/** The value of `key` in a `.env` text (simple unquoted entries, as in the fixtures). */
function valueOf(text: string, key: string): string | undefined {
  let v: string | undefined;
  for (const line of text.split(/\r?\n/)) {
    const m = new RegExp(`^${key}=(.*)$`).exec(line);
    if (m) v = m[1];
  }
  return v;
}

async function documentText(uri: string): Promise<string> {
  return (await vscode.workspace.openTextDocument(vscode.Uri.parse(uri))).getText();
}

function assertNoValue(text: string, where: string): void {
  assertNoCanary(text, where);
  for (const v of generated) if (text.includes(v)) assert.fail(`a new value appeared in ${where}`);
}

/** Puts orders/.env back as the fixture has it and removes the backups the tests wrote. */
async function restoreOrders(api: RekeyApi): Promise<void> {
  const fixture = path.join(process.env.REKEY_TEST_FIXTURES ?? '', 'workspaces', 'basic', 'orders', '.env');
  const text = await fs.readFile(fixture, 'utf8');
  await fs.writeFile(fileUri(...ORDERS).fsPath, text);
  const open = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === fileUri(...ORDERS).fsPath);
  if (open) await waitFor(() => open.getText() === text, 'the open orders/.env to reload from disk');
  for (const name of await fs.readdir(fileUri('orders').fsPath)) {
    if (name.startsWith('.env.before-secret-rotation')) await fs.rm(fileUri('orders', name).fsPath);
  }
  await api.model.refresh();
  await api.whenIdle();
}

function testHooks(api: RekeyApi): NonNullable<RekeyApi['test']> {
  assert.ok(api.test, 'test hooks are available under tests');
  return api.test;
}

describe('rotation flow', () => {
  afterEach(closeAll);

  it('Compare with Backup shows each key with its status and fingerprints, never a value, and opens no diff', async () => {
    const api = await rekeyApi();
    const backup = fileUri('.env.backup').fsPath;
    testHooks(api).queueAnswers([backup]);
    const result = await vscode.commands.executeCommand<CompareResult>('rekey.compareWithBackup', { uri: fileUri('.env') });
    assert.ok(result, 'Compare with Backup returned nothing');
    assert.equal(result.backup, backup);
    // .env vs .env.backup: SESSION_SECRET changed, API_TOKEN the same, the rest only in .env.
    assert.deepEqual(result.counts, { changed: 1, added: 4, removed: 0, unchanged: 1 });
    const md = await documentText(result.documentUri);
    const changed = /\| \*\*changed\*\* \| `SESSION_SECRET` \| \d+ \| session secret \| `([0-9a-f]{8})` \| `([0-9a-f]{8})` \|/.exec(md);
    assert.ok(changed, `the changed row with both fingerprints:\n${md.replace(new RegExp(CANARY, 'g'), '<canary>')}`);
    assert.notEqual(changed[1], changed[2], 'a changed value has another fingerprint');
    const same = /\| same \| `API_TOKEN` \| \d+ \| [^|]+ \| `([0-9a-f]{8})` \| `([0-9a-f]{8})` \|/.exec(md);
    assert.ok(same, 'the unchanged row');
    assert.equal(same[1], same[2], 'an unchanged value has the same fingerprint on both sides');
    assert.match(md, /\| \*\*added\*\* \| `DATABASE_URL` \|/);
    assert.match(md, /All existing sessions are now invalid/, 'the impact of the changed session secret');
    assertNoCanary(md, 'the comparison document');
    assert.ok(!vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => t.input instanceof vscode.TabInputTextDiff)), 'no diff editor was opened');
    const shown = api.notifications().filter((n) => /against \.env\.backup/.test(n));
    assert.ok(shown.some((n) => /1 changed, 0 removed, 4 added, 1 same/.test(n)), 'the notification summarises the comparison');
  });

  it('Reveal Values in Backup Diff asks first, then diffs read-only snapshots that masking leaves alone', async () => {
    const api = await rekeyApi();
    const hooks = testHooks(api);
    const args = { uri: fileUri('.env').toString(), backup: fileUri('.env.backup').fsPath };
    hooks.queueAnswers([undefined]);
    const declined = await vscode.commands.executeCommand<{ revealed: boolean }>('rekey.revealBackupDiff', args);
    assert.equal(declined?.revealed, false);
    assert.ok(hooks.questions().some((q) => /Show the values of \.env and \.env\.backup\?/.test(q)), 'the confirmation was asked');
    assert.ok(!vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => t.input instanceof vscode.TabInputTextDiff)), 'declined: no diff');

    // The file's own editor stays masked while the diff shows values.
    const editor = await openEditor(fileUri('.env'));
    await waitFor(() => api.masking.maskedRanges(editor.document.uri).length > 0, '.env to be masked');
    hooks.queueAnswers(['Reveal Values']);
    const revealed = await vscode.commands.executeCommand<{ revealed: boolean }>('rekey.revealBackupDiff', args);
    assert.equal(revealed?.revealed, true);
    const input = await waitFor(() => {
      const i = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
      return i instanceof vscode.TabInputTextDiff ? i : undefined;
    }, 'the diff tab');
    assert.equal(input.original.scheme, 'rekey-revealed');
    assert.equal(input.modified.scheme, 'rekey-revealed');
    const left = await vscode.workspace.openTextDocument(input.original);
    const right = await vscode.workspace.openTextDocument(input.modified);
    assert.equal(left.getText(), await fs.readFile(fileUri('.env.backup').fsPath, 'utf8'), 'the left side is the backup');
    assert.equal(right.getText(), await fs.readFile(fileUri('.env').fsPath, 'utf8'), 'the right side is the file');
    await waitFor(() => vscode.window.visibleTextEditors.some((e) => e.document.uri.toString() === input.modified.toString()), 'the diff sides to be visible');
    assert.deepEqual(api.masking.maskedRanges(input.modified), [], 'the revealed side is not masked');
    // The file itself, shown next to the diff, stays masked.
    await vscode.window.showTextDocument(editor.document, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true, preview: false });
    await waitFor(() => api.masking.maskedRanges(fileUri('.env')).length > 0, 'the file next to the diff to be masked');
    assert.ok(vscode.window.visibleTextEditors.some((e) => e.document.uri.toString() === input.modified.toString()), 'the diff is still visible');
    assert.deepEqual(api.masking.maskedRanges(input.modified), [], 'the revealed side is still not masked');
    assert.ok(api.logLines().some((l) => /revealed the values of \.env and \.env\.backup in a diff \(asked\)/.test(l)), 'the reveal is logged, by file');
  });

  it('the plan preview names the choices of the question that follows it', async () => {
    const api = await rekeyApi();
    const hooks = testHooks(api);
    const before = hooks.promptTexts().length;
    hooks.queueAnswers([undefined]);
    const cancelled = await vscode.commands.executeCommand<RotateResult>('rekey.rotateSecret', { uri: fileUri(...ORDERS), key: 'ORDERS_DB_PASSWORD' });
    assert.equal(cancelled?.reason, 'cancelled');
    const plan = api.views?.document(cancelled.planUri ?? '') ?? '';
    const asked = hooks.promptTexts().slice(before);
    const named = [...plan.matchAll(/\*\*([^*]+)\*\*/g)].map((m) => m[1] ?? '').filter((t) => /^(Replace|Keep|Rotate)\b/.test(t) && t !== 'Rotate');
    assert.ok(named.length >= 2, `the preview names the choices (${named.join(' | ')})`);
    for (const label of named) assert.ok(asked.includes(label), `"${label}" in the preview is a label the user is shown (${asked.join(' | ')})`);
    assert.ok(asked.some((t) => t === 'Keep the old value while consumers move?'), 'the question is short');
    assert.ok(asked.every((t) => t.length <= 120 || !/\?$/.test(t)), 'no question is longer than a quick pick shows');
  });

  it('after Rotate, the runbook marks what rekey did; Copy New Value copies the value written and clears it', async () => {
    const api = await rekeyApi();
    const hooks = testHooks(api);
    const env = fileUri(...ORDERS);
    const config = vscode.workspace.getConfiguration('rekey');
    try {
      hooks.queueAnswers(['replace', 'Rotate']);
      const result = await vscode.commands.executeCommand<RotateResult>('rekey.rotateSecret', { uri: env, key: 'ORDERS_DB_PASSWORD', showPlan: true });
      assert.equal(result?.applied, true, `not applied: ${result?.reason ?? ''} ${(result?.blockers ?? []).join('; ')}`);
      const written = valueOf(await fs.readFile(env.fsPath, 'utf8'), 'ORDERS_DB_PASSWORD');
      assert.ok(written && !written.includes(CANARY));
      generated.push(written);

      const runbook = api.views?.document(result.runbookUri ?? '') ?? '';
      assert.match(runbook, /> \*\*Applied\.\*\* rekey did \d+ items/);
      assert.match(runbook, /✅ \*\*Done by rekey\.\*\* rekey saved `(orders\/)?\.env` as `(orders\/)?\.env\.before-secret-rotation/, 'backup written');
      assert.match(runbook, /✅ \*\*Done by rekey\.\*\* rekey saved [^\n]*replaced `ORDERS_DB_PASSWORD`[^\n]*rewrote `ORDERS_DATABASE_URL`/, 'value replaced, linked entry updated');
      assert.match(runbook, /✅ \*\*Done by rekey\.\*\* Where it is read[^\n]*rekey listed every consumer/, 'consumers listed');
      const steps = runbook.slice(runbook.indexOf('## 4. Steps'), runbook.indexOf('## 5. Verify'));
      assert.doesNotMatch(steps, /rekey rotate/, 'no step tells the user to run the CLI for what rekey did');
      assert.match(steps, /Change the (role's )?password (in PostgreSQL|at the database server) first[\s\S]*?📋 Needs the new value: \*\*Copy New Value\*\*/);
      assertNoValue(runbook, 'the runbook');

      // The rotated entry's hover offers Copy New Value as a command link (the preview cannot run one).
      const doc = (await openEditor(env)).document;
      const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', env, new vscode.Position(lineOf(doc, 'ORDERS_DB_PASSWORD'), 2))) ?? [];
      const link = /\[Copy New Value\]\(command:rekey\.copyNewValue\?([^)\s]+)/.exec(hoverText(hovers));
      assert.ok(link?.[1], 'the hover has a Copy New Value link');
      const linkArgs = JSON.parse(decodeURIComponent(link[1])) as unknown[];

      await config.update('clipboard.clearAfterSeconds', 1, vscode.ConfigurationTarget.Global);
      const copied = await vscode.commands.executeCommand<{ copied: boolean; from?: string; clearAfterSeconds?: number }>('rekey.copyNewValue', ...linkArgs);
      assert.deepEqual(copied, { copied: true, key: 'ORDERS_DB_PASSWORD', from: 'ORDERS_DB_PASSWORD', clearAfterSeconds: 1 });
      const onClipboard = await vscode.env.clipboard.readText();
      // Some hosts cannot read the clipboard back (it reads as empty); where they can, check it.
      if (onClipboard !== '') {
        assert.equal(onClipboard, written, 'the clipboard holds the value written to the file');
        await waitFor(async () => (await vscode.env.clipboard.readText()) === '', 'the clipboard to be cleared');
        // Copied over in the meantime: left alone.
        await vscode.commands.executeCommand('rekey.copyNewValue', { uri: env.toString(), key: 'ORDERS_DB_PASSWORD' });
        await vscode.env.clipboard.writeText('something the user copied');
        await waitFor(() => api.logLines().some((l) => /left the clipboard alone/.test(l)), 'the clearing to run');
        assert.equal(await vscode.env.clipboard.readText(), 'something the user copied');
      }
      assert.ok(api.logLines().some((l) => /copied the new value of ORDERS_DB_PASSWORD \(from ORDERS_DB_PASSWORD\) to the clipboard/.test(l)));

      // Once the file no longer holds what rekey wrote, nothing is copied.
      await restoreOrders(api);
      const stale = await vscode.commands.executeCommand<{ copied: boolean; reason?: string }>('rekey.copyNewValue', { uri: env.toString(), key: 'ORDERS_DB_PASSWORD' });
      assert.deepEqual(stale, { copied: false, key: 'ORDERS_DB_PASSWORD', reason: 'changed' });
    } finally {
      await config.update('clipboard.clearAfterSeconds', undefined, vscode.ConfigurationTarget.Global);
      await restoreOrders(api);
    }
  });

  it('after Undo of a rotation, the statuses are the ones before it as soon as the undo is analysed', async () => {
    const api = await rekeyApi();
    const hooks = testHooks(api);
    // A copy of orders/.env in a folder of its own: no earlier test rotated it, so the rotation
    // ledger holds nothing about it that could hide a wrong status.
    const dir = fileUri('undo-rotation');
    const env = fileUri('undo-rotation', '.env');
    await fs.mkdir(dir.fsPath, { recursive: true });
    await fs.writeFile(env.fsPath, await fs.readFile(path.join(process.env.REKEY_TEST_FIXTURES ?? '', 'workspaces', 'basic', 'orders', '.env'), 'utf8'));
    const debounceMs = vscode.workspace.getConfiguration('rekey').get<number>('diagnostics.debounceMs', 200);
    // Each secret of orders/.env with its status, and the file's diagnostics: value-free.
    const statuses = () => {
      const file = api.model.files().find((f) => f.uri === env.toString());
      const secrets = (file?.secrets ?? []).map((s) => `${s.key}:${s.status ?? '-'}`).sort();
      const diagnostics = rekeyDiagnostics(env).map((d) => `${d.range.start.line}:${codeOf(d)}`).sort();
      return [...secrets, '|', ...diagnostics].join(' ');
    };
    try {
      const doc = (await openEditor(env)).document;
      const original = doc.getText();
      await api.whenIdle();
      const before = statuses();
      assert.match(before, /ORDERS_DB_PASSWORD:overdue/, 'the fixture password is overdue before the rotation');
      assert.match(before, /ORDERS_DATABASE_URL:unknown/, 'the linked URL has no known age before the rotation');
      hooks.queueAnswers(['replace', 'Rotate']);
      const result = await vscode.commands.executeCommand<RotateResult>('rekey.rotateSecret', { uri: env, key: 'ORDERS_DB_PASSWORD', openRunbook: false });
      assert.equal(result?.applied, true, `not applied: ${result?.reason ?? ''} ${(result?.blockers ?? []).join('; ')}`);
      const written = valueOf(await fs.readFile(env.fsPath, 'utf8'), 'ORDERS_DB_PASSWORD');
      if (written) generated.push(written);
      await api.whenIdle();
      await waitFor(() => /ORDERS_DB_PASSWORD:ok/.test(statuses()), 'the rotated password to be ok');

      // Undo, as the user does it: in the rotated file's editor.
      await vscode.window.showTextDocument(doc, { preview: false, preserveFocus: false });
      await vscode.commands.executeCommand('undo');
      await waitFor(() => doc.getText() === original, 'the undo to restore the text');
      const undoneAt = Date.now();
      // Every state shown from the undo on, for three seconds (more than the git debounce).
      const seen: Array<{ at: number; state: string }> = [];
      while (Date.now() - undoneAt < 3_000) {
        const state = statuses();
        if (seen.at(-1)?.state !== state) seen.push({ at: Date.now() - undoneAt, state });
        await new Promise((r) => setTimeout(r, 5));
      }
      await api.whenIdle();
      const timeline = seen.map((s) => `+${s.at} ms ${s.state}`).join('\n');
      assert.equal(statuses(), before, `settled on the statuses before the rotation:\n${timeline}`);
      // Once the undone text is analysed (the debounce and a pass), nothing else is shown.
      const settled = seen.findIndex((s) => s.state === before);
      assert.ok(settled >= 0 && seen[settled]!.at <= debounceMs + 500, `the statuses before the rotation came back within the debounce and a pass:\n${timeline}`);
      assert.equal(seen.length - 1, settled, `after they came back, nothing else was shown:\n${timeline}`);
      assertNoValue(timeline, 'the statuses');

      // Saving the undone file (rekey then notes the old values again) changes nothing either.
      assert.ok(await doc.save(), 'the undone file saved');
      await api.whenIdle();
      await new Promise((r) => setTimeout(r, debounceMs + 100));
      await api.whenIdle();
      assert.equal(statuses(), before, 'after saving the undo, the statuses before the rotation');
    } finally {
      await closeAll();
      await fs.rm(dir.fsPath, { recursive: true, force: true });
      await api.model.refresh();
    }
  });

  it('never shows a value in the quick picks, dialogs and notifications of these flows', async () => {
    const api = await rekeyApi();
    const hooks = testHooks(api);
    const prompts = hooks.promptTexts();
    assert.ok(prompts.some((t) => /Compare \.env with which backup\?/.test(t)), 'the Compare with Backup pick was recorded');
    assert.ok(prompts.some((t) => t === 'Rotate ORDERS_DB_PASSWORD?'), 'the Rotate dialog was recorded');
    assert.ok(prompts.some((t) => /gets a new value/.test(t)), 'the dialog detail was recorded');
    for (const t of prompts) assertNoValue(t, 'a quick pick item, question or dialog');
    const notes = api.notifications();
    assert.ok(notes.some((n) => /new value of ORDERS_DB_PASSWORD is on the clipboard/.test(n)), 'the Copy New Value notification was recorded');
    for (const n of notes) assertNoValue(n, 'a notification');
    assertNoValue(api.logLines().join('\n'), 'the log');
  });
});
