import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { assertLabelKinds, ratio, scoreLabelledCorpus, scoreSecretlint } from '../../../helpers/detectCorpus';
import { sharedDir } from '../../../helpers/shared';

/*
 * The measured goals of the detection issue, on the labelled corpus in test/fixtures/detect
 * (see its README): provider-format recall ≥ 0.98, overall recall ≥ 0.95, false-positive rate
 * ≤ 0.02 on non-secret entries. `npm run bench:detect` prints the same figures with details.
 */
describe('detection quality on the labelled corpus', () => {
  const { folders, total } = scoreLabelledCorpus();

  it('has a corpus of the expected size with valid labels', () => {
    assertLabelKinds();
    assert.ok(folders.length >= 6, `${folders.length} folders`);
    assert.ok(total.secrets >= 150, `${total.secrets} secrets`);
    assert.ok(total.providerSecrets >= 60, `${total.providerSecrets} provider-format secrets`);
    assert.ok(total.nonSecrets >= 300, `${total.nonSecrets} non-secrets`);
  });

  it('finds at least 98% of provider-format secrets', () => {
    assert.ok(ratio(total.providerFound, total.providerSecrets) >= 0.98, `missed: ${total.misses.join(', ')}`);
  });

  it('finds at least 95% of all secrets', () => {
    assert.ok(ratio(total.found, total.secrets) >= 0.95, `missed: ${total.misses.join(', ')}`);
  });

  it('reports at most 2% of non-secret entries', () => {
    assert.ok(ratio(total.falsePositives, total.nonSecrets) <= 0.02, `false positives: ${total.falsePositiveKeys.join(', ')}`);
  });

  it('infers the labelled kind for at least 95% of found secrets', () => {
    assert.ok(ratio(total.kindCorrect, total.kindLabelled) >= 0.95, total.kindMismatches.join('\n'));
  });
});

describe("detection on secretlint's public test cases", () => {
  const result = scoreSecretlint(path.join(sharedDir(), 'corpus', 'detect', 'secretlint'));

  it('finds at least 98% of the lines its ng cases expect', () => {
    assert.ok(result.score.secrets >= 100);
    // The one deliberate miss: an AWS account id (0000-0000-0000), an identifier, not a credential.
    assert.ok(ratio(result.score.found, result.score.secrets) >= 0.98, `missed: ${result.score.misses.join(', ')}`);
  });

  it('finds nothing in its ok cases', () => {
    assert.deepEqual(result.failedOk, []);
  });

  it('skips only cases that cannot apply to value detection', () => {
    for (const s of result.skipped) assert.match(s.reason, /no-dotenv|PKCS#12|secretlintrc/);
  });
});
