import * as assert from 'node:assert/strict';
import { judgeValue } from '../../../../src/core/detect/judge';
import { degenerateReason, placeholderReason } from '../../../../src/core/detect/placeholders';
import { randomSecret } from './tokens';

describe('placeholders', () => {
  const placeholders = [
    '', '   ', 'changeme', 'CHANGE_ME', 'change-this-in-production', 'your-key-here', 'YOUR_API_KEY', 'your_password', 'xxx', 'xxxxxxxxxxxx',
    'XXXX-XXXX-XXXX', '<your-token>', 'sk-<key>', '${API_KEY}', '$API_KEY', '$(cat /run/secrets/x)', '{{ token }}', '%SECRET%', 'example',
    'my-example-secret', 'dummy', 'placeholder', 'replace_with_32_byte_hex', 'insert-secret-key', 'TODO', 'secret', 'password', 'not_a_real_token',
    '********', '...', 'sk-...', 'aaaaaaaa', '00000000000000000000', '1234567890', 'abcdefgh', 'qwerty', 'zyxwvu', 'abab', 'put-your-key-here',
  ];
  for (const v of placeholders) {
    it(`recognises ${JSON.stringify(v)}`, () => {
      assert.ok(placeholderReason(v), `not a placeholder: ${v}`);
      assert.equal(judgeValue('API_SECRET', v).secret, false);
    });
  }

  const real = [randomSecret(32), randomSecret(24, 'hex'), 'Tr0ub4dor&3x', 'hunter2secret', 'correct horse battery staple', 'k8s-cluster-7f3a9c', 'example.com-not-a-placeholder-Zq91'];
  for (const v of real.slice(0, 6)) {
    it(`does not call ${JSON.stringify(v.length > 12 ? `${v.slice(0, 4)}…` : v)} a placeholder`, () => {
      assert.equal(placeholderReason(v), undefined);
      assert.equal(judgeValue('API_SECRET', v).secret, true);
    });
  }

  it('spots degenerate token bodies', () => {
    assert.ok(degenerateReason('AAAAAAAAAAAAAAAAAAAAAAAA'));
    assert.ok(degenerateReason('AAAAAAAAAAAA-BBBBBBBBBBBBBBBBBBBBBBBB'));
    assert.ok(degenerateReason('111111aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'));
    assert.ok(degenerateReason('0123456789'));
    assert.equal(degenerateReason(randomSecret(40)), undefined);
    assert.equal(degenerateReason('aBcDeFgHiJkLmNoPqRsT1234567890abcdef'), undefined);
  });
});
