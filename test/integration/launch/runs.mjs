// Which integration runs exist, and how each run's sandbox is made. Shared by both launchers
// (codeServer.mjs and electron.mjs) so the two routes run the same suites the same way.
//
// A run opens one fixture workspace in a fresh extension host and runs the suites whose path
// (relative to test/integration) matches one of its globs. Convention: a suite's folder says
// which run it belongs to; top-level suites run in the plain `basic` workspace.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

/**
 * @typedef {object} IntegrationRun
 * @property {string} name        short id, used by `--run` and in logs
 * @property {string} workspace   folder or `.code-workspace` file, relative to
 *                                test/fixtures/workspaces (or absolute: opened in place)
 * @property {string[]} suites    globs over suite paths relative to test/integration
 * @property {'trusted' | 'untrusted'} [trust]  workspace trust in the host (default trusted)
 * @property {Record<string, unknown>} [settings]  extra user settings for this run
 * @property {boolean} [gitShim]  put a `git` on the host's PATH that records every invocation
 *                                (argv, cwd, whether the suite itself ran it) in the file named
 *                                by REKEY_TEST_GIT_LOG, then runs the real git
 */

/** @type {IntegrationRun[]} */
export const runs = [
  // `git.enabled: false` where the shim records: then every git in the host is rekey's or the suite's.
  { name: 'basic', workspace: 'basic', suites: ['*.test.ts'], gitShim: true, settings: { 'git.enabled': false } },
  { name: 'multi-root', workspace: 'multiRoot/rekey.code-workspace', suites: ['smoke.test.ts', 'multiRoot/**/*.test.ts'] },
  { name: 'untrusted', workspace: 'basic', suites: ['smoke.test.ts', 'untrusted/**/*.test.ts'], trust: 'untrusted', gitShim: true, settings: { 'git.enabled': false } },
  { name: 'zero-logout', workspace: 'zeroLogout', suites: ['zeroLogout/**/*.test.ts'], smoke: false },
];

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '..', '..', '..');
export const fixturesRoot = path.join(repoRoot, 'test', 'fixtures');
export const workspacesRoot = path.join(fixturesRoot, 'workspaces');
export const testEntry = path.join(repoRoot, 'out', 'integration', 'index.js');

export const DONE_PATTERN = /REKEY_INTEGRATION_DONE passed=(\d+) failed=(\d+)/;

export const log = (msg) => process.stderr.write(`[rekey-it] ${msg}\n`);

/** Suites that an installed .vsix must pass (`--installed`): the smoke suite, in every run but those marked `smoke: false`. */
export const INSTALLED_SUITES = ['smoke.test.ts'];

/**
 * How the launcher was asked to run: `--host stable|minimum` picks the VS Code host
 * (installCodeServer.mjs HOSTS); `--installed` installs the built .vsix (`<name>-<version>.vsix`
 * at the repository root, or REKEY_TEST_VSIX) into the host instead of loading the working tree
 * as a development extension, and runs only INSTALLED_SUITES unless `--suites` says otherwise.
 */
export function launchFromArgs() {
  const { values } = parseArgs({ options: argOptions, strict: true });
  const host = values.host ?? process.env.REKEY_TEST_HOST ?? 'stable';
  let vsix;
  if (values.installed) {
    const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
    vsix = path.resolve(process.env.REKEY_TEST_VSIX ?? path.join(repoRoot, `${manifest.name}-${manifest.version}.vsix`));
    if (!fs.existsSync(vsix)) throw new Error(`--installed: ${vsix} does not exist (run \`npm run package\` first)`);
  }
  const selected = runsFromArgs();
  const runsToDo = vsix && !values.suites
    ? selected.filter((r) => r.smoke !== false).map((r) => ({ ...r, suites: INSTALLED_SUITES }))
    : selected;
  return { host, vsix, runs: runsToDo, extensionId: extensionIdOf() };
}

function extensionIdOf() {
  const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
  return `${manifest.publisher}.${manifest.name}`.toLowerCase();
}

const argOptions = {
  run: { type: 'string' },
  grep: { type: 'string' },
  workspace: { type: 'string' },
  suites: { type: 'string' },
  untrusted: { type: 'boolean', default: false },
  host: { type: 'string' },
  installed: { type: 'boolean', default: false },
};

/**
 * The runs a launcher was asked for: `--workspace PATH [--suites GLOBS] [--untrusted]` for one ad
 * hoc run, else `--run a,b` / REKEY_TEST_RUNS (all by default), their suites replaced by
 * `--suites` when given. `--grep` sets REKEY_TEST_GREP.
 */
export function runsFromArgs() {
  const { values } = parseArgs({ options: argOptions, strict: true });
  if (values.grep) process.env.REKEY_TEST_GREP = values.grep;
  if (!values.workspace) {
    const chosen = selectRuns(values.run ?? process.env.REKEY_TEST_RUNS);
    return values.suites ? chosen.map((r) => ({ ...r, suites: values.suites.split(',') })) : chosen;
  }
  return [{
    name: 'adhoc',
    workspace: path.resolve(values.workspace),
    suites: (values.suites ?? '**/*.test.ts').split(','),
    trust: values.untrusted ? 'untrusted' : 'trusted',
  }];
}

/** Runs each selected run in turn with `runOne(run)`; runs not started before the deadline fail. */
export async function runEach(selected, deadline, runOne) {
  const results = [];
  for (const run of selected) {
    if (Date.now() > deadline) {
      results.push({ run, ok: false, problems: ['overall timeout reached before this run started'], passed: 0, failed: 1, ms: 0 });
      continue;
    }
    results.push(await runOne(run));
  }
  return results;
}

/** Selects runs by comma-separated names (`--run a,b` or REKEY_TEST_RUNS); all when empty. */
export function selectRuns(names) {
  const wanted = (names ?? '').split(',').map((n) => n.trim()).filter(Boolean);
  if (wanted.length === 0) return runs;
  const unknown = wanted.filter((n) => !runs.some((r) => r.name === n));
  if (unknown.length > 0) {
    throw new Error(`unknown run(s) ${unknown.join(', ')}; known: ${runs.map((r) => r.name).join(', ')}`);
  }
  return runs.filter((r) => wanted.includes(r.name));
}

/**
 * Makes a fresh sandbox for one run: temp root with its own TMPDIR, HOME and XDG_* folders,
 * user-data and extensions dirs, a copy of the fixture workspace (tests may change it), and
 * user settings for the requested trust. Returns paths and the environment for the host.
 */
export function prepareSandbox(run) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), `rekey-it-${run.name}-`));
  const dir = (name, mode) => {
    const p = path.join(root, name);
    fs.mkdirSync(p, { recursive: true, mode });
    return p;
  };
  const sandbox = {
    root,
    tmp: dir('tmp'),
    home: dir('home'),
    userData: dir('user-data'),
    extensions: dir('extensions'),
    browserProfile: dir('browser-profile'),
    logs: dir('logs'),
    workspace: openedWorkspace(run, dir('workspaces')),
  };
  const trusted = (run.trust ?? 'trusted') === 'trusted';
  const settings = {
    // Trust is decided per run: off (so everything is trusted) or on with nothing trusted.
    // Never the launch flag --disable-workspace-trust, so untrusted runs stay possible.
    'security.workspace.trust.enabled': !trusted,
    'security.workspace.trust.startupPrompt': 'never',
    'security.workspace.trust.banner': 'never',
    'security.workspace.trust.emptyWindow': false,
    'workbench.startupEditor': 'none',
    'workbench.enableExperiments': false,
    'workbench.tips.enabled': false,
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'extensions.ignoreRecommendations': true,
    'update.mode': 'none',
    'telemetry.telemetryLevel': 'off',
    'chat.disableAIFeatures': true,
    'git.openRepositoryInParentFolders': 'never',
    ...run.settings,
  };
  fs.mkdirSync(path.join(sandbox.userData, 'User'), { recursive: true });
  fs.writeFileSync(path.join(sandbox.userData, 'User', 'settings.json'), JSON.stringify(settings, null, 2) + '\n');

  const xdg = {
    XDG_CONFIG_HOME: dir('xdg/config'),
    XDG_DATA_HOME: dir('xdg/data'),
    XDG_CACHE_HOME: dir('xdg/cache'),
    XDG_STATE_HOME: dir('xdg/state'),
    XDG_RUNTIME_DIR: dir('xdg/runtime', 0o700),
  };
  const env = { ...baseEnv() };
  Object.assign(env, xdg, {
    HOME: sandbox.home,
    TMPDIR: sandbox.tmp,
    TMP: sandbox.tmp,
    TEMP: sandbox.tmp,
    // Read by the test entry and the suites (see test/integration/README.md).
    REKEY_TEST_RUN: run.name,
    REKEY_TEST_SUITES: run.suites.join(','),
    REKEY_TEST_TRUST: trusted ? 'trusted' : 'untrusted',
    REKEY_TEST_WORKSPACE: sandbox.workspace,
    REKEY_TEST_FIXTURES: fixturesRoot,
  });
  if (process.env.REKEY_TEST_GREP) env.REKEY_TEST_GREP = process.env.REKEY_TEST_GREP;
  if (run.gitShim) Object.assign(env, gitShim(dir('git-shim'), env.PATH ?? ''));
  return { ...sandbox, env };
}

/**
 * Writes a recording `git` into `dir` and returns the environment that puts it first on PATH.
 * Each call appends one JSON line `{ argv, cwd, suite }` (`suite`: the test's own git helper,
 * which sets REKEY_TEST_OWN_GIT=1) and then runs the real git with the same arguments.
 */
function gitShim(dir, pathValue) {
  const real = pathValue.split(path.delimiter).map((d) => path.join(d, 'git')).find((f) => {
    try {
      fs.accessSync(f, fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
  if (!real) throw new Error('git shim: no git on PATH');
  const logFile = path.join(dir, 'calls.jsonl');
  const shim = path.join(dir, 'git');
  fs.writeFileSync(shim, [
    `#!${process.execPath}`,
    "const fs = require('fs');",
    `fs.appendFileSync(${JSON.stringify(logFile)}, JSON.stringify({ argv: process.argv.slice(2), cwd: process.cwd(), suite: process.env.REKEY_TEST_OWN_GIT === '1' }) + '\\n');`,
    `const r = require('child_process').spawnSync(${JSON.stringify(real)}, process.argv.slice(2), { stdio: 'inherit' });`,
    'process.exit(r.status === null ? 1 : r.status);',
    '',
  ].join('\n'), { mode: 0o755 });
  return { PATH: `${dir}${path.delimiter}${pathValue}`, REKEY_TEST_GIT_LOG: logFile, REKEY_TEST_GIT_SHIM_DIR: dir };
}

/** The parent environment without what would leak a developer's editor or loaders into the host. */
function baseEnv() {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined) continue;
    if (/^(VSCODE_|ELECTRON_)/.test(k) || k === 'NODE_OPTIONS' || k.startsWith('npm_')) continue;
    if (k.startsWith('REKEY_TEST_')) continue;
    env[k] = v;
  }
  return env;
}

/** Copies the run's fixture (its top-level folder under workspaces/) and returns the path to open. */
function openedWorkspace(run, into) {
  if (path.isAbsolute(run.workspace)) {
    if (!fs.existsSync(run.workspace)) throw new Error(`workspace ${run.workspace} does not exist`);
    return run.workspace;
  }
  const rel = run.workspace.split(/[\\/]/);
  const top = rel[0];
  const source = path.join(workspacesRoot, top);
  if (!fs.existsSync(path.join(workspacesRoot, ...rel))) {
    throw new Error(`run ${run.name}: no fixture ${path.join(workspacesRoot, ...rel)}`);
  }
  fs.cpSync(source, path.join(into, top), { recursive: true });
  return path.join(into, ...rel);
}

/** Deletes a sandbox; it is kept on failure (and with REKEY_TEST_KEEP=1) for post-mortems. */
export function removeSandbox(sandbox, failed) {
  if (failed || process.env.REKEY_TEST_KEEP === '1') {
    log(`kept ${sandbox.root} (logs in ${sandbox.logs})`);
    return;
  }
  fs.rmSync(sandbox.root, { recursive: true, force: true, maxRetries: 3 });
}

/**
 * Judges a finished run from what the host printed. The completion line is required: a host
 * that crashed or hung may still report exit code 0.
 */
export function judge({ run, exitCode, done, reason }) {
  const problems = [];
  if (reason) problems.push(reason);
  if (!done) problems.push('the test entry never printed its REKEY_INTEGRATION_DONE line (host crashed, hung, or did not load the tests)');
  if (exitCode !== 0) problems.push(`extension host exit code ${exitCode ?? 'unknown'}`);
  if (done && done.failed > 0) problems.push(`${done.failed} test(s) failed`);
  if (done && done.passed + done.failed === 0 && !process.env.REKEY_TEST_GREP) {
    problems.push(`no test ran (suites: ${run.suites.join(', ')})`);
  }
  return { ok: problems.length === 0, problems, passed: done?.passed ?? 0, failed: done?.failed ?? (problems.length > 0 ? 1 : 0) };
}

/** Ensures dist/extension.js exists (`npm run build` normally made it) and bundles the tests. */
export async function buildAll() {
  const extensionMain = path.join(repoRoot, 'dist', 'extension.js');
  if (!fs.existsSync(extensionMain)) {
    log('dist/extension.js is missing; running node esbuild.js');
    const { spawnSync } = await import('node:child_process');
    const r = spawnSync(process.execPath, ['esbuild.js'], { cwd: repoRoot, stdio: 'inherit' });
    if (r.status !== 0) throw new Error('node esbuild.js failed');
  }
  const { buildIntegrationTests } = await import('../build.mjs');
  const { suites } = await buildIntegrationTests();
  log(`test bundle: ${path.relative(repoRoot, testEntry)} (${suites.length} suite(s))`);
}

/** Prints the per-run results and the closing `N passed, M failed` line; returns the exit code. */
export function summarize(results) {
  let passed = 0;
  let failed = 0;
  for (const r of results) {
    passed += r.passed;
    failed += r.failed;
    log(`${r.ok ? 'PASS' : 'FAIL'} ${r.run.name}: ${r.passed} passed, ${r.failed} failed${r.ok ? '' : ` (${r.problems.join('; ')})`} in ${(r.ms / 1000).toFixed(1)} s`);
  }
  // A grep may leave a run empty, but a whole invocation that ran no test is a mistake.
  const ok = results.length > 0 && results.every((r) => r.ok) && passed > 0;
  if (passed === 0 && results.every((r) => r.ok)) log('no test ran in any run: check --grep / REKEY_TEST_GREP and the runs\' suite globs');
  process.stdout.write(`integration: ${passed} passed, ${failed} failed\n`);
  return ok ? 0 : 1;
}

// ---- Processes: every program a launcher starts is a process-group leader, killed as a group.

/** Process groups started and not yet killed; all are killed if the launcher stops early. */
const liveGroups = new Set();

/** Spawns `cmd` as the leader of a new process group, with piped stdout/stderr. */
export function spawnGroup(cmd, args, options) {
  const child = spawn(cmd, args, { ...options, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  // Registered until killGroup: the leader may exit while its children (hosts) live on.
  if (child.pid) liveGroups.add(child.pid);
  return child;
}

/** SIGTERM the child's whole process group (helpers, hosts, watchers), then SIGKILL after 5 s. */
export async function killGroup(child) {
  const pid = child.pid;
  if (!pid) return;
  const signalGroup = (sig) => {
    try {
      process.kill(-pid, sig);
      return true;
    } catch {
      return false;
    }
  };
  if (signalGroup('SIGTERM')) {
    const until = Date.now() + 5000;
    while (Date.now() < until && signalGroup(0)) await new Promise((resolve) => setTimeout(resolve, 100));
    signalGroup('SIGKILL');
  }
  liveGroups.delete(pid);
}

export function killAllGroups() {
  for (const pid of liveGroups) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  liveGroups.clear();
}

/** On Ctrl-C, termination or exit, leave no server, browser or host behind. */
export function handleSignals() {
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(sig, () => {
      log(`${sig}: stopping`);
      killAllGroups();
      process.exit(130);
    });
  }
  process.on('exit', killAllGroups);
}

/** Calls `onLine` for each line of a stream. */
export function lines(stream, onLine) {
  let buf = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk) => {
    buf += chunk;
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      onLine(buf.slice(0, i).replace(/\r$/, ''));
      buf = buf.slice(i + 1);
    }
  });
  stream.on('end', () => {
    if (buf) onLine(buf);
  });
}

export function pushTail(tail, line, max) {
  tail.push(line);
  if (tail.length > max) tail.shift();
}
