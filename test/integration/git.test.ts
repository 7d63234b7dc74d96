// Git-based findings in a trusted workspace: a repository inside the workspace copy, with a
// committed .env (tracked, its values in history) and an untracked, unignored .env.local.
// Diagnostics carry the commit as related information; quick fixes add the file to .gitignore
// and stop tracking it (after a modal confirmation, answered through the test hooks). Each test
// starts from a tracked .env, so they pass in any order.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { fix, runFix } from './support/codeActions';
import { closeAll, fileUri, git, openEditor, rekeyApi, waitFor, waitForDiagnostic, waitForNoDiagnostic } from './support/rekey';

describe('git checks (trusted)', function () {
  this.timeout(90_000);
  const repo = () => fileUri('repo').fsPath;
  let commit = '';

  before(async () => {
    const api = await rekeyApi();
    await fs.mkdir(repo(), { recursive: true });
    await fs.writeFile(path.join(repo(), '.env'), '# committed by mistake (canary values)\nREPO_SIGNING_SECRET=REKEY_CANARY_7f3a9c1e5b_repo_Q8w2E4r6T8y0U2i4\n');
    await fs.writeFile(path.join(repo(), 'README.md'), 'fixture repository\n');
    await git(repo(), 'init', '--quiet');
    await git(repo(), 'add', '.env', 'README.md');
    await git(repo(), 'commit', '--quiet', '-m', 'add env');
    commit = (await git(repo(), 'rev-parse', 'HEAD')).trim();
    await fs.writeFile(path.join(repo(), '.env.local'), 'LOCAL_TOKEN=REKEY_CANARY_7f3a9c1e5b_local_token\n');
    await api.model.refresh();
  });
  afterEach(closeAll);

  /** Each test starts from a tracked .env, whatever ran before it. */
  beforeEach(async () => {
    if (!/^\.env$/m.test(await git(repo(), 'ls-files'))) {
      await git(repo(), 'add', '-f', '.env');
      // After an untracking that was staged but not committed, adding it back leaves nothing to commit.
      await git(repo(), 'commit', '--quiet', '--allow-empty', '-m', 'track .env');
    }
  });

  it('reports the tracked .env and its committed secret, with the commit as related information', async () => {
    const api = await rekeyApi();
    const env = fileUri('repo', '.env');
    const tracked = await waitForDiagnostic(env, 'env-tracked');
    assert.equal(tracked.severity, vscode.DiagnosticSeverity.Error);
    const leak = await waitForDiagnostic(env, 'leaked-in-history', 1);
    assert.equal(leak.severity, vscode.DiagnosticSeverity.Error);
    assert.match(leak.message, new RegExp(commit.slice(0, 7)));
    const related = leak.relatedInformation ?? [];
    assert.ok(related.length > 0, 'the commit is related information');
    assert.equal(related[0]!.location.uri.scheme, 'git');
    assert.equal(JSON.parse(related[0]!.location.uri.query).ref, commit.slice(0, 12));
    assert.match(related[0]!.message, new RegExp(commit.slice(0, 7)));
    const history = api.model.history();
    assert.equal(history[0]?.status, 'done');
    assert.ok(api.stats().some((t) => t.kind === 'git'), 'a git pass ran');
  });

  it('adds an unignored .env file to .gitignore', async () => {
    const local = fileUri('repo', '.env.local');
    await openEditor(local);
    const d = await waitForDiagnostic(local, 'env-not-ignored');
    assert.equal(await runFix(await fix(local, d, /^Add \.env\.local to \.gitignore/)), true);
    const ignore = await fs.readFile(path.join(repo(), '.gitignore'), 'utf8');
    assert.deepEqual(ignore.split('\n').filter(Boolean), ['.env.local']);
    await waitForNoDiagnostic(local, 'env-not-ignored', 30_000);
    // Still analysed although git now ignores it, also after discovering the workspace again.
    const api = await rekeyApi();
    await api.model.refresh();
    assert.ok(api.model.file(local), 'git-ignored files are discovered and analysed');
  });

  it('stops tracking a .env file only after confirmation', async () => {
    const api = await rekeyApi();
    assert.ok(api.test);
    const env = fileUri('repo', '.env');
    await openEditor(env);
    const d = await waitForDiagnostic(env, 'env-tracked');
    const action = await fix(env, d, /^Stop tracking \.env/);
    api.test.queueAnswers([undefined]);
    assert.equal(await runFix(action), false, 'cancelled');
    assert.match(await git(repo(), 'ls-files'), /^\.env$/m, 'still tracked after cancelling');
    api.test.queueAnswers(['Stop Tracking']);
    assert.equal(await runFix(action), true);
    assert.ok(api.test.questions().some((q) => /Stop tracking \.env\?/.test(q)));
    assert.doesNotMatch(await git(repo(), 'ls-files'), /^\.env$/m, 'no longer in the index');
    await fs.access(path.join(repo(), '.env'));
    await waitForNoDiagnostic(env, 'env-tracked', 30_000);
    // The value is still in history.
    await waitForDiagnostic(env, 'leaked-in-history');
  });

  it('re-checks by itself when the index and HEAD change', async () => {
    const env = fileUri('repo', '.env');
    await waitForDiagnostic(env, 'env-tracked');
    // git on the command line, not through rekey: only the file watchers can tell.
    await git(repo(), 'rm', '--cached', '--quiet', '.env');
    await git(repo(), 'commit', '--quiet', '-m', 'untrack');
    await waitForNoDiagnostic(env, 'env-tracked', 30_000);
    await git(repo(), 'add', '-f', '.env');
    await git(repo(), 'commit', '--quiet', '-m', 'track again');
    await waitFor(() => vscode.languages.getDiagnostics(env).some((x) => x.code === 'env-tracked'), 'env-tracked after the commit', 30_000);
  });
});
