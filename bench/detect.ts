/*
 * Detection benchmark (`npm run bench:detect`):
 * 1. Quality on secretlint's public test cases (shared/corpus/detect/secretlint): recall over the
 *    lines its `ng.*` cases expect, false positives over the lines of its `ok.*` cases.
 * 2. Quality on rekey's labelled corpus (test/fixtures/detect): recall overall and on
 *    provider-format secrets, false-positive rate on non-secret entries, kind accuracy.
 *    Goals: provider recall ≥ 0.98, overall recall ≥ 0.95, false-positive rate ≤ 0.02.
 * 3. Speed: detecting every entry of a 10,000-key file (shared/tools/mk-big-env.mjs) against
 *    parsing it. Goal: ≤ 3× parse time. Reported cold (name cache cleared before each run) and
 *    warm (the editor's case: the same file scanned again).
 * `BENCH_JSON=1` also prints one JSON line with every figure.
 */
import { execFileSync } from 'node:child_process';
import { buildSync } from 'esbuild';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { detectSecrets as DetectSecrets } from '../src/core/detect/detect';
import type { parseEnv as ParseEnv } from '../src/core/env/parse';
import { ratio, scoreLabelledCorpus, scoreSecretlint, type Score } from '../test/helpers/detectCorpus';
import { REPO_ROOT, sharedDir } from '../test/helpers/shared';

const pct = (n: number, d: number) => +ratio(n, d).toFixed(4);

function row(s: Score): Record<string, unknown> {
  return {
    source: s.source,
    secrets: s.secrets,
    recall: pct(s.found, s.secrets),
    'provider recall': s.providerSecrets ? pct(s.providerFound, s.providerSecrets) : '-',
    'non-secrets': s.nonSecrets,
    FP: s.falsePositives,
    'FP rate': s.nonSecrets ? pct(s.falsePositives, s.nonSecrets) : '-',
    'kind accuracy': s.kindLabelled ? pct(s.kindCorrect, s.kindLabelled) : '-',
  };
}

// 1. secretlint
const secretlint = scoreSecretlint(path.join(sharedDir(), 'corpus', 'detect', 'secretlint'));
// 2. labelled corpus
const labelled = scoreLabelledCorpus();

console.log('detection quality (recall over secrets; FP rate over non-secret entries / ok-case lines)');
console.table([row(secretlint.score), ...labelled.folders.map(row), row(labelled.total)]);
console.log(`secretlint: ${secretlint.failedNg.length} ng case(s) with a missed line, ${secretlint.failedOk.length} ok case(s) with a detection, ${secretlint.skipped.length} skipped`);
for (const m of secretlint.score.misses) console.log(`  missed  ${m}`);
for (const f of secretlint.score.falsePositiveKeys) console.log(`  FP      ${f}`);
for (const s of secretlint.skipped) console.log(`  skipped ${s.name}: ${s.reason}`);
for (const m of labelled.total.misses) console.log(`  labelled missed  ${m}`);
for (const f of labelled.total.falsePositiveKeys) console.log(`  labelled FP      ${f}`);
for (const k of labelled.total.kindMismatches) console.log(`  labelled kind    ${k}`);

const t = labelled.total;
const goals = {
  providerRecall: { value: pct(t.providerFound, t.providerSecrets), goal: '≥ 0.98', met: ratio(t.providerFound, t.providerSecrets) >= 0.98 },
  recall: { value: pct(t.found, t.secrets), goal: '≥ 0.95', met: ratio(t.found, t.secrets) >= 0.95 },
  falsePositiveRate: { value: pct(t.falsePositives, t.nonSecrets), goal: '≤ 0.02', met: ratio(t.falsePositives, t.nonSecrets) <= 0.02 },
};
console.log('goals on the labelled corpus');
console.table(goals);

// 3. speed
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
  console.log(JSON.stringify({ bench: 'detect', secretlint: row(secretlint.score), labelled: labelled.folders.map(row), total: row(t), goals, speed }));
}
