import * as assert from 'node:assert/strict';
import { parseEnv } from '../../../../src/core/env/parse';
import { maskTargets } from '../../../../src/extension/masking/maskRanges';

const CANARY = 'REKEY_CANARY_7f3a9c1e5b';

function slice(text: string, r: { start: { line: number; character: number }; end: { line: number; character: number } }): string {
  const lines = text.split('\n');
  if (r.start.line === r.end.line) return (lines[r.start.line] ?? '').slice(r.start.character, r.end.character);
  const out = [(lines[r.start.line] ?? '').slice(r.start.character)];
  for (let l = r.start.line + 1; l < r.end.line; l++) out.push(lines[l] ?? '');
  out.push((lines[r.end.line] ?? '').slice(0, r.end.character));
  return out.join('\n');
}

describe('extension/masking/maskRanges', () => {
  it('masks the raw values of secrets only, quotes included, multi-line values whole', () => {
    const text = [
      'PORT=8080',
      `API_TOKEN="${CANARY}_q8W2e4R6t8Y0u2I4" # inline`,
      'DEBUG=true',
      `PRIVATE_KEY="-----BEGIN PRIVATE KEY-----`,
      'CANARY7f3a9c1e5bMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC',
      '-----END PRIVATE KEY-----"',
      'EMPTY_SECRET=',
      '',
    ].join('\n');
    const targets = maskTargets(text, {});
    assert.deepEqual(targets.map((t) => t.key), ['API_TOKEN', 'PRIVATE_KEY']);
    assert.equal(slice(text, targets[0]!.range), `"${CANARY}_q8W2e4R6t8Y0u2I4"`);
    const pem = slice(text, targets[1]!.range);
    assert.ok(pem.startsWith('"-----BEGIN') && pem.endsWith('KEY-----"'));
    // Everything outside the masked ranges is free of the canary.
    let rest = text;
    for (const t of targets) rest = rest.replace(slice(text, t.range), '');
    assert.ok(!rest.includes(CANARY) && !rest.includes('CANARY7f3a9c1e5b'));
  });

  it('masks every definition of a duplicated secret and suppressed ones too', () => {
    const text = `SESSION_SECRET=${CANARY}_old_Zk3p9QmV7yXc2LrT\n# rekey-ignore\nSESSION_SECRET=${CANARY}_new_Zk3p9QmV7yXc2LrT\n`;
    const targets = maskTargets(text, {});
    assert.equal(targets.length, 2);
    assert.equal(parseEnv(text).entries.length, 2);
  });

  it('leaves keys the user says are not secret visible', () => {
    const text = `API_TOKEN=${CANARY}_q8W2e4R6t8Y0u2I4\n`;
    assert.equal(maskTargets(text, { config: { notSecret: ['API_TOKEN'] } }).length, 1, 'notSecret suppresses warnings but detection still sees a token');
    assert.equal(maskTargets('FEATURE_FLAG=on\n', {}).length, 0);
  });
});
