import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { NeedleSearch } from '../../../../src/core/git/needleSearch';

/** Every occurrence of every needle, the slow way. */
function naive(text: Buffer, needles: Buffer[]): string[] {
  const out: string[] = [];
  needles.forEach((n, i) => {
    for (let p = text.indexOf(n); p !== -1; p = text.indexOf(n, p + 1)) out.push(`${i}@${p}`);
  });
  return out.sort();
}

describe('core/git/needleSearch', () => {
  it('finds exactly what indexOf finds, for needles of any length at any position', () => {
    // A small alphabet makes overlaps, repeats and near misses common.
    const chars = fc.constantFrom('a', 'b', 'c', 'é', '\n', '=');
    const str = (min: number, max: number) => fc.array(chars, { minLength: min, maxLength: max }).map((a) => a.join(''));
    fc.assert(
      fc.property(fc.array(str(1, 40), { minLength: 1, maxLength: 6 }), str(0, 300), fc.array(fc.nat(), { maxLength: 5 }), (needles, filler, at) => {
        // Plant some needles in the text so hits are guaranteed, not only chance.
        let text = filler;
        at.forEach((p, k) => {
          const n = needles[k % needles.length] as string;
          const pos = p % (text.length + 1);
          text = text.slice(0, pos) + n + text.slice(pos);
        });
        const unique = [...new Set(needles)].map((n) => Buffer.from(n));
        const buf = Buffer.from(text);
        const got: string[] = [];
        new NeedleSearch(unique).scan(buf, (i, p) => got.push(`${i}@${p}`));
        assert.deepEqual(got.sort(), naive(buf, unique), JSON.stringify({ needles, text }));
      }),
      { numRuns: 1500 },
    );
  });

  it('handles secrets among megabytes of text', () => {
    const secrets = Array.from({ length: 50 }, (_, i) => Buffer.from(`sk_live_${i.toString(36).padStart(4, '0')}Xy9${'q'.repeat(i % 20)}`));
    const parts: Buffer[] = [];
    for (let i = 0; i < 20000; i++) parts.push(Buffer.from(`+export const v${i} = "${(i * 2654435761).toString(36)}";\n`));
    parts.splice(7777, 0, secrets[42] as Buffer);
    parts.splice(15000, 0, secrets[3] as Buffer);
    const text = Buffer.concat(parts);
    const got: string[] = [];
    new NeedleSearch(secrets).scan(text, (i, p) => got.push(`${i}@${p}`));
    assert.deepEqual(got.sort(), naive(text, secrets));
    assert.equal(got.length, 2);
  });
});
