import * as assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { filesContaining, listWorkspaceFiles } from '../../../../src/core/workspace/workspaceFiles';
import { git, makeWorkspace } from '../backup/gitRepo';

/** The expected answer, found without git grep: the lister's files whose bytes hold a needle. */
async function byReading(root: string, needles: string[], ignoreCase = false): Promise<string[]> {
  const listed = await listWorkspaceFiles(root, { trusted: true });
  const fold = (s: string) => (ignoreCase ? s.toLowerCase() : s);
  return listed.filter((f) => {
    let text: string;
    try {
      text = fold(readFileSync(f, 'latin1'));
    } catch {
      return false; // tracked, deleted from the work tree
    }
    return needles.some((n) => text.includes(fold(n)));
  });
}

const rel = (root: string, files: string[] | undefined) => files?.map((f) => path.relative(root, f).split(path.sep).join('/'));

describe('workspace/filesContaining', () => {
  const files = {
    '.gitignore': 'dist/\n*.log\n',
    'src/tracked.ts': 'const url = process.env.DATABASE_URL;\n',
    'src/other.ts': 'export const x = 1;\n',
    'src/Upper.TS': 'const u = process.env.database_url;\n',
    'src/untracked.py': 'DB = os.environ["DATABASE_URL"]\n',
    'dist/bundle.js': 'process.env.DATABASE_URL\n',
    'debug.log': 'DATABASE_URL\n',
    'node_modules/pg/index.js': 'process.env.DATABASE_URL\n',
    'vendor/lib.go': 'os.Getenv("DATABASE_URL")\n',
    'docs/a b.md': 'set DATABASE_URL first\n',
    'tracked-ignored/keep.txt': 'DATABASE_URL\n',
  };

  it('lists the files the lister lists whose text holds a needle: tracked, untracked, not ignored, no dependencies', async () => {
    const dir = makeWorkspace(files, { git: true });
    git(dir, 'add', 'src/tracked.ts', 'src/other.ts', '.gitignore');
    // Tracked although ignored: git lists it, and so does the lister.
    git(dir, 'add', '-f', 'tracked-ignored/keep.txt');
    git(dir, 'commit', '-qm', 'init');
    rmSync(path.join(dir, 'src', 'other.ts'));
    const found = await filesContaining(dir, ['DATABASE_URL'], { trusted: true });
    assert.deepEqual(rel(dir, found), ['docs/a b.md', 'src/tracked.ts', 'src/untracked.py', 'tracked-ignored/keep.txt']);
    assert.deepEqual(found, await byReading(dir, ['DATABASE_URL']));
    // Any case, one of several needles, limited by name.
    const folded = await filesContaining(dir, ['database_url', 'nothing-here'], { trusted: true, ignoreCase: true, names: ['*.ts', '*.py'] });
    assert.deepEqual(rel(dir, folded), ['src/Upper.TS', 'src/tracked.ts', 'src/untracked.py']);
    // From a subfolder: paths under it only, still absolute.
    assert.deepEqual(rel(dir, await filesContaining(path.join(dir, 'src'), ['DATABASE_URL'], { trusted: true })), ['src/tracked.ts', 'src/untracked.py']);
    assert.deepEqual(await filesContaining(dir, ['NO_SUCH_KEY_ANYWHERE'], { trusted: true }), []);
    assert.deepEqual(await filesContaining(dir, [], { trusted: true }), []);
  });

  it('a user or repository grep setting does not change the answer', async () => {
    const dir = makeWorkspace(files, { git: true });
    git(dir, 'config', 'grep.fullName', 'true');
    git(dir, 'config', 'grep.patternType', 'perl');
    const found = await filesContaining(path.join(dir, 'src'), ['process.env.DATABASE_URL'], { trusted: true });
    assert.deepEqual(rel(dir, found), ['src/tracked.ts']);
  });

  it('answers nothing when git may not run or there is no repository: the caller walks', async () => {
    const dir = makeWorkspace(files);
    assert.equal(await filesContaining(dir, ['DATABASE_URL'], { trusted: true }), undefined);
    git(dir, 'init', '-q');
    assert.equal(await filesContaining(dir, ['DATABASE_URL'], { trusted: false }), undefined);
    assert.equal(await filesContaining(dir, ['DATABASE_URL']), undefined);
  });
});
