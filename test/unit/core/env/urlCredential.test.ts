import * as assert from 'node:assert/strict';
import { parseEnv } from '../../../../src/core/env/parse';
import { maskedValueRange, urlCredentialSpan } from '../../../../src/core/env/urlCredential';

const part = (url: string) => {
  const s = urlCredentialSpan(url);
  return s ? url.slice(s.start, s.end) : undefined;
};

describe('core/env/urlCredential', () => {
  it('finds the password of user:password URLs and the token of token@host URLs', () => {
    // Forms from the PostgreSQL, Redis and AMQP connection URI documentation.
    assert.equal(part('postgres://app:s3cr%40t@db:5432/app'), 's3cr%40t');
    assert.equal(part('postgresql://other@localhost/otherdb?connect_timeout=10'), 'other');
    assert.equal(part('redis://:hunter2@cache:6379/0'), 'hunter2');
    assert.equal(part('postgresql://user:p@ss@host1:123,host2:456/somedb'), 'p@ss');
    assert.equal(part('https://ghp_token@github.com/org/repo.git'), 'ghp_token');
    assert.equal(part('amqp://guest:guest@localhost:5672/%2f'), 'guest');
  });
  it('has nothing to say about URLs without credentials or non-URLs', () => {
    assert.equal(part('postgres://db:5432/app'), undefined);
    assert.equal(part('https://example.com/a@b'), undefined);
    assert.equal(part('not a url'), undefined);
    assert.equal(part('postgres://app:@db/app'), undefined);
  });
  it('narrows the masked range to the credential, inside quotes too', () => {
    const text = 'DATABASE_URL="postgres://app:pw123@db:5432/app"\nTOKEN=abc\n';
    const [url, token] = parseEnv(text).entries;
    const line = text.split('\n')[0]!;
    const r = maskedValueRange(url!);
    assert.equal(line.slice(r.start.character, r.end.character), 'pw123');
    assert.deepEqual(maskedValueRange(token!), token!.valueRange);
  });
});
