import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { detectCommentedSecrets } from '../../../../src/core/detect/commentedSecrets';
import { secretRules } from '../../../../src/core/detect/secretRules';
import { parseEnv } from '../../../../src/core/env/parse';
import { ruleInfo } from '../../../../src/core/findings/ruleInfo';
import { scanPaths } from '../../../../src/core/analysis/scan';
import { maskTargets } from '../../../../src/extension/masking/maskRanges';
import { REPO_ROOT } from '../../../helpers/shared';

/** Real-format values from the documented examples (test/fixtures/detect/formats). */
function example(key: string): string {
  const text = readFileSync(path.join(REPO_ROOT, 'test', 'fixtures', 'detect', 'formats', 'realistic.env'), 'utf8');
  const e = parseEnv(text).entries.find((x) => x.key === key);
  assert.ok(e, key);
  return e.value;
}

const STRIPE = example('STRIPE_SECRET_KEY');
const GITHUB = example('GITHUB_TOKEN');

describe('secrets in commented-out assignments', () => {
  it('finds `# KEY=value`, `#export KEY="value"` and `## KEY = value # note`, with exact ranges', () => {
    const text = [`PORT=3000`, `# STRIPE_SECRET_KEY=${STRIPE}`, `#export GITHUB_TOKEN="${GITHUB}"`, `  ## OLD_STRIPE_KEY = ${STRIPE} # rotated`].join('\n');
    const found = detectCommentedSecrets(text);
    assert.deepEqual(found.map((f) => [f.key, f.provider, f.confidence]), [
      ['STRIPE_SECRET_KEY', 'stripe-secret-key', 'high'],
      ['GITHUB_TOKEN', 'github-pat', 'high'],
      ['OLD_STRIPE_KEY', 'stripe-secret-key', 'high'],
    ]);
    const lines = text.split('\n');
    const slice = (r: (typeof found)[number]['valueRange']) => lines[r.start.line]!.slice(r.start.character, r.end.character);
    assert.equal(slice(found[0]!.valueRange), STRIPE);
    assert.equal(slice(found[1]!.valueRange), `"${GITHUB}"`);
    assert.equal(slice(found[2]!.valueRange), STRIPE);
    assert.equal(lines[1]!.slice(found[0]!.keyRange.start.character, found[0]!.keyRange.end.character), 'STRIPE_SECRET_KEY');
  });

  it('ignores prose, placeholders, annotations and empty values', () => {
    const text = [
      '# Set STRIPE_SECRET_KEY in your shell',
      '# STRIPE_SECRET_KEY=sk_live_your_key_here',
      '# rekey: kind=api-token',
      '# API_TOKEN=',
      '# LOG_LEVEL=debug',
      '# DATABASE_URL=postgres://user:password@localhost:5432/app',
      `STRIPE_SECRET_KEY=${STRIPE}`,
    ].join('\n');
    assert.deepEqual(detectCommentedSecrets(text), []);
  });

  it('is masked in the editor, like a live value', () => {
    const text = `A=1\n# STRIPE_SECRET_KEY=${STRIPE}\nB=2\n`;
    const targets = maskTargets(text, {});
    assert.deepEqual(targets.map((t) => [t.key, t.range.start.line]), [['STRIPE_SECRET_KEY', 1]]);
  });

  describe('as a finding', () => {
    let dir: string;
    beforeEach(() => {
      dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'rekey-comment-')));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('reports rule secret-in-comment (warning, security) without the value', async () => {
      writeFileSync(path.join(dir, '.env'), `PORT=3000\n# STRIPE_SECRET_KEY=${STRIPE}\n`);
      const { findings } = await scanPaths([dir], [secretRules], { trusted: false });
      const f = findings.filter((x) => x.rule === 'secret-in-comment');
      assert.equal(f.length, 1);
      assert.equal(f[0]!.severity, 'warning');
      assert.equal(f[0]!.key, 'STRIPE_SECRET_KEY');
      assert.deepEqual(f[0]!.range, { start: { line: 1, character: 2 }, end: { line: 1, character: 19 } });
      assert.equal(ruleInfo('secret-in-comment').security, true);
      assert.ok(!JSON.stringify(findings).includes(STRIPE), 'a finding leaked the value');
    });

    it('respects notSecret in .rekey.json', async () => {
      writeFileSync(path.join(dir, '.env'), `# STRIPE_SECRET_KEY=${STRIPE}\n`);
      writeFileSync(path.join(dir, '.rekey.json'), JSON.stringify({ notSecret: ['STRIPE_SECRET_KEY'] }));
      const { findings } = await scanPaths([dir], [secretRules], { trusted: false });
      assert.deepEqual(findings.filter((x) => x.rule === 'secret-in-comment'), []);
    });
  });
});
