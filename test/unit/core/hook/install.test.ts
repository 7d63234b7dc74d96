import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { CHAINED_SUFFIX, embeddedCliPath, isRekeyHook, renderHookScript } from '../../../../src/core/hook/hookScript';
import { hookStatus, HookInstallError, installHooks, locateHooks, uninstallHooks } from '../../../../src/core/hook/install';
import { cleanup, commitAll, git, gitEnv, makeRepo, tempDir, write } from './hookTestRepo';

const BASE = { version: '9.9.9', cliPath: '/opt/rekey/dist/cli.js', nodePath: '/usr/bin/node', env: gitEnv() };

function mode(file: string): number {
  return statSync(file).mode & 0o777;
}

describe('core/hook/install', () => {
  after(cleanup);

  it('writes both hooks into .git/hooks, executable, and installing again changes nothing', async () => {
    const repo = makeRepo();
    const first = await installHooks(repo, BASE);
    assert.deepEqual(first.actions.map((a) => `${a.hook}:${a.action}`), ['pre-commit:installed', 'pre-push:installed']);
    const file = path.join(repo, '.git', 'hooks', 'pre-commit');
    const text = readFileSync(file, 'utf8');
    assert.ok(isRekeyHook(text));
    assert.ok(text.startsWith('#!/bin/sh\n'));
    assert.equal(embeddedCliPath(text), '/opt/rekey/dist/cli.js');
    assert.equal(mode(file) & 0o111, 0o111);
    const again = await installHooks(repo, BASE);
    assert.deepEqual(again.actions.map((a) => a.action), ['unchanged', 'unchanged']);
    assert.equal(readFileSync(file, 'utf8'), text);
    const moved = await installHooks(repo, { ...BASE, cliPath: "/new place/it's/cli.js", preCommit: true });
    assert.deepEqual(moved.actions.map((a) => `${a.hook}:${a.action}`), ['pre-commit:updated']);
    assert.equal(embeddedCliPath(readFileSync(file, 'utf8')), "/new place/it's/cli.js");
  });

  it('chains an existing hook and restores it byte for byte, mode included, on uninstall', async () => {
    const repo = makeRepo();
    const hooks = path.join(repo, '.git', 'hooks');
    const original = Buffer.from('#!/bin/sh\r\n# mine, with CRLF and no final newline\r\necho "hi ü"\r\nexit 0', 'utf8');
    write(hooks, { 'pre-commit': original });
    const { chmodSync } = await import('node:fs');
    chmodSync(path.join(hooks, 'pre-commit'), 0o751);
    const r = await installHooks(repo, { ...BASE, preCommit: true });
    assert.deepEqual(r.actions.map((a) => a.action), ['chained']);
    assert.deepEqual(readFileSync(path.join(hooks, 'pre-commit' + CHAINED_SUFFIX)), original);
    assert.ok(isRekeyHook(readFileSync(path.join(hooks, 'pre-commit'), 'utf8')));
    assert.deepEqual((await installHooks(repo, { ...BASE, preCommit: true })).actions.map((a) => a.action), ['unchanged'], 'no second chaining');
    const u = await uninstallHooks(repo, { preCommit: true, env: BASE.env });
    assert.deepEqual(u.actions.map((a) => a.action), ['restored']);
    assert.deepEqual(readFileSync(path.join(hooks, 'pre-commit')), original);
    assert.equal(mode(path.join(hooks, 'pre-commit')), 0o751);
    assert.equal(existsSync(path.join(hooks, 'pre-commit' + CHAINED_SUFFIX)), false);
    assert.deepEqual((await uninstallHooks(repo, { preCommit: true, env: BASE.env })).actions.map((a) => a.action), ['not-installed'], 'a foreign hook is left alone');
    assert.deepEqual(readFileSync(path.join(hooks, 'pre-commit')), original);
  });

  it('chains a symbolic link as the link itself', async () => {
    const repo = makeRepo();
    const hooks = path.join(repo, '.git', 'hooks');
    write(repo, { 'tools/hook.sh': '#!/bin/sh\nexit 0\n' });
    symlinkSync('../../tools/hook.sh', path.join(hooks, 'pre-push'));
    await installHooks(repo, { ...BASE, prePush: true });
    await uninstallHooks(repo, { prePush: true, env: BASE.env });
    const { readlinkSync } = await import('node:fs');
    assert.equal(readlinkSync(path.join(hooks, 'pre-push')), '../../tools/hook.sh');
  });

  it('refuses to chain over a leftover chained hook instead of losing one', async () => {
    const repo = makeRepo();
    const hooks = path.join(repo, '.git', 'hooks');
    write(hooks, { 'pre-commit': '#!/bin/sh\necho new\n', ['pre-commit' + CHAINED_SUFFIX]: '#!/bin/sh\necho old\n' });
    await assert.rejects(installHooks(repo, { ...BASE, preCommit: true }), (err: unknown) => err instanceof HookInstallError && /move one of them away/.test(err.message));
    assert.equal(readFileSync(path.join(hooks, 'pre-commit'), 'utf8'), '#!/bin/sh\necho new\n');
  });

  it('uses core.hooksPath, relative or absolute, and a linked worktree shares the main hooks', async () => {
    const repo = makeRepo();
    git(repo, 'config', 'core.hooksPath', 'tools/githooks');
    commitAll(repo, { 'a.txt': 'a\n' });
    const r = await installHooks(path.join(repo), BASE);
    assert.equal(r.location.hooksDir, path.join(repo, 'tools', 'githooks'));
    assert.ok(existsSync(path.join(repo, 'tools', 'githooks', 'pre-commit')));
    assert.equal(existsSync(path.join(repo, '.git', 'hooks', 'pre-commit')), false);
    const abs = tempDir('rekey-hooks-abs-');
    git(repo, 'config', 'core.hooksPath', abs);
    assert.equal((await locateHooks(repo, BASE.env)).hooksDir, abs);

    const main = makeRepo();
    commitAll(main, { 'a.txt': 'a\n' });
    const wt = path.join(tempDir(), 'wt');
    git(main, 'worktree', 'add', '-q', wt);
    const w = await installHooks(wt, BASE);
    assert.equal(w.location.hooksDir, path.join(main, '.git', 'hooks'));
    assert.ok(existsSync(path.join(main, '.git', 'hooks', 'pre-push')));
    const s = await hookStatus(wt, BASE.env);
    assert.equal(s.protectedOnCommit, true);
    assert.equal(s.hooks[0]?.cliExists, false);
  });

  it('installs only pre-push in a bare repository', async () => {
    const bare = tempDir();
    git(bare, 'init', '-q', '--bare');
    await assert.rejects(installHooks(bare, BASE), /bare repository/);
    const r = await installHooks(bare, { ...BASE, prePush: true });
    assert.equal(r.location.hooksDir, path.join(bare, 'hooks'));
    assert.deepEqual(r.actions.map((a) => a.action), ['installed']);
  });

  it('with husky: prints the snippet, writes it with write, and removes exactly it', async () => {
    const repo = makeRepo();
    git(repo, 'config', 'core.hooksPath', '.husky/_');
    write(repo, { '.husky/_/h': '#!/usr/bin/env sh\n', '.husky/pre-commit': 'npx lint-staged\n' });
    const r = await installHooks(repo, BASE);
    assert.deepEqual(r.frameworks.map((f) => f.id), ['husky']);
    assert.deepEqual(r.actions.map((a) => a.action), ['framework-snippet', 'framework-snippet']);
    assert.match(r.snippets[0]?.snippet ?? '', /^rekey hook run pre-commit$/m);
    assert.match(r.snippets[0]?.snippet ?? '', /^rekey hook run pre-push "\$@"$/m);
    assert.equal(existsSync(path.join(repo, '.husky', '_', 'pre-commit')), false, 'husky’s own folder is not touched');
    const w = await installHooks(repo, { ...BASE, write: true });
    assert.deepEqual(w.actions.map((a) => a.action), ['framework-written', 'framework-written']);
    assert.match(readFileSync(path.join(repo, '.husky', 'pre-commit'), 'utf8'), /^npx lint-staged\n# rekey: .*\nrekey hook run pre-commit\n$/);
    assert.equal(mode(path.join(repo, '.husky', 'pre-push')) & 0o111, 0o111);
    assert.deepEqual((await installHooks(repo, { ...BASE, write: true })).actions.map((a) => a.action), ['framework-present', 'framework-present']);
    assert.equal((await hookStatus(repo, BASE.env)).protectedOnCommit, true);
    await uninstallHooks(repo, { write: true, env: BASE.env });
    assert.equal(readFileSync(path.join(repo, '.husky', 'pre-commit'), 'utf8'), 'npx lint-staged\n');
    assert.equal(existsSync(path.join(repo, '.husky', 'pre-push')), false, 'the file rekey created is gone');
  });

  it('with lefthook and the pre-commit framework: valid YAML in, rekey entries out again', async () => {
    const repo = makeRepo();
    write(repo, {
      'lefthook.yml': '# team hooks\npre-commit:\n  commands:\n    lint:\n      run: npm run lint\n',
      '.pre-commit-config.yaml': 'repos:\n  - repo: https://github.com/pre-commit/pre-commit-hooks\n    rev: v4.6.0\n    hooks:\n      - id: trailing-whitespace\n',
    });
    const r = await installHooks(repo, BASE);
    assert.deepEqual(r.frameworks.map((f) => f.id).sort(), ['lefthook', 'pre-commit']);
    for (const s of r.snippets) assert.doesNotThrow(() => parseYaml(s.snippet), s.framework.id);
    await installHooks(repo, { ...BASE, write: true });
    const lh = parseYaml(readFileSync(path.join(repo, 'lefthook.yml'), 'utf8'));
    assert.equal(lh['pre-commit'].commands.lint.run, 'npm run lint');
    assert.equal(lh['pre-commit'].commands.rekey.run, 'npx --no-install rekey hook run pre-commit');
    assert.equal(lh['pre-push'].commands.rekey.use_stdin, true);
    assert.match(readFileSync(path.join(repo, 'lefthook.yml'), 'utf8'), /^# team hooks/);
    const pc = parseYaml(readFileSync(path.join(repo, '.pre-commit-config.yaml'), 'utf8'));
    const local = pc.repos.find((x: { repo: string }) => x.repo === 'local');
    assert.deepEqual(local.hooks.map((h: { id: string; stages: string[]; pass_filenames: boolean }) => [h.id, h.stages[0], h.pass_filenames]), [['rekey', 'pre-commit', false], ['rekey-pre-push', 'pre-push', false]]);
    await uninstallHooks(repo, { write: true, env: BASE.env });
    const lh2 = parseYaml(readFileSync(path.join(repo, 'lefthook.yml'), 'utf8'));
    assert.equal(lh2['pre-commit'].commands.rekey, undefined);
    assert.equal(lh2['pre-commit'].commands.lint.run, 'npm run lint');
    assert.equal(lh2['pre-push'], undefined);
    const pc2 = parseYaml(readFileSync(path.join(repo, '.pre-commit-config.yaml'), 'utf8'));
    assert.deepEqual(pc2.repos.map((x: { repo: string }) => x.repo), ['https://github.com/pre-commit/pre-commit-hooks']);
  });

  it('renders a POSIX sh script that quotes every embedded path', () => {
    const text = renderHookScript({ hook: 'pre-push', version: '1', cliPath: "C:\\Users\\O'Brien\\rekey\\cli.js", nodePath: '/x y/node', nodeIsElectron: true });
    assert.match(text, /^rekey_cli='C:\/Users\/O'\\''Brien\/rekey\/cli\.js'$/m);
    assert.match(text, /^rekey_node='\/x y\/node'$/m);
    assert.match(text, /^rekey_node_electron=1$/m);
    assert.equal(embeddedCliPath(text), "C:/Users/O'Brien/rekey/cli.js");
    assert.ok(!text.includes('\r'));
  });
});
