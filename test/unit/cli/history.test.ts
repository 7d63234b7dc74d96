import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { cli } from '../../helpers/cli';
import { cleanupRepos, commit, git, makeRepo, tempDir, writeFile } from '../core/git/gitTestRepo';

const CANARY = ['sk', 'live', 'HISTORYCANARY0a9b8c7d6e5f'].join('_');
const CANARY_OLD = ['sk', 'live', 'OLDCANARY1q2w3e4r5t6y7u8i'].join('_');

interface HistoryJson {
  version: number;
  envBlobs: Array<{ path: string; blob: string; commits: string[]; firstCommit: string; lastCommit: string }>;
  exposures: Array<{ file: string; key: string; kind: string; path: string; commit: string; pushed: boolean; current: boolean; commits: string[]; occurrences: Array<{ path: string; via: string }> }>;
  tracked: Array<{ path: string; fix: string }>;
  notIgnored: Array<{ path: string; fix: string }>;
  partial: boolean;
  partialReason?: string;
}

describe('rekey history', () => {
  after(cleanupRepos);

  function leakyRepo(): { repo: string; first: string } {
    const repo = makeRepo();
    const first = commit(repo, { '.env': `STRIPE_SECRET_KEY=${CANARY}\nSESSION_SECRET=${CANARY_OLD}\n`, 'app.js': `const k = "${CANARY}";\n` });
    commit(repo, { '.env': null, '.gitignore': '.env\n' });
    writeFile(repo, '.env', `STRIPE_SECRET_KEY=${CANARY}\nSESSION_SECRET=${CANARY_OLD}x\n`);
    writeFile(repo, 'sub/.env.local', 'LOCAL=1\n');
    return { repo, first };
  }

  it('prints the JSON report of the issue, value-free', async () => {
    const { repo, first } = leakyRepo();
    const r = await cli(['history', '--format', 'json'], path.join(repo, 'sub'));
    assert.equal(r.code, 1, r.stderr);
    const out = JSON.parse(r.stdout) as HistoryJson;
    assert.equal(out.version, 1);
    assert.equal(out.partial, false);
    assert.deepEqual(out.envBlobs.map((b) => [b.path, b.commits, b.firstCommit, b.lastCommit]), [['.env', [first], first, first]]);
    const byKey = Object.fromEntries(out.exposures.map((e) => [e.key, e]));
    assert.deepEqual(
      { file: byKey.STRIPE_SECRET_KEY?.file, path: byKey.STRIPE_SECRET_KEY?.path, commit: byKey.STRIPE_SECRET_KEY?.commit, pushed: byKey.STRIPE_SECRET_KEY?.pushed, current: byKey.STRIPE_SECRET_KEY?.current },
      { file: path.join(repo, '.env'), path: '.env', commit: first, pushed: false, current: true },
    );
    assert.equal(byKey.SESSION_SECRET?.current, false);
    assert.deepEqual(out.tracked, []);
    assert.deepEqual(out.notIgnored.map((n) => n.path), ['sub/.env.local']);
  });

  it('never prints a value: text, json, --all-files, --verbose', async () => {
    const { repo } = leakyRepo();
    for (const args of [['history'], ['history', '--format', 'json'], ['history', '--all-files', '--verbose'], ['history', '--all-files', '--format', 'json', '--submodules']]) {
      const r = await cli([...args, '--repo', repo], tempDir());
      assert.ok(r.code === 1, `${args.join(' ')}: exit ${r.code} ${r.stderr}`);
      for (const secret of [CANARY, CANARY_OLD, CANARY.slice(8, 24)]) {
        assert.ok(!r.stdout.includes(secret) && !r.stderr.includes(secret), `${args.join(' ')} leaked a value`);
      }
    }
  });

  it('--all-files adds the copy in a source file', async () => {
    const { repo } = leakyRepo();
    const r = await cli(['history', '--all-files', '--format', 'json', '--repo', repo], repo);
    const out = JSON.parse(r.stdout) as HistoryJson;
    const stripe = out.exposures.find((e) => e.key === 'STRIPE_SECRET_KEY');
    assert.deepEqual(stripe?.occurrences.map((o) => `${o.path}:${o.via}`).sort(), ['.env:env-file', 'app.js:any-file']);
  });

  it('exits 0 on a clean repository and 2 outside one, with one line', async () => {
    const repo = makeRepo();
    commit(repo, { '.gitignore': '.env\n', 'README.md': 'x' });
    writeFile(repo, '.env', `STRIPE_SECRET_KEY=${CANARY}\n`);
    const clean = await cli(['history'], repo);
    assert.equal(clean.code, 0, clean.stdout + clean.stderr);
    assert.match(clean.stdout, /No leaked values/);
    const outside = await cli(['history', '--repo', tempDir()], repo);
    assert.equal(outside.code, 2);
    assert.match(outside.stderr, /^rekey: history: .* is not inside a git repository\n$/);
    const usage = await cli(['history', '--format', 'yaml'], repo);
    assert.equal(usage.code, 2);
  });

  it('says when the answer is partial (shallow clone)', async () => {
    const src = makeRepo();
    commit(src, { '.env': 'A=1\n' });
    commit(src, { 'b.txt': '2' });
    const dir = tempDir();
    git(dir, 'clone', '-q', '--depth', '1', `file://${src}`, 'c');
    const r = await cli(['history', '--format', 'json', '--repo', 'c'], dir);
    const out = JSON.parse(r.stdout) as HistoryJson;
    assert.equal(out.partial, true);
    assert.match(out.partialReason ?? '', /shallow/);
  });
});
