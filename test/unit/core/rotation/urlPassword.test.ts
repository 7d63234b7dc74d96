import { strict as assert } from 'node:assert';
import { encodeUrlPassword, findUrlPassword, replaceUrlPassword } from '../../../../src/core/rotation/urlPassword';

describe('rotation/urlPassword', () => {
  it('finds the password of common connection URLs', () => {
    const u = 'postgres://shop:s3cr3t@postgres:5432/shop?sslmode=require';
    const p = findUrlPassword(u)!;
    assert.equal(u.slice(p.start, p.end), 's3cr3t');
    assert.equal(p.scheme, 'postgres');
    assert.equal(findUrlPassword('redis://:r3d1s@redis:6379/0')?.decoded, 'r3d1s');
    assert.equal(findUrlPassword('amqp://guest:gu%40st@rabbit:5672/vhost')?.decoded, 'gu@st');
    assert.equal(findUrlPassword('postgresql://u:p4ss@h1:5432,h2:5432/db')?.decoded, 'p4ss');
  });

  it('an unencoded @ in the password still parses (the last @ ends the user info)', () => {
    assert.equal(findUrlPassword('mysql://root:p@ss@db:3306/app')?.decoded, 'p@ss');
  });

  it('no password: undefined', () => {
    assert.equal(findUrlPassword('postgres://localhost/db'), undefined);
    assert.equal(findUrlPassword('postgres://user@localhost/db'), undefined);
    assert.equal(findUrlPassword('https://example.com:8443/path'), undefined);
    assert.equal(findUrlPassword('not a url'), undefined);
  });

  it('replaces only the password, encoding what a URL cannot hold', () => {
    const u = 'postgres://shop:old@postgres:5432/shop';
    assert.equal(replaceUrlPassword(u, findUrlPassword(u)!, 'n3w'), 'postgres://shop:n3w@postgres:5432/shop');
    assert.equal(encodeUrlPassword('a/b@c:d#e$f'), 'a%2Fb%40c%3Ad%23e%24f');
    assert.equal(encodeUrlPassword('AbC123-._~'), 'AbC123-._~');
  });
});
