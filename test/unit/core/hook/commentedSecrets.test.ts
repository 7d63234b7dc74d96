import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { checkStaged } from '../../../../src/core/hook/checks';
import { HookGit } from '../../../../src/core/hook/hookGit';
import { parseEnv } from '../../../../src/core/env/parse';
import { REPO_ROOT } from '../../../helpers/shared';
import { cleanup, commitAll, git, gitEnv, makeRepo, write } from './hookTestRepo';

/*
 * The hook treats a commented-out secret in a staged `.env` like a live entry, and never blocks
 * on a low-confidence detection.
 */
const STRIPE = parseEnv(readFileSync(path.join(REPO_ROOT, 'test', 'fixtures', 'detect', 'formats', 'realistic.env'), 'utf8')).entries.find((e) => e.key === 'STRIPE_SECRET_KEY')!.value;

describe('core/hook/checks: commented-out secrets and confidence', () => {
  after(cleanup);

  it('blocks a staged .env whose only secret is commented out', async () => {
    const repo = makeRepo();
    commitAll(repo, { 'README.md': '# app\n' }, 'init');
    write(repo, { '.env': `PORT=3000\n# STRIPE_SECRET_KEY=${STRIPE}\n` });
    git(repo, 'add', '-f', '.env');
    const r = await checkStaged(new HookGit({ cwd: repo, env: gitEnv() }), {});
    assert.equal(r.blocked, true);
    assert.deepEqual(r.findings.map((f) => `${f.severity} ${f.type} ${f.path}:${f.line} ${f.key}`), ['error env-file .env:2 STRIPE_SECRET_KEY']);
    assert.ok(!JSON.stringify(r).includes(STRIPE));
  });

  it('warns but does not block on a low-confidence entry', async () => {
    const repo = makeRepo();
    commitAll(repo, { 'README.md': '# app\n' }, 'init');
    // A provider prefix with a filler body: recognised, low confidence.
    write(repo, { '.env': `GITHUB_TOKEN=ghp_${'x'.repeat(36)}\n` });
    git(repo, 'add', '-f', '.env');
    const r = await checkStaged(new HookGit({ cwd: repo, env: gitEnv() }), {});
    assert.equal(r.blocked, false);
    assert.deepEqual(r.findings.map((f) => `${f.severity} ${f.type} ${f.key}`), ['warning env-file GITHUB_TOKEN']);
  });
});
