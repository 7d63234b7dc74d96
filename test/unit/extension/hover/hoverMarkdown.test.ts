import * as assert from 'node:assert/strict';
import { detectSecrets } from '../../../../src/core/detect/detect';
import { parseEnv } from '../../../../src/core/env/parse';
import { actionLinks, commandUri, secretCardActions } from '../../../../src/extension/hover/commandLinks';
import { hoverMarkdown, type HoverFacts } from '../../../../src/extension/hover/hoverMarkdown';

const CANARY = 'REKEY_CANARY_7f3a9c1e5b';

function facts(extra: Partial<HoverFacts> = {}): HoverFacts {
  const text = `API_TOKEN=${CANARY}_q8W2e4R6t8Y0u2I4\n`;
  const secret = detectSecrets(parseEnv(text), text)[0];
  assert.ok(secret);
  return { secret, valueLength: 40, findings: [], linked: [], consumers: { count: 2, summary: '2 code' }, mask: '••••••••', ...extra };
}

describe('extension/hover/hoverMarkdown', () => {
  it('says kind, confidence, masked value, age, interval, history, linked keys and consumers, never the value', () => {
    const md = hoverMarkdown(facts({
      fingerprint: 'ab12cd34',
      revealLink: 'command:rekey.revealValue?%5B%5D',
      age: {
        file: '/w/.env', key: 'API_TOKEN', kind: 'api-token', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 9 } }, suppressed: false,
        since: new Date('2025-01-02T00:00:00Z'), ageDays: 120, source: 'git', bound: 'exact', intervalDays: 90, status: 'overdue', dueInDays: -30, detail: 'git commit 1a2b3c4', notes: [],
      },
      history: { folder: {} as never, status: 'done' },
    }));
    assert.ok(!md.includes(CANARY));
    assert.match(md, /`API_TOKEN`/);
    assert.match(md, /high confidence/);
    assert.match(md, /\*\*Value:\*\* `••••••••` \(40 characters · fingerprint `ab12cd34`\)/);
    assert.match(md.split('\n')[1] ?? '', /^\[Reveal\]\(command:rekey\.revealValue/, 'the reveal link comes right after the title');
    assert.match(md, /\*\*Status:\*\* \*\*overdue\*\* {2}\n/, 'the status in the words of the Secrets view');
    assert.match(md, /\*\*Age:\*\* 120 days \(since 2025-01-02\), 30 days past due · source: git/);
    assert.match(md, /\*\*overdue\*\*/);
    assert.match(md, /every 90 days/);
    assert.match(md, /no exposure/);
    assert.match(md, /\*\*Consumers:\*\* 2/);
  });

  it('reports exposures from leaked-in-history findings and explains why history was not checked', () => {
    const leak = { file: '/w/.env', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 9 } }, key: 'API_TOKEN', rule: 'leaked-in-history', severity: 'error' as const, message: 'm', data: { commit: '1234567890abcdef', commits: ['1234567890abcdef', 'fedcba'], pushed: true, current: true } };
    assert.match(hoverMarkdown(facts({ findings: [leak] })), /\*\*current value committed\*\* in 2 commits first in `1234567`, \*\*pushed\*\*/);
    assert.match(hoverMarkdown(facts({ history: { folder: {} as never, status: 'untrusted' } })), /not trusted/);
    assert.match(hoverMarkdown(facts({ consumers: { pending: true } })), /still counting/);
  });

  it('puts the command links right under the title line', () => {
    const uri = { toString: () => 'file:///w/.env' } as never;
    const actions = secretCardActions(uri, 'API_TOKEN', { reveal: true, backup: '/w/.env.bak' });
    assert.deepEqual(actions.map((a) => a.title), ['Rotate', 'Open Runbook', 'Show Consumers', 'Restore from Backup', 'Reveal']);
    const lines = hoverMarkdown(facts({ actions: actionLinks(actions) })).split('  \n');
    assert.match(lines[0] ?? '', /^\*\*rekey\*\* · `API_TOKEN`/);
    assert.match(lines[1] ?? '', /^\[Rotate\]\(command:rekey\.rotateSecret\?.*\[Open Runbook\]\(command:rekey\.openRunbook\?.*\[Show Consumers\].*\[Restore from Backup\]\(command:rekey\.restoreFromBackup\?.*\[Reveal\]/);
    const restore = actions.find((a) => a.title === 'Restore from Backup');
    assert.deepEqual(JSON.parse(decodeURIComponent(commandUri(restore!).split('?')[1]!)), [{ uri: 'file:///w/.env', key: 'API_TOKEN', backup: '/w/.env.bak' }]);
    assert.ok(!lines.join('\n').includes(CANARY));
  });

  it('names the same statuses as the Secrets view: a changed value with no known age is "changed", not "unknown"', () => {
    const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 9 } };
    const md = hoverMarkdown(facts({
      findings: [
        { file: '/w/.env', key: 'API_TOKEN', rule: 'changed-since-backup', severity: 'error', message: 'changed', range },
        { file: '/w/.env', key: 'API_TOKEN', rule: 'leaked-in-history', severity: 'error', message: 'leaked', range, data: { commits: ['a'] } },
      ],
    }));
    assert.match(md, /\*\*Status:\*\* \*\*leaked in git history\*\*, \*\*changed since backup\*\* {2}\n/);
    assert.doesNotMatch(md, /status: unknown/);
  });
});
