import { strict as assert } from 'node:assert';
import { renderRotationReport } from '../../../../src/extension/report/rotationReport';
import type { SecretStatus, SecretSummary } from '../../../../src/extension/tree/secretStatus';

const NOW = new Date(2026, 4, 1, 12, 0, 0);
const DAY = 86_400_000;

function summary(key: string, status: SecretStatus, extra: Partial<SecretSummary> = {}): SecretSummary {
  const ageDays = status === 'overdue' ? 120 : status === 'ok' ? 10 : undefined;
  return {
    file: '/ws/.env', relativePath: '.env', key, kind: 'session-signing', kindName: 'session secret', confidence: 'high', line: 3,
    keyRange: { start: { line: 3, character: 0 }, end: { line: 3, character: key.length } }, intervalDays: 90, status, statuses: [status],
    ageText: ageDays === undefined ? 'age unknown' : `${status} · ${ageDays} d`, description: '', exposures: 0, findings: [], suppressed: false,
    ...(ageDays !== undefined
      ? {
          age: { file: '/ws/.env', key, kind: 'session-signing', range: { start: { line: 3, character: 0 }, end: { line: 3, character: 1 } }, suppressed: false, source: 'annotation', status: status === 'overdue' ? 'overdue' : 'ok', intervalDays: 90, detail: '', notes: [], ageDays, bound: 'exact', since: new Date(NOW.getTime() - ageDays * DAY) },
          nextDue: new Date(NOW.getTime() + (90 - ageDays) * DAY),
        }
      : {}),
    ...extra,
  };
}

describe('extension/report/rotationReport', () => {
  it('lists every secret with age, status, exposures and next due date', () => {
    const md = renderRotationReport(
      [summary('SESSION_SECRET', 'overdue'), summary('API_TOKEN', 'leaked', { exposures: 2, kind: 'api-token', kindName: 'API token' }), summary('OK_SECRET', 'ok'), summary('HIDDEN', 'ok', { suppressed: true })],
      { now: NOW, workspaceName: 'shop', historyNotes: ['git history of `shop`: scanned 2026-05-01'] },
    );
    assert.match(md, /^# Secret rotation report — shop/);
    assert.match(md, /3 secrets in 1 file\(s\); \*\*2 need attention\*\*/);
    assert.match(md, /ignored \(`# rekey-ignore` or settings\): 1/);
    assert.match(md, /## Rotate first\n\n1\. `API_TOKEN` in `\.env:4`: leaked in git history — API token, age unknown\.\n2\. `SESSION_SECRET` in `\.env:4`: overdue — session secret, 120 d old\./);
    assert.match(md, /\| `SESSION_SECRET` \| session secret \| 120 d \(annotation\) \| 90 d \| \*\*overdue\*\* \| — \| 2026-04-01 \(30 d ago\) \|/);
    assert.match(md, /\| `API_TOKEN` \| API token \| unknown \| 90 d \| \*\*leaked in git history\*\* \| 2 commits \| — \|/);
    assert.match(md, /\| `OK_SECRET` .* \| 2026-07-\d\d \(in 80 d\) \|/);
    assert.ok(!md.includes('HIDDEN'), 'ignored secrets are counted, not listed');
  });

  it('escapes table cells and says so when there is nothing', () => {
    const md = renderRotationReport([summary('A|B', 'ok', { relativePath: 'x|y/.env' })], { now: NOW });
    assert.match(md, /`A\\\|B`/);
    assert.match(renderRotationReport([], { now: NOW }), /No secrets found/);
  });
});
