import * as assert from 'node:assert/strict';
import { KINDS, aKindName, kindById } from '../../../../src/core/catalog/kinds';
import { isKindId, KIND_IDS } from '../../../../src/core/catalog/types';

describe('catalog of secret kinds', () => {
  it('has exactly the 13 stable kind ids, each keyed by its own id', () => {
    assert.deepEqual(KIND_IDS, [
      'session-signing', 'encryption-key', 'pepper', 'database-password', 'connection-url', 'cache-password', 'cloud-access-key',
      'api-token', 'webhook-secret', 'shared-secret', 'smtp-password', 'private-key', 'generic-secret',
    ]);
    assert.deepEqual(Object.keys(KINDS).sort(), [...KIND_IDS].sort());
    for (const id of KIND_IDS) assert.equal(kindById(id).id, id);
    assert.equal(isKindId('session-signing'), true);
    assert.equal(isKindId('sessions'), false);
  });

  it('follows the rotation table of the runbooks (seed 002)', () => {
    const expected: Record<string, number> = {
      'session-signing': 90, // JWT_SECRET, SESSION_SECRET
      'encryption-key': 365, // APP_ENCRYPTION_KEY, MFA_ENCRYPTION_KEY: annually
      pepper: 365, // ENROLLMENT_KEY_PEPPER, MFA_RECOVERY_CODE_PEPPER: annually
      'database-password': 90, // POSTGRES_PASSWORD
      'connection-url': 90,
      'cache-password': 90, // REDIS_URL credentials
      'cloud-access-key': 90, // S3_ACCESS_KEY / S3_SECRET_KEY
      'api-token': 90, // CLOUDFLARE_API_TOKEN
      'shared-secret': 90, // TURN_SECRET, AGENT_ENROLLMENT_SECRET (metrics tokens: 180 by name)
    };
    for (const [id, days] of Object.entries(expected)) assert.equal(KINDS[id as keyof typeof KINDS].intervalDays, days, id);
    assert.match(KINDS['session-signing'].impact, /logged out/);
    assert.match(KINDS['encryption-key'].impact, /re-encryption migration/);
    assert.match(KINDS['encryption-key'].impact, /MFA/);
    assert.match(KINDS.pepper.impact, /enrollment keys|recovery codes/);
    assert.equal(KINDS['encryption-key'].pattern, 're-encrypt-then-switch');
  });

  it('gives every kind a name, an impact, a generator and example keys', () => {
    for (const k of Object.values(KINDS)) {
      assert.ok(k.name && k.impact && k.changeImpact, k.id);
      assert.ok(k.intervalDays > 0, k.id);
      assert.ok(k.examples.length > 0, k.id);
      assert.ok(['base64', 'base64url', 'hex', 'alnum', 'uuid', 'provider'].includes(k.generator.type), k.id);
    }
  });

  it('spells each kind one way, readable inside a sentence, with the right article', () => {
    for (const id of KIND_IDS) {
      const name = KINDS[id].name;
      assert.doesNotMatch(name, /^[A-Z][a-z]/, `${id}: "${name}" starts lower-case unless with an acronym`);
      assert.ok(name.length <= 18, `${id}: "${name}" is a word or two`);
    }
    assert.equal(aKindName('api-token'), 'an API token');
    assert.equal(aKindName('encryption-key'), 'an encryption key');
    assert.equal(aKindName('smtp-password'), 'an SMTP credential');
    assert.equal(aKindName('session-signing'), 'a session secret');
    assert.equal(aKindName('connection-url'), 'a connection URL');
  });
});
