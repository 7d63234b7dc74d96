// action.yml: a composite action whose scan step, run as GitHub runs it (bash, inputs in the
// environment, GITHUB_OUTPUT a file), writes SARIF from the rekey-cli tarball and records
// rekey's exit code for the later steps.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT } from '../helpers/shared';
import { assertNoCanary, cleanup, ENV_TEXT, git, gitEnv, makeRepo, tempDir, write } from '../unit/core/hook/hookTestRepo';
import { ROOT_MANIFEST, cleanEnv, cliTarball, run } from './artifacts';

interface Step { id?: string; if?: string; run?: string; uses?: string; shell?: string; env?: Record<string, string> }
interface Action { runs: { using: string; steps: Step[] }; inputs: Record<string, { default?: string }> }

const action = parse(readFileSync(path.join(REPO_ROOT, 'action.yml'), 'utf8')) as Action;

describe('package/action.yml', function () {
  this.timeout(120_000);
  after(cleanup);

  it('is a composite action pinned to the package version, with no inputs spliced into scripts', () => {
    assert.equal(action.runs.using, 'composite');
    assert.equal(action.inputs.version?.default, ROOT_MANIFEST.version);
    for (const step of action.runs.steps) {
      if (step.run) assert.doesNotMatch(step.run, /\$\{\{/, 'an expression inside run: is a script injection');
    }
    assert.ok(action.runs.steps.some((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@')));
  });

  it('the scan step writes SARIF and records exit code 1 for a tracked .env with secrets', () => {
    const scan = action.runs.steps.find((s) => s.id === 'scan');
    assert.ok(scan?.run);
    const repo = makeRepo('rekey-action-');
    write(repo, { '.env': ENV_TEXT });
    git(repo, 'add', '-f', '.env');
    git(repo, 'commit', '-q', '-m', 'oops');
    const outputs = path.join(tempDir('rekey-action-out-'), 'github_output');
    const env = cleanEnv(gitEnv({
      REKEY_VERSION: cliTarball(), REKEY_PATH: '.', REKEY_FAIL_ON: 'error', REKEY_SARIF: 'rekey.sarif', GITHUB_OUTPUT: outputs,
    }));
    const r = run('bash', ['-e', '-c', scan.run], { cwd: repo, env });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(readFileSync(outputs, 'utf8'), /^exit-code=1$/m);
    const sarifText = readFileSync(path.join(repo, 'rekey.sarif'), 'utf8');
    assertNoCanary(sarifText + r.stdout + r.stderr);
    const sarif = JSON.parse(sarifText) as { version: string; runs: { results: { ruleId: string }[] }[] };
    assert.equal(sarif.version, '2.1.0');
    assert.ok(sarif.runs[0]?.results.some((res) => res.ruleId === 'env-tracked'), JSON.stringify(sarif.runs[0]?.results.map((x) => x.ruleId)));
  });
});
