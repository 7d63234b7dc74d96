import { strict as assert } from 'node:assert';
import type { SecretAgeReport } from '../../../../src/core/age/collectAges';
import type { DetectedSecret } from '../../../../src/core/detect/types';
import { parseEnv } from '../../../../src/core/env/parse';
import type { Finding } from '../../../../src/core/findings/finding';
import type { FileAnalysis } from '../../../../src/extension/model/types';
import { ageText, compareUrgency, needsAttention, summarizeAll, summarizeFile } from '../../../../src/extension/tree/secretStatus';

const CANARY = 'REKEY_CANARY_7f3a9c1e5b';
const TEXT = `SESSION_SECRET=${CANARY}_s\nAPI_TOKEN=${CANARY}_a\nDB_PASSWORD=${CANARY}_d\nOLD_KEY=${CANARY}_o\nMUTED=${CANARY}_m\n`;
const FILE = '/ws/app/.env';

function secret(key: string, kind: DetectedSecret['kind'], extra: Partial<DetectedSecret> = {}): DetectedSecret {
  const entry = parseEnv(TEXT).entries.find((e) => e.key === key);
  assert.ok(entry);
  return { entry, kind, confidence: 'high', intervalDays: 90, evidence: [], ...extra };
}

function age(key: string, status: SecretAgeReport['status'], ageDays: number | undefined, bound: SecretAgeReport['bound'] = 'exact'): SecretAgeReport {
  return {
    file: FILE, key, kind: 'generic-secret', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, suppressed: false,
    source: 'annotation', status, intervalDays: 90, detail: 'a comment', notes: [],
    ...(ageDays !== undefined ? { ageDays, since: new Date(Date.UTC(2026, 0, 1)), bound } : {}),
  };
}

function finding(key: string, rule: string, severity: Finding['severity'], data?: Record<string, unknown>): Finding {
  return { file: FILE, key, rule, severity, message: `${key}: ${rule}`, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, ...(data ? { data } : {}) };
}

function analysis(overrides: Partial<FileAnalysis> = {}): FileAnalysis {
  return {
    uri: { fsPath: FILE, toString: () => `file://${FILE}` } as unknown as FileAnalysis['uri'],
    folder: { name: 'app', index: 0, uri: { fsPath: '/ws/app' } } as unknown as FileAnalysis['folder'],
    role: 'env',
    version: 1,
    parsed: parseEnv(TEXT),
    relativePath: '.env',
    secrets: [
      secret('SESSION_SECRET', 'session-signing'),
      secret('API_TOKEN', 'api-token'),
      secret('DB_PASSWORD', 'database-password'),
      secret('OLD_KEY', 'encryption-key'),
      secret('MUTED', 'generic-secret', { suppressed: { by: '# rekey-ignore' } }),
    ],
    findings: [
      finding('API_TOKEN', 'leaked-in-history', 'error', { commits: ['a', 'b', 'c'], current: true }),
      finding('SESSION_SECRET', 'changed-since-backup', 'error'),
      finding('DB_PASSWORD', 'changed-since-backup', 'info', { rotated: true }),
      finding('API_TOKEN', 'leaked-in-history', 'info'),
    ],
    ages: new Map([
      ['SESSION_SECRET', age('SESSION_SECRET', 'ok', 3)],
      ['API_TOKEN', age('API_TOKEN', 'overdue', 400)],
      ['DB_PASSWORD', age('DB_PASSWORD', 'due-soon', 80)],
    ]),
    backups: [],
    ...overrides,
  };
}

describe('extension/tree/secretStatus', () => {
  it('gives each secret its worst status, every status that applies, and its exposures', () => {
    const byKey = new Map(summarizeFile(analysis()).map((s) => [s.key, s]));
    assert.deepEqual(byKey.get('API_TOKEN')?.statuses, ['leaked', 'overdue']);
    assert.equal(byKey.get('API_TOKEN')?.exposures, 3);
    assert.equal(byKey.get('API_TOKEN')?.severity, 'error');
    assert.deepEqual(byKey.get('SESSION_SECRET')?.statuses, ['changed', 'ok']);
    // A change the `# rotated:` comment explains is not a problem.
    assert.deepEqual(byKey.get('DB_PASSWORD')?.statuses, ['due-soon']);
    assert.equal(byKey.get('OLD_KEY')?.status, 'unknown');
    assert.equal(byKey.get('MUTED')?.suppressed, true);
  });

  it('says which secrets need attention and sorts them by urgency', () => {
    const all = summarizeFile(analysis());
    const attention = all.filter(needsAttention).map((s) => s.key).sort();
    assert.deepEqual(attention, ['API_TOKEN', 'DB_PASSWORD', 'SESSION_SECRET']);
    assert.deepEqual([...all].sort(compareUrgency).map((s) => s.key).slice(0, 4), ['API_TOKEN', 'SESSION_SECRET', 'DB_PASSWORD', 'MUTED']);
  });

  it('writes the status first, then the age, with bounds marked and no contradiction', () => {
    assert.equal(ageText(age('K', 'overdue', 123)), 'overdue · 123 d');
    assert.equal(ageText(age('K', 'unknown', 40, 'at-least')), '≥ 40 d', 'a day count beside "age unknown" would contradict it');
    assert.equal(ageText(age('K', 'unknown', 549, 'at-most')), '≤ 549 d');
    assert.equal(ageText(age('K', 'unknown', 0, 'at-least')), 'age unknown', '"at least 0 days" says nothing');
    assert.equal(ageText(age('K', 'ok', 3, 'at-most')), 'ok · ≤ 3 d');
    assert.equal(ageText(age('K', 'ok', 0, 'at-most')), 'ok · < 1 d', 'a brand-new value is not "≤ 0 d"');
    assert.equal(ageText(age('K', 'ok', 3), 'leaked'), 'leaked · 3 d');
    assert.equal(ageText(undefined), 'age unknown');
    const byKey = new Map(summarizeFile(analysis()).map((s) => [s.key, s]));
    assert.equal(byKey.get('API_TOKEN')?.ageText, 'leaked · 400 d');
    assert.equal(byKey.get('SESSION_SECRET')?.ageText, 'changed · 3 d');
    // Key and description share a row of about 31 characters at the default side-bar width.
    assert.equal(byKey.get('API_TOKEN')?.description, 'leaked · 400 d', '"API_TOKEN leaked · 400 d · API token" would be cut');
    assert.equal(byKey.get('SESSION_SECRET')?.description, 'changed · 3 d');
    assert.equal(byKey.get('DB_PASSWORD')?.description, 'due soon · 80 d', 'the kind is dropped rather than cut off');
    assert.equal(byKey.get('OLD_KEY')?.description, 'age unknown');
    assert.equal(byKey.get('MUTED')?.description, 'ignored · secret');
    for (const s of byKey.values()) assert.ok(s.description.length <= 28, `${s.description} fits the default side bar`);
  });

  it('computes the next due date from exact ages only', () => {
    const s = summarizeFile(analysis()).find((x) => x.key === 'SESSION_SECRET');
    assert.equal(s?.nextDue?.toISOString().slice(0, 10), '2026-04-01');
  });

  it('leaves backups out and never carries a value', () => {
    const all = summarizeAll([analysis(), analysis({ role: 'backup' })]);
    assert.equal(all.length, 5);
    const text = JSON.stringify(all.map(({ age: a, findings, keyRange, ...rest }) => ({ ...rest, a, findings, keyRange })));
    assert.ok(!text.includes(CANARY), 'a summary holds a value');
  });
});
