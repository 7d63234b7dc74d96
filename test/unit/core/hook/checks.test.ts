import * as assert from 'node:assert/strict';
import { mkdirSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { checkPush, checkStaged, parsePushUpdates, pushUpdatesFromEnv } from '../../../../src/core/hook/checks';
import { HookGit } from '../../../../src/core/hook/hookGit';
import type { HookReport } from '../../../../src/core/hook/report';
import { hookReportJson, hookReportText } from '../../../../src/core/hook/reportText';
import { assertNoCanary, CANARY, cleanup, commitAll, ENV_TEXT, git, gitEnv, gitRun, makeRepo, tempDir, write } from './hookTestRepo';

const ZERO = '0'.repeat(40);

/** A repository whose work tree has the canary `.env` (ignored) and one commit. */
function repoWithEnv(): string {
  const repo = makeRepo();
  write(repo, { '.env': ENV_TEXT });
  commitAll(repo, { '.gitignore': '.env\n', 'README.md': '# app\n' }, 'init');
  return repo;
}

async function staged(repo: string, env?: NodeJS.ProcessEnv, blockOnFormat = false): Promise<HookReport> {
  const report = await checkStaged(new HookGit({ cwd: repo, env: env ?? gitEnv() }), { blockOnFormat });
  // Every report, whatever it found, must be value-free in both forms.
  assertNoCanary(hookReportText(report, { verbose: true }));
  assertNoCanary(JSON.stringify(hookReportJson(report)));
  return report;
}

function summary(r: HookReport): string[] {
  return r.findings.map((f) => `${f.severity} ${f.type} ${f.path}:${f.line ?? '-'} ${f.key ?? f.provider ?? f.reason ?? ''}`);
}

describe('core/hook/checks: pre-commit', () => {
  after(cleanup);

  it('blocks a staged .env holding secrets, naming keys, kinds and lines', async () => {
    const repo = repoWithEnv();
    git(repo, 'add', '-f', '.env');
    const r = await staged(repo);
    assert.equal(r.blocked, true);
    assert.deepEqual(summary(r), ['error env-file .env:1 STRIPE_SECRET_KEY', 'error env-file .env:2 DATABASE_URL']);
    assert.equal(r.findings[0]?.role, 'env');
    const text = hookReportText(r);
    assert.match(text, /commit blocked/);
    assert.match(text, /git restore --staged \.env/);
    assert.match(text, /\.gitignore/);
    assert.match(text, /rekey rotate STRIPE_SECRET_KEY/);
    assert.match(text, /git commit --no-verify/);
  });

  it('blocks a staged backup of .env, and a template only when it holds real secrets', async () => {
    const repo = repoWithEnv();
    write(repo, { 'config/.env.bak': ENV_TEXT, '.env.example': 'STRIPE_SECRET_KEY=sk_live_your_key_here\nDATABASE_URL=postgres://user:password@localhost:5432/app\nPORT=3000\n' });
    git(repo, 'add', '-f', 'config/.env.bak', '.env.example');
    let r = await staged(repo);
    assert.deepEqual(summary(r), ['error env-file config/.env.bak:1 STRIPE_SECRET_KEY', 'error env-file config/.env.bak:2 DATABASE_URL']);
    assert.equal(r.findings[0]?.role, 'backup');
    git(repo, 'rm', '-q', '--cached', 'config/.env.bak');
    r = await staged(repo);
    assert.equal(r.blocked, false, 'placeholders in a template are fine');
    assert.deepEqual(r.findings, []);
    write(repo, { '.env.example': `STRIPE_SECRET_KEY=${CANARY.stripe}\n` });
    git(repo, 'add', '.env.example');
    r = await staged(repo);
    assert.equal(r.blocked, true);
    assert.equal(r.findings[0]?.role, 'template');
    assert.match(hookReportText(r), /template: replace its real values with placeholders/);
  });

  it('blocks the exact value of a .env secret copied into any file, with the source key and line', async () => {
    const repo = repoWithEnv();
    write(repo, { 'src/config.ts': `export const x = 1;\nexport const db = "postgres://app:${CANARY.dbPassword}@db.internal:5432/app";\n` });
    git(repo, 'add', 'src/config.ts');
    const r = await staged(repo);
    assert.equal(r.blocked, true);
    assert.deepEqual(summary(r), ['error known-value src/config.ts:2 DATABASE_URL']);
    assert.deepEqual(r.findings[0]?.source, { file: '.env', line: 2 });
    assert.match(hookReportText(r), /src\/config\.ts[\s\S]*line 2: the value of DATABASE_URL from \.env \(line 2\)/);
  });

  it('warns on a token recognised by format only, and blocks it when configured to', async () => {
    const repo = repoWithEnv();
    write(repo, { 'src/gh.ts': `const token = "${CANARY.github}";\n` });
    git(repo, 'add', 'src/gh.ts');
    let r = await staged(repo);
    assert.equal(r.blocked, false);
    assert.deepEqual(summary(r), ['warning token-format src/gh.ts:1 github-pat']);
    assert.match(hookReportText(r), /not blocking/);
    r = await staged(repo, undefined, true);
    assert.equal(r.blocked, true);
    write(repo, { '.rekey.json': JSON.stringify({ hooks: { blockOnFormat: true } }) });
    r = await staged(repo);
    assert.equal(r.blocked, true, '.rekey.json hooks.blockOnFormat');
  });

  it('honours suppressions on the line, on the line above, and in the .env file', async () => {
    const repo = repoWithEnv();
    write(repo, {
      'src/a.ts': [
        `const a = "${CANARY.stripe}"; // rekey-ignore`,
        '// gitleaks:allow',
        `const b = "${CANARY.stripe}";`,
        `const c = "${CANARY.github}"; // pragma: allowlist secret`,
        '',
      ].join('\n'),
      '.env.test': `# rekey-ignore: test fixture\nSTRIPE_SECRET_KEY=${CANARY.stripe}\n`,
    });
    git(repo, 'add', '-f', 'src/a.ts', '.env.test');
    const r = await staged(repo);
    assert.deepEqual(summary(r), []);
    assert.equal(r.blocked, false);
    // Without the markers the same content is stopped: the test can fail.
    write(repo, { 'src/a.ts': `const b = "${CANARY.stripe}";\n` });
    git(repo, 'add', 'src/a.ts');
    assert.equal((await staged(repo)).blocked, true);
  });

  it('lets deletions through, and checks a rename under its new name only', async () => {
    const repo = repoWithEnv();
    commitAll(repo, { 'old/.env.production': ENV_TEXT, 'notes/secret.txt': `x ${CANARY.stripe}\n` }, 'leak');
    git(repo, 'rm', '-q', '--cached', 'old/.env.production');
    let r = await staged(repo);
    assert.equal(r.blocked, false, 'deleting a committed .env is the fix, not a problem');
    git(repo, 'commit', '-q', '--no-verify', '-m', 'remove');
    // A pure rename adds no line: the value was committed before, under the old name.
    git(repo, 'mv', 'notes/secret.txt', 'notes/moved.txt');
    r = await staged(repo);
    assert.deepEqual(summary(r), []);
    git(repo, 'commit', '-q', '--no-verify', '-m', 'move');
    // Renamed into the .env family: checked as an env file under its new path.
    mkdirSync(path.join(repo, 'app'));
    git(repo, 'mv', 'README.md', 'app/.env.local');
    write(repo, { 'app/.env.local': ENV_TEXT });
    git(repo, 'add', '-f', 'app/.env.local');
    r = await staged(repo);
    assert.deepEqual(summary(r).slice(0, 1), ['error env-file app/.env.local:1 STRIPE_SECRET_KEY']);
  });

  it('reads the index, not the work tree, for partially staged files', async () => {
    const repo = repoWithEnv();
    commitAll(repo, { 'src/c.ts': 'a\n' });
    write(repo, { 'src/c.ts': 'a\nb\n' });
    git(repo, 'add', 'src/c.ts');
    write(repo, { 'src/c.ts': `a\nb\nconst k = "${CANARY.stripe}";\n` });
    assert.equal((await staged(repo)).blocked, false, 'the secret is only in the work tree');
    git(repo, 'add', 'src/c.ts');
    write(repo, { 'src/c.ts': 'a\nb\n' });
    const r = await staged(repo);
    assert.equal(r.blocked, true, 'the secret is in the index even though the work tree no longer has it');
    assert.deepEqual(summary(r), ['error known-value src/c.ts:3 STRIPE_SECRET_KEY']);
  });

  it('judges a staged .env by its staged content when the work-tree copy differs either way', async () => {
    const repo = repoWithEnv();
    const clean = 'PORT=3000\nLOG_LEVEL=debug\n';
    // Staged with secrets, then cleaned in the work tree: the commit still carries the secrets.
    write(repo, { 'app/.env.local': ENV_TEXT });
    git(repo, 'add', '-f', 'app/.env.local');
    write(repo, { 'app/.env.local': clean });
    let r = await staged(repo);
    assert.equal(r.blocked, true);
    assert.deepEqual(summary(r), ['error env-file app/.env.local:1 STRIPE_SECRET_KEY', 'error env-file app/.env.local:2 DATABASE_URL']);
    // Staged clean, then secrets written to the work tree only: nothing secret is committed.
    write(repo, { 'app/.env.local': clean });
    git(repo, 'add', '-f', 'app/.env.local');
    write(repo, { 'app/.env.local': `${ENV_TEXT}EXTRA_TOKEN=${CANARY.stripe}x\n` });
    r = await staged(repo);
    assert.equal(r.blocked, false);
    assert.deepEqual(r.findings, []);
  });

  it('judges a staged .env the same with or without a work tree copy to read', async () => {
    const repo = repoWithEnv();
    write(repo, { 'svc/.env.production': ENV_TEXT });
    git(repo, 'add', '-f', 'svc/.env.production');
    const same = summary(await staged(repo));
    rmSync(path.join(repo, 'svc', '.env.production'));
    assert.deepEqual(summary(await staged(repo)), same);
    assert.deepEqual(same, ['error env-file svc/.env.production:1 STRIPE_SECRET_KEY', 'error env-file svc/.env.production:2 DATABASE_URL']);
  });

  it("checks the hook's own index (GIT_INDEX_FILE), as git commit -a and git commit <path> use", async () => {
    const repo = repoWithEnv();
    commitAll(repo, { 'src/d.ts': 'a\n' });
    write(repo, { 'src/d.ts': `const k = "${CANARY.stripe}";\n` });
    const index = path.join(tempDir(), 'next-index');
    const env = gitEnv({ GIT_INDEX_FILE: index });
    assert.equal(gitRun(repo, ['read-tree', 'HEAD'], { env }).status, 0);
    assert.equal(gitRun(repo, ['add', 'src/d.ts'], { env }).status, 0);
    assert.equal((await staged(repo)).blocked, false, 'the real index has nothing staged');
    const r = await staged(repo, env);
    assert.deepEqual(summary(r), ['error known-value src/d.ts:1 STRIPE_SECRET_KEY']);
  });

  it('checks staged .env files with binary bytes or in UTF-16 as dotenv would read them', async () => {
    const repo = repoWithEnv();
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(ENV_TEXT, 'utf16le')]);
    write(repo, { 'config/.env.production': Buffer.concat([Buffer.from('GIF89a\0\n'), Buffer.from(ENV_TEXT)]), 'win/.env': utf16 });
    git(repo, 'add', '-f', 'config/.env.production', 'win/.env');
    const r = await staged(repo);
    assert.equal(r.blocked, true);
    assert.deepEqual(summary(r).sort(), [
      'error env-file config/.env.production:2 STRIPE_SECRET_KEY', 'error env-file config/.env.production:3 DATABASE_URL',
      'error env-file win/.env:1 STRIPE_SECRET_KEY', 'error env-file win/.env:2 DATABASE_URL',
    ].sort());
  });

  it('handles the first commit of a repository (no HEAD yet)', async () => {
    const repo = makeRepo();
    write(repo, { '.env': ENV_TEXT, 'a.txt': 'hello\n' });
    git(repo, 'add', 'a.txt');
    assert.deepEqual((await staged(repo)).findings, []);
    git(repo, 'add', '.env');
    const r = await staged(repo);
    assert.equal(r.blocked, true);
    assert.equal(r.files, 2);
  });

  it('searches binary files for known values, and only reports a value the new version adds', async () => {
    const repo = repoWithEnv();
    const blob = (s: string) => Buffer.concat([Buffer.from([0, 1, 2, 10]), Buffer.from(s), Buffer.from([0])]);
    write(repo, { 'assets/a.bin': blob('nothing here') });
    git(repo, 'add', 'assets/a.bin');
    assert.deepEqual((await staged(repo)).findings, []);
    write(repo, { 'assets/a.bin': blob(`key=${CANARY.stripe}`) });
    git(repo, 'add', 'assets/a.bin');
    let r = await staged(repo);
    assert.deepEqual(summary(r), ['error known-value assets/a.bin:2 STRIPE_SECRET_KEY']);
    git(repo, 'commit', '-q', '--no-verify', '-m', 'bin');
    write(repo, { 'assets/a.bin': Buffer.concat([blob(`key=${CANARY.stripe}`), Buffer.from('more')]) });
    git(repo, 'add', 'assets/a.bin');
    r = await staged(repo);
    assert.deepEqual(r.findings, [], 'already in the committed version');
  });

  it('ignores short values and says nothing for clean commits of many files', async () => {
    const repo = makeRepo();
    write(repo, { '.env': 'API_TOKEN=Ab1!x\nSECRET_KEY=q8Zr7Tn2Wv5Yk3Hs6Lp9\n' });
    commitAll(repo, { '.gitignore': '.env\n' });
    const files: Record<string, string> = {};
    for (let i = 0; i < 50; i++) files[`src/f${i}.ts`] = `export const v${i} = "Ab1!x";\n`;
    write(repo, files);
    git(repo, 'add', 'src');
    const r = await staged(repo);
    assert.deepEqual(r.findings, []);
    assert.equal(r.files, 50);
    assert.equal(r.knownSecrets, 1, 'the 5-character value is not searched');
  });
});

describe('core/hook/checks: pre-push', () => {
  after(cleanup);

  function pushRepo(): { repo: string; remote: string; base: string } {
    const remote = tempDir('rekey-hook-remote-');
    git(remote, 'init', '-q', '--bare');
    const repo = repoWithEnv();
    git(repo, 'remote', 'add', 'origin', remote);
    git(repo, 'push', '-q', 'origin', 'main');
    return { repo, remote, base: git(repo, 'rev-parse', 'HEAD') };
  }

  async function push(repo: string, lines: string, remote = 'origin'): Promise<HookReport> {
    const { updates } = parsePushUpdates(lines);
    const r = await checkPush(new HookGit({ cwd: repo, env: gitEnv() }), updates, { remote });
    assertNoCanary(hookReportText(r, { remote }));
    assertNoCanary(JSON.stringify(hookReportJson(r)));
    return r;
  }

  it('parses what git writes on stdin and the pre-commit framework variables', () => {
    const a = 'a'.repeat(40);
    const { updates, invalid } = parsePushUpdates(`refs/heads/x ${a} refs/heads/x ${ZERO}\n\nbad line\n`);
    assert.equal(updates.length, 1);
    assert.equal(invalid, 1);
    const env = pushUpdatesFromEnv({ PRE_COMMIT_TO_REF: a, PRE_COMMIT_FROM_REF: 'b'.repeat(40), PRE_COMMIT_REMOTE_NAME: 'origin' });
    assert.equal(env.remote, 'origin');
    assert.equal(env.updates[0]?.remoteSha, 'b'.repeat(40));
    assert.deepEqual(pushUpdatesFromEnv({}).updates, []);
  });

  it('blocks a new branch whose commits add a .env, naming the commit, and ignores commits the remote has', async () => {
    const { repo, base } = pushRepo();
    git(repo, 'checkout', '-q', '-b', 'feature');
    const clean = commitAll(repo, { 'a.txt': 'a\n' });
    const leak = commitAll(repo, { '.env': ENV_TEXT }, 'oops');
    commitAll(repo, { 'b.txt': 'b\n' });
    const tip = git(repo, 'rev-parse', 'HEAD');
    const r = await push(repo, `refs/heads/feature ${tip} refs/heads/feature ${ZERO}\n`);
    assert.equal(r.blocked, true);
    assert.equal(r.commits, 3, 'only the three new commits, not the one already on origin');
    assert.deepEqual(summary(r), ['error env-file .env:1 STRIPE_SECRET_KEY', 'error env-file .env:2 DATABASE_URL']);
    assert.equal(r.findings[0]?.commit, leak);
    assert.notEqual(r.findings[0]?.commit, clean);
    const text = hookReportText(r, { remote: 'origin' });
    assert.match(text, /push blocked: 2 secrets in commits not yet on origin/);
    assert.match(text, /git rm --cached \.env/);
    assert.match(text, new RegExp(`git rebase -i ${leak.slice(0, 10)}~1`));
    assert.match(text, /git push --no-verify/);
    assert.notEqual(base, tip);
  });

  it('checks an outgoing merge against its first parent: a secret the resolution adds blocks the push', async () => {
    const { repo, base } = pushRepo();
    git(repo, 'checkout', '-q', '-b', 'side');
    commitAll(repo, { 'side.txt': 'side\n' });
    git(repo, 'checkout', '-q', 'main');
    commitAll(repo, { 'main.txt': 'main\n' });
    // A merge whose own tree (not either parent) adds the file: `git log -p` shows it no diff.
    git(repo, 'merge', '-q', '--no-commit', '--no-ff', 'side');
    write(repo, { 'config/.env.production': ENV_TEXT });
    git(repo, 'add', '-f', 'config/.env.production');
    git(repo, 'commit', '-q', '--no-verify', '-m', 'merge side');
    const tip = git(repo, 'rev-parse', 'HEAD');
    const r = await push(repo, `refs/heads/main ${tip} refs/heads/main ${base}\n`);
    assert.equal(r.blocked, true, 'the merge adds a .env with secrets');
    assert.deepEqual(summary(r), ['error env-file config/.env.production:1 STRIPE_SECRET_KEY', 'error env-file config/.env.production:2 DATABASE_URL']);
    assert.equal(r.findings[0]?.commit, tip);
  });

  it('reports a known value added to code in an outgoing commit once, at the commit that added it', async () => {
    const { repo, base } = pushRepo();
    const first = commitAll(repo, { 'src/x.ts': `const k = "${CANARY.stripe}";\n` });
    commitAll(repo, { 'src/x.ts': `const k = "${CANARY.stripe}";\nconst k2 = "${CANARY.stripe}";\n` });
    const tip = git(repo, 'rev-parse', 'HEAD');
    const r = await push(repo, `refs/heads/main ${tip} refs/heads/main ${base}\n`);
    assert.deepEqual(summary(r), ['error known-value src/x.ts:1 STRIPE_SECRET_KEY']);
    assert.equal(r.findings[0]?.commit, first);
    assert.equal(r.findings[0]?.more, 1);
  });

  it('lets branch deletions and pushes of nothing new through', async () => {
    const { repo, base } = pushRepo();
    let r = await push(repo, `(delete) ${ZERO} refs/heads/old ${base}\n`);
    assert.equal(r.blocked, false);
    assert.equal(r.commits, 0);
    r = await push(repo, `refs/heads/main ${base} refs/heads/main ${base}\n`);
    assert.equal(r.blocked, false);
    assert.equal(r.commits, 0);
    r = await push(repo, '');
    assert.equal(r.commits, 0);
  });

  it('copes with a remote tip this repository never fetched', async () => {
    const { repo } = pushRepo();
    commitAll(repo, { '.env.prod': ENV_TEXT });
    const tip = git(repo, 'rev-parse', 'HEAD');
    const r = await push(repo, `refs/heads/main ${tip} refs/heads/main ${'e'.repeat(40)}\n`);
    assert.equal(r.blocked, true);
    assert.equal(r.commits, 1);
  });
});
