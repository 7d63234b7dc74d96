import * as assert from 'node:assert/strict';
import { detectEntry, detectSecrets } from '../../../../src/core/detect/detect';
import { parseEnv } from '../../../../src/core/env/parse';
import { canary, randomSecret, token } from './tokens';

const s1 = randomSecret(40, 'alnum', 1);
const s2 = randomSecret(40, 'alnum', 2);

function detect(text: string, options = {}) {
  return detectSecrets(parseEnv(text), text, options);
}

function one(text: string, key: string, options = {}) {
  const parsed = parseEnv(text);
  const entry = parsed.entries.find((e) => e.key === key);
  assert.ok(entry, `no entry ${key}`);
  return detectEntry(entry, text, options);
}

describe('detectSecrets / detectEntry', () => {
  it('lists secrets in entry order with kind, confidence, interval and value-free evidence', () => {
    const text = `PORT=3000\nJWT_SECRET=${s1}\nPOSTGRES_PASSWORD=${s2}\nLOG_LEVEL=info\n`;
    const found = detect(text);
    assert.deepEqual(found.map((s) => [s.entry.key, s.kind, s.confidence, s.intervalDays]), [
      ['JWT_SECRET', 'session-signing', 'high', 90],
      ['POSTGRES_PASSWORD', 'database-password', 'high', 90],
    ]);
    for (const s of found) for (const e of s.evidence) assert.ok(!e.detail.includes(s1) && !e.detail.includes(s2));
  });

  it('uses only the last definition of a repeated key', () => {
    const text = `API_TOKEN=${s1}\nAPI_TOKEN=changeme\nOTHER_TOKEN=${s2}\n`;
    assert.deepEqual(detect(text).map((s) => s.entry.key), ['OTHER_TOKEN']);
    const text2 = `API_TOKEN=changeme\nAPI_TOKEN=${s1}\n`;
    assert.deepEqual(detect(text2).map((s) => s.entry.index), [1]);
  });

  it('pairs an access key id with its secret in the same file', () => {
    const id = randomSecret(20, 'upper', 3);
    assert.deepEqual(detect(`S3_ACCESS_KEY=${id}\nS3_SECRET_KEY=${s1}\n`).map((s) => [s.entry.key, s.kind]), [
      ['S3_ACCESS_KEY', 'cloud-access-key'],
      ['S3_SECRET_KEY', 'cloud-access-key'],
    ]);
    assert.deepEqual(detect(`S3_ACCESS_KEY_ID=${id}\nS3_REGION=eu-west-1\n`), []);
    assert.equal(one(`TWILIO_ACCOUNT_SID=AC${randomSecret(32, 'hex')}\nTWILIO_AUTH_TOKEN=${randomSecret(32, 'hex', 4)}\n`, 'TWILIO_ACCOUNT_SID')?.kind, 'api-token');
  });

  it('reads multi-line PEM keys and base64 PEM keys', () => {
    const body = Array.from({ length: 4 }, (_, i) => randomSecret(64, 'b64', 20 + i)).join('\n');
    const pem = `-----BEGIN OPENSSH PRIVATE KEY-----\n${body}\n-----END OPENSSH PRIVATE KEY-----`;
    assert.equal(detect(`DEPLOY_KEY="${pem}"\n`)[0]?.kind, 'private-key');
    assert.equal(detect(`DEPLOY_KEY_B64=${Buffer.from(pem).toString('base64')}\n`)[0]?.kind, 'private-key');
    // dotenv reads an unquoted multi-line PEM as its first line only; the key is still in the file.
    assert.equal(detect(`SSH_KEY=-----BEGIN RSA PRIVATE KEY-----\n${body}\n-----END RSA PRIVATE KEY-----\n`)[0]?.kind, 'private-key');
  });

  describe('suppressions (by key and file, never by line number)', () => {
    for (const marker of ['# rekey-ignore', '# rekey-ignore: test fixture', '# gitleaks:allow', '# pragma: allowlist secret', '# secretlint-disable-line', '# trufflehog:ignore']) {
      it(`honours ${marker} on the line and on the line above`, () => {
        const inline = detect(`API_TOKEN=${s1} ${marker}\n`)[0];
        assert.equal(inline?.suppressed?.by, marker.replace(/^# /, '').replace(/: test fixture$/, ''));
        const above = detect(`${marker}\nAPI_TOKEN=${s1}\n`)[0];
        assert.ok(above?.suppressed, 'line above');
      });
    }

    it('keeps the reason of rekey-ignore', () => {
      assert.deepEqual(detect(`API_TOKEN=${s1} # rekey-ignore: test fixture\n`)[0]?.suppressed, { by: 'rekey-ignore', reason: 'test fixture' });
    });

    it('does not reach past a blank line, another entry, or into a multi-line value', () => {
      assert.equal(detect(`# rekey-ignore\n\nAPI_TOKEN=${s1}\n`)[0]?.suppressed, undefined);
      assert.equal(detect(`# rekey-ignore\nA=1\nAPI_TOKEN=${s1}\n`)[0]?.suppressed, undefined);
      assert.equal(detect(`NOTE="first\n# rekey-ignore"\nAPI_TOKEN=${s1}\n`)[0]?.suppressed, undefined);
    });

    it('follows the key when lines move', () => {
      const a = detect(`# gitleaks:allow\nAPI_TOKEN=${s1}\n`)[0];
      const b = detect(`PORT=1\nHOST=x\n\n# gitleaks:allow\nAPI_TOKEN=${s1}\n`)[0];
      assert.ok(a?.suppressed && b?.suppressed);
    });

    it('honours notSecret in the workspace config, per key and per file', () => {
      const text = `API_TOKEN=${s1}\nOTHER_TOKEN=${s2}\n`;
      assert.deepEqual(detect(text, { config: { notSecret: ['API_TOKEN'] } }).map((s) => Boolean(s.suppressed)), [true, false]);
      assert.deepEqual(detect(text, { config: { notSecret: ['apps/web/.env:OTHER_*'] }, relativePath: 'apps/web/.env' }).map((s) => Boolean(s.suppressed)), [false, true]);
      assert.deepEqual(detect(text, { config: { notSecret: ['apps/api/.env:OTHER_TOKEN'] }, relativePath: 'apps/web/.env' }).map((s) => Boolean(s.suppressed)), [false, false]);
    });
  });

  describe('overrides', () => {
    it('takes kind and interval from an annotation directly above', () => {
      const s = one(`# rekey: kind=shared-secret rotate=30d\nPROXYOS_SECRET=${s1}\n`, 'PROXYOS_SECRET');
      assert.equal(s?.kind, 'shared-secret');
      assert.equal(s?.intervalDays, 30);
      assert.equal(s?.confidence, 'high');
      assert.equal(s?.evidence[0]?.source, 'annotation');
    });

    it('makes an annotated value a secret even without a keyword, unless it is a placeholder', () => {
      assert.equal(one(`# rekey: kind=shared-secret\nPEER_VALUE=${s1}\n`, 'PEER_VALUE')?.kind, 'shared-secret');
      assert.equal(one('# rekey: kind=shared-secret\nPEER_VALUE=changeme\n', 'PEER_VALUE'), undefined);
      assert.equal(one('# rekey: kind=shared-secret\nPEER_VALUE=\n', 'PEER_VALUE'), undefined);
    });

    it('lets kindHints (from the code that consumes a key) override inference', () => {
      const hints = new Map([['APP_TOKEN', { kind: 'session-signing' as const, detail: 'passed to betterAuth({ secret })' }]]);
      const s = one(`APP_TOKEN=${s1}\n`, 'APP_TOKEN', { kindHints: hints });
      assert.equal(s?.kind, 'session-signing');
      assert.equal(s?.intervalDays, 90);
      assert.deepEqual(s?.evidence[0], { source: 'consumer', detail: 'passed to betterAuth({ secret })', confidence: 'high' });
    });

    it('applies config kinds and intervals: path:KEY over KEY, annotation over config', () => {
      const config = { kinds: { API_TOKEN: 'shared-secret' as const, 'a/.env:API_TOKEN': 'webhook-secret' as const }, intervals: { API_TOKEN: 45, 'webhook-secret': 10 } };
      assert.equal(one(`API_TOKEN=${s1}\n`, 'API_TOKEN', { config })?.kind, 'shared-secret');
      const inA = one(`API_TOKEN=${s1}\n`, 'API_TOKEN', { config, relativePath: 'a/.env' });
      assert.equal(inA?.kind, 'webhook-secret');
      assert.equal(inA?.intervalDays, 45);
      assert.equal(one(`OTHER_WEBHOOK_SECRET=${s1}\n`, 'OTHER_WEBHOOK_SECRET', { config })?.intervalDays, 10);
      assert.equal(one(`# rekey: kind=pepper rotate=1y\nAPI_TOKEN=${s1}\n`, 'API_TOKEN', { config })?.kind, 'pepper');
      assert.equal(one(`# rekey: kind=pepper rotate=1y\nAPI_TOKEN=${s1}\n`, 'API_TOKEN', { config })?.intervalDays, 365);
    });
  });

  it('skips values marked as ciphertext by the comment above', () => {
    assert.equal(detect(`# This is encrypted\nAWS_SECRET_ACCESS_KEY=${randomSecret(56, 'b64', 8)}\n`).length, 0);
    assert.equal(detect(`API_TOKEN=encrypted:${randomSecret(60, 'b64', 9)}\n`).length, 0);
  });

  it('never puts a value into evidence, kinds or suppressions (canary)', () => {
    const c = canary();
    const text = [
      `JWT_SECRET=${c}`,
      `DATABASE_URL=postgres://app:${c}@db/app`,
      `STRIPE_SECRET_KEY=${token('sk', 'live', c)}`,
      `REDIS_URL=redis://:${c}@cache:6379`,
      `API_TOKEN=${c} # rekey-ignore: rotated after ${'incident'}`,
      `# rekey: kind=not-a-kind rotate=forever`,
      `OTHER_SECRET=${c}`,
    ].join('\n');
    const found = detect(text, { config: { kinds: { X: 'api-token' } } });
    assert.ok(found.length >= 6);
    const out = JSON.stringify(found.map(({ entry: _entry, ...rest }) => rest));
    assert.ok(!out.includes(c), 'canary leaked');
  });

  it('does not crash on odd input', () => {
    for (const text of ['', '=', '#', 'A=', `A="${'x'.repeat(100_000)}"`, '\u0000\u0001=\u0002', 'K=\ud800', `${'A'.repeat(5000)}=${'b'.repeat(5000)}`]) {
      assert.doesNotThrow(() => detect(text));
    }
  });
});
