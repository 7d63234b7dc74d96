import { strict as assert } from 'node:assert';
import { agePart, countAttention, describeStatus, descriptionBudget, secretStatus, statusText, type StatusAge } from '../../../../src/core/analysis/secretStatus';
import type { Finding } from '../../../../src/core/findings/finding';

function finding(rule: string, severity: Finding['severity'], data?: Record<string, unknown>): Finding {
  return { file: '/w/.env', key: 'K', rule, severity, message: rule, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, ...(data ? { data } : {}) };
}
const exact = (ageDays: number, status: StatusAge['status']): StatusAge => ({ ageDays, bound: 'exact', status });

describe('core/analysis/secretStatus', () => {
  it('gives the worst status first, every status that applies, and whether it needs attention', () => {
    const r = secretStatus({ findings: [finding('changed-since-backup', 'error'), finding('leaked-in-history', 'error', { commits: ['a', 'b'] })], age: exact(631, 'overdue') });
    assert.deepEqual(r.statuses, ['leaked', 'changed', 'overdue']);
    assert.equal(r.status, 'leaked');
    assert.equal(r.label, 'leaked in git history');
    assert.equal(r.short, 'leaked');
    assert.equal(r.needsAttention, true);
    assert.equal(r.exposures, 2);
  });

  it('does not count info findings or a recorded rotation as a problem', () => {
    const r = secretStatus({ findings: [finding('leaked-in-history', 'info'), finding('changed-since-backup', 'warning', { rotated: true })], age: exact(3, 'ok') });
    assert.deepEqual(r.statuses, ['ok']);
    assert.equal(r.needsAttention, false);
    assert.equal(r.exposures, 0);
  });

  it('says "age unknown" only when nothing is known, and ranks it between due soon and ok', () => {
    const unknown = secretStatus({ findings: [] });
    assert.deepEqual(unknown.statuses, ['unknown']);
    assert.equal(unknown.needsAttention, false);
    assert.ok(unknown.rank > secretStatus({ findings: [], age: exact(80, 'due-soon') }).rank);
    assert.ok(unknown.rank < secretStatus({ findings: [], age: exact(8, 'ok') }).rank);
  });

  it('writes ages without contradicting the status', () => {
    assert.equal(agePart({ ageDays: 0, bound: 'at-least', status: 'unknown' }), undefined);
    assert.equal(agePart({ ageDays: 0, bound: 'at-most', status: 'ok' }), '< 1 d');
    assert.equal(agePart({ ageDays: 0, bound: 'exact', status: 'ok' }), '< 1 d');
    assert.equal(statusText({ status: 'unknown' }, { ageDays: 549, bound: 'at-most', status: 'unknown' }), '≤ 549 d');
    assert.equal(statusText({ status: 'leaked' }, exact(631, 'overdue')), 'leaked · 631 d');
    assert.equal(statusText({ status: 'unknown' }, undefined), 'age unknown');
  });

  it('keeps descriptions within the side bar: the kind goes before the status does', () => {
    assert.equal(describeStatus({ status: 'leaked' }, exact(631, 'overdue'), 'connection URL', 40), 'leaked · 631 d · connection URL');
    assert.equal(describeStatus({ status: 'leaked' }, exact(631, 'overdue'), 'connection URL'), 'leaked · 631 d', '31 characters do not fit');
    assert.equal(describeStatus({ status: 'leaked' }, exact(631, 'overdue'), 'connection URL', 28), 'leaked · 631 d');
    assert.equal(describeStatus({ status: 'ok' }, exact(5, 'ok'), 'API token'), 'ok · 5 d · API token');
    // Beside a long key: the age goes after the kind, the status word stays.
    assert.equal(describeStatus({ status: 'overdue' }, exact(700, 'overdue'), 'database password', 9), 'overdue');
    assert.equal(describeStatus({ status: 'overdue' }, exact(700, 'overdue'), 'database password', 17), 'overdue · 700 d');
  });

  it('budgets the description by the key beside it', () => {
    assert.equal(descriptionBudget('API_TOKEN'), 21);
    assert.equal(descriptionBudget('ORDERS_ENCRYPTION_KEY'), 9);
    assert.equal(descriptionBudget('K'), 28, 'never more than the description cap');
    assert.equal(descriptionBudget('A_VERY_LONG_KEY_NAME_THAT_FILLS_THE_ROW'), 0);
  });

  it('counts attention the one way: leaked, changed, overdue, due soon, not suppressed', () => {
    const items = [
      { status: 'leaked', suppressed: false },
      { status: 'changed', suppressed: false },
      { status: 'overdue', suppressed: true },
      { status: 'due-soon', suppressed: false },
      { status: 'ok', suppressed: false },
      { status: 'unknown', suppressed: false },
    ] as const;
    assert.equal(countAttention(items), 3);
  });
});
