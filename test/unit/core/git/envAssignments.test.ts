import * as assert from 'node:assert/strict';
import * as dotenv from 'dotenv';
import fc from 'fast-check';
import { parseEnv } from '../../../../src/core/env/parse';
import { readEnvAssignments, readEnvValues } from '../../../../src/core/git/envAssignments';

/*
 * readEnvAssignments reads common lines itself and hands anything else to parseEnv; it must agree
 * with parseEnv (every definition, in order) and with dotenv.parse (last definition) on any text.
 * The generator favours the shapes the fast path accepts and the near misses around them.
 */

const pick = <T>(...xs: T[]) => fc.constantFrom(...xs);
const joined = (arb: fc.Arbitrary<string[]>) => arb.map((parts) => parts.join(''));
const key = joined(fc.array(pick('A', 'b', '_', '.', '-', '9', 'KEY', 'export'), { minLength: 1, maxLength: 3 }));
const ch = pick('a', 'Z', '0', '/', '+', '=', ':', '@', '$', '{', 'é', '😀', ' ', '\t', '#', '\\', '"', "'", '`', '\u00a0');
const body = joined(fc.array(ch, { maxLength: 8 }));
const value = fc.oneof(
  { weight: 4, arbitrary: body },
  { weight: 3, arbitrary: fc.tuple(pick('"', "'", '`'), body, fc.boolean()).map(([q, b, close]) => `${q}${b}${close ? q : ''}`) },
  { weight: 1, arbitrary: fc.constant('') },
);
const line = fc.oneof(
  { weight: 8, arbitrary: fc.tuple(fc.boolean(), key, pick('=', '=', '=', ' =', ': '), value).map(([e, k, s, v]) => `${e ? 'export ' : ''}${k}${s}${v}`) },
  { weight: 2, arbitrary: body.map((b) => `#${b}`) },
  { weight: 1, arbitrary: pick('', '  ', '\t', ' # c', 'garbage') },
);
const text = fc
  .tuple(fc.array(line, { maxLength: 8 }), pick('\n', '\n', '\n', '\r\n', '\u2028'), fc.boolean())
  .map(([lines, eol, last]) => lines.join(eol) + (last && lines.length ? eol : ''));

function dotenvObject(t: string): Record<string, string> {
  return { ...dotenv.parse(t) };
}

function mapToObject(m: Map<string, string>): Record<string, string> {
  const o: Record<string, string> = {};
  for (const [k, v] of m) o[k] = v;
  return { ...o };
}

describe('core/git/envAssignments', () => {
  it('agrees with parseEnv and dotenv on generated text', () => {
    fc.assert(
      fc.property(text, (t) => {
        const ours = readEnvAssignments(t);
        assert.deepEqual(ours, parseEnv(t).entries.map((e) => ({ key: e.key, value: e.value })), `parseEnv disagreement on ${JSON.stringify(t)}`);
        assert.deepEqual(mapToObject(readEnvValues(t)), dotenvObject(t), `dotenv disagreement on ${JSON.stringify(t)}`);
      }),
      { numRuns: 3000 },
    );
  });

  it('agrees on text made only of the lines the fast path reads itself', () => {
    const safe = joined(fc.array(pick('a', 'Z', '0', '/', '+', '=', ':', '@', 'é', '-', '.'), { minLength: 1, maxLength: 10 }));
    const simple = fc.oneof(
      fc.tuple(key, safe).map(([k, v]) => `${k}=${v}`),
      fc.tuple(key, pick('"', "'", '`'), joined(fc.array(pick('a', ' ', '#', '$'), { maxLength: 5 }))).map(([k, q, v]) => `${k}=${q}${v}${q}`),
      fc.constant('# comment'),
      fc.constant(''),
    );
    fc.assert(
      fc.property(fc.array(simple, { maxLength: 10 }), (lines) => {
        const t = lines.join('\n') + '\n';
        assert.deepEqual(readEnvAssignments(t), parseEnv(t).entries.map((e) => ({ key: e.key, value: e.value })), JSON.stringify(t));
      }),
      { numRuns: 2000 },
    );
  });

  it('reads quoted values without their quotes and keeps every duplicate', () => {
    const t = '# generated\nA="0123abcd"\nB=\'x y\'\nC=plain=value\nA=last\nexport D=`q`\n';
    assert.deepEqual(readEnvAssignments(t), [
      { key: 'A', value: '0123abcd' }, { key: 'B', value: 'x y' }, { key: 'C', value: 'plain=value' }, { key: 'A', value: 'last' }, { key: 'D', value: 'q' },
    ]);
    assert.equal(readEnvValues(t).get('A'), 'last');
  });

  it('falls back to the full parser for lines dotenv reads across line breaks', () => {
    const t = 'EMPTY=\n"quoted on the next line"\nMULTI="a\nb"\n';
    assert.deepEqual(mapToObject(readEnvValues(t)), dotenvObject(t));
  });
});
