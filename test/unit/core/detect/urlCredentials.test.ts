import * as assert from 'node:assert/strict';
import { judgeValue } from '../../../../src/core/detect/judge';
import { kindForScheme, parseUrlValue } from '../../../../src/core/detect/urlCredentials';
import { canary, randomSecret } from './tokens';

const pw = randomSecret(20);

describe('credentials in URLs', () => {
  it('finds a password in postgres, mysql, mongodb+srv, amqp and https URLs', () => {
    for (const url of [
      `postgres://app:${pw}@db.example.com:5432/app`,
      `postgresql://app:${pw}@db/app?sslmode=require`,
      `mysql://root:${pw}@10.0.0.5:3306/shop`,
      `mongodb+srv://app:${pw}@cluster0.abcd.mongodb.net/app?retryWrites=true`,
      `amqps://app:${pw}@mq.example.com/vhost`,
      `https://deploy:${pw}@git.example.com/org/repo.git`,
      `jdbc:mysql://admin:${pw}@db.example.com:3306/app`,
    ]) {
      const info = parseUrlValue(url);
      assert.equal(info?.credential?.where, 'userinfo', url);
      assert.equal(info?.credential?.placeholder, undefined, url);
      assert.equal(judgeValue('SOME_URL', url).secret, true, url);
    }
  });

  it('parses IPv6 hosts', () => {
    const info = parseUrlValue(`postgres://u:${pw}@[::1]:5432/db`);
    assert.deepEqual(info?.hosts, ['[::1]']);
    assert.equal(info?.loopback, true);
    assert.equal(info?.credential?.where, 'userinfo');
    assert.equal(info?.parsed, true);
  });

  it('splits multi-host URLs that the WHATWG parser rejects', () => {
    const info = parseUrlValue(`mongodb://u:${pw}@h1:27017,h2:27017,h3/db?replicaSet=rs0`);
    assert.deepEqual(info?.hosts, ['h1', 'h2', 'h3']);
    assert.equal(info?.credential?.where, 'userinfo');
    assert.equal(info?.parsed, true);
    assert.equal(judgeValue('MONGODB_URI', `mongodb://u:${pw}@h1,h2/db`).kind, 'connection-url');
  });

  it('finds ?password= query parameters', () => {
    const info = parseUrlValue(`postgres://u@h/db?sslmode=require&password=${pw}`);
    assert.equal(info?.credential?.where, 'query');
    assert.equal(info?.credential?.param, 'password');
    assert.equal(judgeValue('DB_URL', `postgres://u@h/db?password=${pw}`).secret, true);
  });

  it('reads a password with an unencoded @, / or space', () => {
    for (const url of [`postgres://u:ab@${pw}@host/db`, `postgres://u:ab/${pw}@host/db`, `postgres://u:ab ${pw}@host:5434/db`]) {
      assert.equal(parseUrlValue(url)?.credential?.where, 'userinfo', url);
      assert.deepEqual(parseUrlValue(url)?.hosts, ['host'], url);
    }
  });

  it('does not take a port and a query for a password', () => {
    assert.equal(parseUrlValue('https://host:8443/path?email=a@b.example')?.credential, undefined);
  });

  it('reports no credential for URLs without one', () => {
    for (const url of ['https://example.com', 'postgres://localhost:5432/app', 'redis://redis:6379/0', 'https://abc123@o1.ingest.sentry.io/42', 'ftp://anonymous@ftp.example.com/pub']) {
      assert.equal(parseUrlValue(url)?.credential, undefined, url);
      assert.equal(judgeValue('DATABASE_URL', url).secret, false, url);
    }
  });

  it('treats redis://:pass@host as a cache password (low confidence for a short one)', () => {
    const short = judgeValue('REDIS_URL', 'redis://:pass@host');
    assert.equal(short.secret, true);
    assert.equal(short.kind, 'cache-password');
    assert.equal(short.confidence, 'low');
    const long = judgeValue('REDIS_URL', `redis://:${pw}@cache.example.com:6379`);
    assert.equal(long.kind, 'cache-password');
    assert.equal(long.confidence, 'high');
  });

  it('ignores placeholder passwords and development passwords on the local machine', () => {
    for (const url of [
      'postgres://user:password@localhost:5432/app',
      'mysql://user:${PASSWORD}@example.com:3306/db',
      'postgresql://{username}:{password}@{{host}}:5432/{database}',
      'mongodb://YOUR_USERNAME:YOUR_PASSWORD@cluster.example.net/test',
      'https://user:xxxx@demo.example.com',
      'https://user:1111@service.example.com/api',
      'https://user:abc@api.example.com/v1',
      'postgres://$(PGUSER):$(PGPASSWORD)@$(PGHOST)/$(PGDATABASE)',
      'jdbc:mysql://admin:pass@localhost:3306/mydb',
    ]) {
      assert.equal(judgeValue('URL', url).secret, false, url);
    }
  });

  it('treats a token as user name (x-oauth-basic) as a secret', () => {
    const url = `git+https://${randomSecret(40, 'hex')}:x-oauth-basic@github.com/example/example.git`;
    assert.equal(parseUrlValue(url)?.credential?.where, 'username-token');
    assert.equal(judgeValue('', url).secret, true);
  });

  it('maps schemes to kinds', () => {
    assert.equal(kindForScheme('rediss'), 'cache-password');
    assert.equal(kindForScheme('amqp'), 'cache-password');
    assert.equal(kindForScheme('smtps'), 'smtp-password');
    assert.equal(kindForScheme('postgres'), 'connection-url');
  });

  it('never carries the password in what it returns', () => {
    const secret = canary();
    const info = parseUrlValue(`postgres://app:${secret}@db/app`);
    assert.ok(!JSON.stringify(info).includes(secret));
    assert.ok(!JSON.stringify(judgeValue('DATABASE_URL', `postgres://app:${secret}@db/app`)).includes(secret));
  });

  it('survives garbage', () => {
    for (const v of ['://', 'a://@', 'x://:@', 'postgres://%zz:%zz@h/db', 'http://[::1', `scheme://${'@'.repeat(1000)}`]) {
      assert.doesNotThrow(() => parseUrlValue(v));
      assert.doesNotThrow(() => judgeValue('URL', v));
    }
  });
});
