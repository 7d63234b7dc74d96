// `npm run bench:hook`: wall time of rekey's installed git hooks, run as git runs them.
//
//   pre-commit, one staged .env (blocked)        goal < 150 ms (node's own start is ~75 ms)
//   pre-commit, 200 staged ordinary files        goal < 150 ms
//   pre-push, 100 new commits                    goal < 1 s
//
// The CLI is bundled from the current sources as `npm run package` ships it (minified) into a
// temporary folder, installed with `rekey hook install`, and the hook scripts themselves are run
// (`sh .git/hooks/pre-commit`, `sh .git/hooks/pre-push origin URL` with git's stdin line); full
// `git commit` times with and without the hook show what the user waits for. Medians of several
// runs, after warm-up. Options: --runs N (default 15), --dev (unminified bundle, like dist/ in
// development), --node PATH (another node, e.g. 22+ where the hook's compile cache applies).
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildSync } from 'esbuild';

const args = process.argv.slice(2);
const RUNS = Number(args[args.indexOf('--runs') + 1]) || 15;
const DEV = args.includes('--dev');
/** `--node PATH`: the node the hooks run (and the reference start is timed) with; default this one. */
const NODE = args.includes('--node') ? path.resolve(args[args.indexOf('--node') + 1] as string) : process.execPath;
const ROOT = path.resolve(__dirname, '..');

const work = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'rekey-bench-hook-')));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));

const env: NodeJS.ProcessEnv = {};
for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('GIT_')) env[k] = v;
Object.assign(env, {
  GIT_AUTHOR_NAME: 'Bench', GIT_AUTHOR_EMAIL: 'bench@example.com', GIT_COMMITTER_NAME: 'Bench', GIT_COMMITTER_EMAIL: 'bench@example.com',
  GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: os.devNull,
  // The hooks' node compile cache (node 22+) goes to the scratch folder, warmed by the warm-up runs.
  XDG_CACHE_HOME: path.join(work, 'cache'),
});
delete env.NODE_COMPILE_CACHE;

function run(cmd: string, argv: string[], cwd: string, input?: string, extraEnv: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> {
  return spawnSync(cmd, argv, { cwd, env: { ...env, ...extraEnv }, encoding: 'utf8', input, maxBuffer: 64 << 20 });
}

/** What the hook script gives node: its compile cache (used by node 22+ only). */
const CACHE_ENV = { NODE_COMPILE_CACHE: path.join(work, 'cache', 'rekey', 'node-compile-cache') };

function git(cwd: string, ...argv: string[]): string {
  const r = run('git', ['-c', 'init.defaultBranch=main', ...argv], cwd);
  if (r.status !== 0) throw new Error(`git ${argv.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
}

function write(dir: string, files: Record<string, string>): void {
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), content);
  }
}

/** Median and min wall time (ms) of `n` runs of `fn`, after two warm-ups; `check` validates each run. */
function time(n: number, fn: () => SpawnSyncReturns<string>, check: (r: SpawnSyncReturns<string>) => boolean): { median: number; min: number } {
  const times: number[] = [];
  for (let i = 0; i < n + 2; i++) {
    const t = performance.now();
    const r = fn();
    const ms = performance.now() - t;
    if (!check(r)) throw new Error(`unexpected result (exit ${r.status}): ${r.stderr.slice(0, 500)}`);
    if (i >= 2) times.push(ms);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)] as number, min: times[0] as number };
}

// --- the CLI, built as shipped -------------------------------------------------------------
const cli = path.join(work, 'dist', 'cli.js');
buildSync({
  entryPoints: [path.join(ROOT, 'src', 'cli', 'main.ts')], outfile: cli, bundle: true, platform: 'node', target: 'node20',
  format: 'cjs', minify: !DEV, legalComments: 'none', banner: { js: '#!/usr/bin/env node' }, logLevel: 'error',
});

// For comparison: a bundle holding only the hook command, i.e. what the hook would cost if the
// CLI loaded each command's code on demand instead of all of it at start.
const hookOnly = path.join(work, 'dist', 'hook-only.js');
buildSync({
  stdin: {
    contents: [
      "import { hookCommand } from './src/cli/commands/hook';",
      "import { parseCommandArgs } from './src/cli/command';",
      'const { values, positionals } = parseCommandArgs(hookCommand, process.argv.slice(3));',
      'void hookCommand.run(values, positionals, { stdout: (t) => void process.stdout.write(t), stderr: (t) => void process.stderr.write(t), cwd: process.cwd(), env: process.env, stdin: process.stdin }).then((c) => { process.exitCode = c; });',
    ].join('\n'),
    resolveDir: ROOT, loader: 'ts', sourcefile: 'hook-only.ts',
  },
  outfile: hookOnly, bundle: true, platform: 'node', target: 'node20', format: 'cjs', minify: !DEV, legalComments: 'none', logLevel: 'error',
});

// Secret-shaped values made at run time.
const rand = (n: number) => Array.from({ length: n }, () => 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789'[Math.floor(Math.random() * 57)]).join('');
const ENV = [
  `STRIPE_SECRET_KEY=sk_live_${rand(40)}`,
  `DATABASE_URL=postgres://app:${rand(24)}@db.internal:5432/app`,
  `SESSION_SECRET=${rand(48)}`,
  `GITHUB_TOKEN=ghp_${rand(36)}`,
  `SENDGRID_API_KEY=SG.${rand(22)}.${rand(43)}`,
  'PORT=3000',
  'NODE_ENV=production',
  '',
].join('\n');

function repoWithHooks(): string {
  const repo = path.join(work, `repo-${Math.random().toString(36).slice(2)}`);
  mkdirSync(repo);
  git(repo, 'init', '-q');
  const files: Record<string, string> = { '.gitignore': '.env\nnode_modules/\n', 'README.md': '# app\n', '.env': ENV };
  for (let i = 0; i < 300; i++) files[`src/module${i % 20}/existing${i}.ts`] = `export const existing${i} = ${i};\n`;
  write(repo, files);
  git(repo, 'add', '.');
  git(repo, 'commit', '-q', '-m', 'init');
  const r = run(NODE, [cli, 'hook', 'install'], repo);
  if (r.status !== 0) throw new Error(r.stderr);
  return repo;
}

const results: Array<{ name: string; median: number; min: number; goal?: number }> = [];
const record = (name: string, t: { median: number; min: number }, goal?: number) => {
  results.push({ name, ...t, ...(goal ? { goal } : {}) });
  console.log(`${name.padEnd(58)} median ${t.median.toFixed(1).padStart(7)} ms   min ${t.min.toFixed(1).padStart(7)} ms${goal ? `   goal < ${goal} ms: ${t.median < goal ? 'ok' : 'MISSED'}` : ''}`);
};

console.log(`rekey hook benchmark: ${RUNS} runs each (median, min), node ${run(NODE, ['--version'], work).stdout.trim()}, ${os.cpus().length} CPU(s), load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}${DEV ? ', unminified bundle' : ''}`);

record('node -e 0 (node start, for reference)', time(RUNS, () => run(NODE, ['-e', '0'], work), (r) => r.status === 0));
record('node dist/cli.js --version (CLI start)', time(RUNS, () => run(NODE, [cli, '--version'], work), (r) => r.status === 0));

// --- pre-commit: one staged .env -------------------------------------------------------------
{
  const repo = repoWithHooks();
  git(repo, 'add', '-f', '.env');
  record('pre-commit hook, one staged .env (blocked)', time(RUNS, () => run('sh', ['.git/hooks/pre-commit'], repo), (r) => r.status === 1), 150);
  record('  git commit, same (hook included)', time(RUNS, () => run('git', ['commit', '-q', '-m', 'x'], repo), (r) => r.status === 1));
  record('  rekey hook run pre-commit, hook-only bundle (comparison)', time(RUNS, () => run(NODE, [hookOnly, 'hook', 'run', 'pre-commit'], repo, undefined, CACHE_ENV), (r) => r.status === 1));
}

// --- pre-commit: 200 ordinary files ---------------------------------------------------------
{
  const repo = repoWithHooks();
  const files: Record<string, string> = {};
  for (let i = 0; i < 200; i++) {
    files[`src/feature${i % 10}/file${i}.ts`] = Array.from({ length: 30 }, (_, l) => `export const value${i}_${l} = "some ordinary text ${l}";`).join('\n') + '\n';
  }
  write(repo, files);
  git(repo, 'add', 'src');
  record('pre-commit hook, 200 staged files (allowed)', time(RUNS, () => run('sh', ['.git/hooks/pre-commit'], repo), (r) => r.status === 0), 150);
  record('  rekey hook run pre-commit, hook-only bundle (comparison)', time(RUNS, () => run(NODE, [hookOnly, 'hook', 'run', 'pre-commit'], repo, undefined, CACHE_ENV), (r) => r.status === 0));
  const commitAndUndo = () => {
    const r = run('git', ['commit', '-q', '-m', 'x'], repo);
    git(repo, 'reset', '-q', '--soft', 'HEAD~1');
    return r;
  };
  const withHook = time(RUNS, commitAndUndo, (r) => r.status === 0);
  const noVerify = time(RUNS, () => {
    const r = run('git', ['commit', '-q', '--no-verify', '-m', 'x'], repo);
    git(repo, 'reset', '-q', '--soft', 'HEAD~1');
    return r;
  }, (r) => r.status === 0);
  record('  git commit + reset, same (hook included)', withHook);
  record('  git commit --no-verify + reset, same (no hook)', noVerify);
}

// --- pre-push: 100 new commits --------------------------------------------------------------
{
  const repo = repoWithHooks();
  const remote = path.join(work, 'remote.git');
  git(work, 'init', '-q', '--bare', remote);
  git(repo, 'remote', 'add', 'origin', remote);
  git(repo, 'push', '-q', '--no-verify', 'origin', 'main');
  const base = git(repo, 'rev-parse', 'HEAD');
  const stream: string[] = [];
  let t = 1_700_000_000;
  for (let i = 0; i < 100; i++) {
    const msg = `change ${i}`;
    stream.push('commit refs/heads/main', `committer Bench <bench@example.com> ${t++} +0000`, `data ${msg.length}`, msg);
    if (i === 0) stream.push(`from ${base}`);
    for (let f = 0; f < 3; f++) {
      const content = Array.from({ length: 40 }, (_, l) => `export const v${i}_${f}_${l} = ${l};`).join('\n') + '\n';
      stream.push(`M 100644 inline src/module${(i + f) % 20}/pushed${i}_${f}.ts`, `data ${Buffer.byteLength(content)}`, content);
    }
    stream.push('');
  }
  const fi = run('git', ['fast-import', '--quiet'], repo, stream.join('\n') + '\n');
  if (fi.status !== 0) throw new Error(fi.stderr);
  const tip = git(repo, 'rev-parse', 'refs/heads/main');
  const line = `refs/heads/main ${tip} refs/heads/main ${base}\n`;
  record('pre-push hook, 100 new commits (allowed)', time(RUNS, () => run('sh', ['.git/hooks/pre-push', 'origin', remote], repo, line), (r) => r.status === 0), 1000);
  const leak = `refs/heads/main ${tip} refs/heads/main ${'0'.repeat(40)}\n`;
  git(repo, 'update-ref', '-d', 'refs/remotes/origin/main');
  record('pre-push hook, new branch: whole history (101 commits)', time(RUNS, () => run('sh', ['.git/hooks/pre-push', 'origin', remote], repo, leak), (r) => r.status === 0), 1000);
}

const missed = results.filter((r) => r.goal !== undefined && r.median >= r.goal);
console.log(missed.length ? `\n${missed.length} goal(s) missed on this machine (load ${os.loadavg()[0]?.toFixed(2)}).` : '\nall goals met.');
