// An untrusted workspace: parsing, detection, masking and backup comparison work; git and every
// other program are off, with one explanation. A committed .env in a repository inside the
// workspace must not produce any git finding.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { assertNothingLeaked, exerciseEveryFeature } from '../support/neverLeak';
import { closeAll, fileUri, git, gitCalls, lineOf, openEditor, rekeyApi, rekeyDiagnostics, codeOf, waitFor, waitForDiagnostic } from '../support/rekey';

const GIT_RULES = ['leaked-in-history', 'env-tracked', 'env-not-ignored', 'backup-tracked', 'backup-not-ignored'];

describe('untrusted workspace', function () {
  this.timeout(90_000);
  afterEach(closeAll);

  it('is untrusted', () => {
    assert.equal(vscode.workspace.isTrusted, false);
  });

  it('still parses, detects and compares backups', async () => {
    const api = await rekeyApi();
    const env = fileUri('.env');
    await waitForDiagnostic(env, 'secret');
    await waitForDiagnostic(env, 'changed-since-backup');
    await waitForDiagnostic(fileUri('.env.backup'), 'backup-permissions');
    assert.ok(api.model.file(env)?.secrets.some((s) => s.key === 'API_TOKEN'));
  });

  it('explains once why git checks are off, and says so in the history state', async () => {
    const api = await rekeyApi();
    const history = api.model.history();
    assert.ok(history.length > 0);
    for (const h of history) {
      assert.equal(h.status, 'untrusted');
      assert.match(h.detail ?? '', /not trusted/);
    }
    await api.model.refresh();
    const explanations = await waitFor(() => {
      const n = api.notifications().filter((t) => /not trusted/.test(t));
      return n.length > 0 ? n : undefined;
    }, 'the explanation');
    assert.equal(explanations.length, 1, 'shown once, however often rekey looks');
  });

  it('runs no git, even for a committed .env', async () => {
    const api = await rekeyApi();
    const repo = fileUri('repo').fsPath;
    await fs.mkdir(repo, { recursive: true });
    await fs.writeFile(path.join(repo, '.env'), 'REPO_SIGNING_SECRET=REKEY_CANARY_7f3a9c1e5b_repo_Q8w2E4r6T8y0U2i4\n');
    await git(repo, 'init', '--quiet');
    await git(repo, 'add', '.env');
    await git(repo, 'commit', '--quiet', '-m', 'add env');
    await api.model.refresh();
    const env = fileUri('repo', '.env');
    await waitForDiagnostic(env, 'secret');
    await api.whenIdle();
    const codes = rekeyDiagnostics(env).map(codeOf);
    for (const rule of GIT_RULES) assert.ok(!codes.includes(rule), `${rule} needs git and must not appear`);
    assert.ok(!api.stats().some((t) => t.kind === 'git'), 'no git pass ran');
    assert.ok(!api.logLines().some((l) => /git checks \(/.test(l)), 'the log shows no git pass');
  });

  it('refuses to stop tracking (git) but fixes permissions (no program)', async () => {
    const api = await rekeyApi();
    const env = fileUri('repo', '.env');
    await vscode.commands.executeCommand('rekey.untrackFile', { uri: env.toString() });
    assert.match(await git(fileUri('repo').fsPath, 'ls-files'), /^\.env$/m, 'still tracked');
    assert.ok(api.logLines().some((l) => /untrusted workspace/.test(l)));
    const backup = fileUri('.env.backup');
    await vscode.commands.executeCommand('rekey.fixBackupPermissions', { uri: backup.toString() });
    assert.equal((await fs.stat(backup.fsPath)).mode & 0o777, 0o600);
  });

  it('masks values', async () => {
    const api = await rekeyApi();
    const env = fileUri('.env');
    const editor = await openEditor(env);
    const lines = await waitFor(() => {
      const l = api.masking.maskedRanges(env).map((r) => r.start.line);
      return l.length ? l : undefined;
    }, 'masks');
    assert.ok(lines.includes(lineOf(editor.document, 'API_TOKEN')));
  });

  it('leaks nothing', async () => {
    const api = await rekeyApi();
    await assertNothingLeaked(api, await exerciseEveryFeature(api));
  });

  it('started no git process at all: a shim on PATH recorded only the suite\'s own', async () => {
    const api = await rekeyApi();
    // Everything that could reach git once more: a refresh, a history scan, the untrack command.
    await api.model.refresh();
    await vscode.commands.executeCommand('rekey.scanHistory').then(undefined, () => undefined);
    await vscode.commands.executeCommand('rekey.untrackFile', { uri: fileUri('repo', '.env').toString() }).then(undefined, () => undefined);
    await api.whenIdle();
    const calls = await gitCalls();
    assert.ok(calls.some((c) => c.suite), 'control: the shim sees the git processes this host starts');
    const rekeys = calls.filter((c) => !c.suite);
    assert.deepEqual(rekeys.map((c) => c.argv.filter((a) => !a.startsWith('-')).slice(0, 2).join(' ')), [], 'no git started by rekey in an untrusted workspace');
  });
});
