import * as assert from 'node:assert/strict';
import type { Finding } from '../../../../src/core/findings/finding';
import { backupOf } from '../../../../src/extension/model/findingFacts';

describe('extension/model/findingFacts', () => {
  const base: Finding = { file: '/w/.env', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, rule: 'changed-since-backup', severity: 'warning', message: 'm' };
  it('finds the backup in data or in the related location, never in a git reference', () => {
    assert.equal(backupOf({ ...base, data: { backup: '/w/.env.bak' } }), '/w/.env.bak');
    assert.equal(backupOf({ ...base, related: [{ file: '/w/.env.backup', message: 'x' }] }), '/w/.env.backup');
    assert.equal(backupOf({ ...base, related: [{ file: 'git:abc1234:.env', message: 'x' }] }), undefined);
    assert.equal(backupOf(base), undefined);
  });
});
