import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { buildHistoryReport, type HistoryReport } from '../../../../src/core/git/historyReport';
import { cleanupRepos, commit, git, makeRepo, tempDir, writeFile } from './gitTestRepo';

/*
 * Exposure check, pushed/unpushed, rotated-since-exposure, all-files search and tracking hygiene,
 * on real repositories. Secret-looking values are built at run time.
 */
const rnd = (n: number) => Array.from({ length: n }, (_, i) => 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789'[(i * 7907 + n * 31 + Date.now()) % 55]).join('');
const TOKEN = ['tok', rnd(24)].join('_');
const OLD_PASSWORD = `old${rnd(18)}`;
const NEW_PASSWORD = `new${rnd(18)}`;

function summary(r: HistoryReport) {
  return r.exposures.map((e) => `${path.basename(e.file)}:${e.key}:${e.current ? 'current' : 'rotated'}:${e.path}:${e.pushed ? 'pushed' : 'unpushed'}`).sort();
}

describe('core/git/historyReport', () => {
  after(cleanupRepos);

  it('finds current and rotated exposures and tells pushed from unpushed commits', async () => {
    const remote = path.join(tempDir(), 'remote.git');
    git(path.dirname(remote), 'init', '-q', '--bare', remote);
    const repo = makeRepo();
    git(repo, 'remote', 'add', 'origin', remote);
    const leak = commit(repo, { '.env': `API_TOKEN=${TOKEN}\nDB_PASSWORD=${OLD_PASSWORD}\n` }, 'leak');
    git(repo, 'push', '-q', 'origin', 'main');
    // A second leak, committed but not pushed: the token also lands in a template.
    const local = commit(repo, { 'config/.env.example': `API_TOKEN=${TOKEN}\n` }, 'unpushed');
    commit(repo, { '.env': null, '.gitignore': '.env\n' }, 'stop tracking');
    writeFile(repo, '.env', `API_TOKEN=${TOKEN}\nDB_PASSWORD=${NEW_PASSWORD}\n`);

    const r = await buildHistoryReport(repo, { trusted: false });
    // The template is still in the work tree too, so its own copy of the token is reported.
    assert.deepEqual(summary(r), ['.env.example:API_TOKEN:current:.env:pushed', '.env:API_TOKEN:current:.env:pushed', '.env:DB_PASSWORD:rotated:.env:pushed']);
    const token = r.exposures.find((e) => e.key === 'API_TOKEN' && path.basename(e.file) === '.env');
    assert.equal(token?.commit, leak, 'the earliest commit holding the value');
    assert.deepEqual(token?.occurrences.map((o) => [o.path, o.commit, o.pushed]), [['.env', leak, true], ['config/.env.example', local, false]]);
    assert.equal(r.partial, false);
    assert.ok(!JSON.stringify(r.envBlobs).includes(TOKEN));
  });

  it('says unpushed when nothing was ever pushed, and for every commit without remote refs', async () => {
    const repo = makeRepo();
    commit(repo, { '.env': `API_TOKEN=${TOKEN}\n` });
    const r = await buildHistoryReport(repo, { trusted: true });
    assert.deepEqual(summary(r), ['.env:API_TOKEN:current:.env:unpushed']);
  });

  it('finds the working files in ignored and untracked folders, not in dependency folders', async () => {
    const repo = makeRepo();
    commit(repo, { '.env': `API_TOKEN=${TOKEN}\n` }, 'leak');
    commit(repo, { '.env': null, '.gitignore': '.env\ndeploy/\nnode_modules/\n', 'src/app.js': 'x\n' }, 'stop tracking');
    writeFile(repo, 'deploy/prod/.env', `API_TOKEN=${TOKEN}\n`);
    writeFile(repo, 'fresh/.env.local', `API_TOKEN=${TOKEN}\n`);
    writeFile(repo, 'node_modules/pkg/.env', `API_TOKEN=${TOKEN}\n`);
    const r = await buildHistoryReport(repo, { trusted: true });
    assert.deepEqual(r.exposures.map((e) => path.relative(repo, e.file).split(path.sep).join('/')).sort(), ['deploy/prod/.env', 'fresh/.env.local']);
  });

  it('searches every committed file with allFiles', async () => {
    const repo = makeRepo();
    const inCode = commit(repo, { 'src/config.js': `export const url = "https://x:${NEW_PASSWORD}@db/app";\n` }, 'hardcoded');
    commit(repo, { 'src/config.js': 'export const url = process.env.DB_URL;\n' }, 'fixed');
    writeFile(repo, '.env', `DB_PASSWORD=${NEW_PASSWORD}\n`);
    const without = await buildHistoryReport(repo, { trusted: false });
    assert.deepEqual(summary(without), []);
    const withAll = await buildHistoryReport(repo, { trusted: false, allFiles: true });
    assert.deepEqual(summary(withAll), ['.env:DB_PASSWORD:current:src/config.js:unpushed']);
    assert.equal(withAll.exposures[0]?.commit, inCode);
    assert.equal(withAll.exposures[0]?.occurrences[0]?.via, 'any-file');
  });

  it('is not thrown off by configuration that changes git output', async () => {
    const repo = makeRepo();
    const leak = commit(repo, { 'config/.env': `API_TOKEN=${TOKEN}\n`, 'src/ü a.js': `const t = "${NEW_PASSWORD}";\n` });
    git(repo, 'mv', 'config/.env', 'config/.env.moved');
    git(repo, 'commit', '-q', '-m', 'rename');
    for (const [k, v] of [['color.ui', 'always'], ['color.diff', 'always'], ['diff.noprefix', 'true'], ['diff.mnemonicPrefix', 'true'], ['diff.renames', 'copies'],
      ['log.follow', 'true'], ['core.quotePath', 'true'], ['format.pretty', 'oneline'], ['log.abbrevCommit', 'true'], ['log.showRoot', 'false'], ['log.decorate', 'full'], ['diff.relative', 'true']]) {
      git(repo, 'config', k as string, v as string);
    }
    writeFile(repo, 'config/.env.moved', `API_TOKEN=${TOKEN}\nDB_PASSWORD=${NEW_PASSWORD}\n`);
    const r = await buildHistoryReport(repo, { trusted: true, allFiles: true });
    assert.deepEqual(r.envBlobs.map((b) => [b.path, b.firstCommit === leak]), [['config/.env', true], ['config/.env.moved', false]]);
    assert.deepEqual(summary(r), ['.env.moved:API_TOKEN:current:config/.env:unpushed', '.env.moved:DB_PASSWORD:current:src/ü a.js:unpushed']);
  });

  it('reports tracked and unignored .env files with their fixes, not templates', async () => {
    const repo = makeRepo();
    commit(repo, { '.gitignore': '.env.local\n.env.ignored-but-tracked\n', '.env': 'A=1\n', '.env.example': 'A=\n', '.env.ignored-but-tracked': 'B=1\n' });
    writeFile(repo, '.env.local', 'L=1\n');
    writeFile(repo, 'services/api/.env.production', 'P=1\n');
    const r = await buildHistoryReport(repo, { trusted: false });
    assert.deepEqual(r.tracking.tracked.map((t) => [t.path, t.ignored, t.fix]), [
      ['.env', false, 'git rm --cached .env and add `.env` to .gitignore'],
      ['.env.ignored-but-tracked', true, 'git rm --cached .env.ignored-but-tracked'],
    ]);
    assert.deepEqual(r.tracking.notIgnored.map((n) => [n.path, n.tracked, n.ignoreLine]), [
      ['.env', true, '.env'],
      ['services/api/.env.production', false, '.env.production'],
    ]);
  });

  it('keeps submodules apart, and reports on them on request', async () => {
    const sub = makeRepo();
    commit(sub, { '.env': `API_TOKEN=${TOKEN}\n` });
    const repo = makeRepo();
    commit(repo, { 'README.md': 'x' });
    git(repo, 'submodule', 'add', '-q', sub, 'vendor/sub');
    git(repo, 'commit', '-q', '-m', 'add submodule');
    writeFile(repo, 'vendor/sub/.env', `API_TOKEN=${TOKEN}\n`);
    const plain = await buildHistoryReport(repo, { trusted: false });
    assert.deepEqual(summary(plain), [], 'the superproject never held the value');
    assert.equal(plain.submodules.length, 0);
    const withSubs = await buildHistoryReport(repo, { trusted: false, submodules: true });
    assert.equal(withSubs.submodules.length, 1);
    assert.equal(withSubs.submodules[0]?.submodulePath, 'vendor/sub');
    // The submodule's clone has its origin's refs: the commit is pushed there.
    const [subReport] = withSubs.submodules;
    assert.ok(subReport);
    assert.deepEqual(summary(subReport), ['.env:API_TOKEN:current:.env:pushed']);
  });
});
