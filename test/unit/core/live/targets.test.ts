import * as assert from 'node:assert/strict';
import { parseEnv } from '../../../../src/core/env/parse';
import { deriveTargets } from '../../../../src/core/live/targets';

function file(text: string, role: 'env' | 'template' = 'env') {
  return { path: '/ws/.env', role, text, parsed: parseEnv(text) };
}

describe('live/targets', () => {
  it('checks a password key through the URL embedding it, and takes TLS from sslmode', () => {
    const items = deriveTargets([file('POSTGRES_PASSWORD=s3cretValue99\nDATABASE_URL=postgres://app:s3cretValue99@db.internal:6543/app?sslmode=verify-full&connect_timeout=3\n')]);
    const url = items.find((i) => i.key === 'DATABASE_URL');
    const pw = items.find((i) => i.key === 'POSTGRES_PASSWORD');
    assert.equal(pw?.via, 'DATABASE_URL');
    assert.equal(url?.targets[0]?.host, 'db.internal');
    assert.equal(url?.targets[0]?.port, 6543);
    assert.equal(url?.targets[0]?.tls.mode, 'verify-full');
    assert.equal(url?.targets[0]?.timeoutMs, 3000);
    assert.ok(!JSON.stringify(items).includes('s3cretValue99'), 'targets serialise without the password');
    assert.equal(url?.targets[0]?.password, 's3cretValue99');
  });

  it('uses sibling HOST/PORT/USER/DB keys, and says why when there is no host', () => {
    const [pg] = deriveTargets([file('POSTGRES_HOST=127.0.0.1\nPOSTGRES_PORT=5433\nPOSTGRES_USER=app\nPOSTGRES_DB=shop\nPOSTGRES_PASSWORD=pw-1234567890\n')]);
    assert.deepEqual([pg?.service, pg?.targets[0]?.port, pg?.targets[0]?.user, pg?.targets[0]?.database, pg?.targets[0]?.tls.mode], ['postgres', 5433, 'app', 'shop', 'prefer']);
    const [lonely] = deriveTargets([file('REDIS_PASSWORD=pw-1234567890\n')]);
    assert.match(lonely?.skipped ?? '', /set REDIS_HOST/);
  });

  it('a qualified key (ORDERS_DB_PASSWORD) is a database password with its own sibling keys; MONGODB_PASSWORD is not', () => {
    const items = deriveTargets([file('ORDERS_DB_HOST=10.0.0.5\nORDERS_DB_USER=orders\nORDERS_DB_PASSWORD=pw-1234567890\nMONGODB_PASSWORD=pw-0987654321\nBILLING_REDIS_PASS=pw-1122334455\nBILLING_REDIS_HOST=cache\n')]);
    const orders = items.find((i) => i.key === 'ORDERS_DB_PASSWORD');
    assert.deepEqual([orders?.service, orders?.targets[0]?.host, orders?.targets[0]?.user, orders?.targets[0]?.port], ['postgres', '10.0.0.5', 'orders', 5432]);
    assert.equal(items.find((i) => i.key === 'BILLING_REDIS_PASS')?.service, 'redis');
    assert.equal(items.find((i) => i.key === 'MONGODB_PASSWORD'), undefined);
    // Through the URL that embeds it, as for an unqualified key.
    const viaUrl = deriveTargets([file('ORDERS_DB_PASSWORD=pw-1234567890\nORDERS_DATABASE_URL=postgres://orders:pw-1234567890@db:5432/orders\n')]).find((i) => i.key === 'ORDERS_DB_PASSWORD');
    assert.equal(viaUrl?.via, 'ORDERS_DATABASE_URL');
  });

  it('rediss:// and smtps:// mean TLS; redis:// does not; MySQL and AMQP are skipped', () => {
    const items = deriveTargets([file([
      'A_URL=rediss://:pw-1234567890@cache:6380', 'B_URL=redis://:pw-1234567890@cache', 'C_URL=smtps://u:pw-1234567890@mail.example.com',
      'D_URL=mysql://u:pw-1234567890@db/x', 'E_URL=amqp://u:pw-1234567890@mq/', '',
    ].join('\n'))]);
    const by = (k: string) => items.find((i) => i.key === k);
    assert.equal(by('A_URL')?.targets[0]?.tls.mode, 'verify-full');
    assert.equal(by('B_URL')?.targets[0]?.tls.mode, 'off');
    assert.equal(by('C_URL')?.targets[0]?.port, 465);
    assert.equal(by('C_URL')?.targets[0]?.tls.mode, 'verify-full');
    assert.match(by('D_URL')?.skipped ?? '', /no driver for this scheme/);
    assert.match(by('E_URL')?.skipped ?? '', /no driver for this scheme/);
  });

  it('resolves ${VAR} references as dotenv-expand does, and leaves templates out', () => {
    const [u] = deriveTargets([file('PGPASS=pw-1234567890\nDATABASE_URL=postgres://app:${PGPASS}@db/app\n')], ['DATABASE_URL']);
    assert.equal(u?.targets[0]?.password, 'pw-1234567890');
    assert.deepEqual(deriveTargets([file('DATABASE_URL=postgres://app:pw-1234567890@db/app\n', 'template')]), []);
  });
});
