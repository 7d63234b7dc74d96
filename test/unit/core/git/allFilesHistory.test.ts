import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { readHistoryAndAllFiles } from '../../../../src/core/git/allFilesHistory';
import { scanAllFiles, type AllFilesHit } from '../../../../src/core/git/allFilesScan';
import { discoverEnvHistory, type EnvHistory } from '../../../../src/core/git/envHistory';
import { GitRunner } from '../../../../src/core/git/gitRunner';
import { sharedDir } from '../../../helpers/shared';
import { cleanupRepos, commit, git, tempDir } from './gitTestRepo';

/** What a history answer says, in a form two answers can be compared by. */
function summary(h: EnvHistory) {
  return {
    commits: h.commits,
    blobs: h.blobs.map((b) => ({ ...b })),
    texts: [...h.texts].sort(([a], [b]) => (a < b ? -1 : 1)),
    times: [...h.commitTimes].sort(([a], [b]) => (a < b ? -1 : 1)),
    partial: h.partialReasons,
  };
}

function sortedHits(hits: AllFilesHit[]): string[] {
  return hits.map((h) => `${h.needle} ${h.commit} ${h.path}`).sort();
}

describe('core/git/allFilesHistory: --all-files reads history once', function () {
  this.timeout(120_000);
  after(cleanupRepos);

  it('gives the answers of discoverEnvHistory and scanAllFiles run apart, on a generated history with merges', async () => {
    const dir = path.join(tempDir('rekey-onewalk-'), 'repo');
    const gen = spawnSync(process.execPath, [path.join(sharedDir(), 'tools', 'gen-synth-history.mjs'), dir, '--commits', '400', '--other-files', '30', '--env-rate', '0.3', '--seed', '7'], { encoding: 'utf8' });
    assert.equal(gen.status, 0, gen.stderr);
    const truth = JSON.parse(readFileSync(`${dir}.truth.json`, 'utf8')) as { allSecretValues: string[] };
    // Merges (one resolving a conflict with a value neither side had), odd path names, a tag.
    git(dir, 'checkout', '-q', '-b', 'side', 'HEAD~50');
    commit(dir, { '.env': 'SIDE_TOKEN=side-only-value-1234567\n', 'dír with space/.env.local': 'X=1\n', 'src/"quoted".txt': 'side-only-value-1234567\n' }, 'side');
    git(dir, 'checkout', '-q', 'main');
    spawnSync('git', ['merge', '-q', '--no-edit', 'side'], { cwd: dir, env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@e', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@e' } });
    commit(dir, { '.env': 'MERGED=resolved-in-merge-7654321\n', '.env.merge-only': 'M=only-the-merge-has-this\n' }, 'merge');
    assert.equal(git(dir, 'rev-list', '--parents', '-n1', 'HEAD').split(' ').length, 3, 'HEAD is a merge');
    git(dir, 'tag', 'v1', 'HEAD~3');
    commit(dir, { '.env': 'LATER=resolved-in-merge-7654321\n' }, 'after the merge');

    const needles = [...truth.allSecretValues.slice(0, 40), 'side-only-value-1234567', 'resolved-in-merge-7654321', 'only-the-merge-has-this', 'short'];
    const open = () => GitRunner.open(dir, { trusted: true });
    const apart = { history: await discoverEnvHistory(await open(), { cache: false }), hits: await scanAllFiles(await open(), needles) };
    const once = await readHistoryAndAllFiles(await open(), needles, { cache: false });

    assert.ok(apart.history.blobs.length > 50, `a real history (${apart.history.blobs.length} blobs)`);
    assert.ok(apart.history.blobs.some((b) => b.path === '.env.merge-only'), 'a blob only a merge introduced');
    assert.ok(apart.history.blobs.some((b) => b.path === 'dír with space/.env.local'), 'a quoted path');
    assert.ok(apart.hits.length > 20, `hits (${apart.hits.length})`);
    assert.deepEqual(summary(once.history), summary(apart.history));
    assert.deepEqual(sortedHits(once.hits), sortedHits(apart.hits));
  });
});
