import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse as dotenvParse } from 'dotenv';
import { applyRotation } from '../../../../../src/core/rotation/apply';
import { planRotation } from '../../../../../src/core/rotation/plan';
import { computeFileChanges } from '../../../../../src/core/rotation/rotationEdits';
import { makeApp, type AppWorkspace } from './appWorkspace';

/*
 * Frameworks that cannot run here (Python, PHP, Ruby), checked at the plan level against their
 * documented syntax: Django's SECRET_KEY_FALLBACKS list (docs.djangoproject.com, settings
 * reference), Flask's from_prefixed_env JSON parsing (flask.palletsprojects.com, config docs),
 * Laravel's comma-separated APP_PREVIOUS_KEYS (laravel.com/docs/11.x/encryption), Rails' cookie
 * rotations (guides.rubyonrails.org, security guide).
 */

describe('zero-logout plans for Django, Flask, Laravel and Rails (documented syntax)', function () {
  this.timeout(30_000);
  let ws: AppWorkspace | undefined;
  afterEach(() => {
    ws?.cleanup();
    ws = undefined;
  });
  const plan = (key: string) => planRotation({ workspaceRoot: (ws as AppWorkspace).root, file: (ws as AppWorkspace).envFile, key, options: { trusted: false } });
  const env = (): Record<string, string> => dotenvParse(readFileSync((ws as AppWorkspace).envFile, 'utf8'));

  it('Django ≥ 4.1: adds SECRET_KEY_FALLBACKS to settings.py (read from the env, comma-separated) and moves the old key there', async () => {
    ws = makeApp({
      'requirements.txt': 'Django>=4.2,<5.0\npsycopg[binary]==3.1.18\n',
      'mysite/settings.py': 'import os\nfrom pathlib import Path\n\nBASE_DIR = Path(__file__).resolve().parent.parent\n\n# SECURITY WARNING: keep the secret key used in production secret!\nSECRET_KEY = os.environ["SECRET_KEY"]\n\nDEBUG = False\n',
      '.env': 'SECRET_KEY=django-insecure-canary+0123456789abcdefghijklmnopqrstuvwxyz!@#$%^&*(-_=+)\n',
    });
    const old = env().SECRET_KEY as string;
    const p = await plan('SECRET_KEY');
    assert.equal(p.zeroLogout?.framework, 'django');
    assert.equal(p.zeroLogout?.version, '4.2');
    assert.equal(p.zeroLogout?.previousKey, 'SECRET_KEY_FALLBACKS');
    assert.equal(p.zeroLogout?.lifetimeDays, 14, 'SESSION_COOKIE_AGE default, two weeks');
    const settings = p.zeroLogout?.codeChanges[0]?.newText ?? '';
    assert.match(settings, /SECRET_KEY = os\.environ\["SECRET_KEY"\]\n# Older keys[^\n]*\nSECRET_KEY_FALLBACKS = \[k for k in os\.environ\.get\("SECRET_KEY_FALLBACKS", ""\)\.split\(","\) if k\]\n/);
    const changes = computeFileChanges(p);
    const text = changes[0]?.newText ?? '';
    const after = dotenvParse(text);
    assert.deepEqual((after.SECRET_KEY_FALLBACKS ?? '').split(',').filter(Boolean), [old], 'what the settings line reads back');
    assert.notEqual(after.SECRET_KEY, old);
  });

  it('Django < 4.1 has no fallbacks: the plan says everyone is logged out and keeps the plain rotation', async () => {
    ws = makeApp({
      'requirements.txt': 'Django==3.2.25\n',
      'settings.py': 'import os\nSECRET_KEY = os.environ["SECRET_KEY"]\n',
      '.env': 'SECRET_KEY=django-insecure-canary+0123456789abcdefghijklmnopqrstuvwxyz\n',
    });
    const p = await plan('SECRET_KEY');
    assert.equal(p.zeroLogout?.available, false);
    assert.equal(p.zeroLogoutChosen, false);
    assert.match(p.zeroLogout?.summary ?? '', /needs django ≥ 4\.1.*logs everyone out/);
    assert.deepEqual(computeFileChanges(p)[0]?.changedKeys, ['SECRET_KEY']);
  });

  it('Flask ≥ 3.1 with from_prefixed_env: the old key goes to FLASK_SECRET_KEY_FALLBACKS as a JSON list', async () => {
    ws = makeApp({
      'requirements.txt': 'Flask==3.1.0\n',
      'app.py': 'from flask import Flask\n\napp = Flask(__name__)\napp.config.from_prefixed_env()\n',
      '.env': 'FLASK_SECRET_KEY=192b9bdd22ab9ed4d12e236c78afcb9a393ec15f71bbf5dc987d54727823bcbf\nFLASK_SECRET_KEY_FALLBACKS=["0ld3r0ld3r0ld3r"]\n',
    });
    const old = env().FLASK_SECRET_KEY as string;
    const p = await plan('FLASK_SECRET_KEY');
    assert.equal(p.zeroLogout?.framework, 'flask');
    assert.equal(p.zeroLogout?.syntax, 'json-list');
    await applyRotation(p, { trusted: false });
    // from_prefixed_env runs json.loads on the value: it must be a JSON list, newest first.
    assert.deepEqual(JSON.parse(env().FLASK_SECRET_KEY_FALLBACKS as string), [old, '0ld3r0ld3r0ld3r']);
    assert.notEqual(env().FLASK_SECRET_KEY, old);
    assert.match(readFileSync((ws).envFile, 'utf8'), /# rekey-previous: of=FLASK_SECRET_KEY retire-by=\d{4}-\d{2}-\d{2} framework=flask\nFLASK_SECRET_KEY_FALLBACKS=/);
  });

  it('Flask 3.0 has no SECRET_KEY_FALLBACKS', async () => {
    ws = makeApp({ 'pyproject.toml': '[project]\nname = "app"\ndependencies = [\n  "flask>=3.0,<3.1",\n]\n', 'app.py': 'from flask import Flask\napp = Flask(__name__)\napp.config.from_prefixed_env()\n', '.env': 'FLASK_SECRET_KEY=192b9bdd22ab9ed4d12e236c78afcb9a\n' });
    const p = await plan('FLASK_SECRET_KEY');
    assert.equal(p.zeroLogout?.available, false);
    assert.match(p.zeroLogout?.summary ?? '', /flask 3\.0.*≥ 3\.1/);
  });

  it('Laravel 10 (no APP_PREVIOUS_KEYS): the encryption-key plan stays add-new, and says why', async () => {
    ws = makeApp({ 'composer.lock': JSON.stringify({ packages: [{ name: 'laravel/framework', version: 'v10.48.4' }] }), '.env': 'APP_KEY=base64:Q2FuYXJ5TGFyYXZlbEtleTAxMjM0NTY3ODlhYmNkZWY=\n' });
    const p = await plan('APP_KEY');
    assert.equal(p.zeroLogout?.framework, 'laravel');
    assert.equal(p.zeroLogout?.available, false);
    assert.equal(p.mode, 'add-new');
  });

  it('Laravel 11 with a config/app.php published before 11 (no previous_keys) is refused with the line to add', async () => {
    ws = makeApp({
      'composer.json': JSON.stringify({ require: { 'laravel/framework': '^11.0' } }),
      'config/app.php': "<?php\nreturn [\n    'key' => env('APP_KEY'),\n    'cipher' => 'AES-256-CBC',\n];\n",
      '.env': 'APP_KEY=base64:Q2FuYXJ5TGFyYXZlbEtleTAxMjM0NTY3ODlhYmNkZWY=\n',
    });
    const p = await plan('APP_KEY');
    assert.equal(p.zeroLogout?.available, false);
    assert.match(p.zeroLogout?.summary ?? '', /previous_keys/);
  });

  it('Rails: a code change rekey does not make; the plan gives the cookie-rotation initializer and logs everyone out', async () => {
    ws = makeApp({ 'Gemfile.lock': 'GEM\n  remote: https://rubygems.org/\n  specs:\n    actionpack (7.1.3)\n    rails (7.1.3)\n      actionpack (= 7.1.3)\n', '.env': 'SECRET_KEY_BASE=aa0c2d1b5f0e4c3d2b1a09f8e7d6c5b4a392817161514131211100f0e0d0c0b0a09\n' });
    const p = await plan('SECRET_KEY_BASE');
    assert.equal(p.zeroLogout?.framework, 'rails');
    assert.equal(p.zeroLogout?.version, '7.1.3');
    assert.equal(p.zeroLogoutChosen, false);
    assert.match(p.zeroLogout?.manual?.snippet ?? '', /cookies_rotations[\s\S]*cookies\.rotate :encrypted[\s\S]*cookies\.rotate :signed/);
    assert.match(p.zeroLogout?.manual?.snippet ?? '', /ENV\["SECRET_KEY_BASE_PREVIOUS"\]/);
    assert.match(p.runbook, /This rotation logs everyone out/);
  });

  it('no known framework: nothing changes (no zero-logout section, plain rotation)', async () => {
    ws = makeApp({ '.env': 'SESSION_SECRET=abcdef0123456789abcdef0123456789abcdef0123456789\n' });
    const p = await plan('SESSION_SECRET');
    assert.equal(p.zeroLogout, undefined);
    assert.equal(path.basename(p.file), '.env');
    assert.deepEqual(computeFileChanges(p)[0]?.changedKeys, ['SESSION_SECRET']);
  });
});
