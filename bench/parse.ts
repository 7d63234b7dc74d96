/*
 * Parser benchmark: rekey's parseEnv against dotenv.parse on files made by
 * shared/tools/mk-big-env.mjs at 10,000 and 100,000 keys. Goals: ratio ≤ 1.5 at 10k keys,
 * < 1.0 at 100k keys.
 *
 * Each (parser, size) pair is timed in its own fresh Node process, alternating which parser goes
 * first: measuring both in one process lets one parser's heap and JIT state tax the other.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as dotenv from 'dotenv';
import { parseEnv } from '../src/core/env/parse';
import { sharedDir } from '../test/helpers/shared';

const dataDir = path.join(__dirname, '.data');

function bigEnvFile(keys: number): string {
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, `big-${keys}.env`);
  if (!existsSync(file)) execFileSync(process.execPath, [path.join(sharedDir(), 'tools', 'mk-big-env.mjs'), file, String(keys)]);
  return file;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

/** Child mode: time one parser on one file, print the per-run samples as JSON. */
function child(which: string, file: string, runs: number): void {
  const text = readFileSync(file, 'utf8');
  const fn = which === 'rekey' ? () => parseEnv(text) : () => dotenv.parse(text);
  for (let i = 0; i < 5; i++) fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    fn();
    samples.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  process.stdout.write(JSON.stringify(samples));
}

function measure(which: string, file: string, runs: number): number[] {
  const r = spawnSync(process.execPath, [...process.execArgv, __filename, '--child', which, file, String(runs)], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`benchmark child failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as number[];
}

function main(): void {
  const results: Array<Record<string, unknown>> = [];
  for (const [keys, runs, rounds, goal, strict] of [[10_000, 15, 4, 1.5, false], [100_000, 5, 4, 1.0, true]] as const) {
    const file = bigEnvFile(keys);
    const ours: number[] = [];
    const theirs: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? ['rekey', 'dotenv'] : ['dotenv', 'rekey'];
      for (const which of order) (which === 'rekey' ? ours : theirs).push(...measure(which, file, runs));
    }
    const ratio = median(ours) / median(theirs);
    results.push({
      keys, rekeyMs: +median(ours).toFixed(2), dotenvMs: +median(theirs).toFixed(2), ratio: +ratio.toFixed(2),
      goal: strict ? `< ${goal}` : `≤ ${goal}`, met: strict ? ratio < goal : ratio <= goal,
    });
  }
  console.log('parser: rekey parseEnv vs dotenv.parse (median ms, fresh process per sample set)');
  console.table(results);
}

if (process.argv[2] === '--child') child(process.argv[3] as string, process.argv[4] as string, Number(process.argv[5]));
else main();
