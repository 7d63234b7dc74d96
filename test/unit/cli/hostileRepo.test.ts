import * as assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { assertNoCanary, cleanup, cliBundle, gitEnv, tempDir } from '../core/hook/hookTestRepo';

/*
 * A repository whose configuration (and .gitattributes, which is repository content) points every
 * git setting that can start a program at a script that leaves a marker. Every CLI command, the
 * installed hooks run by a real `git commit` / `git push`, run against it through the shipped
 * build (dist/cli.js from `node esbuild.js`). No marker may appear. A control proves plain git
 * does start these programs here, and a `git` shim on PATH proves every git process rekey starts
 * carries the safety overrides (so none bypasses the one runner).
 *
 * Vectors from git-config(1), gitattributes(5) and git(1) (environment variables).
 */

const GIT = spawnSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).stdout.trim() || '/usr/bin/git';
const SECRET = ['sk', 'live', '51HhostileQwErTy7UiOp2AsDfGhJkL'].join('_');
const SESSION = 'Zq8Wv3Lk9Rt2Xp7Mn4Bc6Hd1Jf5Gs0Ya';

interface Hostile {
  repo: string;
  markers: string;
  /** Neutral values for the test's own git commands (never rekey's): key → value. */
  neutral: string[];
  /** Environment variables that would start programs (the CLI user's shell). */
  env: NodeJS.ProcessEnv;
}

/** Config key → vector name; each value is a script writing `markers/<name>`. */
const CONFIG_VECTORS: Array<[string, string]> = [
  ['core.fsmonitor', 'fsmonitor'],
  ['core.pager', 'pager'],
  ['pager.log', 'pager-log'],
  ['pager.diff', 'pager-diff'],
  ['pager.show', 'pager-show'],
  ['diff.external', 'diff-external'],
  ['diff.evil.textconv', 'textconv'],
  ['diff.evil.command', 'diff-command'],
  ['filter.evil.clean', 'filter-clean'],
  ['filter.evil.smudge', 'filter-smudge'],
  ['filter.evil.process', 'filter-process'],
  ['core.sshCommand', 'ssh-command'],
  ['credential.helper', 'credential-helper'],
  ['core.askPass', 'askpass'],
  ['gpg.program', 'gpg'],
  ['gpg.ssh.program', 'gpg-ssh'],
  ['core.alternateRefsCommand', 'alternate-refs'],
  ['uploadpack.packObjectsHook', 'pack-objects-hook'],
  ['remote.origin.uploadpack', 'uploadpack'],
  ['core.gitProxy', 'git-proxy'],
  ['core.editor', 'editor'],
  ['sequence.editor', 'sequence-editor'],
];
/** Environment vector → name. */
const ENV_VECTORS: Array<[string, string]> = [
  ['GIT_EXTERNAL_DIFF', 'env-external-diff'],
  ['GIT_PAGER', 'env-pager'],
  ['PAGER', 'env-plain-pager'],
  ['GIT_SSH_COMMAND', 'env-ssh-command'],
  ['GIT_SSH', 'env-ssh'],
  ['GIT_ASKPASS', 'env-askpass'],
  ['SSH_ASKPASS', 'env-ssh-askpass'],
  ['GIT_EDITOR', 'env-editor'],
];
const HOOK_NAMES = ['pre-commit', 'prepare-commit-msg', 'commit-msg', 'post-commit', 'pre-push', 'post-checkout', 'reference-transaction', 'post-index-change', 'pre-auto-gc', 'post-rewrite', 'fsmonitor-watchman'];

function git(repo: string, neutral: string[], args: string[], input?: string): SpawnSyncReturns<string> {
  return spawnSync(GIT, [...neutral.flatMap((c) => ['-c', c]), '-c', 'init.defaultBranch=main', ...args], { cwd: repo, env: gitEnv(), encoding: 'utf8', input });
}

function ok(r: SpawnSyncReturns<string>, what: string): string {
  if (r.status !== 0) throw new Error(`${what} failed (${r.status}): ${r.stderr}`);
  return r.stdout.trim();
}

/**
 * Builds the hostile repository. `withHooksPath` adds `core.hooksPath` at a folder of hostile hooks
 * (left out where rekey's own hooks must be installed and run by git).
 */
function hostileRepo(withHooksPath: boolean): Hostile {
  const repo = tempDir('rekey-hostile-');
  const markers = tempDir('rekey-markers-');
  const bin = tempDir('rekey-vectors-');
  const script = (name: string) => {
    const file = path.join(bin, name);
    writeFileSync(file, `#!/bin/sh\ntouch '${path.join(markers, name)}'\nexit 0\n`);
    chmodSync(file, 0o755);
    return file;
  };
  const neutral: string[] = [];
  ok(git(repo, [], ['init', '-q']), 'init');
  // Content first, while the config is still harmless.
  writeFileSync(path.join(repo, '.gitattributes'), '* diff=evil filter=evil\n');
  writeFileSync(path.join(repo, '.gitignore'), '.env.backup\n*.before-*\n');
  writeFileSync(path.join(repo, '.env'), `AUTH_SECRET=${SESSION}\nSTRIPE_SECRET_KEY=${SECRET}\nPORT=3000\n`);
  writeFileSync(path.join(repo, '.env.backup'), `AUTH_SECRET=OldOld8Wv3Lk9Rt2Xp7Mn4Bc6Hd1Jf5Gs\nSTRIPE_SECRET_KEY=${SECRET}\nPORT=3000\n`);
  writeFileSync(path.join(repo, 'app.js'), 'const s = process.env.AUTH_SECRET;\n');
  ok(git(repo, [], ['add', '-f', '.gitattributes', '.gitignore', '.env', 'app.js']), 'add');
  ok(git(repo, [], ['commit', '-q', '--no-verify', '-m', 'init']), 'commit');
  // A second version of .env whose first blob goes missing below (a promisor would fetch it).
  writeFileSync(path.join(repo, '.env'), `AUTH_SECRET=${SESSION}\nSTRIPE_SECRET_KEY=${SECRET}\nPORT=3001\n`);
  ok(git(repo, [], ['commit', '-q', '--no-verify', '-am', 'port']), 'commit');
  // A commit carrying a signature, so `log.showSignature` would run gpg.program on it.
  const tree = ok(git(repo, [], ['rev-parse', 'HEAD^{tree}']), 'tree');
  const parent = ok(git(repo, [], ['rev-parse', 'HEAD']), 'head');
  const signed = `tree ${tree}\nparent ${parent}\nauthor T <t@example.com> 1700000000 +0000\ncommitter T <t@example.com> 1700000000 +0000\ngpgsig -----BEGIN PGP SIGNATURE-----\n \n iQEzBAABCAAdFiEE\n -----END PGP SIGNATURE-----\n\nsigned\n`;
  const oid = ok(git(repo, [], ['hash-object', '-t', 'commit', '-w', '--stdin'], signed), 'hash-object');
  ok(git(repo, [], ['update-ref', 'refs/heads/main', oid]), 'update-ref');
  // Drop the first .env blob: in a partial clone, reading it would start the fetch transport.
  const firstBlob = ok(git(repo, [], ['rev-parse', 'HEAD~1~1:.env']), 'blob');
  unlinkSync(path.join(repo, '.git', 'objects', firstBlob.slice(0, 2), firstBlob.slice(2)));

  for (const [key, name] of CONFIG_VECTORS) {
    const value = key === 'credential.helper' ? `!${script(name)}` : script(name);
    ok(git(repo, [], ['config', key, value]), `config ${key}`);
    neutral.push(`${key}=`);
  }
  const extra: Array<[string, string]> = [
    ['filter.evil.required', 'true'],
    ['log.showSignature', 'true'],
    ['remote.origin.url', `ext::${script('ext-transport')}`],
    ['remote.origin.promisor', 'true'],
    ['protocol.ext.allow', 'always'],
    ['core.repositoryformatversion', '1'],
    ['extensions.partialClone', 'origin'],
  ];
  for (const [key, value] of extra) ok(git(repo, [], ['config', key, value]), `config ${key}`);
  neutral.push('filter.evil.required=false', 'log.showSignature=false', 'protocol.ext.allow=never', 'core.fsmonitor=false');
  if (withHooksPath) {
    const hooks = tempDir('rekey-evil-hooks-');
    for (const h of HOOK_NAMES) {
      writeFileSync(path.join(hooks, h), `#!/bin/sh\ntouch '${path.join(markers, `hook-${h}`)}'\nexit 0\n`);
      chmodSync(path.join(hooks, h), 0o755);
    }
    ok(git(repo, [], ['config', 'core.hooksPath', hooks]), 'config hooksPath');
    neutral.push('core.hooksPath=/dev/null');
  }
  const env: NodeJS.ProcessEnv = {};
  for (const [name, vector] of ENV_VECTORS) env[name] = script(vector);
  return { repo, markers, neutral, env };
}

function markersOf(h: Hostile): string[] {
  return readdirSync(h.markers).sort();
}

/** Runs dist/cli.js (the shipped build) in the hostile repository, with PATH through a recording git shim. */
function rekey(h: Hostile, shim: Shim, args: string[], input?: string): SpawnSyncReturns<string> {
  const r = spawnSync(process.execPath, [cliBundle(), ...args], {
    cwd: h.repo,
    env: { ...gitEnv(h.env), REKEY_STATE_DIR: tempDir('rekey-state-'), PATH: `${shim.dir}${path.delimiter}${process.env.PATH ?? ''}` },
    encoding: 'utf8',
    input: input ?? '',
    timeout: 60_000,
  });
  assertNoCanary(r.stdout + r.stderr);
  assert.equal(r.stdout.includes(SECRET) || r.stderr.includes(SECRET), false, 'no value in output');
  return r;
}

interface Shim {
  dir: string;
  log: string;
}

/** A `git` on PATH that records each argv (one JSON array a line) and runs the real git. */
function makeShim(): Shim {
  const dir = tempDir('rekey-git-shim-');
  const log = path.join(dir, 'calls.jsonl');
  const file = path.join(dir, 'git');
  writeFileSync(
    file,
    `#!${process.execPath}\nconst fs = require('fs');\nfs.appendFileSync(${JSON.stringify(log)}, JSON.stringify(process.argv.slice(2)) + '\\n');\n` +
      `const r = require('child_process').spawnSync(${JSON.stringify(GIT)}, process.argv.slice(2), { stdio: 'inherit' });\nprocess.exit(r.status === null ? 1 : r.status);\n`,
  );
  chmodSync(file, 0o755);
  return { dir, log };
}

function calls(shim: Shim): string[][] {
  if (!existsSync(shim.log)) return [];
  return readFileSync(shim.log, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as string[]);
}

function hasConfig(argv: string[], pair: string): boolean {
  for (let i = 0; i + 1 < argv.length; i++) if (argv[i] === '-c' && argv[i + 1] === pair) return true;
  return false;
}

/** The overrides every invocation must carry, judged from git-config(1), not from rekey's list. */
const REQUIRED = ['core.fsmonitor=false', 'diff.external=', 'credential.helper=', 'core.sshCommand=', 'core.askPass=', 'log.showSignature=false', 'protocol.allow=never', 'protocol.ext.allow=never'];
const DIFF_COMMANDS = new Set(['log', 'diff', 'show', 'diff-tree']);

function assertEverySafe(shim: Shim, what: string): number {
  const all = calls(shim);
  for (const argv of all) {
    const sub = argv.find((a, i) => !a.startsWith('-') && argv[i - 1] !== '-c');
    assert.ok(argv.includes('--no-pager'), `${what}: git ${sub} without --no-pager`);
    for (const pair of REQUIRED) assert.ok(hasConfig(argv, pair), `${what}: git ${sub} without -c ${pair}`);
    const locatesHooks = (sub === 'rev-parse' && argv.includes('--git-path')) || (sub === 'config' && argv.includes('core.hooksPath'));
    if (!locatesHooks) assert.ok(hasConfig(argv, 'core.hooksPath=/dev/null'), `${what}: git ${sub} without -c core.hooksPath=/dev/null`);
    if (sub && DIFF_COMMANDS.has(sub)) {
      assert.ok(argv.includes('--no-textconv') && argv.includes('--no-ext-diff'), `${what}: git ${sub} without --no-textconv --no-ext-diff`);
    }
  }
  return all.length;
}

describe('hostile repository config: no program it names ever runs', function () {
  this.timeout(240_000);
  after(cleanup);
  before(() => cliBundle());

  it('control: plain git does start the hostile programs in this repository', () => {
    const h = hostileRepo(true);
    spawnSync(GIT, ['status'], { cwd: h.repo, env: gitEnv(), encoding: 'utf8' });
    const plain = (args: string[], input?: string) => spawnSync(GIT, args, { cwd: h.repo, env: gitEnv(), encoding: 'utf8', input });
    plain(['log', '-1']);
    plain(['credential', 'fill'], 'protocol=https\nhost=example.com\n\n');
    writeFileSync(path.join(h.repo, 'app.js'), 'changed\n');
    plain(['diff']);
    // git stops at the first failing filter; without it, the diff drivers run too.
    const noFilter = ['-c', 'filter.evil.process=', '-c', 'filter.evil.clean=', '-c', 'filter.evil.required=false'];
    plain([...noFilter, 'diff']);
    plain([...noFilter, 'diff', '--no-ext-diff']);
    const seen = markersOf(h);
    for (const m of ['fsmonitor', 'gpg', 'diff-command', 'credential-helper', 'textconv', 'filter-process']) assert.ok(seen.includes(m), `control: plain git should have run ${m} (saw ${seen.join(', ')})`);
  });

  it('every CLI command, trusted as the CLI always is, starts none of them', () => {
    const h = hostileRepo(true);
    const shim = makeShim();
    // Stage a secret so the pre-commit check has content to read.
    writeFileSync(path.join(h.repo, 'config.js'), `module.exports = "${SECRET}";\n`);
    ok(git(h.repo, h.neutral, ['add', 'config.js']), 'stage');
    const head = ok(git(h.repo, h.neutral, ['rev-parse', 'HEAD']), 'head');
    const root = ok(git(h.repo, h.neutral, ['rev-list', '--max-parents=0', 'HEAD']), 'root');
    const runs: Array<{ args: string[]; input?: string; codes: number[] }> = [
      { args: ['scan', '--fail-on', 'never'], codes: [0] },
      { args: ['scan', '--format', 'json', '--fail-on', 'never'], codes: [0] },
      { args: ['scan', '--format', 'sarif', '--fail-on', 'never'], codes: [0] },
      { args: ['history', '--fail-on', 'never'], codes: [0] },
      { args: ['history', '--all-files', '--fail-on', 'never'], codes: [0] },
      { args: ['history', '--submodules', '--fail-on', 'never'], codes: [0] },
      { args: ['history', '--format', 'json', '--verbose', '--fail-on', 'never'], codes: [0] },
      { args: ['ages'], codes: [0] },
      { args: ['diff-backup', '.env', '--backup', '.env.backup'], codes: [1] },
      { args: ['restore', 'AUTH_SECRET', '--from', '.env.backup', '--dry-run'], codes: [0] },
      { args: ['restore', 'AUTH_SECRET', '--from', '.env.backup'], codes: [0] },
      { args: ['runbook', 'AUTH_SECRET'], codes: [0] },
      { args: ['rotate', 'AUTH_SECRET', '--dry-run'], codes: [0] },
      { args: ['rotate', 'AUTH_SECRET'], codes: [0] },
      { args: ['hook', 'status'], codes: [0] },
      { args: ['hook', 'run', 'pre-commit'], codes: [1] },
      // The outgoing commits need the blob that is missing: the check cannot complete and stops the
      // push (exit 2) instead of fetching it.
      { args: ['hook', 'run', 'pre-push', 'origin', 'url'], input: `refs/heads/main ${head} refs/heads/main ${root}\n`, codes: [0, 1, 2] },
      { args: ['hook', 'run', 'pre-push', 'origin', 'url'], input: `refs/heads/main ${head} refs/heads/main ${'0'.repeat(40)}\n`, codes: [0, 1, 2] },
    ];
    for (const run of runs) {
      const r = rekey(h, shim, run.args, run.input);
      const what = `rekey ${run.args.join(' ')}`;
      assert.ok(run.codes.includes(r.status ?? -1), `${what}: exit ${r.status}: ${r.stderr}`);
      assert.deepEqual(markersOf(h), [], `${what} started a program the repository names`);
    }
    const n = assertEverySafe(shim, 'CLI');
    assert.ok(n >= runs.length, `the shim saw ${n} git processes`);
  });

  it('the installed hooks, run by a real git commit and git push, start none of them', () => {
    const h = hostileRepo(false);
    const shim = makeShim();
    const remote = tempDir('rekey-hostile-remote-');
    ok(spawnSync(GIT, ['init', '-q', '--bare', remote], { env: gitEnv(), encoding: 'utf8' }), 'bare');
    const install = rekey(h, shim, ['hook', 'install', '--cli', cliBundle()]);
    assert.equal(install.status, 0, install.stderr);
    assert.deepEqual(markersOf(h), [], 'hook install');
    // The test's own git runs with the vectors neutralised (these are not rekey's processes); the
    // hook inherits none of it: rekey strips GIT_CONFIG_PARAMETERS and must apply its own overrides.
    const env = { ...gitEnv(), PATH: `${shim.dir}${path.delimiter}${process.env.PATH ?? ''}` };
    const outer = (args: string[]) => spawnSync(GIT, [...h.neutral.flatMap((c) => ['-c', c]), '-c', 'protocol.file.allow=always', ...args], { cwd: h.repo, env, encoding: 'utf8' });
    writeFileSync(path.join(h.repo, 'README.md'), '# hostile\n');
    ok(outer(['add', 'README.md']), 'add');
    let r = outer(['commit', '-q', '-m', 'clean change']);
    assert.equal(r.status, 0, `a clean commit passes: ${r.stderr}`);
    assert.deepEqual(markersOf(h), [], 'pre-commit hook (allowed commit)');
    mkdirSync(path.join(h.repo, 'src'), { recursive: true });
    writeFileSync(path.join(h.repo, 'src', 'key.js'), `module.exports = "${SECRET}";\n`);
    outer(['add', 'src/key.js']);
    r = outer(['commit', '-q', '-m', 'leak']);
    assert.equal(r.status, 1, 'the staged secret blocks the commit');
    assertNoCanary(r.stdout + r.stderr);
    assert.deepEqual(markersOf(h), [], 'pre-commit hook (blocked commit)');
    outer(['reset', '-q', 'src/key.js']);
    ok(outer(['remote', 'set-url', 'origin', remote]), 'set-url');
    r = outer(['push', '-q', 'origin', 'HEAD:refs/heads/main']);
    assertNoCanary(r.stdout + r.stderr);
    assert.ok(r.status === 0 || r.status === 1, `push ran its hook: ${r.stderr}`);
    assert.match(r.stderr + readFileSync(path.join(h.repo, '.git', 'hooks', 'pre-push'), 'utf8'), /rekey/);
    assert.deepEqual(markersOf(h), [], 'pre-push hook');
  });
});
