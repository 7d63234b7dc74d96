// The Secrets view and its commands (issue 8): the tree (folder → file → secret) through the API,
// filter and sort, Rotate Secret end to end (plan preview, backup, WorkspaceEdit with Undo, the
// `# rotated:` date, age 0 in the tree), Generate Secret, Insert Runbook Snippet, Show
// Consumers, Scan Git History, the rotation report, the status bar, and the
// never-leak rule over everything the view and the commands showed.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RekeyApi } from '../../src/extension/extension';
import type { TreeNodeDescription } from '../../src/extension/tree/secretsView';
import type { ViewsApi } from '../../src/extension/views/register';
import { assertNoCanary, CANARY, closeAll, codeOf, fileUri, git, hoverText, lineOf, openEditor, rekeyApi, rekeyDiagnostics, waitFor, waitForDiagnostic, workspaceRoot } from './support/rekey';

interface RotateResult {
  applied: boolean;
  reason?: string;
  key?: string;
  kind?: string;
  mode?: string;
  newKey?: string;
  keptPrevious?: string;
  backup?: string;
  files?: string[];
  planUri?: string;
  runbookUri?: string;
  blockers?: string[];
}

const ORDERS = ['orders', '.env'];
/** Every value a test generated: like the canary, none may appear outside the files. */
const generated: string[] = [];
/** Every generated document the tests opened (plans, runbooks, reports). */
const documents: string[] = [];

async function setup(): Promise<{ api: RekeyApi; views: ViewsApi }> {
  const api = await rekeyApi();
  assert.ok(api.views, 'the API exposes the Secrets view');
  await api.views.secretsTree.whenIdle();
  return { api, views: api.views };
}

function today(): string {
  const d = new Date();
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/** The value of `key` in a `.env` text (simple unquoted entries, as in the fixtures). */
function valueOf(text: string, key: string): string | undefined {
  let v: string | undefined;
  for (const line of text.split(/\r?\n/)) {
    const m = new RegExp(`^${key}=(.*)$`).exec(line);
    if (m) v = m[1];
  }
  return v;
}

async function secretNode(views: ViewsApi, file: string[], key: string): Promise<TreeNodeDescription | undefined> {
  const uri = fileUri(...file).toString();
  return (await views.secretsTree.describeAll()).find((n) => n.type === 'secret' && n.uri === uri && n.key === key);
}

function waitForSecret(views: ViewsApi, file: string[], key: string, what: string, ok: (n: TreeNodeDescription) => boolean): Promise<TreeNodeDescription> {
  return waitFor(async () => {
    const n = await secretNode(views, file, key);
    return n && ok(n) ? n : undefined;
  }, `${key} in the tree: ${what}`);
}

/** Puts orders/.env back as the fixture has it and removes the backups the tests wrote. */
async function restoreOrders(api: RekeyApi): Promise<void> {
  const fixture = path.join(process.env.REKEY_TEST_FIXTURES ?? '', 'workspaces', 'basic', 'orders', '.env');
  const text = await fs.readFile(fixture, 'utf8');
  await fs.writeFile(fileUri(...ORDERS).fsPath, text);
  // A document still open in the background follows the disk asynchronously; rotations plan from it.
  const open = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === fileUri(...ORDERS).fsPath);
  if (open) await waitFor(() => open.getText() === text, 'the open orders/.env to reload from disk');
  for (const name of await fs.readdir(fileUri('orders').fsPath)) {
    if (name.startsWith('.env.before-secret-rotation')) await fs.rm(fileUri('orders', name).fsPath);
  }
  await api.model.refresh();
  await api.whenIdle();
}

/**
 * Closes every editor, emptying untitled documents first: closing one with content asks to save
 * it (even when `isDirty` says false).
 */
async function teardown(): Promise<void> {
  for (const doc of vscode.workspace.textDocuments.filter((d) => d.isUntitled && d.getText() !== '')) {
    // An empty untitled editor closes without asking.
    const editor = await vscode.window.showTextDocument(doc);
    await editor.edit((b) => b.delete(new vscode.Range(0, 0, doc.lineCount, 0)));
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  }
  await closeAll();
}

async function rotate(args: Record<string, unknown>): Promise<RotateResult> {
  const result = await vscode.commands.executeCommand<RotateResult>('rekey.rotateSecret', args);
  assert.ok(result, 'Rotate Secret returned nothing (it failed: see the notifications)');
  for (const uri of [result.planUri, result.runbookUri]) if (uri) documents.push(uri);
  return result;
}

describe('Secrets view', () => {
  afterEach(teardown);

  it('shows file → secret with key, kind and age, an icon per status, tooltips and a badge, never a value', async () => {
    const { views } = await setup();
    const db = await waitForSecret(views, ORDERS, 'ORDERS_DB_PASSWORD', 'overdue', (n) => n.status === 'overdue');
    // ORDERS_DB_PASSWORD leaves 12 characters: the kind and the age go, the status stays.
    assert.equal(db.description, 'overdue', 'the status first; the kind and age left out rather than cut off');
    assert.equal(db.icon, 'history');
    assert.equal(db.color, 'list.warningForeground');
    assert.match(db.contextValue ?? '', /^rekey\.secret;status=overdue;attention/);
    assert.match(db.tooltip ?? '', /database password/);
    assert.match(db.tooltip ?? '', /Rotation interval: 90 days/);

    const roots = await views.secretsTree.getChildren();
    assert.ok(roots.every((n) => n.type === 'file'), 'a single-folder workspace starts at its files');
    const labels = roots.map((n) => n.label);
    for (const f of ['.env', '.env.local', 'orders/.env']) assert.ok(labels.includes(f), `${f} is in the tree (got ${labels.join(', ')})`);
    assert.ok(!labels.some((l) => l.includes('backup')), 'backups are not listed as files');

    // .env's SESSION_SECRET differs from .env.backup: its worst status wins.
    const changed = await waitForSecret(views, ['.env'], 'SESSION_SECRET', 'changed since backup', (n) => n.status === 'changed');
    assert.equal(changed.icon, 'diff-modified');
    const children = (await views.secretsTree.getChildren(roots.find((n) => n.label === 'orders/.env'))).map((n) => n.label);
    assert.ok(!children.includes('ORDERS_PORT'), 'settings that are not secrets are not listed');
    assert.ok(views.secretsTree.badge && views.secretsTree.badge.value >= 1, 'the badge counts the problems to fix now');

    const bar = views.statusBar();
    assert.equal(bar.visible, true);
    assert.match(bar.text, /^\$\(key\) \d+$/);
    assert.match(bar.tooltip, /need(s)? attention/);
    assertNoCanary(JSON.stringify(await views.secretsTree.describeAll()), 'the Secrets tree');
  });

  it('tree descriptions, hovers, badge and status bar use one vocabulary and one count', async () => {
    const { views } = await setup();
    await waitForSecret(views, ['.env'], 'SESSION_SECRET', 'changed since backup', (n) => n.status === 'changed');
    const secrets = (await views.secretsTree.describeAll()).filter((n) => n.type === 'secret');
    assert.ok(secrets.length >= 4, `the demo workspace lists its secrets (got ${secrets.length})`);
    // Hand-written: the words the Secrets view and the hover use for each status.
    const short: Record<string, string> = { leaked: 'leaked', changed: 'changed', overdue: 'overdue', 'due-soon': 'due soon', ok: 'ok' };
    const label: Record<string, string> = { leaked: 'leaked in git history', changed: 'changed since backup', overdue: 'overdue', 'due-soon': 'due soon', ok: 'ok', unknown: 'age unknown' };
    let attention = 0;
    for (const n of secrets) {
      const d = n.description ?? '';
      assert.ok(d.length <= 28, `${n.label}: "${d}" fits the default side bar`);
      assert.doesNotMatch(d, /\d d.*age unknown|age unknown.*\d d/, `${n.label}: "${d}" does not pair a day count with "age unknown"`);
      assert.doesNotMatch(d, /≤ 0 d/, `${n.label}: "${d}"`);
      const ignored = (n.contextValue ?? '').includes(';suppressed');
      if (ignored) assert.match(d, /^ignored/);
      else if (n.status && short[n.status]) assert.ok(d.startsWith(short[n.status] as string), `${n.label}: "${d}" leads with its status ${n.status}`);
      if (!ignored && (n.contextValue ?? '').includes(';attention')) attention++;
      if (!n.uri || !n.key || !n.status) continue;
      const uri = vscode.Uri.parse(n.uri);
      const doc = (await openEditor(uri)).document;
      const hover = hoverText((await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(lineOf(doc, n.key), 1))) ?? []);
      const status = /\*\*Status:\*\* ([^\n]*)/.exec(hover)?.[1]?.replace(/\*\*/g, '').trim();
      assert.ok(status, `${n.label}: the hover has a Status line`);
      assert.ok(status.startsWith(label[n.status] as string), `${n.label}: the hover says "${status}", the tree says ${n.status}`);
      assert.doesNotMatch(hover, /status: unknown/);
      // One spelling of the kind: the hover's title names the kind the tree's tooltip names, and
      // a description that keeps its kind ends with that same name.
      const hoverKind = /^\*\*rekey\*\* · `[^`]+` · ([^·(\n]+)/m.exec(hover)?.[1]?.trim();
      const tooltip = n.tooltip ?? '';
      const treeKind = /\*\* — ([^(\n]+) \(/.exec(tooltip)?.[1]?.trim();
      assert.ok(hoverKind && treeKind, `${n.label}: the hover (${hoverKind}) and the tooltip (${treeKind}) name a kind`);
      assert.equal(hoverKind, treeKind, `${n.label}: the hover and the tree spell the kind the same way`);
      const parts = d.split(' · ');
      if (parts.length === 3) assert.equal(parts[2], treeKind, `${n.label}: "${d}" ends with the kind's one spelling`);
    }
    assert.ok(attention >= 1, 'the demo workspace has secrets needing attention');
    assert.equal(views.secretsTree.badge?.value, attention, 'the badge counts the secrets the tree marks as needing attention');
    assert.equal(views.statusBar().text, `$(key) ${attention}`, 'the status bar counts the same set');
    await closeAll();
  });

  it('filters to the secrets needing attention and sorts by urgency, name or position', async () => {
    const { views } = await setup();
    await waitForSecret(views, ORDERS, 'ORDERS_DB_PASSWORD', 'overdue', (n) => n.status === 'overdue');
    const all = (await views.secretsTree.describeAll()).filter((n) => n.type === 'secret');
    await vscode.commands.executeCommand('rekey.filterNeedsAttention');
    try {
      assert.equal(views.secretsTree.filter, 'attention');
      const shown = (await views.secretsTree.describeAll()).filter((n) => n.type === 'secret');
      assert.ok(shown.length > 0 && shown.length < all.length, `the filter hides some secrets (${shown.length} of ${all.length})`);
      for (const n of shown) assert.ok(['leaked', 'changed', 'overdue', 'due-soon'].includes(n.status ?? ''), `${n.label} (${n.status}) needs attention`);
      assert.equal(views.secretsTree.message, `Showing ${shown.length} of ${all.length} secrets: those needing attention. Show All Secrets clears the filter.`, 'a filtered view says so');
    } finally {
      await vscode.commands.executeCommand('rekey.filterAll');
    }
    assert.equal(views.secretsTree.message, undefined, 'the message goes with the filter');
    assert.equal((await views.secretsTree.describeAll()).filter((n) => n.type === 'secret').length, all.length);

    const orders = (await views.secretsTree.getChildren()).find((n) => n.label === 'orders/.env');
    assert.ok(orders);
    const keys = async (): Promise<string[]> => (await views.secretsTree.getChildren(orders)).map((n) => n.label);
    try {
      await vscode.commands.executeCommand('rekey.sortByName');
      const byName = await keys();
      assert.deepEqual(byName, [...byName].sort());
      await vscode.commands.executeCommand('rekey.sortByFile');
      assert.deepEqual((await keys()).slice(0, 2), ['ORDERS_SESSION_SECRET', 'ORDERS_DB_PASSWORD']);
    } finally {
      await vscode.commands.executeCommand('rekey.sortByAge');
    }
    assert.equal(views.secretsTree.sort, 'age');
    assert.equal((await keys())[0], 'ORDERS_DB_PASSWORD', 'by urgency, the overdue password comes first');
  });

  it('Show Rotation Report lists every secret with age, status and next due date, and exports it', async () => {
    const { views } = await setup();
    await waitForSecret(views, ORDERS, 'ORDERS_DB_PASSWORD', 'overdue', (n) => n.status === 'overdue');
    const report = await vscode.commands.executeCommand<{ uri: string; text: string }>('rekey.showRotationReport', { show: false });
    assert.ok(report);
    documents.push(report.uri);
    assert.match(report.text, /^# Secret rotation report/);
    assert.match(report.text, /## Rotate first[\s\S]*`ORDERS_DB_PASSWORD` in `orders\/\.env:4`: overdue/);
    assert.match(report.text, /\| `ORDERS_DB_PASSWORD` \| database password \| \d+ d \(annotation\) \| 90 d \| \*\*overdue\*\* \| — \| \d{4}-\d\d-\d\d \(\d+ d ago\) \|/);
    assert.match(report.text, /### orders\/\.env/);
    assertNoCanary(report.text, 'the rotation report');

    const target = path.join(process.env.TMPDIR ?? '/tmp', `rekey-report-${Date.now()}.md`);
    const written = await vscode.commands.executeCommand<string>('rekey.exportRotationReport', { target: vscode.Uri.file(target) });
    assert.equal(written, target);
    assert.match(await fs.readFile(target, 'utf8'), /`ORDERS_DB_PASSWORD`/);
  });
});

describe('Rotate Secret', () => {
  afterEach(async () => {
    await teardown();
    await restoreOrders(await rekeyApi());
  });

  it('a rotation never hides an accidental change: the backup difference of another secret stays an error', async () => {
    const api = await rekeyApi();
    const env = fileUri('.env');
    const before = await fs.readFile(env.fsPath, 'utf8');
    try {
      await openEditor(env);
      const line = (await vscode.workspace.openTextDocument(env)).getText().split('\n').findIndex((l) => l.startsWith('SESSION_SECRET='));
      const changed = await waitForDiagnostic(env, 'changed-since-backup', line);
      assert.equal(changed.severity, vscode.DiagnosticSeverity.Error);

      const result = await rotate({ uri: env, key: 'DATABASE_URL', confirm: true });
      assert.equal(result.applied, true, `not applied: ${result.reason ?? ''} ${(result.blockers ?? []).join('; ')}`);
      await api.model.refresh();
      await api.whenIdle();
      // Still compared with the user's .env.backup, not with rekey's own backup (the rotation
      // added a "# rotated:" line above DATABASE_URL, so SESSION_SECRET moved down one line).
      const lineAfter = (await fs.readFile(env.fsPath, 'utf8')).split('\n').findIndex((l) => l.startsWith('SESSION_SECRET='));
      const still = await waitForDiagnostic(env, 'changed-since-backup', lineAfter);
      assert.equal(still.severity, vscode.DiagnosticSeverity.Error);
      // rekey's backup: one item to retire, no backup errors.
      const own = vscode.Uri.file(result.backup as string);
      await waitForDiagnostic(own, 'rotation-backup');
      assert.deepEqual(rekeyDiagnostics(own).filter((d) => codeOf(d) !== 'secret' && codeOf(d) !== 'rotation-backup').map(codeOf), []);
    } finally {
      await fs.writeFile(env.fsPath, before);
      for (const name of await fs.readdir(path.dirname(env.fsPath))) {
        if (name.startsWith('.env.before-secret-rotation')) await fs.rm(path.join(path.dirname(env.fsPath), name));
      }
      await api.model.refresh();
      await api.whenIdle();
    }
  });

  it('shows the plan, writes the backup first, applies with a working Undo, and the age becomes 0 days', async () => {
    const { views } = await setup();
    const env = fileUri(...ORDERS);
    const before = await fs.readFile(env.fsPath, 'utf8');
    await waitForSecret(views, ORDERS, 'ORDERS_SESSION_SECRET', 'listed', () => true);

    const result = await rotate({ uri: env, key: 'ORDERS_SESSION_SECRET', confirm: true });
    assert.equal(result.applied, true, `not applied: ${result.reason ?? ''} ${(result.blockers ?? []).join('; ')}`);
    assert.equal(result.kind, 'session-signing');
    assert.equal(result.mode, 'replace');

    // The backup holds exactly what was replaced, readable only by the user.
    assert.equal(result.backup, `${env.fsPath}.before-secret-rotation`);
    // First line: the comment that marks a rekey-made backup (dotenv ignores it).
    const backupText = await fs.readFile(result.backup, 'utf8');
    assert.match(backupText, /^# rekey: backup before rotating ORDERS_SESSION_SECRET on \S+; delete it once the new value works everywhere \(rekey retire\)\r?\n/);
    assert.equal(backupText.replace(/^[^\n]*\n/, ''), before);
    assert.equal((await fs.stat(result.backup)).mode & 0o777, 0o600);

    // The file: a new value, dated, everything else untouched; saved.
    const after = await fs.readFile(env.fsPath, 'utf8');
    const oldValue = valueOf(before, 'ORDERS_SESSION_SECRET');
    const newValue = valueOf(after, 'ORDERS_SESSION_SECRET');
    assert.ok(newValue && newValue !== oldValue, 'the value changed on disk');
    generated.push(newValue);
    assert.ok(newValue.length >= 32, 'a strong replacement');
    const lines = after.split('\n');
    assert.equal(lines[lines.findIndex((l) => l.startsWith('ORDERS_SESSION_SECRET=')) - 1], `# rotated: ${today()}`);
    assert.equal(valueOf(after, 'ORDERS_DB_PASSWORD'), valueOf(before, 'ORDERS_DB_PASSWORD'));

    // The plan preview: readable, value-free.
    assert.ok(result.planUri);
    const plan = views.document(result.planUri) ?? '';
    assert.match(plan, /^# Rotate `ORDERS_SESSION_SECRET`/);
    assert.match(plan, /## Impact/);
    assert.match(plan, /## Pattern: Dual-credential window/);
    assert.match(plan, /## Consumers \([1-9]\d*\)[\s\S]*docker-compose\.yml/);
    assert.match(plan, /## Restart order/);
    assert.match(plan, /\*\*Applied\.\*\*/);
    assert.ok(result.runbookUri);
    assert.match(views.document(result.runbookUri) ?? '', /ORDERS_SESSION_SECRET/);

    // The tree: rotated today.
    const node = await waitForSecret(views, ORDERS, 'ORDERS_SESSION_SECRET', 'age 0 days', (n) => n.ageDays === 0);
    assert.equal(node.status, 'ok');
    assert.match(node.description ?? '', /^ok( · < 1 d|$)/);
    assert.match(node.tooltip ?? '', /Age: [^\n]*1 d/, 'the tooltip keeps the age');

    // Undo reverts the whole rotation in the editor.
    const doc = await vscode.workspace.openTextDocument(env);
    await vscode.window.showTextDocument(doc, { preview: false });
    await vscode.commands.executeCommand('undo');
    await waitFor(() => doc.getText() === before, 'Undo to restore the text before the rotation');
    assert.ok(await doc.save());
    assert.equal(await fs.readFile(env.fsPath, 'utf8'), before);
  });

  it('rotates a password together with the URL that embeds it', async () => {
    const { views } = await setup();
    const env = fileUri(...ORDERS);
    await waitForSecret(views, ORDERS, 'ORDERS_DB_PASSWORD', 'overdue', (n) => n.status === 'overdue');
    const result = await rotate({ uri: env, key: 'ORDERS_DB_PASSWORD', confirm: true, openRunbook: false });
    assert.equal(result.applied, true, `not applied: ${(result.blockers ?? []).join('; ')}`);
    const after = await fs.readFile(env.fsPath, 'utf8');
    const password = valueOf(after, 'ORDERS_DB_PASSWORD');
    assert.ok(password && !password.includes(CANARY));
    generated.push(password);
    assert.equal(valueOf(after, 'ORDERS_DATABASE_URL'), `postgres://orders:${password}@db:5432/orders`, 'the URL got the same new password');
    assert.match(views.document(result.planUri ?? '') ?? '', /## Linked entries \(1\)[\s\S]*`ORDERS_DATABASE_URL` \| rewrite/);
    await waitForSecret(views, ORDERS, 'ORDERS_DB_PASSWORD', 'no longer overdue', (n) => n.ageDays === 0 && n.status === 'ok');
  });

  it('stages ORDERS_ENCRYPTION_KEY_NEW by default; replacing the key in place needs a second confirmation', async () => {
    const { api } = await setup();
    assert.ok(api.test, 'test hooks are available under tests');
    const env = fileUri(...ORDERS);
    const before = await fs.readFile(env.fsPath, 'utf8');

    // Interactive: choose "replace in place", then decline the --force confirmation.
    api.test.queueAnswers(['replace', undefined]);
    const declined = await rotate({ uri: env, key: 'ORDERS_ENCRYPTION_KEY', showPlan: false });
    assert.equal(declined.applied, false);
    assert.equal(declined.reason, 'cancelled');
    assert.ok(api.test.questions().some((q) => /Replace ORDERS_ENCRYPTION_KEY in place\? This is what --force does/.test(q)), 'the second confirmation was asked');
    assert.equal(await fs.readFile(env.fsPath, 'utf8'), before, 'nothing changed');

    const staged = await rotate({ uri: env, key: 'ORDERS_ENCRYPTION_KEY', confirm: true, openRunbook: false, showPlan: false });
    assert.equal(staged.applied, true);
    assert.equal(staged.mode, 'add-new');
    assert.equal(staged.newKey, 'ORDERS_ENCRYPTION_KEY_NEW');
    const after = await fs.readFile(env.fsPath, 'utf8');
    assert.equal(valueOf(after, 'ORDERS_ENCRYPTION_KEY'), valueOf(before, 'ORDERS_ENCRYPTION_KEY'), 'the key in use is not touched');
    const staging = valueOf(after, 'ORDERS_ENCRYPTION_KEY_NEW');
    assert.ok(staging && staging !== valueOf(before, 'ORDERS_ENCRYPTION_KEY'));
    generated.push(staging);
  });

  it('keeps the previous value of a dual-window secret when asked (quick pick answered)', async () => {
    const { api } = await setup();
    assert.ok(api.test);
    const env = fileUri(...ORDERS);
    const before = await fs.readFile(env.fsPath, 'utf8');
    api.test.queueAnswers(['keep', 'Rotate']);
    const result = await rotate({ uri: env, key: 'ORDERS_WEBHOOK_SECRET', openRunbook: false, showPlan: false });
    assert.equal(result.applied, true, `not applied: ${result.reason ?? ''} ${(result.blockers ?? []).join('; ')}`);
    assert.equal(result.keptPrevious, 'ORDERS_WEBHOOK_SECRET_PREVIOUS');
    const after = await fs.readFile(env.fsPath, 'utf8');
    assert.equal(valueOf(after, 'ORDERS_WEBHOOK_SECRET_PREVIOUS'), valueOf(before, 'ORDERS_WEBHOOK_SECRET'));
    const fresh = valueOf(after, 'ORDERS_WEBHOOK_SECRET');
    assert.ok(fresh && fresh !== valueOf(before, 'ORDERS_WEBHOOK_SECRET'));
    generated.push(fresh);
  });

  it('does not invent provider-issued tokens: the plan is blocked until a value is given', async () => {
    await setup();
    const env = fileUri('.env');
    const before = await fs.readFile(env.fsPath, 'utf8');
    const result = await rotate({ uri: env, key: 'API_TOKEN', confirm: true, showPlan: false });
    assert.equal(result.applied, false);
    assert.equal(result.reason, 'blocked');
    assert.match((result.blockers ?? []).join(' '), /provider issues new values/);
    assert.equal(await fs.readFile(env.fsPath, 'utf8'), before);
  });
});

describe('secret commands', () => {
  afterEach(teardown);

  it('Generate Secret inserts a fresh value in the chosen format, or one like the key under the cursor', async () => {
    const { api } = await setup();
    assert.ok(api.test);
    const doc = await vscode.workspace.openTextDocument({ language: 'plaintext', content: '' });
    await vscode.window.showTextDocument(doc);
    const hex = await vscode.commands.executeCommand<{ format: string; length: number }>('rekey.generateSecret', { format: 'hex:32', destination: 'insert' });
    assert.deepEqual(hex, { format: 'hex:32', length: 64, destination: 'insert' });
    assert.match(doc.getText(), /^[0-9a-f]{64}$/);
    generated.push(doc.getText());

    // Quick picks answered: format, then destination.
    const doc2 = await vscode.workspace.openTextDocument({ language: 'plaintext', content: '' });
    await vscode.window.showTextDocument(doc2);
    api.test.queueAnswers(['uuid', 'insert']);
    await vscode.commands.executeCommand('rekey.generateSecret');
    assert.match(doc2.getText(), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, 'a UUID inserted');
    generated.push(doc2.getText());

    // "Like this key": the cursor on ORDERS_WEBHOOK_SECRET in orders/.env.
    const editor = await openEditor(fileUri(...ORDERS));
    const line = lineOf(editor.document, 'ORDERS_WEBHOOK_SECRET');
    editor.selection = new vscode.Selection(line, 3, line, 3);
    const like = await vscode.commands.executeCommand<{ format: string; length: number; destination: string }>('rekey.generateSecret', { format: 'like', destination: 'clipboard' });
    assert.ok(like);
    assert.equal(like.destination, 'clipboard');
    assert.ok(like.length >= 16, `a strong value like the key (${like.format})`);
    const copied = await vscode.env.clipboard.readText();
    if (copied !== '') {
      assert.equal(copied.length, like.length);
      generated.push(copied);
    }
  });

  it('Insert Runbook Snippet writes the runbook into Markdown as is, and into a .env file as comments', async () => {
    await setup();
    const md = await vscode.workspace.openTextDocument({ language: 'markdown', content: '' });
    await vscode.window.showTextDocument(md);
    const r1 = await vscode.commands.executeCommand<{ style: string; lines: number }>('rekey.insertRunbook', { uri: fileUri(...ORDERS), key: 'ORDERS_SESSION_SECRET' });
    assert.equal(r1?.style, 'markdown');
    assert.match(md.getText(), /ORDERS_SESSION_SECRET/);
    assert.match(md.getText(), /^## /m);
    assertNoCanary(md.getText(), 'the inserted runbook');

    const editor = await openEditor(fileUri(...ORDERS));
    const before = editor.document.getText();
    const line = lineOf(editor.document, 'ORDERS_WEBHOOK_SECRET');
    editor.selection = new vscode.Selection(line, 0, line, 0);
    const r2 = await vscode.commands.executeCommand<{ style: string; lines: number }>('rekey.insertRunbook', { uri: fileUri(...ORDERS), key: 'ORDERS_WEBHOOK_SECRET' });
    assert.equal(r2?.style, 'comments');
    const text = editor.document.getText();
    const inserted = text.split('\n').slice(line, line + (r2?.lines ?? 0));
    assert.ok(inserted.length > 10 && inserted.every((l) => l.startsWith('#')), 'every inserted line is a comment');
    for (const key of ['ORDERS_SESSION_SECRET', 'ORDERS_DB_PASSWORD', 'ORDERS_WEBHOOK_SECRET']) assert.equal(valueOf(text, key), valueOf(before, key), `${key} reads the same`);
  });

  it('Show Consumers finds where a key is read, Show in File and Copy Key Name act on the key only', async () => {
    await setup();
    const ref = { uri: fileUri(...ORDERS), key: 'ORDERS_SESSION_SECRET' };
    const consumers = await vscode.commands.executeCommand<Array<{ file: string; line: number; service?: string }>>('rekey.showConsumers', ref);
    assert.ok(consumers);
    const where = consumers.map((c) => `${path.relative(workspaceRoot(), c.file)}:${c.line + 1}${c.service ? ` ${c.service}` : ''}`);
    assert.ok(where.some((w) => w.startsWith('orders/src/app.js:2')), `code reference found (${where.join(', ')})`);
    assert.ok(where.some((w) => w.startsWith('orders/docker-compose.yml') && w.endsWith('worker')), `compose service found (${where.join(', ')})`);

    const shown = await vscode.commands.executeCommand<{ line: number }>('rekey.showInFile', ref);
    const editor = vscode.window.activeTextEditor;
    assert.equal(editor?.document.uri.fsPath, ref.uri.fsPath);
    assert.equal(editor?.selection.start.line, shown?.line);
    assert.equal(editor?.document.getText(editor.selection), 'ORDERS_SESSION_SECRET');

    assert.equal(await vscode.commands.executeCommand('rekey.copyKeyName', ref), 'ORDERS_SESSION_SECRET');
    const copied = await vscode.env.clipboard.readText();
    if (copied !== '') assert.equal(copied, 'ORDERS_SESSION_SECRET');
  });

  it('Reveal Value from the view reveals the value in the editor only', async () => {
    const { api } = await setup();
    const ref = { uri: fileUri(...ORDERS), key: 'ORDERS_WEBHOOK_SECRET' };
    await vscode.commands.executeCommand('rekey.revealValueFromView', ref);
    await waitFor(() => api.masking.revealedKeys(ref.uri).includes('ORDERS_WEBHOOK_SECRET'), 'the value to be revealed in the editor');
    assertNoCanary(JSON.stringify(await api.views?.secretsTree.describeAll()), 'the tree after a reveal');
  });

  it('Create .env from .env.example copies the template with mode 600 and opens it', async () => {
    const { api, views } = await setup();
    const example = fileUri('starter', '.env.example');
    const created = fileUri('starter', '.env');
    try {
      const r = await vscode.commands.executeCommand<{ created: boolean; file: string }>('rekey.createEnvFromExample', example);
      assert.deepEqual(r, { created: true, file: created.fsPath });
      assert.equal(await fs.readFile(created.fsPath, 'utf8'), await fs.readFile(example.fsPath, 'utf8'));
      assert.equal((await fs.stat(created.fsPath)).mode & 0o777, 0o600);
      assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, created.fsPath);
      await waitFor(async () => (await views.secretsTree.getChildren()).some((n) => n.label === 'starter/.env'), 'starter/.env in the tree');
      const again = await vscode.commands.executeCommand<{ created: boolean }>('rekey.createEnvFromExample', example);
      assert.equal(again?.created, false, 'an existing .env is never overwritten');
    } finally {
      await closeAll();
      await fs.rm(created.fsPath, { force: true });
      await api.model.refresh();
    }
  });
});

describe('Scan Git History', () => {
  const leaky = (): string => fileUri('leaky').fsPath;
  after(async () => {
    await fs.rm(leaky(), { recursive: true, force: true });
    const api = await rekeyApi();
    await api.model.refresh();
    await api.whenIdle();
  });

  it('runs with progress and shows a committed secret as leaked in the tree', async () => {
    const { views } = await setup();
    await fs.mkdir(leaky(), { recursive: true });
    await fs.writeFile(path.join(leaky(), '.env'), `# committed by mistake (canary: ${CANARY})\nLEAKY_JWT_SECRET=${CANARY}_leaky_jwt_Wq8Re3Ty6Ui9\n`);
    await git(leaky(), 'init', '-q');
    await git(leaky(), 'add', '.env');
    await git(leaky(), 'commit', '-q', '-m', 'add env');
    const api = await rekeyApi();
    await api.model.refresh();
    await api.whenIdle();
    const result = await vscode.commands.executeCommand<{ cancelled: boolean; leaked: number; folders: Array<{ status: string }> }>('rekey.scanHistory');
    assert.ok(result);
    assert.equal(result.cancelled, false);
    assert.ok(result.folders.length >= 1);
    const node = await waitForSecret(views, ['leaky', '.env'], 'LEAKY_JWT_SECRET', 'leaked', (n) => n.status === 'leaked');
    assert.equal(node.icon, 'flame');
    assert.match(node.tooltip ?? '', /Committed to git in 1 commit/);
    assert.ok(result.leaked >= 1);
    const said = api.notifications().filter((n) => /git history/.test(n)).pop() ?? '';
    assert.match(said, new RegExp(`^rekey: ${result.leaked} leaked values? found in the git history of \\d+ folders?: rotate (it|them)\\.`), `the scan reports its result (got "${said}")`);
    assertNoCanary(said, 'the scan notification');
  });
});

describe('never leaks', () => {
  it('no value appears in the tree, status bar, generated documents, notifications or logs', async () => {
    const { api, views } = await setup();
    assert.ok(generated.length >= 4, 'the rotation tests ran first and produced values');
    const shown: Array<[string, string]> = [
      ['the Secrets tree', JSON.stringify(await views.secretsTree.describeAll())],
      ['the status bar', JSON.stringify(views.statusBar())],
      ['notifications', api.notifications().join('\n')],
      ['the log', api.logLines().join('\n')],
    ];
    for (const uri of documents) shown.push([uri, views.document(uri) ?? '']);
    for (const [where, text] of shown) {
      assertNoCanary(text, where);
      for (const value of generated) assert.ok(!text.includes(value), `a generated value appeared in ${where}`);
    }
  });
});
