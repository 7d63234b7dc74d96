import * as assert from 'node:assert/strict';
import { mkdirSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { findEnvFiles } from '../../../../src/core/workspace/findEnvFiles';
import { git, makeWorkspace } from '../backup/gitRepo';

const rel = (root: string, files: string[]) => files.map((f) => path.relative(root, f).split(path.sep).join('/'));

describe('workspace/findEnvFiles through git', () => {
  const files = {
    '.gitignore': '.env\n.env.*\n!.env.example\nsecrets/\ndist/\n',
    '.env': 'A=1\n',
    '.env.example': 'A=\n',
    '.env.local': 'A=2\n',
    '.env.old': 'A=0\n',
    'src/app.ts': 'process.env.A\n',
    'src/.env.js': 'module.exports = {}\n',
    'src/deploy.env': 'B=1\n',
    'secrets/deep/.env.production': 'C=1\n',
    'dist/.env': 'D=1\n',
    'node_modules/pkg/.env': 'E=1\n',
    'nested/.env': 'F=1\n',
    'untracked/.env.staging': 'G=1\n',
  };
  // Written by hand from the files above: every `.env`-family regular file (or link to one),
  // ignored or not, outside dependency folders, inside nested repositories too.
  const expected = [
    '.env', '.env.example', '.env.local', 'dist/.env', 'link/.env', 'nested/.env', 'secrets/deep/.env.production', 'src/deploy.env', 'untracked/.env.staging',
  ];

  let dir: string;
  before(() => {
    dir = makeWorkspace(files, { git: true });
    git(dir, 'add', '-f', '.gitignore', '.env.example', '.env.old', 'src');
    git(dir, 'commit', '-q', '-m', 'init');
    // Tracked, then deleted from the work tree: git still lists it, the disk does not have it.
    unlinkSync(path.join(dir, '.env.old'));
    git(path.join(dir, 'nested'), 'init', '-q');
    mkdirSync(path.join(dir, 'link'));
    symlinkSync(path.join(dir, '.env'), path.join(dir, 'link', '.env'));
    // A link to a folder with an env name is not a file.
    symlinkSync(path.join(dir, 'src'), path.join(dir, '.env.d'));
    writeFileSync(path.join(dir, 'untracked', 'notes.txt'), 'x\n');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('finds what the walk finds, and what is there', async () => {
    const walked = rel(dir, await findEnvFiles(dir));
    const listed = rel(dir, await findEnvFiles(dir, { trusted: true }));
    assert.deepEqual(walked, expected);
    assert.deepEqual(listed, expected);
  });

  it('from a subfolder, an ignored folder and a nested repository', async () => {
    for (const sub of ['src', 'secrets', 'secrets/deep', 'nested', 'untracked']) {
      const root = path.join(dir, sub);
      const want = expected.filter((e) => e.startsWith(`${sub}/`)).map((e) => e.slice(sub.length + 1));
      assert.deepEqual(rel(root, await findEnvFiles(root, { trusted: true })), want, sub);
      assert.deepEqual(rel(root, await findEnvFiles(root)), want, sub);
    }
  });

  it('walks outside a git work tree, and honours extra skipped folders', async () => {
    const plain = makeWorkspace({ '.env': 'A=1\n', 'a/.env.dev': 'B=1\n', 'tmp/.env': 'C=1\n' });
    try {
      assert.deepEqual(rel(plain, await findEnvFiles(plain, { trusted: true })), ['.env', 'a/.env.dev', 'tmp/.env']);
      assert.deepEqual(rel(dir, await findEnvFiles(dir, { trusted: true, skipDirs: ['secrets', 'nested'] })), expected.filter((e) => !/^(secrets|nested)\//.test(e)));
    } finally {
      rmSync(plain, { recursive: true, force: true });
    }
  });
});
