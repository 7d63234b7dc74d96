import * as assert from 'node:assert/strict';
import { promises as fs, realpathSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { silentLogger } from '../../../../src/core/log';
import { PassScheduler } from '../../../../src/core/schedule/passScheduler';
import { RepositoryWatcher, type PathWatcher } from '../../../../src/extension/model/repositoryWatcher';
import { makeGit } from '../../../helpers/git';

const git = makeGit();

/** Watchers that record what they watch and let the test fire their events. */
function fakeWatchers() {
  const watched: string[] = [];
  const listeners: Array<{ base: string; glob: string; fire: (fsPath: string) => void }> = [];
  let disposed = 0;
  const createWatcher = (base: string, glob: string): PathWatcher => {
    watched.push(`${base}|${glob}`);
    const subs: Array<(u: { fsPath: string }) => unknown> = [];
    const on = (l: (u: { fsPath: string }) => unknown) => (subs.push(l), { dispose: () => void disposed++ });
    listeners.push({ base, glob, fire: (fsPath) => subs.forEach((l) => l({ fsPath })) });
    return { onDidChange: on, onDidCreate: on, onDidDelete: on, dispose: () => void disposed++ };
  };
  const fire = (fsPath: string) => listeners.filter((l) => fsPath.startsWith(l.base + path.sep)).forEach((l) => l.fire(fsPath));
  return { watched, createWatcher, fire, disposed: () => disposed };
}

describe('extension/model/repositoryWatcher', () => {
  let dir: string;
  let main: string;
  let linked: string;

  before(async () => {
    dir = realpathSync(await fs.mkdtemp(path.join(os.tmpdir(), 'rekey-repowatch-')));
    main = path.join(dir, 'main');
    linked = path.join(dir, 'linked');
    await fs.mkdir(main);
    git(main, 'init', '-q');
    await fs.writeFile(path.join(main, 'README'), 'x\n');
    git(main, 'add', 'README');
    git(main, 'commit', '-qm', 'first');
    git(main, 'worktree', 'add', '-q', '-b', 'feature', linked);
  });
  after(() => fs.rm(dir, { recursive: true, force: true }));

  function watcher(onChanged: (root: string) => void) {
    const fakes = fakeWatchers();
    const scheduler = new PassScheduler();
    const w = new RepositoryWatcher({ createWatcher: fakes.createWatcher, scheduler, onRepositoryChanged: onChanged, logger: silentLogger, debounceMs: 0 });
    return { w, scheduler, ...fakes };
  }

  it('in a linked worktree (.git is a file), watches its own git dir and the shared refs', async () => {
    assert.ok((await fs.stat(path.join(linked, '.git'))).isFile());
    const { w, watched } = watcher(() => undefined);
    w.watch([linked]);
    w.watch([linked]);
    const common = path.join(main, '.git');
    assert.deepEqual(watched, [`${path.join(common, 'worktrees', 'linked')}|*`, `${common}|refs/**`, `${common}|packed-refs`]);
  });

  it('checks again only when HEAD, the index or refs really moved', async () => {
    const changed: string[] = [];
    const { w, scheduler, fire } = watcher((root) => changed.push(root));
    w.watch([linked]);
    await w.noteState(linked);
    const gitDir = path.join(main, '.git', 'worktrees', 'linked');

    fire(path.join(gitDir, 'HEAD'));
    fire(path.join(gitDir, 'ORIG_HEAD.lock'));
    await scheduler.whenIdle();
    assert.deepEqual(changed, [], 'an event with nothing changed (rekey\'s own git commands) starts nothing');

    await fs.writeFile(path.join(linked, 'more'), 'y\n');
    git(linked, 'add', 'more');
    git(linked, 'commit', '-qm', 'second');
    fire(path.join(gitDir, 'HEAD'));
    await scheduler.whenIdle();
    assert.deepEqual(changed, [linked], 'a commit in the worktree moved its branch');

    await w.noteState(linked);
    fire(path.join(main, '.git', 'refs', 'tags', 'v1'));
    await scheduler.whenIdle();
    assert.deepEqual(changed, [linked, linked], 'a ref event always counts (a push, a fetched tag)');
  });

  it('a folder that is not in a repository is not watched; dispose ends every watcher', () => {
    const { w, watched, disposed } = watcher(() => undefined);
    w.watch([dir]);
    assert.deepEqual(watched, []);
    w.watch([main]);
    assert.equal(w.isWatching(main), true);
    w.dispose();
    assert.equal(disposed(), 2 * 4, 'two watchers (a main worktree has one git dir), each with three listeners');
  });
});
