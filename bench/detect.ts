/*
 * Detection benchmark (`npm run bench:detect`):
 * 1. Quality per confidence (every finding, ≥ medium, high) on the project's corpora:
 *    - secretlint's public test cases (shared/corpus/detect/secretlint): recall over the lines
 *      its `ng.*` cases expect, false positives over the lines of its `ok.*` cases;
 *    - rekey's labelled corpus (test/fixtures/detect) under realistic key names: recall over
 *      labelled secrets, false-positive rate over non-secret entries, kind accuracy;
 *    - the distinctive provider formats again under neutral names (`VALUE_17`,
 *      formats/neutral.env): the format alone must identify them.
 *    Goals at ≥ medium: recall ≥ 0.98 (realistic), ≥ 0.95 (neutral), FP rate ≤ 0.02.
 *    These corpora were written by the project, not an independent labelled set.
 * 2. Speed: detecting every entry of a 10,000-key file (shared/tools/mk-big-env.mjs) against
 *    parsing it. Goal: ≤ 3× parse time.
 * `BENCH_JSON=1` also prints one JSON line with every figure.
 */
import { execFileSync } from 'node:child_process';
import { buildSync } from 'esbuild';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { detectSecrets as DetectSecrets } from '../src/core/detect/detect';
import { PROVIDER_RULES, providerNames } from '../src/core/detect/providers';
import type { parseEnv as ParseEnv } from '../src/core/env/parse';
import type { Confidence } from '../src/core/findings/finding';
import { isNeutralFile, ratio, scoreLabelledCorpus, scoreSecretlint, type Score } from '../test/helpers/detectCorpus';
import { REPO_ROOT, sharedDir } from '../test/helpers/shared';

const pct = (n: number, d: number) => +ratio(n, d).toFixed(4);
const LEVELS: Array<[string, Confidence]> = [['every finding', 'low'], ['≥ medium', 'medium'], ['high only', 'high']];
const secretlintRoot = path.join(sharedDir(), 'corpus', 'detect', 'secretlint');
const realistic = (n: string) => !isNeutralFile(n);

interface Level {
  level: string;
  secretlint: Score;
  realistic: Score;
  neutral: Score;
  folders: Score[];
}
const levels: Level[] = LEVELS.map(([level, min]) => {
  const r = scoreLabelledCorpus({ min, files: realistic });
  return { level, secretlint: scoreSecretlint(secretlintRoot, min).score, realistic: r.total, neutral: scoreLabelledCorpus({ min, files: isNeutralFile }).total, folders: r.folders };
});

console.log(`detection quality: ${PROVIDER_RULES.length} format rules, ${providerNames().length} providers`);
console.log('recall over labelled secrets; FP rate over non-secret entries (secretlint: over ok-case lines)');
console.table(
  levels.map((l) => ({
    confidence: l.level,
    'recall, realistic names': pct(l.realistic.found, l.realistic.secrets),
    'recall, neutral names (distinctive formats)': pct(l.neutral.found, l.neutral.secrets),
    'FP rate': pct(l.realistic.falsePositives, l.realistic.nonSecrets),
    'secretlint recall': pct(l.secretlint.found, l.secretlint.secrets),
    'secretlint FP rate': pct(l.secretlint.falsePositives, l.secretlint.nonSecrets),
    'kind accuracy': pct(l.realistic.kindCorrect, l.realistic.kindLabelled),
  })),
);
const sizes = levels[0]!;
console.log(`sizes: realistic ${sizes.realistic.secrets} secrets / ${sizes.realistic.nonSecrets} non-secrets; neutral ${sizes.neutral.secrets} secrets; secretlint ${sizes.secretlint.secrets} expected lines / ${sizes.secretlint.nonSecrets} ok lines`);

function row(s: Score): Record<string, unknown> {
  return {
    source: s.source,
    secrets: s.secrets,
    recall: pct(s.found, s.secrets),
    'non-secrets': s.nonSecrets,
    FP: s.falsePositives,
    'FP rate': s.nonSecrets ? pct(s.falsePositives, s.nonSecrets) : '-',
    'kind accuracy': s.kindLabelled ? pct(s.kindCorrect, s.kindLabelled) : '-',
  };
}
const medium = levels[1]!;
console.log('per folder at ≥ medium (realistic names)');
console.table(medium.folders.map(row));
for (const m of medium.realistic.misses) console.log(`  ≥ medium missed  ${m}`);
for (const m of medium.neutral.misses) console.log(`  ≥ medium missed (neutral)  ${m}`);
for (const f of medium.realistic.falsePositiveKeys) console.log(`  ≥ medium FP      ${f}`);
for (const k of medium.realistic.kindMismatches) console.log(`  kind    ${k}`);
console.log(`every finding: ${levels[0]!.realistic.falsePositives} low-confidence false positives (fillers and documentation keys, inventory only)`);

const goals = {
  'recall, realistic names (≥ medium)': { value: pct(medium.realistic.found, medium.realistic.secrets), goal: '≥ 0.98', met: ratio(medium.realistic.found, medium.realistic.secrets) >= 0.98 },
  'recall, neutral names (≥ medium)': { value: pct(medium.neutral.found, medium.neutral.secrets), goal: '≥ 0.95', met: ratio(medium.neutral.found, medium.neutral.secrets) >= 0.95 },
  'FP rate (≥ medium)': { value: pct(medium.realistic.falsePositives, medium.realistic.nonSecrets), goal: '≤ 0.02', met: ratio(medium.realistic.falsePositives, medium.realistic.nonSecrets) <= 0.02 },
};
console.log('goals on the project corpora (not an independent set)');
console.table(goals);

// 2. speed
const dataDir = path.join(__dirname, '.data');
mkdirSync(dataDir, { recursive: true });
const bigFile = path.join(dataDir, 'big-10000.env');
if (!existsSync(bigFile)) execFileSync(process.execPath, [path.join(sharedDir(), 'tools', 'mk-big-env.mjs'), bigFile, '10000']);

/*
 * Speed is measured on the code as shipped: parser and detector bundled by esbuild, as in
 * dist/cli.js and dist/extension.js. (Under tsx every cross-module call goes through an export
 * getter, which slows the many-module detector far more than the one-module parser.)
 * BENCH_TSX=1 measures the tsx-loaded sources instead.
 */
const mode = process.env.BENCH_TSX ? 'tsx sources' : 'esbuild bundle, as shipped';
function loadCode(): { parseEnv: typeof ParseEnv; detectSecrets: typeof DetectSecrets } {
  if (process.env.BENCH_TSX) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return { ...(require('../src/core/env/parse') as { parseEnv: typeof ParseEnv }), ...(require('../src/core/detect/detect') as { detectSecrets: typeof DetectSecrets }) };
  }
  const outfile = path.join(dataDir, 'detect-speed.cjs');
  buildSync({
    stdin: { contents: "export { parseEnv } from './src/core/env/parse';\nexport { detectSecrets } from './src/core/detect/detect';\n", resolveDir: REPO_ROOT, loader: 'ts' },
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outfile,
    logLevel: 'warning',
  });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(outfile) as { parseEnv: typeof ParseEnv; detectSecrets: typeof DetectSecrets };
}
const { parseEnv, detectSecrets } = loadCode();
const text = readFileSync(bigFile, 'utf8');
const parsed = parseEnv(text);

/** CPU milliseconds of one call (less sensitive than wall time to other processes on the machine). */
function cpuMs(fn: () => unknown): number {
  const start = process.cpuUsage();
  fn();
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1000;
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

// The first run in a fresh process (what a CLI scan pays), then the steady state.
const firstParse = cpuMs(() => parseEnv(text));
const firstDetect = cpuMs(() => detectSecrets(parsed, text));
for (let i = 0; i < 5; i++) {
  parseEnv(text);
  detectSecrets(parsed, text);
}
const runs = 31;
const parseMs: number[] = [];
const detectMs: number[] = [];
// Interleaved, so load from other processes affects both alike.
for (let i = 0; i < runs; i++) {
  parseMs.push(cpuMs(() => parseEnv(text)));
  detectMs.push(cpuMs(() => detectSecrets(parsed, text)));
}
const p = median(parseMs);
const d = median(detectMs);
const speed = {
  entries: parsed.entries.length,
  secrets: detectSecrets(parsed, text).length,
  parseMs: +p.toFixed(2),
  detectMs: +d.toFixed(2),
  ratio: +(d / p).toFixed(2),
  goal: '≤ 3',
  firstRunRatio: +(firstDetect / firstParse).toFixed(2),
};
console.log(`speed (${mode}): detectSecrets over a 10,000-key file vs parseEnv (median CPU ms of ${runs} interleaved runs)`);
console.table([speed]);

// Linearity: 20,000 keys should take about twice as long as 10,000.
const bigFile2 = path.join(dataDir, 'big-20000.env');
if (!existsSync(bigFile2)) execFileSync(process.execPath, [path.join(sharedDir(), 'tools', 'mk-big-env.mjs'), bigFile2, '20000']);
const text2 = readFileSync(bigFile2, 'utf8');
const parsed2 = parseEnv(text2);
const d2: number[] = [];
for (let i = 0; i < 11; i++) d2.push(cpuMs(() => detectSecrets(parsed2, text2)));
console.log(`linearity: 20,000 keys take ${(median(d2) / d).toFixed(2)}× the time of 10,000`);

if (process.env.BENCH_JSON) {
  const figures = levels.map((l) => ({ level: l.level, secretlint: row(l.secretlint), realistic: row(l.realistic), neutral: row(l.neutral) }));
  console.log(JSON.stringify({ bench: 'detect', rules: PROVIDER_RULES.length, providers: providerNames().length, figures, goals, speed }));
}
