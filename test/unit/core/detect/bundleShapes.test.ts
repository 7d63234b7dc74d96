import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT } from '../../../helpers/shared';

/*
 * The marketplace packager (and other scanners run on the package) refuse a bundle that holds a
 * token-shaped string. Detection ships prefixes and regex sources only, never sample tokens: the
 * production bundles are built here and searched with patterns written for this test, not taken
 * from rekey's rules.
 */
const SHAPES: Array<[string, RegExp]> = [
  ['Slack token', /xox[abprs]-[0-9]+-[0-9A-Za-z]/],
  ['AWS access key id', /(?:AKIA|ASIA)[0-9A-Z]{16}/],
  ['GitHub token', /gh[pousr]_[A-Za-z0-9]{36}/],
  ['Stripe secret key', /[sr]k_live_[A-Za-z0-9]{24}/],
  ['Slack webhook', /hooks\.slack\.com\/services\/T[A-Z0-9]{6,}\/B[A-Z0-9]{6,}\/[A-Za-z0-9]{20}/],
  ['PEM block with a body', /-----BEGIN [A-Z ]*PRIVATE KEY-----(?:\\n|\n)?[A-Za-z0-9+/]{40}/],
  ['OpenAI key', /sk-[A-Za-z0-9_-]{20,}T3BlbkFJ/],
  ['npm token', /npm_[A-Za-z0-9]{36}/],
];

describe('shipped bundles', function () {
  this.timeout(120_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'rekey-bundle-'));
    execFileSync(process.execPath, ['esbuild.js', '--production'], { cwd: REPO_ROOT, env: { ...process.env, REKEY_OUT_DIR: dir }, stdio: 'pipe' });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  // cli.js and hook.js are loaders of the bundles beside them.
  for (const file of ['extension.js', 'cli.bundle.js', 'hook.bundle.js']) {
    it(`dist/${file} contains no token-shaped string`, () => {
      const text = readFileSync(path.join(dir, file), 'utf8');
      assert.ok(text.length > 10_000, 'bundle was not built');
      for (const [name, re] of SHAPES) {
        const m = re.exec(text);
        assert.equal(m, null, `${name} shape at offset ${m?.index}`);
      }
    });
  }

  it('the shape patterns find what they are meant to find', () => {
    const slack = ['xoxb', '123456789012', '123456789012', 'aBcDeFgHiJkLmNoPqRsTuVwX'].join('-');
    assert.match(slack, SHAPES[0]![1]);
    assert.match(['AKIA', 'Q3EGRJ5QHDZ7M2XA'].join(''), SHAPES[1]![1]);
  });
});
