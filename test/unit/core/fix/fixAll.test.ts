import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as dotenv from 'dotenv';
import fc from 'fast-check';
import { parseEnv } from '../../../../src/core/env/parse';
import { fixAll } from '../../../../src/core/fix/fixAll';
import { fixesFor } from '../../../../src/core/fix/problemFixes';
import { applyChanges } from '../../../../src/core/fix/textChange';
import { listFiles, sharedDir } from '../../../helpers/shared';

/*
 * The judge is the real `dotenv.parse`: a fix that keeps meaning must leave it reading exactly
 * the same object; one that changes meaning on purpose may differ only in the key it names.
 */

const read = (text: string) => ({ ...dotenv.parse(text) });

describe('fix: every lint problem with a fix', () => {
  it('fixes the listed problems to the text a careful author would write', () => {
    // Expected outputs written by hand from the rules (not produced by the fixer).
    const cases: Array<[string, string]> = [
      ['A = 1\n', 'A=1\n'],
      ['A=1   \nB=2\t\n', 'A=1\nB=2\n'],
      ['A=1\r\nB=2\r\n', 'A=1\nB=2\n'],
      ['\ufeffA=1\n', 'A=1\n'],
      ['A=1', 'A=1\n'],
      ['A=hello world\n', "A='hello world'\n"],
      ["A=it's here\n", 'A="it\'s here"\n'],
      ['A=1\nB=2\nA=3\n', 'B=2\nA=3\n'],
      ['A=1 # old\nA=2\n', 'A=2\n'],
      ['A: 1\n', 'A=1\n'],
      ['\ufeffA = hello world  \r\nA=2\r\nB=3', 'A=2\nB=3\n'],
    ];
    for (const [input, expected] of cases) {
      const r = fixAll(input);
      assert.equal(r.text, expected, JSON.stringify(input));
      assert.deepEqual(read(r.text), read(input), JSON.stringify(input));
    }
  });

  it('leaves meaning-changing fixes out unless asked, and then changes only the named key', () => {
    const input = 'API_URL=https://x.test/#frag\nlower=1\nOTHER=a\n';
    const safe = fixAll(input);
    assert.equal(safe.text, input);
    const all = fixAll(input, { includeMeaningChanges: true });
    assert.equal(all.text, "API_URL='https://x.test/#frag'\nLOWER=1\nOTHER=a\n");
    assert.deepEqual(read(all.text), { API_URL: 'https://x.test/#frag', LOWER: '1', OTHER: 'a' });
  });

  it('offers no fix where only the author knows the intent', () => {
    for (const input of ['A="unclosed\n', 'just words\n', 'A="x"y\n', 'B=1\nb=2\n']) {
      const parsed = parseEnv(input);
      const codes = fixesFor(input, parsed).map((f) => f.code);
      assert.ok(!codes.includes('unterminated-quote') && !codes.includes('no-equals') && !codes.includes('text-after-quote'), input);
      if (input.startsWith('B=1')) assert.ok(!codes.includes('lowercase-key'), 'renaming b to B would collide with B');
    }
  });

  it('keeps what dotenv reads for every corpus file, and a second run finds nothing to do', () => {
    const files = listFiles(path.join(sharedDir(), 'corpus', 'parse'));
    assert.ok(files.length >= 10);
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const r = fixAll(text);
      assert.deepEqual(read(r.text), read(text), file);
      assert.equal(fixAll(r.text).applied.length, 0, `idempotent: ${file}`);
      for (const f of fixesFor(text)) {
        const after = read(applyChanges(text, f.changes));
        const before = read(text);
        if (!f.changesMeaning) assert.deepEqual(after, before, `${f.code} in ${file}`);
        else for (const k of Object.keys(before)) if (k !== f.key) assert.equal(after[k], before[k], `${f.code} in ${file} touches only ${f.key}`);
      }
    }
  });

  const pick = <T>(...xs: T[]) => fc.constantFrom(...xs);
  const joined = (arb: fc.Arbitrary<string[]>) => arb.map((parts) => parts.join(''));
  const key = joined(fc.array(pick('A', 'b', '_', '.', '-', '1', 'KEY'), { minLength: 1, maxLength: 3 }));
  const valueText = joined(fc.array(pick('a', ' ', '#', ' #', '\\n', '"', "'", '`', '=', 'é', '\t', '\\', '$'), { maxLength: 6 }));
  const value = fc.oneof(valueText, valueText.map((v) => `"${v}"`), valueText.map((v) => `'${v}'`), fc.constant(''));
  const sep = pick('=', ' = ', '= ', ' =', ': ');
  const eol = pick('\n', '\r\n', '\r', '   \n', '\t\r\n');
  const line = fc.oneof(
    { weight: 6, arbitrary: fc.tuple(fc.boolean(), key, sep, value, pick('', ' # c', '#c', '  ')).map(([exp, k, s, v, c]) => `${exp ? 'export ' : ''}${k}${s}${v}${c}`) },
    { weight: 1, arbitrary: pick('# comment', '', '   ', 'garbage line') },
  );
  const file = fc.tuple(fc.boolean(), fc.array(fc.tuple(line, eol), { maxLength: 8 }), fc.boolean())
    .map(([bom, lines, dropLast]) => {
      let t = (bom ? '\ufeff' : '') + lines.map(([l, e]) => l + e).join('');
      if (dropLast) t = t.replace(/[\r\n]+$/, '');
      return t;
    });

  it('property: Fix All never changes what dotenv reads, and is idempotent', () => {
    fc.assert(
      fc.property(file, (text) => {
        const r = fixAll(text);
        assert.deepEqual(read(r.text), read(text));
        assert.equal(fixAll(r.text).applied.length, 0);
        if (r.change) assert.equal(applyChanges(text, [r.change]), r.text);
      }),
      { numRuns: 600 },
    );
  });

  it('property: every single fix offered keeps its promise', () => {
    fc.assert(
      fc.property(file, (text) => {
        const before = read(text);
        for (const f of fixesFor(text)) {
          const after = read(applyChanges(text, f.changes));
          if (!f.changesMeaning) assert.deepEqual(after, before, f.code);
          else for (const k of Object.keys(before)) if (k !== f.key) assert.equal(after[k], before[k], f.code);
        }
      }),
      { numRuns: 400 },
    );
  });
});
