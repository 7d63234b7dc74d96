// The rekey-cli tarball `npm run pack:cli` made, installed the way a user installs it: into an
// empty project, from the tarball alone, then used there on a real git repository.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { assertNoCanary, cleanup, ENV_TEXT, git, gitEnv, tempDir, write } from '../unit/core/hook/hookTestRepo';
import { CLI_PACKAGE, ROOT_MANIFEST, cleanEnv, cliTarball, ok, run } from './artifacts';

/** Written out by hand: the CLI bundle, the chunks it loads lazily, and npm's own files. */
const EXPECTED_FILES = [
  'package/LICENSE',
  'package/README.md',
  'package/dist/cli.bundle.js',
  'package/dist/cli.js',
  'package/dist/hook.bundle.js',
  'package/dist/hook.js',
  'package/dist/vendor/nodemailer.js',
  'package/dist/vendor/pg.js',
  'package/dist/vendor/redis-client.js',
  'package/dist/vendor/yaml.js',
  'package/package.json',
];

/** An empty project with the tarball installed; returns the project folder. */
function installInEmptyProject(): string {
  const project = tempDir('rekey-cli-install-');
  writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
  ok('npm', ['install', '--no-audit', '--no-fund', cliTarball()], { cwd: project, env: cleanEnv() });
  return project;
}

describe('package/cli', function () {
  this.timeout(300_000);
  after(cleanup);
  let project = '';
  before(() => {
    project = installInEmptyProject();
  });

  it('holds exactly the CLI bundle and what it loads', () => {
    const files = ok('tar', ['tzf', cliTarball()]).stdout.split('\n').filter(Boolean).sort();
    assert.deepEqual(files, EXPECTED_FILES);
  });

  it('has our name, the command rekey and no dependencies', () => {
    const manifest = JSON.parse(ok('tar', ['xzOf', cliTarball(), 'package/package.json']).stdout) as Record<string, unknown>;
    assert.equal(manifest.name, CLI_PACKAGE);
    assert.equal(manifest.version, ROOT_MANIFEST.version);
    assert.deepEqual(manifest.bin, { rekey: 'dist/cli.js' });
    for (const field of ['dependencies', 'optionalDependencies', 'peerDependencies']) {
      const deps = manifest[field] as Record<string, string> | undefined;
      assert.ok(deps === undefined || Object.keys(deps).length === 0, `${field}: ${JSON.stringify(deps)}`);
    }
    assert.equal(manifest.private, undefined);
    assert.equal(manifest.scripts, undefined, 'no install scripts run on a user machine');
  });

  it('installs nothing but itself', () => {
    const installed = readdirSync(path.join(project, 'node_modules')).filter((d) => !d.startsWith('.'));
    assert.deepEqual(installed, [CLI_PACKAGE]);
    const cli = readFileSync(path.join(project, 'node_modules', CLI_PACKAGE, 'dist', 'cli.js'), 'utf8');
    assert.match(cli, /^#!\/usr\/bin\/env node\n/);
    assert.doesNotMatch(cli, /sourceMappingURL/);
  });

  it('npx rekey --version is the package version', () => {
    const r = ok('npx', ['--no-install', 'rekey', '--version'], { cwd: project, env: cleanEnv() });
    assert.equal(r.stdout.trim(), ROOT_MANIFEST.version);
  });

  it('npx rekey scan, hook install and a blocked commit in a real repository', () => {
    // The repository is the project itself, as in a user's app.
    git(project, 'init', '-q');
    write(project, { '.gitignore': 'node_modules/\n', '.env': ENV_TEXT });
    const env = cleanEnv(gitEnv());

    const scan = run('npx', ['--no-install', 'rekey', 'scan', '--format', 'json', '--fail-on', 'never'], { cwd: project, env });
    assert.equal(scan.code, 0, scan.stderr);
    assertNoCanary(scan.stdout + scan.stderr);
    const report = JSON.parse(scan.stdout) as { findings: { key?: string; rule: string }[] };
    assert.ok(report.findings.some((f) => f.rule === 'env-not-ignored'), JSON.stringify(report.findings.map((f) => f.rule)));
    assert.ok(report.findings.some((f) => f.key === 'STRIPE_SECRET_KEY' && f.rule === 'secret'));

    const install = run('npx', ['--no-install', 'rekey', 'hook', 'install'], { cwd: project, env });
    assert.equal(install.code, 0, install.stderr);
    assert.match(install.stdout, /installed the pre-commit hook/);

    git(project, 'add', '.gitignore', 'package.json');
    git(project, 'add', '-f', '.env');
    const commit = run('git', ['commit', '-q', '-m', 'add env'], { cwd: project, env });
    assert.notEqual(commit.code, 0, 'the hook let a .env with secrets be committed');
    assert.match(commit.stderr, /STRIPE_SECRET_KEY/);
    assertNoCanary(commit.stdout + commit.stderr);
    assert.throws(() => git(project, 'rev-parse', '--verify', 'HEAD'), 'no commit was made');

    git(project, 'rm', '-q', '--cached', '.env');
    const clean = run('git', ['commit', '-q', '-m', 'init'], { cwd: project, env });
    assert.equal(clean.code, 0, clean.stderr);
  });
});
