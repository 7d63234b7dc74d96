/*
 * npm run bench:history [-- REPO...]
 *
 * Measures rekey's history operations against what git itself needs for the same answer, in the
 * same run, on synthetic histories of 10,000 and 50,000 commits (built once with
 * ../shared/tools/gen-synth-history.mjs and cached under bench/.data/) and on any repository paths
 * given. Goals (issue 4):
 *   discovery      <= 2.0 x  git rev-list --all --objects | grep .env paths | git cat-file --batch
 *   value age      <= 1.5 x  one git log --raw -- <env files> | git cat-file --batch pass
 *                  >= 10 x faster than one `git log -L` per key (sampled, extrapolated)
 *   all-files      <= 1.5 x  git log -p --all --no-renames > /dev/null
 * Each timing is the best of a few interleaved runs. REKEY_BENCH_SIZES=10000 limits the sizes.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { scanAllFiles } from '../src/core/git/allFilesScan';
import { readEnvValues } from '../src/core/git/envAssignments';
import { discoverEnvHistory, isEnvHistoryPath } from '../src/core/git/envHistory';
import { GitRunner } from '../src/core/git/gitRunner';
import { historyValueAges } from '../src/core/git/valueAges';

const ROOT = path.resolve(__dirname, '..');
const DATA = path.join(ROOT, 'bench', '.data');
const GEN = path.resolve(ROOT, '..', 'shared', 'tools', 'gen-synth-history.mjs');
const OTHER_FILES = 1000;

const out = (line: string) => process.stdout.write(line + '\n');

function sh(script: string, cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn('sh', ['-c', script], { cwd, stdio: ['ignore', 'ignore', 'inherit'] });
    p.on('error', reject);
    p.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${script}: exit ${code}`))));
  });
}

async function time(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

/** Best of `runs`, alternating the contenders so both see the same cache state. */
async function race(runs: number, contenders: Record<string, () => Promise<unknown>>): Promise<Record<string, number>> {
  const best: Record<string, number> = {};
  for (let i = 0; i < runs; i++) {
    for (const [name, fn] of Object.entries(contenders)) {
      const ms = await time(fn);
      best[name] = Math.min(best[name] ?? Infinity, ms);
    }
  }
  return best;
}

function synthRepo(commits: number): string {
  const dir = path.join(DATA, `synth-${commits}-f${OTHER_FILES}`);
  const stamp = path.join(DATA, `synth-${commits}-f${OTHER_FILES}.done`);
  if (existsSync(stamp) && existsSync(path.join(dir, '.git'))) return dir;
  mkdirSync(DATA, { recursive: true });
  rmSync(dir, { recursive: true, force: true });
  out(`generating ${commits} commits (${OTHER_FILES} other files) in ${path.relative(ROOT, dir)} ...`);
  const t0 = performance.now();
  execFileSync(process.execPath, [GEN, dir, '--commits', String(commits), '--other-files', String(OTHER_FILES)], { stdio: ['ignore', 'ignore', 'inherit'] });
  writeFileSync(stamp, new Date().toISOString());
  out(`  generated in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return dir;
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 1 << 28 });
}

/** `.env`-family files at HEAD, and every value they hold (the secrets a workspace would search). */
function headEnv(repo: string): { files: string[]; values: string[] } {
  let names: string[];
  try {
    names = git(repo, 'ls-tree', '-r', '-z', '--name-only', 'HEAD').split('\0').filter((p) => p && isEnvHistoryPath(p));
  } catch {
    names = []; // no HEAD
  }
  const values = new Set<string>();
  for (const f of names) {
    for (const v of readEnvValues(git(repo, 'show', `HEAD:${f}`)).values()) if (v.length >= 8) values.add(v);
  }
  return { files: names, values: [...values] };
}

const ratio = (a: number, b: number) => (a / b).toFixed(2);
const ms = (n: number) => `${n.toFixed(0)} ms`;
const verdict = (ok: boolean) => (ok ? 'ok' : 'MISSED');

async function benchRepo(label: string, repo: string, runs: number): Promise<void> {
  out(`\n== ${label}: ${repo}`);
  const commitCount = git(repo, 'rev-list', '--all', '--count').trim();
  out(`   ${commitCount} commits, ${git(repo, 'ls-files').split('\n').filter(Boolean).length} files at HEAD`);
  const runner = await GitRunner.open(repo, { trusted: false });

  // 1. Discovery.
  const grep = `grep -E '( |/)[.]env($|[._~-])|[^/ ][.]env$'`;
  const d = await race(runs, {
    floor: () => sh(`git rev-list --all --objects | ${grep} | cut -d' ' -f1 | git cat-file --batch > /dev/null`, repo),
    rekey: () => discoverEnvHistory(runner, { cache: false }),
  });
  const h = await discoverEnvHistory(runner, { cache: false });
  out(`discovery       floor ${ms(d.floor as number)}  rekey ${ms(d.rekey as number)}  ratio ${ratio(d.rekey as number, d.floor as number)} (goal <= 2.0: ${verdict((d.rekey as number) <= 2 * (d.floor as number))})  [${h.blobs.length} env blobs]`);

  // 2. Value age.
  const { files, values } = headEnv(repo);
  if (files.length) {
    const quoted = files.map((f) => `':(literal)${f.replace(/'/g, `'\\''`)}'`).join(' ');
    const a = await race(runs, {
      single: () => sh(`git log HEAD --raw --no-abbrev --no-renames --format= -- ${quoted} | awk '$4 !~ /^0+$/ && !seen[$4]++ {print $4}' | git cat-file --batch > /dev/null`, repo),
      rekey: () => historyValueAges(runner, files),
    });
    const ages = await historyValueAges(runner, files);
    const keys = [...ages.values()].flatMap((f) => [...f.keys.keys()].map((k) => [f.path, k] as const));
    // One `git log -L` per key is the naive way; sample a few keys and extrapolate.
    const sample = keys.filter((_, i) => i % Math.max(1, Math.floor(keys.length / 4)) === 0).slice(0, 4);
    let perKey = 0;
    for (const [f, k] of sample) {
      const re = `^${k.replace(/[.[\]\\*^$/]/g, '\\$&')}=`; // basic regex, as git -L takes it
      perKey += await time(() => sh(`git log -L '/${re}/,+1:${f.replace(/'/g, `'\\''`)}' HEAD --format=%H > /dev/null`, repo));
    }
    const loop = sample.length ? (perKey / sample.length) * keys.length : NaN;
    out(`value age       single pass ${ms(a.single as number)}  rekey ${ms(a.rekey as number)}  ratio ${ratio(a.rekey as number, a.single as number)} (goal <= 1.5: ${verdict((a.rekey as number) <= 1.5 * (a.single as number))})  [${keys.length} keys in ${files.length} files]`);
    out(`                log -L per key ~${ms(loop)} (${sample.length} keys sampled, x${keys.length})  speed-up ${ratio(loop, a.rekey as number)}x (goal >= 10: ${verdict(loop >= 10 * (a.rekey as number))})`);
  } else {
    out('value age       skipped: no .env file at HEAD');
  }

  // 3. All-files search.
  const needles = values.length ? values : ['rekey-bench-needle-that-is-absent-0123'];
  const f = await race(Math.min(runs, 3), {
    'log -p': () => sh('git log -p --all --no-renames > /dev/null', repo),
    rekey: () => scanAllFiles(runner, needles),
  });
  out(`all-files       git log -p ${ms(f['log -p'] as number)}  rekey ${ms(f.rekey as number)}  ratio ${ratio(f.rekey as number, f['log -p'] as number)} (goal <= 1.5: ${verdict((f.rekey as number) <= 1.5 * (f['log -p'] as number))})  [${needles.length} values searched]`);
}

async function main(): Promise<void> {
  const t0 = performance.now();
  if (!existsSync(GEN)) throw new Error(`generator not found: ${GEN}`);
  const sizes = (process.env.REKEY_BENCH_SIZES ?? '10000,50000').split(',').map(Number).filter((n) => n > 0);
  const repos = process.argv.slice(2).map((p) => path.resolve(p));
  out(`rekey history benchmark (git ${git(ROOT, '--version').trim().replace('git version ', '')}, node ${process.version})`);
  for (const n of sizes) await benchRepo(`synthetic ${n}`, synthRepo(n), n >= 50000 ? 3 : 5);
  for (const r of repos) await benchRepo('repository', r, 2);
  out(`\ntotal ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:history failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = 1;
});
