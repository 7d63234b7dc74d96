import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { runGitPass } from '../../../../src/core/analysis/gitPass';
import { loadScanFile } from '../../../../src/core/findings/scanFile';
import { silentLogger } from '../../../../src/core/log';
import { cleanupRepos, commit, makeRepo, tempDir, writeFile } from '../git/gitTestRepo';

const CANARY = ['sk', 'live', 'CANARY1a2b3c4d5e6f7g8h9i0j'].join('_');

describe('core/analysis/gitPass', () => {
  after(cleanupRepos);

  it('reports history, tracking and commit ages for the files of a repository, never a value', async () => {
    const repo = makeRepo();
    commit(repo, { '.env': `STRIPE_SECRET_KEY=${CANARY}\n` });
    writeFile(repo, '.env.local', 'LOCAL_ONLY=1\n');
    const files = await Promise.all(['.env', '.env.local'].map((f) => loadScanFile(path.join(repo, f))));
    const result = await runGitPass({ root: repo, files, settings: {}, allFiles: false, maxBytes: 1 << 20, logger: silentLogger, signal: new AbortController().signal });
    assert.equal(result.status, 'done');
    assert.deepEqual(result.repositories, [repo]);
    const got = result.findings.map((f) => `${path.basename(f.file)}:${f.rule}:${f.key ?? ''}`).sort();
    assert.deepEqual(got, ['.env.local:env-not-ignored:', '.env:env-tracked:', '.env:leaked-in-history:STRIPE_SECRET_KEY']);
    assert.ok(result.gitAges.get(path.join(repo, '.env'))?.has('STRIPE_SECRET_KEY'), 'the committed value has a git age');
    assert.ok(!JSON.stringify({ ...result, gitAges: [...result.gitAges] }).includes(CANARY));
  });

  it('says unavailable when no file is in a repository', async () => {
    const dir = tempDir();
    writeFile(dir, '.env', 'A=1\n');
    const result = await runGitPass({ root: dir, files: [await loadScanFile(path.join(dir, '.env'))], settings: {}, allFiles: false, maxBytes: 1 << 20, logger: silentLogger, signal: new AbortController().signal });
    assert.equal(result.status, 'unavailable');
    assert.deepEqual(result.findings, []);
  });
});
