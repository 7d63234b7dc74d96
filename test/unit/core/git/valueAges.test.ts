import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { readEnvAssignments, readEnvValues } from '../../../../src/core/git/envAssignments';
import { discoverEnvHistory } from '../../../../src/core/git/envHistory';
import { GitRunner } from '../../../../src/core/git/gitRunner';
import { gitValueAgesProvider, historyValueAges } from '../../../../src/core/git/valueAges';
import { Fingerprinter } from '../../../../src/core/state/fingerprint';
import { sharedDir } from '../../../helpers/shared';
import { cleanupRepos, commit, git, makeRepo, tempDir } from './gitTestRepo';

interface Truth {
  files: Record<string, Record<string, { value: string; lastChangeCommit: string; lastChangeTime: number }>>;
  allSecretValues: string[];
}

/** Builds a synthetic history with the shared generator; returns the repo and its truth file. */
function synth(commits: number, seed: number): { repo: string; truth: Truth } {
  const repo = path.join(tempDir('rekey-synth-'), 'repo');
  execFileSync(process.execPath, [path.join(sharedDir(), 'tools', 'gen-synth-history.mjs'), repo, '--commits', String(commits), '--other-files', '40', '--seed', String(seed)], { stdio: 'ignore' });
  return { repo, truth: JSON.parse(readFileSync(`${repo}.truth.json`, 'utf8')) as Truth };
}

/** The value dotenv reads for the truth file's raw `value` (quoted hex keeps its quotes there). */
function parsedValue(raw: string): string {
  return readEnvValues(`K=${raw}\n`).get('K') ?? '';
}

describe('core/git/valueAges', () => {
  after(cleanupRepos);

  for (const [commits, seed] of [[300, 42], [2000, 7]] as const) {
    it(`matches the synthetic truth for every key (${commits} commits)`, async function () {
      this.timeout(60_000);
      const { repo, truth } = synth(commits, seed);
      const fp = new Fingerprinter(randomBytes(32));
      const ages = await historyValueAges(repo, Object.keys(truth.files), { fingerprinter: fp });
      let exact = 0;
      const artifacts: string[] = [];
      for (const [file, keys] of Object.entries(truth.files)) {
        const got = ages.get(file);
        assert.ok(got, `ages for ${file}`);
        assert.equal(got.source, 'head');
        assert.equal(got.keys.size, Object.keys(keys).length, `${file}: one age per key`);
        for (const [key, t] of Object.entries(keys)) {
          const age = got.keys.get(key);
          assert.ok(age, `${file} ${key}`);
          assert.equal(age.fingerprint, fp.of(parsedValue(t.value)), `${file} ${key}: fingerprint of HEAD's value`);
          if (age.commit === t.lastChangeCommit) {
            assert.equal(age.date.getTime(), t.lastChangeTime * 1000);
            exact++;
            continue;
          }
          // The generator can change a key twice in one commit and land on the value it had:
          // the truth then names a commit whose content did not change that key. Prove it.
          const before = readEnvValues(git(repo, 'show', `${t.lastChangeCommit}^:${file}`)).get(key);
          assert.equal(before, parsedValue(t.value), `${file} ${key}: ours ${age.commit.slice(0, 7)}, truth ${t.lastChangeCommit.slice(0, 7)} (not a generator artifact)`);
          const ourParent = readEnvValues(git(repo, 'show', `${age.commit}^:${file}`)).get(key);
          assert.notEqual(ourParent, parsedValue(t.value), 'our commit really introduced the value');
          artifacts.push(`${file}:${key}`);
        }
      }
      assert.ok(exact >= 148, `exact for ${exact} keys; generator artifacts: ${artifacts.join(', ')}`);
      if (commits === 300) assert.deepEqual(artifacts, []);
    });
  }

  it('recovers every secret value ever committed (allSecretValues recall)', async function () {
    this.timeout(60_000);
    const { repo, truth } = synth(500, 3);
    const h = await discoverEnvHistory(await GitRunner.open(repo, { trusted: false }));
    const seen = new Set<string>();
    for (const text of h.texts.values()) for (const a of readEnvAssignments(text)) seen.add(a.value);
    const missed = truth.allSecretValues.map(parsedValue).filter((v) => !seen.has(v));
    assert.equal(missed.length, 0, `${missed.length} of ${truth.allSecretValues.length} secret values not recovered`);
  });

  it('follows a value through a merge to the side-branch commit that set it (as blame does)', async () => {
    const repo = makeRepo();
    commit(repo, { '.env': 'A=1\nB=1\nC=1\n' });
    git(repo, 'checkout', '-q', '-b', 'side');
    const sideCommit = commit(repo, { '.env': 'A=side\nB=1\nC=1\n' });
    git(repo, 'checkout', '-q', 'main');
    const mainCommit = commit(repo, { '.env': 'A=1\nB=main\nC=1\n' });
    try {
      git(repo, 'merge', '-q', 'side');
    } catch {
      /* conflict */
    }
    const merge = commit(repo, { '.env': 'A=side\nB=main\nC=resolved\n' }, 'merge');
    commit(repo, { 'other.txt': 'later' });
    const ages = await historyValueAges(repo, ['.env']);
    const keys = ages.get('.env')?.keys;
    assert.equal(keys?.get('A')?.commit, sideCommit);
    assert.equal(keys?.get('B')?.commit, mainCommit);
    assert.equal(keys?.get('C')?.commit, merge);
  });

  it('starts a deleted file from its last version, and re-adding restarts every key', async () => {
    const repo = makeRepo();
    const first = commit(repo, { '.env.old': 'K=1\n', '.env': 'X=1\n' });
    const change = commit(repo, { '.env.old': 'K=1\nL=2\n' });
    const del = commit(repo, { '.env.old': null });
    commit(repo, { '.env': null });
    const readd = commit(repo, { '.env': 'X=1\n' });
    const ages = await historyValueAges(repo, ['.env.old', '.env', 'never.env']);
    const old = ages.get('.env.old');
    assert.equal(old?.source, 'deleted');
    assert.equal(old?.deletedIn, del);
    assert.equal(old?.keys.get('K')?.commit, first);
    assert.equal(old?.keys.get('L')?.commit, change);
    assert.equal(ages.get('.env')?.keys.get('X')?.commit, readd, 'the file was absent in between');
    assert.equal(ages.has('never.env'), false);
  });

  it('a key removed and put back with the same value is new again; unchanged keys keep their age', async () => {
    const repo = makeRepo();
    const c1 = commit(repo, { '.env': 'A=1\nB=2\n' });
    commit(repo, { '.env': 'A=1\n' });
    const c3 = commit(repo, { '.env': 'A=1\nB=2\n' });
    const ages = (await historyValueAges(repo, ['.env'])).get('.env');
    assert.equal(ages?.keys.get('A')?.commit, c1);
    assert.equal(ages?.keys.get('B')?.commit, c3);
  });

  it('adapts to the age rules: sameValue compares without keeping values', async () => {
    const repo = makeRepo();
    const c1 = commit(repo, { '.env': 'TOKEN="abc def"\n' });
    const provider = gitValueAgesProvider();
    const ages = await provider(repo, ['.env']);
    const rec = ages.get('.env')?.get('TOKEN');
    assert.equal(rec?.commit, c1);
    assert.equal(rec?.sameValue('abc def'), true);
    assert.equal(rec?.sameValue('"abc def"'), false);
    assert.equal(rec?.valueFingerprint, undefined);
    assert.ok(!JSON.stringify([...(ages.get('.env') ?? new Map()).entries()]).includes('abc def'));
  });

  it('in a partial clone, uses what is present and never fetches', async () => {
    const src = makeRepo();
    const c1 = commit(src, { '.env': 'A=1\nB=1\n' });
    const c2 = commit(src, { '.env': 'A=2\nB=1\n' });
    git(src, 'config', 'uploadpack.allowFilter', 'true');
    const dir = tempDir();
    git(dir, 'clone', '-q', '--filter=blob:none', `file://${src}`, 'partial');
    const clone = path.join(dir, 'partial');
    const marker = path.join(dir, 'fetched');
    git(clone, 'config', 'remote.origin.uploadpack', `touch ${marker}; git-upload-pack`);
    const ages = (await historyValueAges(clone, ['.env'])).get('.env');
    assert.equal(ages?.keys.get('A')?.commit, c2);
    // B's older version was never downloaded: its age stops at the oldest version present.
    assert.equal(ages?.keys.get('B')?.commit, c2);
    assert.match(ages?.partial ?? '', /not available/);
    assert.equal(existsSync(marker), false);
    void c1;
  });

  it('returns nothing without commits, and stops when aborted', async () => {
    const repo = makeRepo();
    assert.equal((await historyValueAges(repo, ['.env'])).size, 0);
    commit(repo, { '.env': 'A=1\n' });
    const ac = new AbortController();
    ac.abort();
    await assert.rejects(historyValueAges(repo, ['.env'], { signal: ac.signal }), (err: Error) => err.name === 'AbortError');
  });
});
