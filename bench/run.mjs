// `npm run bench`: rekey's speed, whole process against whole process, in one table.
//
// Every figure is a full command line (`node <bundle>/cli.js …` for rekey, git pipelines, peers)
// started by bash, timed from spawn to exit; the sides of a row run paired and interleaved
// (warm-up discarded, then A B A B …) and each cell is the median with the min–max range.
// rekey runs as its shipped production bundle, built into bench/.cache/dist (dist/ is left alone).
//
//   npm run bench                       every row (the editor rows start a VS Code host)
//   npm run bench -- --quick            a smoke check: 3 runs, small corpora, no editor rows
//   npm run bench -- --only history,hook --runs 9 --json out.json
//   groups: history, allfiles, hook, scan, rotate, memory, parse, editor
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Corpora } from './lib/corpora.mjs';
import { cmd, compare, runOnce, stats } from './lib/measure.mjs';
import { renderMachine, renderTable, resultsJson, skippedRow, timeCell } from './lib/table.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const GROUPS = ['history', 'allfiles', 'hook', 'scan', 'rotate', 'memory', 'parse', 'editor'];

function parseArgs(argv) {
  const o = { quick: false, json: path.join(root, 'bench', 'results.json'), runs: undefined, only: GROUPS, skip: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`bench: ${a} needs a value`);
      return v;
    };
    if (a === '--quick') o.quick = true;
    else if (a === '--json') o.json = path.resolve(next());
    else if (a === '--runs') o.runs = Number(next());
    else if (a === '--only') o.only = next().split(',');
    else if (a === '--skip') o.skip = next().split(',');
    else if (a === '--help' || a === '-h') {
      console.log(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').filter((l) => l.startsWith('//')).map((l) => l.slice(3)).join('\n'));
      process.exit(0);
    } else throw new Error(`bench: unknown argument ${a} (try --help)`);
  }
  for (const g of [...o.only, ...o.skip]) if (!GROUPS.includes(g)) throw new Error(`bench: unknown group ${g} (groups: ${GROUPS.join(', ')})`);
  o.runs ??= o.quick ? 3 : 7;
  if (!(o.runs >= 1)) throw new Error('bench: --runs must be a positive number');
  return o;
}

const opts = parseArgs(process.argv.slice(2));
const wanted = (g) => opts.only.includes(g) && !opts.skip.includes(g) && !(g === 'editor' && opts.quick && !process.argv.includes('--only'));
const log = (m) => process.stderr.write(`${m}\n`);
const onPath = (bin) => spawnSync('bash', ['-c', `command -v ${bin}`], { stdio: 'ignore' }).status === 0;

const machine = {
  cpus: os.cpus().length,
  cpuModel: os.cpus()[0]?.model?.trim() ?? '?',
  memGiB: Math.round(os.totalmem() / 2 ** 30),
  platform: `${os.platform()} ${os.release()}`,
  node: process.version,
  git: spawnSync('git', ['--version'], { encoding: 'utf8' }).stdout.trim(),
  loadStart: os.loadavg(),
  loadEnd: null,
  runs: opts.runs,
  quick: opts.quick,
  date: new Date().toISOString(),
};

const corpora = new Corpora(root, log);
const cache = corpora.cache;

// The shipped bundles (production: minified, as users run them).
const distDir = path.join(cache, 'dist');
log('building the production bundle into bench/.cache/dist…');
const built = spawnSync(process.execPath, ['esbuild.js', '--production'], { cwd: root, stdio: 'inherit', env: { ...process.env, REKEY_OUT_DIR: distDir } });
if (built.status !== 0) throw new Error('bench: node esbuild.js --production failed');
const cli = path.join(distDir, 'cli.js');
// rekey's state (ledger) for the bench's runs stays in the cache.
const stateDir = path.join(cache, 'state');
mkdirSync(stateDir, { recursive: true });
const rekeyEnv = { ...process.env, REKEY_STATE_DIR: stateDir };
const node0 = { name: 'node -e 0', line: cmd(process.execPath, '-e', '0') };
const rekey = (...args) => cmd(process.execPath, cli, ...args);

const rows = [];
const ms = (x) => `${x.toFixed(0)} ms`;

async function historyRows(corpusList) {
  const filter = { raw: `awk '$2 ~ /(^|\\/)(\\.env([._-][^\\/]*)?|[^\\/]+\\.env)$/ { print $1 }'` };
  for (const c of corpusList) {
    const floorLine = cmd('git', '-C', c.dir, 'rev-list', '--all', '--objects', { raw: '|' }, filter, { raw: '|' }, 'git', '-C', c.dir, 'cat-file', '--batch');
    const sides = [
      { name: 'rekey', line: rekey('history', '--repo', c.dir, '--format', 'json', '--fail-on', 'never'), env: rekeyEnv },
      { name: 'floor', line: floorLine },
      ...(c.small ? [node0] : []),
    ];
    log(`history: ${c.label}…`);
    const r = await compare(sides, { runs: opts.runs });
    const a = r.rekey.wall;
    const f = r.floor.wall;
    if (c.small) {
      const n = r['node -e 0'].wall;
      const budget = f.median + n.median + 40;
      rows.push({
        group: 'history', work: `rekey history, ${c.label}`, rekey: { text: timeCell(a), ...a }, reference: { text: `floor ${timeCell(f)}; node -e 0 ${timeCell(n)}`, floor: f, node0: n },
        ratio: a.median / f.median, goal: `≤ floor + node -e 0 + 40 ms (${ms(budget)})`, met: a.median <= budget,
      });
    } else {
      rows.push({ group: 'history', work: `rekey history, ${c.label}`, rekey: { text: timeCell(a), ...a }, reference: { text: `floor ${timeCell(f)}`, ...f }, ratio: a.median / f.median, goal: '≤ 1.2× floor', met: a.median / f.median <= 1.2 });
    }
  }
}

// git-secrets with the patterns `git secrets --register-aws` adds, passed through the environment
// so no repository's config is changed.
const GIT_SECRETS_PATTERNS = [
  '(A3T[A-Z0-9]|AKIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|ASIA)[A-Z0-9]{16}',
  `("|')?(AWS|aws|Aws)?_?(SECRET|secret|Secret)?_?(ACCESS|access|Access)?_?(KEY|key|Key)("|')?\\s*(:|=>|=)\\s*("|')?[A-Za-z0-9/\\+=]{40}("|')?`,
  `("|')?(AWS|aws|Aws)?_?(ACCOUNT|account|Account)_?(ID|id|Id)?("|')?\\s*(:|=>|=)\\s*("|')?[0-9]{4}\\-?[0-9]{4}\\-?[0-9]{4}("|')?`,
];
const gitSecretsEnv = { ...process.env, GIT_CONFIG_COUNT: String(GIT_SECRETS_PATTERNS.length) };
GIT_SECRETS_PATTERNS.forEach((p, i) => {
  gitSecretsEnv[`GIT_CONFIG_KEY_${i}`] = 'secrets.patterns';
  gitSecretsEnv[`GIT_CONFIG_VALUE_${i}`] = p;
});

async function allFilesRows(corpusList) {
  const haveGitSecrets = onPath('git-secrets');
  for (const c of corpusList) {
    const sides = [
      { name: 'rekey', line: rekey('history', '--all-files', '--repo', c.dir, '--format', 'json', '--fail-on', 'never'), env: rekeyEnv },
      { name: 'git log -p', line: cmd('git', '-C', c.dir, 'log', '-p', '--all', '--no-renames') },
      ...(haveGitSecrets ? [{ name: 'git-secrets', line: cmd('git', 'secrets', '--scan-history'), cwd: c.dir, env: gitSecretsEnv, okCodes: [0, 1] }] : []),
    ];
    log(`--all-files: ${c.label}…`);
    const r = await compare(sides, { runs: opts.runs });
    const a = r.rekey;
    const g = r['git log -p'];
    const work = `rekey history --all-files, ${c.label}`;
    rows.push({ group: 'allfiles', work: `${work}: wall`, rekey: { text: timeCell(a.wall), ...a.wall }, reference: { text: `git log -p --all --no-renames ${timeCell(g.wall)}`, ...g.wall }, ratio: a.wall.median / g.wall.median, goal: '≤ 1.15× wall', met: a.wall.median / g.wall.median <= 1.15 });
    rows.push({ group: 'allfiles', work: `${work}: CPU`, rekey: { text: timeCell(a.cpu), ...a.cpu }, reference: { text: `git log -p --all --no-renames ${timeCell(g.cpu)}`, ...g.cpu }, ratio: a.cpu.median / g.cpu.median, goal: '≤ 1.3× CPU', met: a.cpu.median / g.cpu.median <= 1.3 });
    if (haveGitSecrets) {
      const s = r['git-secrets'].wall;
      rows.push({ group: 'allfiles', work: `${work} vs git-secrets`, rekey: { text: timeCell(a.wall), ...a.wall }, reference: { text: `git secrets --scan-history ${timeCell(s)}`, ...s }, ratio: a.wall.median / s.median, goal: '≤ 0.25× git-secrets', met: a.wall.median / s.median <= 0.25 });
    } else {
      rows.push(skippedRow('allfiles', `${work} vs git-secrets`, 'not installed (git-secrets)', '≤ 0.25× git-secrets'));
    }
  }
}

async function hookRows() {
  const dir = corpora.hookRepo();
  // Installed afresh each time, so the hook is the one this build writes and runs this bundle.
  const hooksDir = path.join(dir, '.git', 'hooks');
  rmSync(hooksDir, { recursive: true, force: true });
  const inst = spawnSync(process.execPath, [cli, 'hook', 'install', '--pre-commit', '--repo', dir], { encoding: 'utf8', env: rekeyEnv });
  if (inst.status !== 0) throw new Error(`bench: rekey hook install failed: ${inst.stderr}`);
  const haveGitSecrets = onPath('git-secrets');
  const sides = [
    { name: 'rekey', line: cmd(path.join(hooksDir, 'pre-commit')), cwd: dir, env: rekeyEnv, okCodes: [0, 1] },
    node0,
    ...(haveGitSecrets ? [{ name: 'git-secrets', line: cmd('git', 'secrets', '--pre_commit_hook'), cwd: dir, env: gitSecretsEnv, okCodes: [0, 1] }] : []),
  ];
  log('pre-commit hook…');
  const r = await compare(sides, { runs: Math.max(opts.runs, opts.quick ? 5 : 15) });
  const a = r.rekey.wall;
  const n = r['node -e 0'].wall;
  const work = 'pre-commit hook (the installed script), one staged .env';
  rows.push({ group: 'hook', work, rekey: { text: timeCell(a), ...a }, reference: { text: `node -e 0 ${timeCell(n)}`, ...n }, ratio: a.median / n.median, goal: `≤ node -e 0 + 25 ms (${ms(n.median + 25)})`, met: a.median <= n.median + 25 });
  if (haveGitSecrets) {
    const s = r['git-secrets'].wall;
    rows.push({ group: 'hook', work: `${work} vs git-secrets' hook`, rekey: { text: timeCell(a), ...a }, reference: { text: `git secrets --pre_commit_hook ${timeCell(s)}`, ...s }, ratio: a.median / s.median, goal: '(peer, no goal)', met: null });
  } else {
    rows.push(skippedRow('hook', `${work} vs git-secrets' hook`, 'not installed (git-secrets)'));
  }
}

async function scanRows() {
  const files = opts.quick ? 1000 : 10000;
  const packages = opts.quick ? 10 : 100;
  const dir = corpora.workspace('scan-tree', { files, packages, envPerPackage: true });
  const envFiles = Array.from({ length: packages }, (_, p) => `packages/p${String(p).padStart(3, '0')}/.env`);
  const work = `rekey scan, ${files.toLocaleString('en')}-file tree with ${packages} .env files`;
  if (!onPath('secretlint')) {
    rows.push(skippedRow('scan', work, 'not installed (secretlint)', '≤ 0.5× secretlint'));
    return;
  }
  const rc = path.join(cache, 'secretlintrc.json');
  writeFileSync(rc, JSON.stringify({ rules: [{ id: '@secretlint/secretlint-rule-preset-recommend' }] }) + '\n');
  const sides = [
    { name: 'rekey', line: rekey('scan', dir, '--format', 'json', '--fail-on', 'never'), env: rekeyEnv },
    { name: 'secretlint', line: cmd('secretlint', '--secretlintrc', rc, '--format', 'json', ...envFiles), cwd: dir, okCodes: [0, 1] },
  ];
  log('scan…');
  const r = await compare(sides, { runs: opts.runs });
  const a = r.rekey.wall;
  const s = r.secretlint.wall;
  rows.push({ group: 'scan', work, rekey: { text: timeCell(a), ...a }, reference: { text: `secretlint on the ${packages} .env files ${timeCell(s)}`, ...s }, ratio: a.median / s.median, goal: '≤ 0.5× secretlint', met: a.median / s.median <= 0.5 });
}

async function rotateRows() {
  const files = opts.quick ? 2000 : 20000;
  const dir = corpora.workspace('rotate-tree', { files, packages: files / 100, envPerPackage: false, rootEnv: true });
  const sides = [{ name: 'rekey', line: rekey('rotate', 'STRIPE_SECRET_KEY', '--file', path.join(dir, '.env'), '--root', dir, '--dry-run', '--format', 'json'), env: rekeyEnv }];
  log('rotate --dry-run…');
  const r = await compare(sides, { runs: opts.runs });
  const a = r.rekey.wall;
  rows.push({ group: 'rotate', work: `rekey rotate --dry-run, ${files.toLocaleString('en')}-file workspace`, rekey: { text: timeCell(a), ...a }, reference: null, ratio: null, goal: '≤ 0.5 s', met: a.median <= 500 });
}

async function memoryRows() {
  const file = corpora.bigEnv({ maxBytes: 1024 * 1024 });
  const size = readFileSync(file).length;
  const out = path.join(cache, 'rss.txt');
  // Peak resident set of the process tree's largest process (GNU time's %M, getrusage ru_maxrss).
  const rss = async (line, env) => {
    const r = await runOnce(`/usr/bin/time -f %M -o ${out} ${line}`, { env });
    if (r.code !== 0 && r.code !== 1) throw new Error(`bench: ${line} exited ${r.code}: ${r.stderr}`);
    return Number(readFileSync(out, 'utf8').trim().split('\n').pop()) * 1024;
  };
  const scanLine = rekey('scan', path.dirname(file), '--format', 'json', '--fail-on', 'never');
  const a = [];
  const b = [];
  const c = [];
  log('memory…');
  for (let i = -1; i < opts.runs; i++) {
    const x = await rss(scanLine, rekeyEnv);
    const y = await rss(node0.line);
    const z = await rss(rekey('--version'), rekeyEnv);
    if (i >= 0) {
      a.push(x);
      b.push(y);
      c.push(z);
    }
  }
  const mib = (x) => `${(x / 2 ** 20).toFixed(1)} MiB`;
  const sa = stats(a);
  const sb = stats(b);
  const sc = stats(c);
  const ratio = (sa.median - sb.median) / size;
  rows.push({
    group: 'memory', work: `peak RSS of rekey scan on one ${mib(size)} .env, minus node -e 0's`, rekey: { text: `${mib(sa.median)} (${mib(sa.min)}–${mib(sa.max)})`, ...sa, fileBytes: size },
    reference: { text: `node -e 0 ${mib(sb.median)}; rekey --version ${mib(sc.median)}`, node0: sb, cliVersion: sc }, ratio, goal: '≤ 30× the file size', met: ratio <= 30,
    note: 'ratio = (median peak RSS of `rekey scan` − median peak RSS of `node -e 0`) / file size; `rekey --version` (bundle loaded, no file) shown for reference',
  });
}

async function parseRows() {
  const bundles = path.join(cache, 'parse');
  const esbuild = (await import('esbuild')).default;
  for (const side of ['Rekey', 'Dotenv']) {
    await esbuild.build({ entryPoints: [path.join(root, 'bench', 'lib', `parse${side}.ts`)], outfile: path.join(bundles, `parse${side}.js`), bundle: true, platform: 'node', target: 'node20', format: 'cjs', minify: true, logLevel: 'warning' });
  }
  for (const keys of opts.quick ? [1000, 10000] : [1000, 100000]) {
    const file = corpora.bigEnv({ keys });
    const sides = ['Rekey', 'Dotenv'].map((s) => ({ name: s, line: cmd(process.execPath, path.join(bundles, `parse${s}.js`), file) }));
    log(`parse ${keys} keys…`);
    const r = await compare(sides, { runs: opts.runs });
    const a = r.Rekey.wall;
    const d = r.Dotenv.wall;
    const big = keys >= 100000;
    rows.push({
      group: 'parse', work: `parse ${keys.toLocaleString('en')} keys (read + parse, whole process)`, rekey: { text: timeCell(a), ...a }, reference: { text: `dotenv.parse ${timeCell(d)}`, ...d },
      ratio: a.median / d.median, goal: big ? '≤ 0.5× dotenv (2× faster)' : '≤ 1× dotenv (never slower)', met: a.median / d.median <= (big ? 0.5 : 1),
      note: 'each side: a bundle (same esbuild options) of its parser and a reader script: node starts, reads the file, parses it, prints the entry count',
    });
  }
}

function editorRows() {
  log('editor (bench/activation.mjs, a real VS Code host)…');
  const r = spawnSync(process.execPath, [path.join(root, 'bench', 'activation.mjs')], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: process.env });
  const last = r.stdout.trim().split('\n').pop() ?? '';
  let res;
  try {
    res = JSON.parse(last);
  } catch {
    res = undefined;
  }
  if (r.status !== 0 || !res || typeof res.editP95Ms !== 'number' || typeof res.activationMs !== 'number') {
    const why = r.status !== 0 ? `activation.mjs exited ${r.status}` : 'activation.mjs printed no result line';
    rows.push(skippedRow('editor', 'edit → diagnostics after the debounce, 1,000-line .env', why, '≤ 50 ms p95'));
    rows.push(skippedRow('editor', 'activation', why, '≤ 30 ms'));
    return;
  }
  rows.push({ group: 'editor', work: `edit → diagnostics after the debounce, 1,000-line .env (p95, n=${res.samples})`, rekey: { text: `p95 ${res.editP95Ms.toFixed(1)} ms (p50 ${res.editP50Ms.toFixed(1)} ms)`, p95: res.editP95Ms, p50: res.editP50Ms, n: res.samples }, reference: null, ratio: null, goal: '≤ 50 ms p95', met: res.editP95Ms <= 50 });
  rows.push({ group: 'editor', work: 'activation', rekey: { text: `${res.activationMs.toFixed(1)} ms`, median: res.activationMs }, reference: null, ratio: null, goal: '≤ 30 ms', met: res.activationMs <= 30 });
}

async function main() {
  const historyCorpora = () => {
    const list = [{ label: `this repository (${commitCount(corpora.ownHistory())} commits)`, dir: corpora.ownHistory(), small: true }];
    for (const n of opts.quick ? [1000] : [1000, 20000, 50000]) list.push({ label: `synthetic ${n / 1000}k commits`, dir: corpora.synthHistory(n), small: n <= 1000 });
    return list;
  };
  const steps = {
    history: () => historyRows(historyCorpora()),
    allfiles: () => allFilesRows(historyCorpora()),
    hook: hookRows,
    scan: scanRows,
    rotate: rotateRows,
    memory: memoryRows,
    parse: parseRows,
    editor: editorRows,
  };
  let failed = false;
  for (const g of GROUPS) {
    if (!wanted(g)) continue;
    try {
      await steps[g]();
    } catch (err) {
      failed = true;
      log(`bench: ${g} failed: ${err.message}`);
      rows.push(skippedRow(g, g, `failed: ${String(err.message).split('\n')[0]}`));
    }
  }
  machine.loadEnd = os.loadavg();
  console.log(renderMachine(machine));
  console.log(renderTable(rows));
  writeFileSync(opts.json, JSON.stringify(resultsJson(machine, rows), null, 2) + '\n');
  console.log(`(written to ${path.relative(process.cwd(), opts.json) || opts.json})`);
  process.exitCode = failed ? 1 : 0;
}

function commitCount(dir) {
  return spawnSync('git', ['-C', dir, 'rev-list', '--all', '--count'], { encoding: 'utf8' }).stdout.trim();
}

await main();
