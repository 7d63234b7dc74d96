import * as assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { canPrehash, md5Verifier, quoteIdentifier, quoteLiteral, scramSha256Verifier } from '../../../../src/core/live/passwordVerifier';

/*
 * RFC 7677 section 3: the SCRAM-SHA-256 exchange for user "user", password "pencil". The stored
 * keys are judged by the RFC's own proof and server signature, not by re-deriving them.
 */
const RFC = {
  salt: 'W22ZaJ0SNY7soEsUEjb6gQ==',
  authMessage:
    'n=user,r=rOprNGfwEbeRWgbNEkqO,' +
    'r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096,' +
    'c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0',
  proof: 'dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=',
  serverSignature: '6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=',
};

describe('live/passwordVerifier', () => {
  it('builds a SCRAM-SHA-256 verifier that matches RFC 7677', () => {
    const v = scramSha256Verifier('pencil', Buffer.from(RFC.salt, 'base64'), 4096);
    const m = /^SCRAM-SHA-256\$4096:([^$]+)\$([^:]+):(.+)$/.exec(v);
    assert.ok(m, 'PostgreSQL stored format');
    assert.equal(m[1], RFC.salt);
    const storedKey = Buffer.from(m[2] as string, 'base64');
    const serverKey = Buffer.from(m[3] as string, 'base64');
    assert.equal(createHmac('sha256', serverKey).update(RFC.authMessage).digest('base64'), RFC.serverSignature);
    const clientSignature = createHmac('sha256', storedKey).update(RFC.authMessage).digest();
    const proof = Buffer.from(RFC.proof, 'base64');
    const clientKey = Buffer.from(proof.map((b, i) => b ^ (clientSignature[i] as number)));
    assert.deepEqual(createHash('sha256').update(clientKey).digest(), storedKey);
  });

  it('uses a fresh salt each time', () => {
    assert.notEqual(scramSha256Verifier('same'), scramSha256Verifier('same'));
  });

  it('md5 format is md5(password + user) as PostgreSQL documents', () => {
    // PostgreSQL docs (pg_authid): "md5" followed by the MD5 hash of password and user name concatenated.
    assert.equal(md5Verifier('pencil', 'user'), 'md5' + createHash('md5').update('penciluser').digest('hex'));
    assert.match(md5Verifier('x', 'y'), /^md5[0-9a-f]{32}$/);
  });

  it('quotes identifiers and literals so names cannot break out', () => {
    assert.equal(quoteIdentifier('app'), '"app"');
    assert.equal(quoteIdentifier('we"ird; DROP ROLE x; --'), '"we""ird; DROP ROLE x; --"');
    assert.equal(quoteLiteral("it's"), "'it''s'");
    assert.throws(() => quoteIdentifier('a\0b'));
  });

  it('only prehashes printable ASCII', () => {
    assert.equal(canPrehash('Abc123-_.~!'), true);
    assert.equal(canPrehash('pässwort'), false);
    assert.equal(canPrehash('line\nbreak'), false);
    assert.equal(canPrehash(''), false);
  });
});
