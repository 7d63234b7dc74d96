import * as assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { parsePatchText, readPatch, unquotePath, type PatchFile } from '../../../../src/core/hook/patch';
import { cleanup, commitAll, git, gitRun, makeRepo, write } from './hookTestRepo';

function collect(text: string): { files: PatchFile[]; added: Array<[string, number, string]> } {
  const files: PatchFile[] = [];
  const added: Array<[string, number, string]> = [];
  parsePatchText(text, { file: (f) => files.push(f), added: (f, l, t) => added.push([f.path, l, t]) });
  return { files, added };
}

describe('core/hook/patch', () => {
  after(cleanup);

  it('reads hunks by their counts: added lines that look like headers are content', () => {
    const text = [
      'diff --git a/x.txt b/x.txt',
      'index 1111111111111111111111111111111111111111..2222222222222222222222222222222222222222 100644',
      '--- a/x.txt',
      '+++ b/x.txt',
      '@@ -1,0 +2,4 @@',
      '++++ b/evil',
      '+diff --git a/y b/y',
      '+@@ -1 +1 @@',
      '+plain\r',
      '@@ -9 +12 @@ ctx',
      '-old',
      '+new',
      '\\ No newline at end of file',
      '',
    ].join('\n');
    const { files, added } = collect(text);
    assert.deepEqual(files.map((f) => [f.path, f.status, f.oldBlob?.slice(0, 4), f.newBlob?.slice(0, 4), f.newMode]), [['x.txt', 'modified', '1111', '2222', '100644']]);
    assert.deepEqual(added, [
      ['x.txt', 2, '+++ b/evil'],
      ['x.txt', 3, 'diff --git a/y b/y'],
      ['x.txt', 4, '@@ -1 +1 @@'],
      ['x.txt', 5, 'plain'],
      ['x.txt', 12, 'new'],
    ]);
  });

  it('hands a file\'s added lines over as one block per file, across hunks, and splits huge ones', () => {
    const text = [
      'diff --git a/x.txt b/x.txt',
      '--- a/x.txt',
      '+++ b/x.txt',
      '@@ -1,0 +2,2 @@',
      '+one\r',
      '+',
      '@@ -9 +12 @@',
      '-old',
      '+two',
      'diff --git a/bin b/bin',
      'Binary files a/bin and b/bin differ',
      'diff --git a/y.txt b/y.txt',
      'new file mode 100644',
      '--- /dev/null',
      '+++ b/y.txt',
      '@@ -0,0 +1 @@',
      '+three',
      '',
    ].join('\n');
    const blocks: Array<[string, number[], string]> = [];
    parsePatchText(text, { addedBlock: (f, lines, t) => blocks.push([f.path, lines, t]) });
    assert.deepEqual(blocks, [['x.txt', [2, 3, 12], 'one\n\ntwo'], ['y.txt', [1], 'three']]);
    const big = ['diff --git a/b.txt b/b.txt', '--- /dev/null', '+++ b/b.txt', `@@ -0,0 +1,3000 @@`];
    for (let i = 0; i < 3000; i++) big.push('+' + 'x'.repeat(199));
    const sizes: number[] = [];
    let total = 0;
    parsePatchText(big.join('\n') + '\n', { addedBlock: (_f, lines, t) => { sizes.push(lines.length); total += t.split('\n').length; } });
    assert.ok(sizes.length >= 2, 'a 600 KB file comes in several blocks');
    assert.equal(total, 3000);
  });

  it('rejects a truncated hunk rather than guessing', () => {
    assert.throws(() => collect('diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -0,0 +1,3 @@\n+a\n'), /unexpected git diff output/);
  });

  it('unquotes C-style paths, including octal UTF-8 and astral characters', () => {
    assert.equal(unquotePath('"a\\tb\\"c"'), 'a\tb"c');
    assert.equal(unquotePath('"\\303\\274.env"'), 'ü.env');
    assert.equal(unquotePath('"😀\\n"'), '😀\n');
    assert.equal(unquotePath('plain name'), 'plain name');
  });

  it('parses what git writes: adds, renames with edits, binaries, mode changes, deletions and odd names, with commits', async () => {
    const repo = makeRepo();
    commitAll(repo, { 'f.txt': 'a\nb\n', 'bin.dat': Buffer.from([1, 0, 2]), 'gone.txt': 'bye\n' }, 'one');
    git(repo, 'mv', 'f.txt', 'g h.txt');
    git(repo, 'rm', '-q', 'gone.txt');
    write(repo, { 'g h.txt': 'a\nb\nc\n', 'bin.dat': Buffer.from([3, 0, 4]), 'quo"te\tname.env': 'K=v\n' });
    git(repo, 'add', '-A');
    git(repo, 'update-index', '--chmod=+x', 'bin.dat');
    git(repo, 'commit', '-q', '--no-verify', '-m', 'two');
    const r = gitRun(repo, ['log', '--reverse', '-p', '-U0', '--full-index', '-M', '--no-color', '--src-prefix=a/', '--dst-prefix=b/', '--format=%x00%H']);
    assert.equal(r.status, 0, r.stderr);
    const files: PatchFile[] = [];
    const added: Array<[string, number, string]> = [];
    const commits: string[] = [];
    await readPatch(Readable.from([Buffer.from(r.stdout)]), { commit: (c) => commits.push(c), file: (f) => files.push(f), added: (f, l, t) => added.push([f.path, l, t]) });
    assert.equal(commits.length, 2);
    const second = files.filter((f) => f.commit === commits[1]);
    const byPath = new Map(second.map((f) => [f.path, f]));
    assert.equal(byPath.get('g h.txt')?.status, 'renamed');
    assert.equal(byPath.get('g h.txt')?.oldPath, 'f.txt');
    assert.equal(byPath.get('bin.dat')?.binary, true);
    assert.equal(byPath.get('bin.dat')?.newMode, '100755');
    assert.equal(byPath.get('gone.txt')?.status, 'deleted');
    assert.equal(byPath.get('quo"te\tname.env')?.status, 'added');
    assert.ok(added.some(([p, l, t]) => p === 'g h.txt' && l === 3 && t === 'c'));
    assert.ok(added.some(([p, l, t]) => p === 'quo"te\tname.env' && l === 1 && t === 'K=v'));
    const first = files.filter((f) => f.commit === commits[0]).map((f) => f.path).sort();
    assert.deepEqual(first, ['bin.dat', 'f.txt', 'gone.txt']);
  });
});
