import * as assert from 'node:assert/strict';
import { cli, copyFixture } from '../../helpers/cli';

const CANARY = 'CANARY7f3a9c1e5b';

describe('rekey scan --secrets-only', () => {
  it('lists only secret findings, with kind, confidence and interval', async () => {
    const dir = copyFixture('canary');
    const r = await cli(['scan', '--format', 'json', '--secrets-only', '--fail-on', 'never'], dir);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { version: number; findings: Array<Record<string, unknown>> };
    assert.equal(out.version, 1);
    assert.ok(out.findings.length >= 5);
    for (const f of out.findings) {
      assert.equal(f.rule, 'secret');
      assert.equal(f.severity, 'info');
      assert.ok(typeof f.kind === 'string' && ['high', 'medium', 'low'].includes(f.confidence as string) && typeof f.intervalDays === 'number');
    }
    const byKey = new Map(out.findings.filter((f) => f.file === '.env').map((f) => [f.key, f.kind]));
    assert.equal(byKey.get('DATABASE_URL'), 'connection-url');
    assert.equal(byKey.get('POSTGRES_PASSWORD'), 'database-password');
    assert.equal(byKey.get('PRIVATE_KEY'), 'private-key');
  });

  it('never prints a value in text, json or sarif (canary fixture)', async () => {
    const dir = copyFixture('canary');
    for (const format of ['text', 'json', 'sarif']) {
      const r = await cli(['scan', '--format', format, '--fail-on', 'never', '--verbose'], dir);
      assert.ok(!r.stdout.includes(CANARY) && !r.stderr.includes(CANARY), `${format} leaked the canary`);
    }
  });
});
