#!/usr/bin/env node
// Randomized kill and race trials of rekey's file writes, run by `npm test` (test:stress).
//   node test/stress/runWriteRaces.mjs [--trials N] [--seed S]
// Every trial runs real processes on real files inside one real git repository:
//   kill      a process rewriting a .env file (checked atomic writes) is SIGKILLed at a random
//             moment: the file must hold one complete version, never a truncated one;
//   appender  `rekey restore` runs while another process appends lines with O_APPEND (an
//             editor): every appended line must survive, whatever restore reports;
//   parallel  two restores of the same file run at once: each that reports success must have
//             its value in the file, and no edit may be lost.
// Afterwards a write in every folder cleans up the temporary files of killed processes, and
// `git status` must show no rekey temporary or lock file. Exit 1 with the failures listed.
import { buildSync } from 'esbuild';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as dotenvParse } from 'dotenv';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? dflt : Number(args[i + 1]);
};
const TRIALS = opt('trials', 1000);
let seed = opt('seed', Date.now() % 1e9);
const SEED = seed;
// Small, reproducible PRNG (mulberry32) so a failing run can be replayed with --seed.
function random() {
  seed |= 0;
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const CONCURRENCY = Math.max(2, Math.min(4, os.cpus().length * 2));

const tmp = mkdtempSync(path.join(os.tmpdir(), 'rekey-races-'));
const worker = path.join(tmp, 'raceWorker.js');
buildSync({ entryPoints: [path.join(here, 'raceWorker.ts')], outfile: worker, bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'warning', external: ['yaml'] });
const repo = path.join(tmp, 'repo');
mkdirSync(repo);
const git = (...a) => spawnSync('git', ['-c', 'core.fsmonitor=false', ...a], { cwd: repo, encoding: 'utf8' });
git('init', '-q');
// The ignore lines projects already have: nothing rekey leaves behind may escape them.
writeFileSync(path.join(repo, '.gitignore'), '.env*\n!.env.example\n');

function run(argv, { killAfterMs } = {}) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [worker, ...argv], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timer;
    child.stdout.on('data', (b) => {
      stdout += b;
      if (killAfterMs !== undefined && timer === undefined && stdout.includes('"started"')) timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    });
    child.stderr.on('data', (b) => (stderr += b));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stderr, lines: stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l)) });
    });
  });
}

const failures = [];
const fail = (trial, what) => failures.push(`trial ${trial}: ${what}`);
const big = (tag, n) => Array.from({ length: n }, (_, i) => `${tag}_KEY_${i}=${tag}-${i}-${'x'.repeat(40)}`).join('\n') + '\n';

async function killTrial(n, dir) {
  const live = path.join(dir, '.env');
  const a = path.join(dir, 'a.txt');
  const b = path.join(dir, 'b.txt');
  const ta = big('A', 200 + Math.floor(random() * 2000));
  const tb = big('B', 200 + Math.floor(random() * 2000));
  writeFileSync(a, ta);
  writeFileSync(b, tb);
  writeFileSync(live, ta);
  const r = await run(['rewrite', live, a, b], { killAfterMs: Math.floor(random() * 25) });
  if (r.signal !== 'SIGKILL') return fail(n, `rewrite ended without being killed (${r.code}): ${r.stderr.slice(0, 300)}`);
  const now = readFileSync(live, 'utf8');
  if (now !== ta && now !== tb) fail(n, `after SIGKILL the file is neither version (${now.length} bytes: truncated or mixed)`);
}

async function appenderTrial(n, dir) {
  const live = path.join(dir, '.env');
  const backup = path.join(dir, '.env.backup');
  writeFileSync(live, `# app\nAUTH_SECRET=new-${n}\n${big('P', Math.floor(random() * 800))}`);
  writeFileSync(backup, `AUTH_SECRET=old-${n}\n`);
  const delay = Math.floor(random() * 30);
  const [restore, appender] = await Promise.all([
    run(['restore', live, backup, 'AUTH_SECRET']),
    new Promise((r) => setTimeout(r, delay)).then(() => run(['append', live, String(n), String(1 + Math.floor(random() * 6))])),
  ]);
  const text = readFileSync(live, 'utf8');
  const parsed = dotenvParse(text);
  for (const l of appender.lines) if (parsed[l.appended] !== '1') fail(n, `the appended line ${l.appended} was lost (restore: ${JSON.stringify(restore.lines[0])})`);
  const res = restore.lines[0];
  if (!res) return fail(n, `restore printed nothing: ${restore.stderr.slice(0, 300)}`);
  if (res.ok && parsed.AUTH_SECRET !== `old-${n}`) fail(n, 'restore reported success but the value is not the restored one');
  if (!res.ok && res.code !== 'file-changed') fail(n, `restore failed unexpectedly: ${res.code} ${res.message}`);
  if (!res.ok && parsed.AUTH_SECRET !== `new-${n}`) fail(n, 'restore reported failure but changed the value');
}

async function parallelTrial(n, dir) {
  const live = path.join(dir, '.env');
  const b1 = path.join(dir, '.env.backup');
  const b2 = path.join(dir, '.env.bak');
  writeFileSync(live, `AUTH_SECRET=current-${n}\nDB_PASSWORD=current-${n}\n${big('Q', Math.floor(random() * 800))}`);
  const sameKey = random() < 0.5;
  writeFileSync(b1, `AUTH_SECRET=one-${n}\n`);
  writeFileSync(b2, sameKey ? `AUTH_SECRET=two-${n}\n` : `DB_PASSWORD=two-${n}\n`);
  const [r1, r2] = await Promise.all([run(['restore', live, b1, 'AUTH_SECRET']), run(['restore', live, b2, sameKey ? 'AUTH_SECRET' : 'DB_PASSWORD'])]);
  const parsed = dotenvParse(readFileSync(live, 'utf8'));
  const [o1, o2] = [r1.lines[0], r2.lines[0]];
  if (!o1 || !o2) return fail(n, `a restore printed nothing: ${r1.stderr.slice(0, 200)} ${r2.stderr.slice(0, 200)}`);
  for (const o of [o1, o2]) if (!o.ok && o.code !== 'file-changed') fail(n, `restore failed unexpectedly: ${o.code} ${o.message}`);
  if (sameKey) {
    // Both succeeded only if they ran one after the other: the later value wins, and it is one of theirs.
    const ok = [o1.ok && `one-${n}`, o2.ok && `two-${n}`].filter(Boolean);
    if (ok.length === 0 && parsed.AUTH_SECRET !== `current-${n}`) fail(n, 'both failed yet the value changed');
    if (ok.length > 0 && !ok.includes(parsed.AUTH_SECRET)) fail(n, `a restore reported success but its value is not in the file`);
  } else {
    if (o1.ok && parsed.AUTH_SECRET !== `one-${n}`) fail(n, 'the first restore reported success but its value was lost');
    if (o2.ok && parsed.DB_PASSWORD !== `two-${n}`) fail(n, 'the second restore reported success but its value was lost');
    if (!o1.ok && parsed.AUTH_SECRET !== `current-${n}`) fail(n, 'the first restore failed yet changed its value');
    if (!o2.ok && parsed.DB_PASSWORD !== `current-${n}`) fail(n, 'the second restore failed yet changed its value');
  }
}

const counts = { kill: 0, appender: 0, parallel: 0 };
const times = { kill: 0, appender: 0, parallel: 0 };
const started = Date.now();
let next = 0;
const dirs = [];
async function lane() {
  for (;;) {
    const n = next++;
    if (n >= TRIALS) return;
    const dir = path.join(repo, `t${n}`);
    mkdirSync(dir);
    dirs.push(dir);
    const x = random();
    const kind = x < 0.4 ? 'kill' : x < 0.7 ? 'appender' : 'parallel';
    counts[kind]++;
    const t0 = Date.now();
    await (kind === 'kill' ? killTrial : kind === 'appender' ? appenderTrial : parallelTrial)(n, dir);
    times[kind] += Date.now() - t0;
  }
}
await Promise.all(Array.from({ length: CONCURRENCY }, lane));

// The next run cleans up after killed processes: one more write in every folder.
const { writeFileAtomic } = await import(pathToModule());
function pathToModule() {
  const out = path.join(tmp, 'atomicWrite.cjs');
  buildSync({ entryPoints: [path.join(here, '../../src/core/fs/atomicWrite.ts')], outfile: out, bundle: true, platform: 'node', format: 'cjs', logLevel: 'warning' });
  return out;
}
let leftBefore = 0;
for (const dir of dirs) {
  leftBefore += readdirSync(dir).filter((f) => f.startsWith('.env.rekey-')).length;
  const live = path.join(dir, '.env');
  await writeFileAtomic(live, readFileSync(live));
  const left = readdirSync(dir).filter((f) => f.startsWith('.env.rekey-'));
  if (left.length) failures.push(`${path.basename(dir)}: temporary or lock files left after the next run: ${left.join(', ')}`);
}
const status = git('status', '--porcelain', '-uall');
const visible = status.stdout.split('\n').filter((l) => /rekey-(tmp|lock)|\.tmp$/.test(l));
if (visible.length) failures.push(`git status shows rekey's temporary files:\n${visible.join('\n')}`);

const secs = ((Date.now() - started) / 1000).toFixed(1);
if (process.env.REKEY_RACES_TIMES) process.stdout.write(JSON.stringify(times) + "\n");
process.stdout.write(`write races: ${TRIALS} trials (kill ${counts.kill}, appender ${counts.appender}, parallel ${counts.parallel}) in ${secs}s, seed ${SEED}; ${leftBefore} temp files of killed processes cleaned up by the next run; ${failures.length} failure(s)\n`);
if (failures.length) {
  process.stdout.write(failures.slice(0, 30).join('\n') + `\n(files kept in ${tmp})\n`);
  process.exit(1);
}
rmSync(tmp, { recursive: true, force: true });
