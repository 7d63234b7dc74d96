// Desktop integration-test launcher: runs the same bundled test entry (out/integration/index.js)
// and the same runs (runs.mjs) in the Electron build of VS Code, downloaded and cached under
// `.vscode-test/` by @vscode/test-electron. Needs the network to fetch VS Code once, and a
// display (on Linux without one it wraps itself in `xvfb-run -a` when that is installed).
//
//   node test/integration/launch/electron.mjs [--run basic,untrusted] [--grep REGEX]
//        [--workspace PATH [--suites GLOB,...] [--untrusted]]
//   REKEY_VSCODE_VERSION=1.90.0   a version, 'stable' or 'insiders' (default: newest stable
//                                 that satisfies engines.vscode)
//   REKEY_VSCODE_EXECUTABLE=PATH  use an installed VS Code instead of downloading one
//
// We use downloadAndUnzipVSCode and spawn VS Code ourselves rather than runTests(): runTests
// always passes --disable-workspace-trust (so no untrusted runs), and it cannot see the
// completion line, which is what tells a finished run from a crashed host that exited 0.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { downloadAndUnzipVSCode } from '@vscode/test-electron';
import { cacheRoot } from './installCodeServer.mjs';
import {
  DONE_PATTERN, buildAll, handleSignals, judge, killAllGroups, killGroup, lines, log, prepareSandbox, pushTail,
  removeSandbox, repoRoot, runEach, runsFromArgs, spawnGroup, summarize, testEntry,
} from './runs.mjs';

const OVERALL_TIMEOUT_MS = Number(process.env.REKEY_TEST_TIMEOUT_MS ?? 15 * 60 * 1000);
/** After the completion line, how long VS Code may take to quit before the run is called hung. */
const DONE_TO_EXIT_MS = 60_000;

async function main() {
  const started = Date.now();
  const deadline = started + OVERALL_TIMEOUT_MS;
  const selected = runsFromArgs();

  await buildAll();
  const executable = process.env.REKEY_VSCODE_EXECUTABLE
    ?? await downloadAndUnzipVSCode({
      version: process.env.REKEY_VSCODE_VERSION || undefined,
      cachePath: cacheRoot,
      extensionDevelopmentPath: repoRoot,
    });
  log(`VS Code: ${executable}`);
  const display = displayWrapper();

  const results = await runEach(selected, deadline, (run) => runOne(run, executable, display, deadline));
  const code = summarize(results);
  log(`total ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return code;
}

async function runOne(run, executable, display, deadline) {
  const started = Date.now();
  const sandbox = prepareSandbox(run);
  log(`run ${run.name}: ${sandbox.workspace} (trust=${sandbox.env.REKEY_TEST_TRUST}, suites=${run.suites.join(',')})`);

  const args = [
    sandbox.workspace,
    // The flags runTests() passes, except --disable-workspace-trust: trust is set per run
    // through the user settings written by prepareSandbox.
    '--no-sandbox',
    '--disable-gpu-sandbox',
    '--disable-updates',
    '--skip-welcome',
    '--skip-release-notes',
    '--disable-telemetry',
    `--user-data-dir=${sandbox.userData}`,
    `--extensions-dir=${sandbox.extensions}`,
    `--extensionDevelopmentPath=${repoRoot}`,
    `--extensionTestsPath=${testEntry}`,
  ];
  const [cmd, cmdArgs] = display ? [display[0], [...display.slice(1), executable, ...args]] : [executable, args];

  const logFile = fs.createWriteStream(path.join(sandbox.logs, 'vscode.log'));
  const tail = [];
  let done;
  let exit;
  let fatal;
  const code = spawnGroup(cmd, cmdArgs, { cwd: sandbox.root, env: sandbox.env });
  for (const stream of [code.stdout, code.stderr]) {
    lines(stream, (line) => {
      logFile.write(line + '\n');
      pushTail(tail, line, 200);
      process.stdout.write(`  ${line}\n`);
      const m = DONE_PATTERN.exec(line);
      if (m && !done) done = { passed: Number(m[1]), failed: Number(m[2]), at: Date.now() };
    });
  }
  code.on('error', (err) => {
    fatal = `could not start VS Code: ${err.message}`;
  });
  code.on('exit', (exitCode, signal) => {
    exit = { code: exitCode ?? (signal ? 128 : 1), signal };
  });
  const closed = new Promise((resolve) => code.on('close', resolve));

  for (;;) {
    if (exit || fatal) break;
    if (Date.now() > deadline) {
      fatal = `timed out after ${Math.round(OVERALL_TIMEOUT_MS / 1000)} s (REKEY_TEST_TIMEOUT_MS)`;
      break;
    }
    if (done && Date.now() - done.at > DONE_TO_EXIT_MS) {
      fatal = `VS Code printed the completion line but did not exit within ${DONE_TO_EXIT_MS / 1000} s`;
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  // Let the pipes drain so the completion line printed just before exit is not lost; helper
  // processes that still hold them open are killed with the group.
  await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 3000))]);
  await killGroup(code);
  logFile.end();

  const verdict = judge({ run, exitCode: exit?.code, done, reason: fatal ?? (exit?.signal ? `VS Code ended by ${exit.signal}` : undefined) });
  if (!verdict.ok && (!done || fatal)) {
    log(`run ${run.name} FAILED: ${verdict.problems.join('; ')}; last output (full log: ${path.join(sandbox.logs, 'vscode.log')}):`);
    for (const line of tail.slice(-60)) process.stderr.write(`  | ${line}\n`);
  }
  removeSandbox(sandbox, !verdict.ok);
  return { run, ...verdict, ms: Date.now() - started };
}

/** On Linux without a display, `xvfb-run -a` gives Electron one; elsewhere nothing is needed. */
function displayWrapper() {
  if (process.platform !== 'linux' || process.env.DISPLAY || process.env.WAYLAND_DISPLAY) return undefined;
  if (spawnSync('sh', ['-c', 'command -v xvfb-run'], { stdio: 'ignore' }).status === 0) {
    log('no DISPLAY: running VS Code under xvfb-run -a');
    return ['xvfb-run', '-a'];
  }
  throw new Error('no DISPLAY and no xvfb-run: install xvfb (Debian: apt-get install -y xvfb) or run under a display');
}

handleSignals();
main().then(
  (code) => process.exit(code),
  (err) => {
    log(String(err && err.stack ? err.stack : err));
    killAllGroups();
    process.exit(1);
  },
);
