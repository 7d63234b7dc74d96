// Offline, headless integration-test launcher: runs the bundled test entry inside the real
// (remote) extension host of code-server, whose workbench is loaded by headless Chromium.
// `npm run test:integration` runs every run in runs.mjs; see test/integration/README.md.
//
//   node test/integration/launch/codeServer.mjs [--run basic,untrusted] [--grep REGEX]
//        [--workspace PATH [--suites GLOB,...] [--untrusted]] [--host stable|minimum] [--installed]
//
// `--host minimum` runs in the oldest VS Code that package.json's engines.vscode allows.
// `--installed` tests what users install: the built .vsix goes into the host's extensions folder
// with `code-server --install-extension`, and the workbench's development extension is an empty
// stub (the test runner needs one), so rekey can only come from the .vsix.
//
// Exit code 0 only if every run's host printed `REKEY_INTEGRATION_DONE passed=N failed=0`,
// ran at least one test, and exited 0.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as path from 'node:path';
import { chromium } from 'playwright-core';
import { ensureChromium, ensureCodeServer } from './installCodeServer.mjs';
import {
  DONE_PATTERN, buildAll, handleSignals, judge, killAllGroups, killGroup, launchFromArgs, lines, log, prepareSandbox, pushTail,
  removeSandbox, repoRoot, runEach, spawnGroup, summarize, testEntry,
} from './runs.mjs';

const OVERALL_TIMEOUT_MS = Number(process.env.REKEY_TEST_TIMEOUT_MS ?? 15 * 60 * 1000);
const SERVER_START_TIMEOUT_MS = 60_000;
/** After the host exits, how long to wait for its last forwarded output (the completion line). */
const EXIT_GRACE_MS = 5_000;
/** After the completion line, how long the host may take to exit before the run is called hung. */
const DONE_TO_EXIT_MS = 60_000;
/** code-server's log line when the remote extension host process ends. */
const HOST_PROCESS_EXIT = /Extension Host Process exited with code: (\S+), signal: (\S+?)\.?$/;
/** The test entry's first line; from here to the completion line, host output is echoed. */
const TESTS_START = /^\[rekey-it\] suites: /;
/**
 * Opt-in screenshots (`REKEY_SCREENSHOTS=dir`): a test prints `REKEY_SCREENSHOT name`, the launcher
 * saves the page as `dir/name.png` (written under a temporary name, then renamed, so a test that
 * polls for the file sees it complete). Used for the README's images.
 */
const SCREENSHOT_PATTERN = /REKEY_SCREENSHOT ([\w.-]+)/;
/**
 * What the workbench shows, for tests that must judge the screen rather than an API (the Search
 * view's results have none): a test prints `REKEY_PAGE_TEXT name selector`, the launcher writes
 * the visible text of the elements matching the CSS selector to `$REKEY_PAGE_PROBE_DIR/name.txt`
 * (temporary name, then renamed). Hosts without a page (Electron) leave the variable unset.
 */
const PAGE_TEXT_PATTERN = /REKEY_PAGE_TEXT ([\w.-]+) (.+)$/;
const CHROMIUM_FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run', '--disable-dev-shm-usage',
];

async function main() {
  const started = Date.now();
  const deadline = started + OVERALL_TIMEOUT_MS;
  // Absolute, so the test in the host (another working directory) finds the same folder.
  if (process.env.REKEY_SCREENSHOTS) process.env.REKEY_SCREENSHOTS = path.resolve(process.env.REKEY_SCREENSHOTS);
  const launch = launchFromArgs();

  await buildAll();
  const runtime = ensureCodeServer(launch.host);
  const chromiumPath = ensureChromium();
  log(`${launch.host} host: code-server ${runtime.versions.codeServer} (VS Code ${runtime.versions.vscode}) on Node ${runtime.versions.node}; chromium ${chromiumPath}; ready after ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (launch.vsix) log(`testing the installed ${path.relative(repoRoot, launch.vsix)}, not the working tree`);

  const results = await runEach(launch.runs, deadline, (run) => runOne(run, runtime, chromiumPath, deadline, launch));
  const code = summarize(results);
  log(`total ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return code;
}

async function runOne(run, runtime, chromiumPath, deadline, launch) {
  const started = Date.now();
  const sandbox = prepareSandbox(run);
  let developmentPath = repoRoot;
  if (launch.vsix) {
    try {
      installVsix(runtime, sandbox, launch);
    } catch (err) {
      removeSandbox(sandbox, true);
      return { run, ok: false, problems: [String(err && err.message ? err.message : err)], passed: 0, failed: 1, ms: Date.now() - started };
    }
    developmentPath = writeRunnerStub(sandbox);
  }
  const pageProbeDir = path.join(sandbox.root, 'page-probe');
  fs.mkdirSync(pageProbeDir, { recursive: true });
  sandbox.env.REKEY_PAGE_PROBE_DIR = pageProbeDir;
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  log(`run ${run.name}: ${sandbox.workspace} (trust=${sandbox.env.REKEY_TEST_TRUST}, suites=${run.suites.join(',')}) on ${base}`);

  const serverLog = fs.createWriteStream(path.join(sandbox.logs, 'code-server.log'));
  const serverTail = [];
  const hostLog = fs.createWriteStream(path.join(sandbox.logs, 'workbench.log'));
  const hostTail = [];
  let done;
  let hostExit;
  let hostProcessExit;
  let fatal;
  let stopping = false;
  let page;
  let wake = () => {};
  const settle = () => wake();

  const onHostLine = (line, echo) => {
    hostLog.write(line + '\n');
    pushTail(hostTail, line, 200);
    const m = DONE_PATTERN.exec(line);
    if (m && !done) {
      done = { passed: Number(m[1]), failed: Number(m[2]), at: Date.now() };
      settle();
    }
    if (echo) process.stdout.write(`  ${line}\n`);
    const shot = process.env.REKEY_SCREENSHOTS && page ? SCREENSHOT_PATTERN.exec(line) : null;
    if (shot) void screenshot(page, process.env.REKEY_SCREENSHOTS, shot[1]);
    const probe = page ? PAGE_TEXT_PATTERN.exec(line) : null;
    if (probe) void pageText(page, pageProbeDir, probe[1], probe[2].trim());
  };

  const server = spawnGroup(runtime.node, [
    ...serverArgs(runtime, port, sandbox),
    ...splitArgs(process.env.REKEY_CODE_SERVER_ARGS),
  ], {
    cwd: sandbox.root,
    // An empty gallery: no marketplace queries from the host (tests never install extensions).
    env: { EXTENSIONS_GALLERY: '{}', ...sandbox.env },
  });
  for (const stream of [server.stdout, server.stderr]) {
    lines(stream, (line) => {
      serverLog.write(line + '\n');
      pushTail(serverTail, line, 80);
      // The remote extension host's own stdout/stderr land here, not in the workbench.
      if (DONE_PATTERN.test(line)) onHostLine(line, false);
      // The server's view of the host's end: the workbench may report 0 for a crashed host.
      const died = HOST_PROCESS_EXIT.exec(line);
      if (died) hostProcessExit = { code: died[1], signal: died[2] };
    });
  }
  server.on('exit', (code, signal) => {
    if (!fatal && !stopping) fatal = `code-server exited before the tests finished (${code ?? signal})`;
    settle();
  });

  let context;
  try {
    await waitForServer(runtime.launch === 'vscode-server' ? `${base}/` : `${base}/healthz`, server, Math.min(deadline, Date.now() + SERVER_START_TIMEOUT_MS));

    context = await chromium.launchPersistentContext(sandbox.browserProfile, {
      executablePath: chromiumPath,
      headless: true,
      args: CHROMIUM_FLAGS,
      env: sandbox.env,
      viewport: { width: 1280, height: 800 },
    });
    // The workbench logs through this, and the extension host's console output (the tests'
    // reporter) is forwarded into the same stream. Everything goes to workbench.log; what
    // arrives while the tests run is echoed live.
    let testing = false;
    await context.exposeFunction('codeAutomationLog', (_level, message) => {
      for (const line of String(message).split('\n')) {
        if (TESTS_START.test(line)) testing = true;
        onHostLine(line, testing || process.env.REKEY_TEST_VERBOSE === '1');
        if (DONE_PATTERN.test(line)) testing = false;
      }
    });
    await context.exposeFunction('codeAutomationExit', (code, logs) => {
      hostExit = { code: Number(code), at: Date.now() };
      saveWorkbenchLogs(sandbox.logs, logs);
      settle();
    });
    page = context.pages()[0] ?? await context.newPage();
    page.on('pageerror', (err) => onHostLine(`[pageerror] ${err.message}`, false));
    page.on('crash', () => {
      fatal = 'the workbench page crashed';
      settle();
    });
    page.on('console', (msg) => {
      if (msg.type() === 'error') onHostLine(`[console.error] ${msg.text()}`, false);
    });

    const payload = [
      ['extensionDevelopmentPath', `vscode-remote://127.0.0.1:${port}${developmentPath}`],
      ['extensionTestsPath', `vscode-remote://127.0.0.1:${port}${testEntry}`],
      ['skipWelcome', 'true'],
      ['skipReleaseNotes', 'true'],
    ];
    const target = sandbox.workspace.endsWith('.code-workspace') ? 'workspace' : 'folder';
    const url = `${base}/?${target}=${encodeURIComponent(sandbox.workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: SERVER_START_TIMEOUT_MS });

    // Wait until: host exited (then a short grace for its last output), or completion line
    // seen and the host exits, or something fatal, or the deadline.
    for (;;) {
      const now = Date.now();
      if (fatal) break;
      if (now > deadline) {
        fatal = `timed out after ${Math.round(OVERALL_TIMEOUT_MS / 1000)} s (REKEY_TEST_TIMEOUT_MS)`;
        break;
      }
      if (hostExit && (done || now - hostExit.at > EXIT_GRACE_MS)) break;
      if (done && !hostExit && now - done.at > DONE_TO_EXIT_MS) {
        fatal = `the host printed its completion line but did not exit within ${DONE_TO_EXIT_MS / 1000} s`;
        break;
      }
      await new Promise((resolve) => {
        wake = resolve;
        setTimeout(resolve, 500);
      });
    }
  } catch (err) {
    fatal = `launcher error: ${err && err.message ? err.message : err}`;
  } finally {
    stopping = true;
    await closeContext(context);
    await killGroup(server);
    serverLog.end();
    hostLog.end();
  }

  if (!fatal && hostProcessExit && (hostProcessExit.code !== '0' || hostProcessExit.signal !== 'null') && !(done && done.failed > 0)) {
    fatal = `code-server saw the extension host process exit with code ${hostProcessExit.code}, signal ${hostProcessExit.signal}`;
  }
  const verdict = judge({ run, exitCode: hostExit?.code, done, reason: fatal });
  if (!verdict.ok) {
    log(`run ${run.name} FAILED: ${verdict.problems.join('; ')}`);
    // Failing tests were reported live above; anything else (crash, hang, no tests loaded)
    // needs the workbench's and the server's side of the story.
    if (!done || fatal || hostExit?.code !== 0 && !(done && done.failed > 0)) {
      log(`last workbench/host output (full log: ${path.join(sandbox.logs, 'workbench.log')}):`);
      for (const line of hostTail.slice(-120)) process.stderr.write(`  | ${line}\n`);
      log(`last code-server output (full log: ${path.join(sandbox.logs, 'code-server.log')}):`);
      for (const line of serverTail.slice(-40)) process.stderr.write(`  | ${line}\n`);
    }
  }
  removeSandbox(sandbox, !verdict.ok);
  return { run, ...verdict, ms: Date.now() - started };
}

/** How to start the host's server: code-server itself, or (older hosts) the VS Code server it bundles. */
function serverArgs(runtime, port, sandbox) {
  if (runtime.launch === 'vscode-server') {
    return [
      runtime.vscodeServerMain,
      '--host', '127.0.0.1',
      '--port', String(port),
      '--without-connection-token',
      '--accept-server-license-terms',
      '--disable-telemetry',
      '--user-data-dir', sandbox.userData,
      '--extensions-dir', sandbox.extensions,
      '--enable-smoke-test-driver',
    ];
  }
  return [
    runtime.codeServerEntry,
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    '--user-data-dir', sandbox.userData,
    '--extensions-dir', sandbox.extensions,
    // Without it the built workbench ignores the test parameters in the payload.
    '--vscode-option', 'enable-smoke-test-driver',
  ];
}

/**
 * Installs the .vsix into the run's extensions folder the way a user would, and checks that the
 * extension landed there under its id and version.
 */
function installVsix(runtime, sandbox, launch) {
  const r = spawnSync(runtime.node, [
    ...(runtime.launch === 'vscode-server' ? [runtime.vscodeServerMain, '--accept-server-license-terms'] : [runtime.codeServerEntry]),
    '--user-data-dir', sandbox.userData,
    '--extensions-dir', sandbox.extensions,
    '--install-extension', launch.vsix,
  ], { cwd: sandbox.root, env: { EXTENSIONS_GALLERY: '{}', ...sandbox.env }, encoding: 'utf8', timeout: 120_000 });
  const output = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim();
  if (r.status !== 0) throw new Error(`code-server --install-extension ${launch.vsix} failed (${r.status ?? r.signal}): ${output}`);
  const installed = fs.readdirSync(sandbox.extensions).filter((d) => d.toLowerCase().startsWith(`${launch.extensionId}-`));
  if (installed.length !== 1) throw new Error(`after --install-extension, ${sandbox.extensions} holds ${installed.join(', ') || 'no'} ${launch.extensionId} folder(s): ${output}`);
  log(`installed ${path.basename(launch.vsix)} as ${installed[0]}`);
}

/**
 * The workbench only runs extension tests for a development extension, so an installed run
 * opens an empty one (no code, no activation events): every rekey behaviour comes from the .vsix.
 */
function writeRunnerStub(sandbox) {
  const dir = path.join(sandbox.root, 'test-runner-stub');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({
    name: 'rekey-test-runner-stub', publisher: 'rekey-test', version: '0.0.0', engines: { vscode: '*' },
  }, null, 2) + '\n');
  return dir;
}

async function pageText(page, dir, name, selector) {
  let text;
  try {
    text = (await page.locator(selector).allInnerTexts()).join('\n');
  } catch (err) {
    text = `REKEY_PAGE_TEXT failed: ${err && err.message ? err.message : err}`;
  }
  const temp = path.join(dir, `.${name}.tmp`);
  fs.writeFileSync(temp, text);
  fs.renameSync(temp, path.join(dir, `${name}.txt`));
}

async function screenshot(page, dir, name) {
  try {
    fs.mkdirSync(dir, { recursive: true });
    const temp = path.join(dir, `.${name}.tmp.png`);
    await page.screenshot({ path: temp });
    fs.renameSync(temp, path.join(dir, `${name}.png`));
    log(`screenshot ${path.join(dir, `${name}.png`)}`);
  } catch (err) {
    log(`screenshot ${name} failed: ${err && err.message ? err.message : err}`);
  }
}

function saveWorkbenchLogs(dir, logs) {
  if (!Array.isArray(logs)) return;
  for (const entry of logs) {
    if (!entry || typeof entry.relativePath !== 'string') continue;
    const file = path.join(dir, 'host', entry.relativePath.replace(/\.\.(\/|\\)/g, ''));
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, entry.contents ?? '');
    } catch {
      // Logs are a courtesy for post-mortems; never fail the run over them.
    }
  }
}

async function waitForServer(url, server, until) {
  for (;;) {
    if (server.exitCode !== null || server.signalCode !== null) throw new Error('code-server exited while starting');
    if (await httpOk(url)) return;
    if (Date.now() > until) throw new Error(`code-server did not answer on ${url} within ${SERVER_START_TIMEOUT_MS / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function httpOk(url) {
  return new Promise((resolve) => {
    const req = http.get(url, { timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => {
      req.destroy();
      resolve(false);
    });
  });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function closeContext(context) {
  if (!context) return;
  await Promise.race([context.close().catch(() => {}), new Promise((resolve) => setTimeout(resolve, 10_000))]);
}

function splitArgs(text) {
  return (text ?? '').split(/\s+/).filter(Boolean);
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
