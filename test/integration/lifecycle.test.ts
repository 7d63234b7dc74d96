// A rotation's whole life in the editor, in a real extension host: an accidental change to a
// session secret stays visible after an unrelated rotation (scenario 1 of the baselines issue),
// rotate → Verify Secrets → Retire Rotation Backup against a real redis-server, and rotate →
// Restore from Backup. Afterwards the Secrets view shows the stage and no stale status, and
// rekey's own backups are one info item each, never alarms. No value appears anywhere.
import * as assert from 'node:assert/strict';
import { existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { createClient } from '@redis/client';
import type { VerifySecretsResult } from '../../src/extension/commands/verifySecrets';
import type { TreeNodeDescription } from '../../src/extension/tree/secretsView';
import type { RekeyApi } from '../../src/extension/extension';
import { redisServerBin, removeDir, startRedis, type RedisServer } from '../helpers/liveServers';
import { assertNoCanary, CANARY, closeAll, codeOf, fileUri, hoverText, lineOf, openEditor, rekeyApi, rekeyDiagnostics, waitFor, waitForDiagnostic } from './support/rekey';

interface RotateResult {
  applied: boolean;
  reason?: string;
  backup?: string;
  blockers?: string[];
}

const AUTH_OLD = `${CANARY}_auth_old_Qm4Lp8Zr2Tx6Wv1N`;
const AUTH_NEW = `${CANARY}_auth_new_Hs7Kd3Bf9Jc5Yg0E`;
const PG_PW = `${CANARY}_pg_Rw2Xe6Tn`;
const REDIS_OLD = `${CANARY}_redis_Ua5Io9Pq`;

function valueOf(text: string, key: string): string | undefined {
  let v: string | undefined;
  for (const line of text.split(/\r?\n/)) {
    const m = new RegExp(`^${key}=(.*)$`).exec(line);
    if (m) v = m[1];
  }
  return v;
}

async function writeFolder(name: string, files: Record<string, string>): Promise<void> {
  await fs.mkdir(fileUri(name).fsPath, { recursive: true });
  for (const [f, text] of Object.entries(files)) await fs.writeFile(fileUri(name, f).fsPath, text, { mode: 0o600 });
}

async function idle(api: RekeyApi): Promise<void> {
  await api.model.refresh();
  await api.whenIdle();
  await api.views?.secretsTree.whenIdle();
}

async function node(api: RekeyApi, parts: string[], key: string): Promise<TreeNodeDescription | undefined> {
  const uri = fileUri(...parts).toString();
  return (await api.views?.secretsTree.describeAll())?.find((n) => n.type === 'secret' && n.uri === uri && n.key === key);
}

function waitForNode(api: RekeyApi, parts: string[], key: string, what: string, ok: (n: TreeNodeDescription) => boolean): Promise<TreeNodeDescription> {
  return waitFor(async () => {
    await api.views?.secretsTree.whenIdle();
    const n = await node(api, parts, key);
    return n && ok(n) ? n : undefined;
  }, `${key} in the Secrets view: ${what}`);
}

/** Every diagnostic rekey shows in the folder's files that is a warning or an error. */
function alarms(folder: string): string[] {
  const out: string[] = [];
  for (const [uri, diags] of vscode.languages.getDiagnostics()) {
    if (!uri.fsPath.startsWith(fileUri(folder).fsPath + path.sep)) continue;
    for (const d of diags) {
      if (d.source === 'rekey' && d.severity <= vscode.DiagnosticSeverity.Warning) out.push(`${path.basename(uri.fsPath)}:${d.range.start.line + 1} ${codeOf(d)}: ${d.message}`);
    }
  }
  return out;
}

/** A diagnostic's whole text: its one line, the advice in its related information, and the model's finding. */
function fullText(api: RekeyApi, uri: vscode.Uri, d: vscode.Diagnostic): string {
  const finding = api.model.file(uri)?.findings.find((f) => f.rule === codeOf(d) && f.range.start.line === d.range.start.line);
  return [d.message, ...(d.relatedInformation ?? []).map((r) => r.message), finding?.message ?? ''].join('\n');
}

/** The rekey-made backups in a folder. */
async function rekeyBackups(folder: string): Promise<string[]> {
  return (await fs.readdir(fileUri(folder).fsPath)).filter((f) => /\.before-(secret-rotation|restore)/.test(f));
}

async function assertNoBackupNoise(api: RekeyApi, folder: string): Promise<void> {
  const nodes = (await api.views?.secretsTree.describeAll()) ?? [];
  const noise = nodes.filter((n) => n.uri !== undefined && /\.before-(secret-rotation|restore)/.test(n.uri));
  assert.deepEqual(noise.map((n) => `${n.type} ${n.label}`), [], 'rekey-made backups are not listed as files with secrets');
  for (const b of await rekeyBackups(folder)) {
    const ds = rekeyDiagnostics(fileUri(folder, b));
    // The inventory hints (`secret`, severity Hint) list keys in every .env-family file; anything
    // louder must be the one rotation-backup item.
    const loud = ds.filter((d) => d.severity !== vscode.DiagnosticSeverity.Hint);
    assert.ok(loud.every((d) => codeOf(d) === 'rotation-backup' && d.severity === vscode.DiagnosticSeverity.Information), `${b}: only its one info item, got ${loud.map((d) => `${codeOf(d)}: ${d.message}`).join(' | ')}`);
    assert.ok(loud.length <= 1, `${b}: one item`);
  }
}

describe('rotation lifecycle in the editor', function () {
  this.timeout(120_000);
  const generated: string[] = [];
  afterEach(closeAll);
  after(async () => {
    for (const f of ['lifecycle-auth', 'lifecycle-verify', 'lifecycle-restore']) await fs.rm(fileUri(f).fsPath, { recursive: true, force: true });
    const api = await rekeyApi();
    await idle(api);
    const seen = [api.notifications().join('\n'), api.logLines().join('\n')].join('\n');
    assertNoCanary(seen, 'notifications and log');
    for (const v of generated) assert.ok(!seen.includes(v), 'a generated value appeared in a notification or the log');
  });

  it('a changed AUTH_SECRET stays an error, and stays "changed" in the Secrets view, after rotating POSTGRES_PASSWORD', async () => {
    const api = await rekeyApi();
    await writeFolder('lifecycle-auth', {
      '.env': `AUTH_SECRET=${AUTH_NEW}\nPOSTGRES_PASSWORD=${PG_PW}\n`,
      '.env.backup': `AUTH_SECRET=${AUTH_OLD}\nPOSTGRES_PASSWORD=${PG_PW}\n`,
    });
    const env = fileUri('lifecycle-auth', '.env');
    await idle(api);
    const before = await waitForDiagnostic(env, 'changed-since-backup', 0, 30_000);
    assert.equal(before.severity, vscode.DiagnosticSeverity.Error);
    assert.match(fullText(api, env, before), /every user must log in again/);
    await waitForNode(api, ['lifecycle-auth', '.env'], 'AUTH_SECRET', 'changed', (n) => n.status === 'changed');

    const r = await vscode.commands.executeCommand<RotateResult>('rekey.rotateSecret', { uri: env, key: 'POSTGRES_PASSWORD', confirm: true, keepPrevious: false });
    assert.equal(r?.applied, true, `not applied: ${r?.reason ?? ''} ${(r?.blockers ?? []).join('; ')}`);
    const text = await fs.readFile(env.fsPath, 'utf8');
    const fresh = valueOf(text, 'POSTGRES_PASSWORD');
    assert.ok(fresh && fresh !== PG_PW);
    generated.push(fresh);
    await idle(api);

    const after = await waitForDiagnostic(env, 'changed-since-backup', lineOf((await openEditor(env)).document, 'AUTH_SECRET'), 30_000);
    assert.equal(after.severity, vscode.DiagnosticSeverity.Error, 'the accidental change is still an error');
    assert.match(fullText(api, env, after), /every user must log in again/);
    assert.match(after.message, /\.env\.backup/, 'compared with the user\'s backup, not rekey\'s');
    const auth = await waitForNode(api, ['lifecycle-auth', '.env'], 'AUTH_SECRET', 'still changed', (n) => n.status === 'changed');
    assert.doesNotMatch(auth.description ?? '', /age unknown/);
    const pg = await waitForNode(api, ['lifecycle-auth', '.env'], 'POSTGRES_PASSWORD', 'rotation stage in the tooltip', (n) => /Rotation: rotated by rekey on/.test(n.tooltip ?? ''));
    assert.match(pg.tooltip ?? '', /not yet verified/);
    const doc = (await openEditor(env)).document;
    const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', env, new vscode.Position(lineOf(doc, 'POSTGRES_PASSWORD'), 2))) ?? [];
    assert.match(hoverText(hovers), /\*\*Rotation:\*\* rotated by rekey on \d{4}-\d\d-\d\d, not yet verified/);
    await assertNoBackupNoise(api, 'lifecycle-auth');
    for (const t of [pg.tooltip ?? '', auth.tooltip ?? '', hoverText(hovers), after.message]) {
      assertNoCanary(t, 'a tooltip, hover or diagnostic');
      assert.ok(!t.includes(fresh), 'the new value appeared');
    }
  });

  it('rotate → Verify Secrets (real Redis) → Retire Rotation Backup: verified, then retired, with no stale status', async function () {
    if (redisServerBin() === undefined) this.skip();
    const redis: RedisServer = await startRedis([`requirepass ${REDIS_OLD}`]);
    try {
      const api = await rekeyApi();
      await writeFolder('lifecycle-verify', { '.env': `REDIS_PASSWORD=${REDIS_OLD}\nREDIS_URL=redis://:${REDIS_OLD}@127.0.0.1:${redis.port}/0\n` });
      const env = fileUri('lifecycle-verify', '.env');
      await idle(api);
      const r = await vscode.commands.executeCommand<RotateResult>('rekey.rotateSecret', { uri: env, key: 'REDIS_PASSWORD', confirm: true, keepPrevious: false });
      assert.equal(r?.applied, true, `not applied: ${r?.reason ?? ''} ${(r?.blockers ?? []).join('; ')}`);
      const fresh = valueOf(await fs.readFile(env.fsPath, 'utf8'), 'REDIS_PASSWORD') ?? '';
      assert.ok(fresh && fresh !== REDIS_OLD);
      generated.push(fresh);
      await waitForNode(api, ['lifecycle-verify', '.env'], 'REDIS_PASSWORD', 'applied', (n) => /not yet verified/.test(n.tooltip ?? ''));

      // The operator deploys the new password to the server, then verifies (from the file itself).
      const admin = createClient({ socket: { host: '127.0.0.1', port: redis.port, reconnectStrategy: false }, password: REDIS_OLD });
      await admin.connect();
      await admin.sendCommand(['CONFIG', 'SET', 'requirepass', fresh]);
      admin.destroy();
      const v = await vscode.commands.executeCommand<VerifySecretsResult>('rekey.verifySecrets', { uri: env, showReport: false });
      assert.ok(v, 'Verify Secrets returned a result');
      assert.ok(v.results.length > 0, 'a file URI finds the file\'s connection secrets');
      assert.equal(v.ok, true, JSON.stringify(v.results.map((x) => `${x.key} ${x.status}`)));
      assert.ok(v.verifiedRotations.includes('REDIS_PASSWORD'), `verified: ${v.verifiedRotations.join(', ')}`);
      const verified = await waitForNode(api, ['lifecycle-verify', '.env'], 'REDIS_PASSWORD', 'verified', (n) => /verified on \d{4}/.test(n.tooltip ?? ''));
      assert.notEqual(verified.status, 'changed');
      const [backup] = await rekeyBackups('lifecycle-verify');
      assert.ok(backup, 'the rotation kept a backup');
      const item = await waitForDiagnostic(fileUri('lifecycle-verify', backup), 'rotation-backup', undefined, 30_000);
      await waitFor(() => rekeyDiagnostics(fileUri('lifecycle-verify', backup)).some((d) => /: verified/.test(d.message)), 'the backup item to say verified');
      assert.equal(item.severity, vscode.DiagnosticSeverity.Information);

      api.test?.queueAnswers(['Delete Backup']);
      const retired = await vscode.commands.executeCommand<boolean>('rekey.retireRotationBackup', fileUri('lifecycle-verify', backup));
      assert.equal(retired, true);
      assert.ok(!existsSync(fileUri('lifecycle-verify', backup).fsPath), 'the backup is deleted');
      await idle(api);
      const end = await waitForNode(api, ['lifecycle-verify', '.env'], 'REDIS_PASSWORD', 'retired', (n) => /retired on \d{4}/.test(n.tooltip ?? ''));
      assert.ok(end.status === 'ok', `no stale status: ${end.status ?? ''} ${end.description ?? ''}`);
      assert.deepEqual(alarms('lifecycle-verify'), [], 'no warning or error is left');
      await assertNoBackupNoise(api, 'lifecycle-verify');
      assert.ok(!(end.tooltip ?? '').includes(fresh) && !(end.tooltip ?? '').includes(REDIS_OLD));
    } finally {
      await redis.stop();
      removeDir(redis.dir);
    }
  });

  it('rotate → Restore from Backup gives back the old value its own age, and leaves no alarm', async () => {
    const api = await rekeyApi();
    await writeFolder('lifecycle-restore', { '.env': `# rotated: 2023-01-15\nPOSTGRES_PASSWORD=${PG_PW}\n` });
    const env = fileUri('lifecycle-restore', '.env');
    await idle(api);
    const r = await vscode.commands.executeCommand<RotateResult>('rekey.rotateSecret', { uri: env, key: 'POSTGRES_PASSWORD', confirm: true, keepPrevious: false });
    assert.equal(r?.applied, true, `not applied: ${r?.reason ?? ''} ${(r?.blockers ?? []).join('; ')}`);
    generated.push(valueOf(await fs.readFile(env.fsPath, 'utf8'), 'POSTGRES_PASSWORD') ?? '');
    const [backup] = await rekeyBackups('lifecycle-restore');
    assert.ok(backup, 'the rotation kept a backup');
    await waitForNode(api, ['lifecycle-restore', '.env'], 'POSTGRES_PASSWORD', 'rotated', (n) => /Rotation: rotated by rekey/.test(n.tooltip ?? ''));

    const restored = await vscode.commands.executeCommand<boolean>('rekey.restoreFromBackup', { uri: env.toString(), key: 'POSTGRES_PASSWORD', backup: fileUri('lifecycle-restore', backup).fsPath });
    assert.equal(restored, true);
    const open = await vscode.workspace.openTextDocument(env);
    assert.equal(valueOf(open.getText(), 'POSTGRES_PASSWORD'), PG_PW, 'the old value is back in the editor');
    assert.equal(open.isDirty, true, 'left unsaved for review, like every quick fix');
    assert.equal(await open.save(), true, 'the user saves it');
    const text = await fs.readFile(env.fsPath, 'utf8');
    assert.equal(valueOf(text, 'POSTGRES_PASSWORD'), PG_PW, 'the old value is back, on disk');
    assert.match(text, /^# rotated: 2023-01-15\r?\nPOSTGRES_PASSWORD=/m, 'its own "# rotated:" line is back');
    assert.equal((text.match(/# rotated:/g) ?? []).length, 1, 'the rotation\'s line is gone');

    await idle(api);
    const n = await waitForNode(api, ['lifecycle-restore', '.env'], 'POSTGRES_PASSWORD', 'the restored value\'s own age', (x) => (x.ageDays ?? 0) > 1000);
    assert.doesNotMatch(n.tooltip ?? '', /Rotation: rotated by rekey/, 'the restored value is not the rotated one');
    assert.notEqual(n.status, 'changed');
    assert.deepEqual(alarms('lifecycle-restore').filter((a) => !/overdue|rotation-due/i.test(a)), [], 'no alarm beyond the restored value being overdue');
    await assertNoBackupNoise(api, 'lifecycle-restore');
  });
});
