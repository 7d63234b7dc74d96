import * as assert from 'node:assert/strict';
import { parseConnectionUrl } from '../../../../src/core/live/connectionUrl';
import { sanitizeMessage } from '../../../../src/core/live/sanitize';

/*
 * URL fixtures from the PostgreSQL manual (libpq, "Connection URIs", 34.1.1) and the IANA
 * `redis` URI scheme registration (provisional, redis://user:secret@localhost:6379/0?foo=bar&qux=baz).
 */
describe('live/connectionUrl', () => {
  it('reads the libpq manual examples', () => {
    const a = parseConnectionUrl('postgresql://user:secret@localhost');
    assert.deepEqual([a?.scheme, a?.user, a?.password, a?.hosts, a?.path], ['postgresql', 'user', 'secret', [{ host: 'localhost', port: 5432 }], '']);
    const b = parseConnectionUrl('postgresql://other@localhost/otherdb?connect_timeout=10&application_name=myapp');
    assert.equal(b?.user, 'other');
    assert.equal(b?.password, undefined);
    assert.equal(b?.path, 'otherdb');
    assert.equal(b?.params.get('connect_timeout'), '10');
    const c = parseConnectionUrl('postgresql://host1:123,host2:456/somedb?target_session_attrs=any&application_name=myapp');
    assert.deepEqual(c?.hosts, [{ host: 'host1', port: 123 }, { host: 'host2', port: 456 }]);
    const d = parseConnectionUrl('postgresql://[2001:db8::1234]/database');
    assert.deepEqual(d?.hosts, [{ host: '2001:db8::1234', port: 5432 }]);
    const e = parseConnectionUrl('postgresql://localhost:5433');
    assert.deepEqual(e?.hosts, [{ host: 'localhost', port: 5433 }]);
  });

  it('reads the IANA redis example and percent-decodes passwords', () => {
    const r = parseConnectionUrl('redis://user:secret@localhost:6379/0?foo=bar&qux=baz');
    assert.deepEqual([r?.user, r?.password, r?.path, r?.params.get('qux')], ['user', 'secret', '0', 'baz']);
    const p = parseConnectionUrl('redis://:p%40ss%2Fw0rd@cache:6380');
    assert.deepEqual([p?.user, p?.password, p?.hosts[0]?.port], ['', 'p@ss/w0rd', 6380]);
  });

  it('returns undefined for values that are not URLs', () => {
    assert.equal(parseConnectionUrl('just-a-password'), undefined);
  });
});

describe('live/sanitize', () => {
  const canary = 'Canary-9f3e7c1d-Value';
  it('removes the secret in every usual encoding', () => {
    const msg = `failed for postgres://app:${canary}@db/x; encoded ${encodeURIComponent(canary + '/')}; b64 ${Buffer.from(canary).toString('base64')}`;
    const out = sanitizeMessage(msg, [canary, canary + '/']);
    assert.ok(!out.includes(canary), out);
    assert.ok(!out.includes(Buffer.from(canary).toString('base64')), out);
    assert.ok(!out.includes('Canary'), out);
  });

  it('masks URL passwords it was not told about and flattens the message', () => {
    const out = sanitizeMessage('connect redis://default:unknownpw@cache:6379\n  at Socket.stack', []);
    assert.ok(!out.includes('unknownpw'), out);
    assert.ok(!out.includes('\n'));
    assert.match(out, /redis:\/\/default:\*\*\*@cache/);
  });
});
