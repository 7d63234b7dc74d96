import * as assert from 'node:assert/strict';
import { describeEntropy, shannonEntropy } from '../../../../src/core/detect/entropy';
import { judgeValue } from '../../../../src/core/detect/judge';
import { CH_AT, CH_COLON, CH_DOLLAR, CH_SLASH, entropyOf, profileValue } from '../../../../src/core/detect/valueProfile';
import { sampleRandom } from './tokens';

describe('entropy per alphabet', () => {
  it('computes Shannon entropy', () => {
    assert.equal(shannonEntropy(''), 0);
    assert.equal(shannonEntropy('aaaa'), 0);
    assert.equal(shannonEntropy('abab'), 1);
    assert.ok(Math.abs(shannonEntropy('abcd') - 2) < 1e-9);
    assert.ok(Math.abs((entropyOf('abcdabcd')?.bitsPerChar ?? 0) - 2) < 1e-9);
  });

  it('classifies the alphabet', () => {
    const r = sampleRandom(1);
    assert.equal(entropyOf(r('hex', 32))?.alphabet, 'hex');
    assert.equal(entropyOf(`${r('b64', 40)}==`)?.alphabet, 'base64');
    assert.equal(entropyOf(`${r('alnum', 30)}-_x`)?.alphabet, 'base64url');
    assert.equal(entropyOf(r('alnum', 32))?.alphabet, 'alphanumeric');
    assert.equal(entropyOf('a.b,c!d')?.alphabet, 'printable');
    assert.equal(entropyOf('two words'), undefined);
  });

  it('calls random strings random for each alphabet (at most 3% misses at 24 characters)', () => {
    const r = sampleRandom(2);
    for (const alphabet of ['hex', 'alnum', 'b64url', 'b64'] as const) {
      let misses = 0;
      for (let i = 0; i < 400; i++) if (!entropyOf(r(alphabet, alphabet === 'hex' ? 32 : 24))?.random) misses++;
      assert.ok(misses / 400 <= 0.03, `${alphabet}: ${misses} misses`);
    }
  });

  it('does not call words, counters, UUIDs or encoded text random', () => {
    for (const v of ['NotARealKeyButLooksLikeOne', 'correcthorsebatterystaple', 'aaaaaaaabbbbbbbb1212', '550e8400-e29b-41d4-a716-446655440000', Buffer.from('dummy text data data data').toString('base64'), 'short1A']) {
      assert.equal(entropyOf(v)?.random ?? false, false, v);
    }
  });

  it('is a booster only: entropy alone never makes a short value a secret', () => {
    const r = sampleRandom(3);
    assert.equal(judgeValue('BUILD_LABEL', r('alnum', 24)).secret, false);
    const long = judgeValue('SOMETHING', r('alnum', 48));
    assert.equal(long.secret, true);
    assert.equal(long.confidence, 'low');
    assert.equal(judgeValue('GIT_COMMIT', r('hex', 40)).secret, false);
    assert.equal(judgeValue('SOMETHING', '{"retries":3,"backoff":"exponential","jitter":true}').secret, false);
  });

  it('profiles characters in one pass', () => {
    const p = profileValue('postgres://u:$x@h/db');
    assert.ok(p.chars & CH_COLON && p.chars & CH_SLASH && p.chars & CH_AT && p.chars & CH_DOLLAR);
    assert.equal(p.templateChars, true);
    assert.equal(profileValue('a.b.c').dots, 2);
  });

  it('describes entropy without the value', () => {
    const v = sampleRandom(4)('alnum', 32);
    const d = describeEntropy(entropyOf(v)!);
    assert.match(d, /^entropy \d\.\d bits\/char \(alphanumeric, 32 chars\)$/);
  });
});
