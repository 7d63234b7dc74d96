// Verify Secrets in a real extension host: progress, a value-free report and notification, and
// the per-key results (an unreachable Redis on a closed loopback port, a scheme without driver).
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { VerifySecretsResult } from '../../src/extension/commands/verifySecrets';
import { CANARY, rekeyApi } from './support/rekey';

async function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

describe('Verify Secrets', function () {
  this.timeout(60_000);
  let dir: string;

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'rekey-it-verify-'));
    const port = await closedPort();
    writeFileSync(path.join(dir, '.env'), `REDIS_URL=redis://:${CANARY}@127.0.0.1:${port}/0\nAMQP_URL=amqp://guest:${CANARY}@127.0.0.1:5672/\n`);
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports unreachable and skipped per key, never a value', async () => {
    const api = await rekeyApi();
    const before = api.notifications().length;
    const result = await vscode.commands.executeCommand<VerifySecretsResult>('rekey.verifySecrets', { uri: vscode.Uri.file(dir), showReport: false });
    assert.ok(result, 'the command returned a result');
    const byKey = new Map(result.results.map((r) => [r.key, r]));
    assert.equal(byKey.get('REDIS_URL')?.status, 'unreachable');
    assert.equal(byKey.get('AMQP_URL')?.status, 'skipped');
    assert.equal(result.ok, false);
    assert.ok(!JSON.stringify(result).includes(CANARY));
    assert.ok(result.reportUri);
    const doc = api.views?.document(result.reportUri) ?? '';
    assert.ok(doc.includes('unreachable') && doc.includes('REDIS\\_URL'), doc);
    assert.ok(!doc.includes(CANARY));
    const shown = api.notifications().slice(before);
    assert.ok(shown.some((n) => /1 unreachable/.test(n)), shown.join('\n'));
    assert.ok(!shown.join('\n').includes(CANARY));
  });
});
