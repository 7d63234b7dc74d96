import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { runHookEntry } from '../../../src/cli/hookMain';
import { assertNoCanary, cleanup, commitAll, ENV_TEXT, git, gitEnv, makeRepo, tempDir, write } from '../core/hook/hookTestRepo';

/*
 * The hooks' entry point starts git before loading the checks; these runs prove the checks still
 * read those early commands' output in full, at the work tree's top and elsewhere.
 */

async function entry(argv: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runHookEntry(argv, { stdout: (t) => void (out += t), stderr: (t) => void (err += t), cwd, env: gitEnv(), isTty: false });
  assertNoCanary(out + err);
  return { code, out, err };
}

describe('cli/hookMain (dist/hook.js entry)', function () {
  this.timeout(30_000);
  after(cleanup);

  it('blocks a staged .env and passes a clean index, run at the top of the work tree', async () => {
    const repo = makeRepo();
    write(repo, { '.env': ENV_TEXT });
    commitAll(repo, { '.gitignore': '.env\n', 'README.md': '# app\n' }, 'init');
    git(repo, 'add', '-f', '.env');
    const blocked = await entry(['hook', 'run', 'pre-commit', '--format', 'json'], repo);
    assert.equal(blocked.code, 1, blocked.err);
    const report = JSON.parse(blocked.out) as { findings: Array<{ key?: string; type: string }> };
    assert.deepEqual(report.findings.map((f) => `${f.type} ${f.key ?? ''}`), ['env-file STRIPE_SECRET_KEY', 'env-file DATABASE_URL']);
    git(repo, 'rm', '-q', '--cached', '.env');
    assert.equal((await entry(['hook', 'run', 'pre-commit'], repo)).code, 0);
  });

  it('reads a large staged patch whole and finds a known value at its end', async () => {
    const repo = makeRepo();
    write(repo, { '.env': ENV_TEXT });
    commitAll(repo, { '.gitignore': '.env\n', 'README.md': '# app\n' }, 'init');
    // Several MiB of added lines: more than the early stream's buffer, so git must wait for the reader.
    const filler = Array.from({ length: 60_000 }, (_, i) => `export const line${i} = "${'x'.repeat(60)}";`).join('\n');
    const secret = ENV_TEXT.split('\n')[0]!.split('=')[1]!;
    write(repo, { 'src/big.ts': `${filler}\nexport const k = "${secret}";\n` });
    git(repo, 'add', 'src/big.ts');
    const r = await entry(['hook', 'run', 'pre-commit', '--format', 'json'], repo);
    assert.equal(r.code, 1, r.err);
    const report = JSON.parse(r.out) as { findings: Array<{ type: string; path: string; line?: number }> };
    assert.deepEqual(report.findings.map((f) => `${f.type} ${f.path}:${f.line}`), ['known-value src/big.ts:60001']);
  });

  it('works from a subfolder (--repo) and outside any repository', async () => {
    const repo = makeRepo();
    write(repo, { '.env': ENV_TEXT, 'pkg/a.txt': 'a\n' });
    commitAll(repo, { '.gitignore': '.env\n' }, 'init');
    git(repo, 'add', '-f', '.env');
    const sub = await entry(['hook', 'run', 'pre-commit', '--repo', path.join(repo, 'pkg')], tempDir());
    assert.equal(sub.code, 1, sub.err);
    assert.match(sub.err, /STRIPE_SECRET_KEY/);
    const outside = await entry(['hook', 'run', 'pre-commit'], tempDir());
    assert.equal(outside.code, 2);
    assert.match(outside.err, /could not check the staged changes/);
  });
});
