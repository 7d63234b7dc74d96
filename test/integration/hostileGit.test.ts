// The trusted editor's git pass against a repository whose config and .gitattributes point every
// program-starting git setting at a script that leaves a marker: rekey's git checks still work and
// no marker appears. The recording git shim (runs.mjs `gitShim`) shows each git process rekey
// started carried the safety overrides.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { fileUri, git, gitCalls, rekeyApi, waitForDiagnostic } from './support/rekey';

/** git-config(1) settings that start a program, each pointed at its own marker script. */
const VECTORS = [
  'core.fsmonitor', 'core.pager', 'pager.log', 'diff.external', 'diff.evil.textconv', 'diff.evil.command',
  'filter.evil.clean', 'filter.evil.smudge', 'filter.evil.process', 'core.sshCommand', 'credential.helper',
  'core.askPass', 'gpg.program', 'core.alternateRefsCommand', 'core.editor',
];

describe('hostile repository config (trusted editor)', function () {
  this.timeout(90_000);
  const repo = () => fileUri('hostile').fsPath;
  let markers = '';

  before(async () => {
    markers = await fs.mkdtemp(path.join(os.tmpdir(), 'rekey-markers-'));
    const bin = await fs.mkdtemp(path.join(os.tmpdir(), 'rekey-vectors-'));
    await fs.mkdir(repo(), { recursive: true });
    await fs.writeFile(path.join(repo(), '.env'), 'HOSTILE_SIGNING_SECRET=REKEY_CANARY_7f3a9c1e5b_hostile_Z9x7C5v3B1n\n');
    await fs.writeFile(path.join(repo(), '.gitattributes'), '* diff=evil filter=evil\n');
    await git(repo(), 'init', '--quiet');
    await git(repo(), 'add', '.env', '.gitattributes');
    await git(repo(), 'commit', '--quiet', '-m', 'add env');
    for (const key of VECTORS) {
      const script = path.join(bin, key);
      await fs.writeFile(script, `#!/bin/sh\ntouch '${path.join(markers, key)}'\nexit 0\n`, { mode: 0o755 });
      await git(repo(), 'config', key, key === 'credential.helper' ? `!${script}` : script);
    }
    await git(repo(), 'config', 'filter.evil.required', 'true');
    await git(repo(), 'config', 'log.showSignature', 'true');
    const hooks = path.join(bin, 'hooks');
    await fs.mkdir(hooks);
    for (const h of ['pre-commit', 'post-checkout', 'reference-transaction', 'post-index-change']) {
      await fs.writeFile(path.join(hooks, h), `#!/bin/sh\ntouch '${path.join(markers, `hook-${h}`)}'\n`, { mode: 0o755 });
    }
    await git(repo(), 'config', 'core.hooksPath', hooks);
    // The suite's own git commands above ran before any vector was set: nothing fired yet.
    assert.deepEqual(await fs.readdir(markers), []);
  });

  after(async () => {
    // Later suites count the workspace's files and findings: leave it as they expect.
    await fs.rm(repo(), { recursive: true, force: true });
    await (await rekeyApi()).model.refresh();
  });

  it('runs the git checks and starts no program the repository names', async () => {
    const api = await rekeyApi();
    await api.model.refresh();
    await vscode.commands.executeCommand('rekey.scanHistory');
    const env = fileUri('hostile', '.env');
    await waitForDiagnostic(env, 'env-tracked');
    await waitForDiagnostic(env, 'leaked-in-history');
    await api.whenIdle();
    assert.deepEqual(await fs.readdir(markers), [], 'no hostile program ran');

    const ours = (await gitCalls()).filter((c) => !c.suite && c.cwd.startsWith(repo()));
    assert.ok(ours.length > 0, 'rekey ran git in the hostile repository');
    for (const c of ours) {
      const pairs = new Set(c.argv.flatMap((a, i) => (c.argv[i - 1] === '-c' ? [a] : [])));
      // Locating the hooks folder (the hook install offer) reads the configured path; nothing else may.
      const locatesHooks = (c.argv.includes('rev-parse') && c.argv.includes('--git-path')) || (c.argv.includes('config') && c.argv.includes('core.hooksPath'));
      const needed = ['core.fsmonitor=false', 'diff.external=', 'credential.helper=', 'core.askPass=', 'core.sshCommand=', 'log.showSignature=false', ...(locatesHooks ? [] : ['core.hooksPath=/dev/null'])];
      for (const need of needed) {
        assert.ok(pairs.has(need), `git ${c.argv.find((a, i) => !a.startsWith('-') && c.argv[i - 1] !== '-c')} without -c ${need}`);
      }
      assert.ok(c.argv.includes('--no-pager'));
    }
  });
});
