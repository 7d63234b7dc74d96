import * as assert from 'node:assert/strict';
import { parseEnv } from '../../../../src/core/env/parse';
import type { Finding } from '../../../../src/core/findings/finding';
import { sameAnalysis } from '../../../../src/extension/model/sameAnalysis';
import type { FileAnalysis } from '../../../../src/extension/model/types';
import { fileUri } from './fakeVscode';

describe('extension/model/sameAnalysis', () => {
  const parsed = parseEnv('A=1\n');
  const finding = (message: string): Finding => ({ file: '/w/.env', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, rule: 'secret', severity: 'info', message });
  const secrets: FileAnalysis['secrets'] = [];
  const analysis = (over: Partial<FileAnalysis> = {}): FileAnalysis => ({
    uri: fileUri('/w/.env'), folder: undefined, role: 'env', version: 1, parsed, secrets, findings: [finding('one')], ages: new Map(), backups: [], relativePath: '.env', ...over,
  });

  it('is the same when every part says the same, even as new objects', () => {
    assert.equal(sameAnalysis(analysis(), analysis()), true);
  });

  it('differs when there was none, or the text, version, a finding, a backup or an error differs', () => {
    assert.equal(sameAnalysis(undefined, analysis()), false);
    assert.equal(sameAnalysis(analysis(), analysis({ parsed: parseEnv('A=1\n') })), false, 'parsed again: the text may differ');
    assert.equal(sameAnalysis(analysis(), analysis({ version: 2 })), false);
    assert.equal(sameAnalysis(analysis(), analysis({ findings: [finding('two')] })), false);
    assert.equal(sameAnalysis(analysis(), analysis({ findings: [] })), false);
    assert.equal(sameAnalysis(analysis(), analysis({ backups: ['/w/.env.bak'] })), false);
    assert.equal(sameAnalysis(analysis(), analysis({ error: 'too large' })), false);
    assert.equal(sameAnalysis(analysis(), analysis({ secrets: [] })), false, 'secrets detected again');
  });

  it('differs when an age changed', () => {
    const age = (ageDays: number) => new Map([['A', { file: '/w/.env', key: 'A', kind: 'api-token' as const, range: finding('x').range, suppressed: false, source: 'mtime' as const, intervalDays: 90, status: 'ok' as const, detail: 'd', notes: [], ageDays }]]);
    assert.equal(sameAnalysis(analysis({ ages: age(3) }), analysis({ ages: age(3) })), true);
    assert.equal(sameAnalysis(analysis({ ages: age(3) }), analysis({ ages: age(4) })), false);
  });
});
