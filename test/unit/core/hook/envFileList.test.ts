import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { listEnvFiles } from '../../../../src/core/hook/envFileList';
import { HookGit } from '../../../../src/core/hook/hookGit';
import { findEnvFiles } from '../../../../src/core/workspace/findEnvFiles';
import { cleanup, commitAll, gitEnv, makeRepo, tempDir, write } from './hookTestRepo';

describe('core/hook/envFileList', () => {
  after(cleanup);

  it('lists tracked, untracked and ignored .env files, walking ignored folders but not dependencies', async () => {
    const repo = makeRepo();
    commitAll(repo, { '.gitignore': '.env\nsecrets/\nnode_modules/\n*.local\n', '.env.example': 'A=\n', 'src/app.ts': 'x\n' });
    write(repo, {
      '.env': 'A=1\n',
      'apps/web/.env.local': 'A=1\n',
      'apps/web/.env.staging': 'A=1\n',
      'secrets/deep/.env.production': 'A=1\n',
      'node_modules/pkg/.env': 'A=1\n',
      'src/not-env.ts': 'x\n',
    });
    const got = await listEnvFiles(new HookGit({ cwd: repo, env: gitEnv() }), repo);
    const rel = got.map((f) => path.relative(repo, f).split(path.sep).join('/'));
    assert.deepEqual(rel, ['.env', '.env.example', 'apps/web/.env.local', 'apps/web/.env.staging', 'secrets/deep/.env.production']);
    // The same answer as walking the tree.
    assert.deepEqual(got, await findEnvFiles(repo));
  });

  it('falls back to walking when git cannot list', async () => {
    const dir = tempDir();
    write(dir, { 'a/.env': 'A=1\n' });
    const got = await listEnvFiles(new HookGit({ cwd: dir, env: gitEnv() }), dir);
    assert.deepEqual(got, [path.join(dir, 'a', '.env')]);
  });
});
