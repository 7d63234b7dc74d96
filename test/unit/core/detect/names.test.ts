import * as assert from 'node:assert/strict';
import { judgeValue } from '../../../../src/core/detect/judge';
import { analyzeKeyName, nameKind, splitWords } from '../../../../src/core/detect/names';
import { randomSecret } from './tokens';

const value = randomSecret(40);

describe('key names', () => {
  it('splits words in any spelling', () => {
    assert.deepEqual(splitWords('AWS_SECRET_ACCESS_KEY'), ['AWS', 'SECRET', 'ACCESS', 'KEY']);
    assert.deepEqual(splitWords('jwtSecret'), ['JWT', 'SECRET']);
    assert.deepEqual(splitWords('db-password.v2'), ['DB', 'PASSWORD', 'V2']);
    assert.deepEqual(splitWords('__'), []);
  });

  it('finds secret keywords', () => {
    for (const key of ['JWT_SECRET', 'DB_PASSWORD', 'SMTP_PASS', 'DB_PWD', 'GITHUB_TOKEN', 'STRIPE_API_KEY', 'APIKEY', 'PRIVATE_KEY', 'ENROLLMENT_KEY_PEPPER', 'HASH_SALT', 'APP_ENCRYPTION_KEY', 'GOOGLE_CREDENTIALS', 'PGPASSWORD', 'SECRET_KEY_BASE', 'API_TOKEN_V2', 'JWT_SECRET_OLD']) {
      assert.equal(analyzeKeyName(key).keyword?.strength, 'strong', key);
      assert.equal(analyzeKeyName(key).nonSecret, undefined, key);
      assert.equal(judgeValue(key, value).secret, true, key);
    }
  });

  it('knows the non-secrets that contain keywords', () => {
    for (const key of ['PUBLIC_KEY', 'JWT_PUBLIC_KEY', 'STRIPE_PUBLISHABLE_KEY', 'SUPABASE_ANON_KEY', 'KMS_KEY_ID', 'SIGNING_KEY_ID', 'APP_VERSION', 'TOKEN_EXPIRY', 'JWT_EXPIRES_IN', 'PASSWORD_MIN_LENGTH', 'BCRYPT_ROUNDS', 'SALT_ROUNDS', 'SECRET_NAME', 'TOKEN_URL', 'JWT_SECRET_FILE', 'API_KEY_HEADER', 'RECAPTCHA_SITE_KEY', 'ALGOLIA_SEARCH_KEY', 'PASSWORD_POLICY', 'TOKEN_TTL']) {
      assert.equal(judgeValue(key, value).secret, false, key);
    }
  });

  it('treats client-exposed prefixes as public', () => {
    for (const key of ['NEXT_PUBLIC_API_KEY', 'VITE_API_TOKEN', 'PUBLIC_SECRET_THING', 'REACT_APP_KEY', 'EXPO_PUBLIC_TOKEN', 'NUXT_PUBLIC_KEY']) {
      assert.ok(analyzeKeyName(key).clientExposed, key);
      assert.equal(judgeValue(key, value).secret, false, key);
    }
  });

  it('needs a random-looking value for weak keywords, and nothing for ports, hosts, flags, ids, levels', () => {
    assert.equal(judgeValue('ACME_KEY', 'users:v3').secret, false);
    assert.equal(judgeValue('ACME_KEY', randomSecret(32)).secret, true);
    // A cache or lookup key is an identifier however random it looks.
    assert.equal(judgeValue('CACHE_KEY', randomSecret(32)).secret, false);
    for (const [key, v] of [['PORT', '5432'], ['DB_HOST', 'db.internal'], ['API_HOST', '10.0.0.7'], ['FEATURE_X_ENABLED', 'true'], ['TENANT_ID', 'd3b07384-d9a0-4c9b-8f1e-2b3c4d5e6f70'], ['LOG_LEVEL', 'debug'], ['RETRIES', '3'], ['SECRET_TIMEOUT', '30s']] as const) {
      assert.equal(judgeValue(key, v).secret, false, key);
    }
  });

  it('treats *_KEY_ID as a secret only when its secret half is in the same file', () => {
    const id = 'AKIA' + randomSecret(16, 'base32');
    const paired = judgeValue('S3_ACCESS_KEY', randomSecret(20, 'upper'), { hasPairSecret: (p) => p.join('_') === 'S3' });
    assert.equal(paired.secret, true);
    assert.equal(paired.kind, 'cloud-access-key');
    assert.equal(judgeValue('MINIO_ACCESS_KEY_ID', randomSecret(20, 'upper'), { hasPairSecret: () => false }).secret, false);
    // A provider-format id is a credential on its own (it identifies an account's key).
    assert.equal(judgeValue('AWS_ACCESS_KEY_ID', id, { hasPairSecret: () => false }).secret, true);
  });

  it('infers kinds from names', () => {
    const expect: Array<[string, string]> = [
      ['AUTH_SECRET', 'session-signing'],
      ['JWT_SECRET', 'session-signing'],
      ['SESSION_SECRET', 'session-signing'],
      ['NEXTAUTH_SECRET', 'session-signing'],
      ['BETTER_AUTH_SECRET', 'session-signing'],
      ['PROXYOS_SECRET', 'session-signing'],
      ['SECRET_KEY_BASE', 'session-signing'],
      ['DJANGO_SECRET_KEY', 'session-signing'],
      ['JWT_REFRESH_SECRET', 'session-signing'],
      ['APP_ENCRYPTION_KEY', 'encryption-key'],
      ['MFA_ENCRYPTION_KEY', 'encryption-key'],
      ['ENCRYPTION_KEY', 'encryption-key'],
      ['ENROLLMENT_KEY_PEPPER', 'pepper'],
      ['MFA_RECOVERY_CODE_PEPPER', 'pepper'],
      ['POSTGRES_PASSWORD', 'database-password'],
      ['MYSQL_ROOT_PASSWORD', 'database-password'],
      ['PGPASSWORD', 'database-password'],
      ['REDIS_PASSWORD', 'cache-password'],
      ['RABBITMQ_DEFAULT_PASS', 'cache-password'],
      ['S3_SECRET_KEY', 'cloud-access-key'],
      ['AWS_SECRET_ACCESS_KEY', 'cloud-access-key'],
      ['SMTP_PASS', 'smtp-password'],
      ['MAIL_PASSWORD', 'smtp-password'],
      ['STRIPE_WEBHOOK_SECRET', 'webhook-secret'],
      ['GITHUB_WEBHOOK_SECRET', 'webhook-secret'],
      ['SLACK_SIGNING_SECRET', 'webhook-secret'],
      ['TURN_SECRET', 'shared-secret'],
      ['METRICS_SCRAPE_TOKEN', 'shared-secret'],
      ['AGENT_ENROLLMENT_SECRET', 'shared-secret'],
      ['JWT_PRIVATE_KEY', 'private-key'],
      ['CLOUDFLARE_API_TOKEN', 'api-token'],
      ['ANTHROPIC_API_KEY', 'api-token'],
      ['TWITTER_ACCESS_TOKEN_SECRET', 'api-token'],
      ['GITHUB_CLIENT_SECRET', 'api-token'],
      ['ADMIN_PASSWORD', 'generic-secret'],
      ['GRAFANA_ADMIN_PASSWORD', 'generic-secret'],
    ];
    for (const [key, kind] of expect) assert.equal(judgeValue(key, value).kind, kind, key);
  });

  it('gives metrics scrape tokens their own 180-day interval', () => {
    assert.equal(nameKind(analyzeKeyName('METRICS_SCRAPE_TOKEN'))?.intervalDays, 180);
    assert.equal(judgeValue('METRICS_SCRAPE_TOKEN', value).intervalDays, 180);
    assert.equal(judgeValue('TURN_SECRET', value).intervalDays, undefined);
  });
});
