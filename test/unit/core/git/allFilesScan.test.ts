import * as assert from 'node:assert/strict';
import { diffHeaderPath, scanAllFiles } from '../../../../src/core/git/allFilesScan';
import { discoverEnvHistory } from '../../../../src/core/git/envHistory';
import { GitRunner } from '../../../../src/core/git/gitRunner';
import { cleanupRepos, commit, makeRepo } from './gitTestRepo';

const NEEDLE = ['needle', 'Q7w8e9r0t1y2'].join('-');

describe('core/git/allFilesScan', () => {
  after(cleanupRepos);

  it('parses diff headers, quoted or not', () => {
    assert.equal(diffHeaderPath('diff --git a/src/a b.js b/src/a b.js'), 'src/a b.js');
    assert.equal(diffHeaderPath('diff --git "a/we\\"ird\\tname" "b/we\\"ird\\tname"'), 'we"ird\tname');
    assert.equal(diffHeaderPath('diff --git "a/\\303\\274.js" "b/\\303\\274.js"'), 'ü.js');
  });

  it('finds a string in any file of any commit, with the commit that added it and odd paths', async () => {
    const repo = makeRepo();
    const added = commit(repo, { 'src/we"ird name.js': `x = "${NEEDLE}";\n`, 'docs/ü.md': 'nothing\n' });
    commit(repo, { 'docs/ü.md': `also ${NEEDLE}\n` });
    const third = commit(repo, { 'src/we"ird name.js': 'x = 1;\n' });
    const git = await GitRunner.open(repo, { trusted: false });
    const hits = await scanAllFiles(git, ['short', NEEDLE, 'absent-string-123']);
    const got = hits.map((h) => `${h.needle}:${h.path}:${h.commit === added ? 'added' : h.commit === third ? 'third' : 'other'}`).sort();
    // The removal in the third commit shows the line in its parent, which is already counted.
    assert.deepEqual(got, ['1:docs/ü.md:other', '1:src/we"ird name.js:added']);
  });

  it('discovery reads env paths with newlines, tabs and quotes in their names', async () => {
    const repo = makeRepo();
    commit(repo, { 'odd\nname/.env': 'A=1\n', 'tab\there/.env.local': 'B=2\n' });
    const h = await discoverEnvHistory(await GitRunner.open(repo, { trusted: false }));
    assert.deepEqual(h.blobs.map((b) => b.path).sort(), ['odd\nname/.env', 'tab\there/.env.local']);
  });
});
