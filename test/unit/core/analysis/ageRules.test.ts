import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, utimesSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ageRules } from '../../../../src/core/analysis/ageRules';
import { ruleInfo } from '../../../../src/core/findings/ruleInfo';
import { defaultRuleProviders } from '../../../../src/core/analysis/rules';
import { scanPaths } from '../../../../src/core/analysis/scan';
import { makeWorkspace } from '../backup/gitRepo';

const NOW = new Date('2026-09-01T00:00:00Z');
const DAY = 86_400_000;
const ago = (days: number): Date => new Date(NOW.getTime() - days * DAY);
const CANARY = 'CANARYage0f1e2d3c4b5a';

describe('age rules', () => {
  it('registers rotation-overdue and rotation-due-soon', () => {
    assert.equal(ruleInfo('rotation-overdue').severity, 'warning');
    assert.equal(ruleInfo('rotation-due-soon').severity, 'info');
    assert.ok(defaultRuleProviders().includes(ageRules));
  });

  it('reports overdue (warning) and due-soon (info) secrets with their source, never their values', async () => {
    const dir = makeWorkspace({
      '.env': [
        `# rekey: kind=session-signing`,
        `# rotated: ${ago(120).toISOString().slice(0, 10)}`,
        `SESSION_SECRET=${CANARY}1`,
        `# rotated: ${ago(80).toISOString().slice(0, 10)}`,
        `JWT_SECRET=${CANARY}2`,
        `# rotated: ${ago(10).toISOString().slice(0, 10)}`,
        `AUTH_SECRET=${CANARY}3`,
        `# rekey: kind=encryption-key`,
        `APP_ENCRYPTION_KEY=${CANARY}4`,
        `# rekey: ignore`,
        `PORT=3000`,
        '',
      ].join('\n'),
    });
    utimesSync(path.join(dir, '.env'), ago(400), ago(400));
    const stateDir = mkdtempSync(path.join(os.tmpdir(), 'rekey-state-'));
    const r = await scanPaths([dir], [ageRules], { now: NOW, trusted: true, settings: { age: { ledgerDir: stateDir } } });
    const got = r.findings.map((f) => `${f.key}:${f.rule}:${f.severity}:${String(f.data?.source)}`).sort();
    assert.deepEqual(got, [
      // 365-day interval, file untouched for 400 days: overdue whatever the exact date.
      'APP_ENCRYPTION_KEY:rotation-overdue:warning:mtime',
      'JWT_SECRET:rotation-due-soon:info:annotation',
      'SESSION_SECRET:rotation-overdue:warning:annotation',
    ].sort());
    const session = r.findings.find((f) => f.key === 'SESSION_SECRET')!;
    assert.match(session.message, /SESSION_SECRET \(session secret\) is in use since (\d{4}-\d{2}-\d{2}) \("# rotated: \1" comment\), 120 days; the rotation interval is 90 days: rotate it\./);
    assert.equal(session.range.start.line, 2);
    assert.match(r.findings.find((f) => f.key === 'JWT_SECRET')!.message, /due for rotation in 10 days/);
    assert.match(r.findings.find((f) => f.key === 'APP_ENCRYPTION_KEY')!.message, /at least 400 days \(the file was last modified/);
    assert.ok(!JSON.stringify(r.findings).includes('CANARY'));
    // Scans only read the ledger unless told to record.
    assert.equal(existsSync(path.join(stateDir, 'ledger.json')), false);
  });

  it('honours the due-soon window and records in the ledger when configured', async () => {
    const dir = makeWorkspace({ '.env': `# rotated: ${ago(80).toISOString().slice(0, 10)}\nJWT_SECRET=${CANARY}\n` });
    const stateDir = mkdtempSync(path.join(os.tmpdir(), 'rekey-state-'));
    const narrow = await scanPaths([dir], [ageRules], { now: NOW, settings: { age: { ledgerDir: stateDir, dueSoonDays: 5, record: true } } });
    assert.equal(narrow.findings.length, 0);
    assert.equal(existsSync(path.join(stateDir, 'ledger.json')), true);
  });
});
