import * as assert from 'node:assert/strict';
import { anchorGitFindings } from '../../../../src/core/analysis/anchorGitFindings';
import { parseEnv } from '../../../../src/core/env/parse';
import type { Finding } from '../../../../src/core/findings/finding';

describe('core/analysis/anchorGitFindings', () => {
  const at = (line: number) => ({ start: { line, character: 0 }, end: { line, character: 3 } });
  const leak = (key: string, line: number): Finding => ({ file: '/w/.env', range: at(line), key, rule: 'leaked-in-history', severity: 'error', message: `${key} leaked` });

  it('moves a leak to the last definition of its key, drops it with the key, keeps other findings', () => {
    const tracked: Finding = { file: '/w/.env', range: at(0), rule: 'env-tracked', severity: 'error', message: 'tracked' };
    // As edited since the git pass: a line inserted above, API_KEY defined twice, OLD_KEY deleted.
    const { entries } = parseEnv('# new comment\nAPI_KEY=one\nPORT=1\nAPI_KEY=two\n');
    const out = anchorGitFindings([leak('API_KEY', 0), leak('OLD_KEY', 1), tracked], entries);
    assert.deepEqual(out.map((f) => `${f.rule}:${f.key ?? ''}@${f.range.start.line}`), ['leaked-in-history:API_KEY@3', 'env-tracked:@0']);
  });

  it('drops every leak when the file has no entries left', () => {
    assert.deepEqual(anchorGitFindings([leak('API_KEY', 0)], undefined), []);
  });
});
