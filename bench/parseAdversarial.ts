// Parse time on adversarial single lines, 1k → 1M characters: long runs of spaces (inside a value
// and trailing), quotes, `${`, `#`, backslashes, and a multi-line value of quoted lines. Each row
// doubles the size; a linear parser keeps the ratio near 2 (quadratic would be near 4). Single
// ratios are noisy (GC); the verdict is the mean ratio per doubling from 64k to 1M characters.
// Also times `rekey`'s placeholder check on the same values. `npm run bench -- parseAdversarial`
import { parse as dotenvParse } from 'dotenv';
import { parseEnv } from '../src/core/env/parse';
import { placeholderReason } from '../src/core/detect/placeholders';

const SHAPES: Record<string, (n: number) => string> = {
  'spaces in value': (n) => `K=${' '.repeat(n)}x\n`,
  'trailing spaces': (n) => `K=x${' '.repeat(n)}`,
  'quotes': (n) => `K=${'"'.repeat(n)}\n`,
  '${ runs': (n) => `K=${'${'.repeat(n / 2)}\n`,
  '# runs': (n) => `K=${'#'.repeat(n)}\n`,
  'backslashes': (n) => `K="${'\\'.repeat(n)}\n`,
  'quoted lines': (n) => `K="${"'a\n".repeat(n / 3)}"\n`,
};

function time(f: () => unknown): number {
  let best = Infinity;
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    f();
    best = Math.min(best, performance.now() - t);
  }
  return best;
}

const sizes: number[] = [];
for (let n = 1024; n <= 1 << 20; n *= 2) sizes.push(n);
let worst = 0;
console.log('shape            chars      parse ms  ratio  placeholder ms  dotenv ms');
for (const [name, make] of Object.entries(SHAPES)) {
  let prev: number | undefined;
  let from = 0;
  for (const n of sizes) {
    const text = make(n);
    const value = text.slice(2);
    const p = time(() => parseEnv(text));
    const ph = time(() => placeholderReason(value));
    const d = time(() => dotenvParse(text));
    const ratio = prev !== undefined && prev > 0 ? p / prev : undefined;
    if (n === 1 << 16) from = p;
    if (n === 1 << 20 && from > 0) worst = Math.max(worst, (p / from) ** (1 / 4));
    console.log(`${name.padEnd(16)} ${String(n).padStart(8)}  ${p.toFixed(2).padStart(9)}  ${ratio === undefined ? '    -' : ratio.toFixed(2).padStart(5)}  ${ph.toFixed(2).padStart(14)}  ${d.toFixed(2).padStart(9)}`);
    prev = p;
  }
}
console.log(`worst mean ratio per doubling, 64k → 1M chars: ${worst.toFixed(2)} (linear ≈ 2, quadratic ≈ 4)`);
if (worst > 3.5) {
  console.error('parse time grows faster than linearly');
  process.exit(1);
}
