import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse as dotenvParse } from 'dotenv';
import { REPO_ROOT } from '../../helpers/shared';

/*
 * The built CLI (`node esbuild.js`, then dist/cli.js) on the three rotation fixtures: an Auth.js
 * app, an express-session app and a Laravel app each get a rotation that logs nobody out.
 */

const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');

describe('built CLI: zero-logout rotations of the fixtures', function () {
  this.timeout(120_000);
  let tmp: string;
  before(() => {
    execFileSync(process.execPath, ['esbuild.js'], { cwd: REPO_ROOT, stdio: 'ignore' });
  });
  beforeEach(() => {
    tmp = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'rekey-zl-cli-')));
  });
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  const fixture = (name: string): string => {
    const dir = path.join(tmp, name);
    cpSync(path.join(REPO_ROOT, 'test', 'fixtures', 'rotation', name), dir, { recursive: true });
    return dir;
  };
  const rekey = (dir: string, ...args: string[]): { code: number; stdout: string; stderr: string } => {
    const r = spawnSync(process.execPath, [CLI, ...args, '--root', dir], { cwd: dir, encoding: 'utf8', env: { ...process.env, REKEY_STATE_DIR: path.join(tmp, 'state'), NO_COLOR: '1' } });
    return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
  };
  const env = (dir: string): Record<string, string> => dotenvParse(readFileSync(path.join(dir, '.env'), 'utf8'));
  const noLeak = (r: { stdout: string; stderr: string }, values: string[]): void => {
    for (const v of values) assert.ok(!r.stdout.includes(v) && !r.stderr.includes(v), 'a value leaked into the output');
  };

  it('Auth.js: `rekey rotate AUTH_SECRET` stages the new value in AUTH_SECRET_1; retire-previous promotes it', () => {
    const dir = fixture('authjs');
    const old = env(dir).AUTH_SECRET as string;
    const dry = rekey(dir, 'rotate', 'AUTH_SECRET', '--dry-run', '--format', 'json');
    assert.equal(dry.code, 0, dry.stderr);
    const j = JSON.parse(dry.stdout);
    assert.equal(j.zeroLogout.framework, 'authjs');
    assert.equal(j.zeroLogout.version, '0.37.2');
    assert.equal(j.zeroLogout.previousKey, 'AUTH_SECRET_1');
    assert.equal(j.zeroLogout.lifetimeDays, 14, 'session.maxAge from auth.ts');
    const r = rekey(dir, 'rotate', 'AUTH_SECRET');
    assert.equal(r.code, 0, r.stderr);
    const after = env(dir);
    assert.equal(after.AUTH_SECRET, old);
    assert.ok(after.AUTH_SECRET_1 && after.AUTH_SECRET_1.length >= 44);
    noLeak(r, [old, after.AUTH_SECRET_1]);
    assert.equal(rekey(dir, 'retire-previous', 'AUTH_SECRET').code, 2, 'not due yet without --force');
    const scan = rekey(dir, 'scan', '.', '--format', 'json', '--fail-on', 'never');
    assert.ok(!scan.stdout.includes('previous-secret-retirable'), 'not due: no finding');
    const ret = rekey(dir, 'retire-previous', 'AUTH_SECRET', '--force');
    assert.equal(ret.code, 0, ret.stderr);
    assert.equal(env(dir).AUTH_SECRET, after.AUTH_SECRET_1);
    assert.equal(env(dir).AUTH_SECRET_1, undefined);
  });

  it('express-session: --dry-run prints the code edit as a patch; plain apply refuses; --apply-code writes both', () => {
    const dir = fixture('express-session');
    const old = env(dir).SESSION_SECRET as string;
    const dry = rekey(dir, 'rotate', 'SESSION_SECRET', '--dry-run');
    assert.equal(dry.code, 0, dry.stderr);
    assert.ok(dry.stdout.includes([
      '--- a/app.js',
      '+++ b/app.js',
      '@@ -5,7 +5,7 @@',
      ' const app = express()',
      " app.set('trust proxy', 1) // trust first proxy",
      ' app.use(session({',
      '-  secret: process.env.SESSION_SECRET,',
      '+  secret: [process.env.SESSION_SECRET, process.env.SESSION_SECRET_PREVIOUS].filter(Boolean),',
      '   resave: false,',
      '   saveUninitialized: true,',
      "   store: require('./sessionStore'),",
    ].join('\n')), dry.stdout);
    const refused = rekey(dir, 'rotate', 'SESSION_SECRET');
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /--apply-code/);
    assert.equal(env(dir).SESSION_SECRET, old, 'nothing written');
    const r = rekey(dir, 'rotate', 'SESSION_SECRET', '--apply-code');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(env(dir).SESSION_SECRET_PREVIOUS, old);
    assert.match(readFileSync(path.join(dir, 'app.js'), 'utf8'), /SESSION_SECRET_PREVIOUS\]\.filter\(Boolean\)/);
    assert.equal(readFileSync(path.join(dir, 'app.js.before-secret-rotation'), 'utf8'), readFileSync(path.join(REPO_ROOT, 'test', 'fixtures', 'rotation', 'express-session', 'app.js'), 'utf8'));
    noLeak(r, [old, env(dir).SESSION_SECRET as string]);
  });

  it('Laravel: `rekey rotate APP_KEY` replaces the key and lists the old one in APP_PREVIOUS_KEYS (comma-separated, newest first)', () => {
    const dir = fixture('laravel');
    const first = env(dir).APP_KEY as string;
    const r = rekey(dir, 'rotate', 'APP_KEY', '--format', 'json');
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.equal(j.mode, 'replace');
    assert.equal(j.zeroLogout.framework, 'laravel');
    assert.equal(j.zeroLogout.version, '11.31.0');
    assert.equal(j.zeroLogout.lifetimeFrom, 'SESSION_LIFETIME=120 minutes in .env');
    const second = env(dir).APP_KEY as string;
    assert.match(second, /^base64:[A-Za-z0-9+/]{43}=$/);
    assert.equal(env(dir).APP_PREVIOUS_KEYS, first);
    assert.equal(rekey(dir, 'rotate', 'APP_KEY').code, 0);
    assert.deepEqual((env(dir).APP_PREVIOUS_KEYS as string).split(','), [second, first]);
    noLeak(r, [first, second]);
    const ret = rekey(dir, 'retire-previous', 'APP_KEY', '--force');
    assert.equal(ret.code, 0, ret.stderr);
    assert.equal(env(dir).APP_PREVIOUS_KEYS, undefined);
  });
});
