/*
 * Writes the labelled detection corpus under test/fixtures/detect/ (run once; the output is
 * committed): `node --import tsx bench/mkDetectFixtures.ts`.
 *
 * Every value is made here from a seeded generator, so the corpus is reproducible and no real
 * credential is involved. Provider token formats are not made here (see formats/SOURCES.md):
 * they are hand-written data, independent of the rules. Labels are written beside the files
 * in labels.json (format: test/fixtures/detect/README.md).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { KindId } from '../src/core/catalog/types';

const OUT = path.join(__dirname, '..', 'test', 'fixtures', 'detect');

type SampleAlphabet = 'alnum' | 'hex' | 'HEX' | 'lower' | 'upper' | 'alpha' | 'digits' | 'b64' | 'b64url' | 'base32' | 'bech32';
type SampleRandom = (alphabet: SampleAlphabet, length: number) => string;

const ALPHABETS: Record<SampleAlphabet, string> = {
  alnum: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789',
  hex: '0123456789abcdef',
  HEX: '0123456789ABCDEF',
  lower: 'abcdefghijklmnopqrstuvwxyz',
  upper: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
  alpha: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz',
  digits: '0123456789',
  b64: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/',
  b64url: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_',
  base32: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567',
  bech32: 'QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L',
};

/** Deterministic PRNG (mulberry32) so the corpus is identical on every run. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const next = rng(20_240_501);
const r: SampleRandom = (alphabet, n) => {
  const chars = ALPHABETS[alphabet];
  let s = '';
  for (let i = 0; i < n; i++) s += chars[Math.floor(next() * chars.length)];
  return s;
};
const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => Math.floor(next() * 256)));
const b64 = (n: number) => bytes(n).toString('base64');
const hex = (n: number) => bytes(n).toString('hex');
const alnum = (n: number) => r('alnum', n);
const uuid = () => `${r('hex', 8)}-${r('hex', 4)}-4${r('hex', 3)}-a${r('hex', 3)}-${r('hex', 12)}`;

/** `openssl rand -base64 24 | tr -d '/+='`, the database password recipe from the runbooks. */
const dbPassword = () => b64(24).replace(/[/+=]/g, '');


type Label = 'not-secret' | `secret:${KindId}` | `provider:${KindId}`;
type Line = string | [key: string, value: string, label: Label];

interface FixtureFile {
  name: string;
  lines: Line[];
}

const groups = new Map<string, FixtureFile[]>();
function file(group: string, name: string, lines: Line[]): void {
  const list = groups.get(group) ?? [];
  list.push({ name, lines });
  groups.set(group, list);
}

function quoteIfNeeded(v: string): string {
  if (v.includes('\n')) return `"${v.replace(/\n/g, '\\n')}"`;
  return /[\s#"'`$]/.test(v) ? `'${v}'` : v;
}

const NS: Label = 'not-secret';

// --- Seeds: every variable from the runbooks in shared/seeds ---------------------------------

file('seeds', 'proxyos.env', [
  '# ProxyOS dashboard (seed 000/001)',
  ['PROXYOS_SECRET', b64(48), 'secret:session-signing'],
  ['PROXYOS_URL', 'https://proxyos.example.org', NS],
  ['PROXYOS_PORT', '8080', NS],
  ['PROXYOS_COOKIE_SECURE', 'true', NS],
  ['PROXYOS_COOKIE_SAMESITE', 'lax', NS],
  ['PROXYOS_LOG_LEVEL', 'info', NS],
  ['PROXYOS_DATA_DIR', '/var/lib/proxyos', NS],
]);

const twilioSid = `AC${r('hex', 32)}`;
file('seeds', '.env.prod', [
  '# Breeze stack rotation table (seed 002)',
  ['NODE_ENV', 'production', NS],
  ['API_PORT', '3001', NS],
  ['PUBLIC_APP_URL', 'https://rmm.example.net', NS],
  ['JWT_SECRET', b64(64).replace(/\n/g, ''), 'secret:session-signing'],
  ['JWT_EXPIRES_IN', '15m', NS],
  ['JWT_REFRESH_EXPIRES_IN', '7d', NS],
  ['SESSION_SECRET', b64(64), 'secret:session-signing'],
  ['SESSION_MAX_AGE', '86400', NS],
  ['APP_ENCRYPTION_KEY', hex(32), 'secret:encryption-key'],
  ['MFA_ENCRYPTION_KEY', hex(32), 'secret:encryption-key'],
  ['ENROLLMENT_KEY_PEPPER', hex(32), 'secret:pepper'],
  ['MFA_RECOVERY_CODE_PEPPER', hex(32), 'secret:pepper'],
  ['AGENT_ENROLLMENT_SECRET', hex(32), 'secret:shared-secret'],
  ['POSTGRES_USER', 'breeze', NS],
  ['POSTGRES_DB', 'breeze', NS],
  ['POSTGRES_PASSWORD', dbPassword(), 'secret:database-password'],
  ['DATABASE_URL', `postgresql://breeze:${dbPassword()}@postgres:5432/breeze`, 'secret:connection-url'],
  ['REDIS_URL', `redis://:${dbPassword()}@localhost:6379`, 'secret:cache-password'],
  ['S3_ENDPOINT', 'https://s3.eu-central-1.wasabisys.com', NS],
  ['S3_BUCKET', 'breeze-backups', NS],
  ['S3_REGION', 'eu-central-1', NS],
  ['S3_ACCESS_KEY', r('upper', 20), 'secret:cloud-access-key'],
  ['S3_SECRET_KEY', r('b64', 40), 'secret:cloud-access-key'],
  ['CLOUDFLARE_API_TOKEN', r('b64url', 40), 'provider:api-token'],
  ['CLOUDFLARE_ZONE_ID', r('hex', 32), NS],
  ['TURN_SECRET', hex(32), 'secret:shared-secret'],
  ['TURN_HOST', 'turn.example.net', NS],
  ['TURN_PORT', '3478', NS],
  ['METRICS_SCRAPE_TOKEN', hex(32), 'secret:shared-secret'],
  ['METRICS_ENABLED', 'true', NS],
  ['RESEND_API_KEY', `re_${alnum(8)}_${alnum(24)}`, 'provider:smtp-password'],
  ['EMAIL_FROM', 'Breeze <alerts@example.net>', NS],
  ['SMTP_HOST', 'smtp.example.net', NS],
  ['SMTP_PORT', '587', NS],
  ['SMTP_USER', 'alerts@example.net', NS],
  ['SMTP_PASS', dbPassword(), 'secret:smtp-password'],
  ['MAILGUN_API_KEY', `key-${r('hex', 32)}`, 'provider:smtp-password'],
  ['MAILGUN_DOMAIN', 'mg.example.net', NS],
  ['TWILIO_ACCOUNT_SID', twilioSid, 'provider:api-token'],
  ['TWILIO_AUTH_TOKEN', r('hex', 32), 'provider:api-token'],
  ['TWILIO_FROM_NUMBER', '+15005550006', NS],
  ['ANTHROPIC_API_KEY', `sk-ant-api03-${r('b64url', 93)}AA`, 'provider:api-token'],
  ['ANTHROPIC_MODEL', 'claude-sonnet-4-5', NS],
  ['USER_API_KEY_PREFIX', 'brz_', NS],
]);

file('seeds', 'selfhosted.env', [
  '# Live rotation on a single VPS (seed 003)',
  ['APP_URL', 'https://app.example.com', NS],
  ['APP_SECRET', b64(32), 'secret:session-signing'],
  ['POSTGRES_HOST', 'db', NS],
  ['POSTGRES_PORT', '5432', NS],
  ['POSTGRES_PASSWORD', dbPassword(), 'secret:database-password'],
  ['REDIS_HOST', 'redis', NS],
  ['REDIS_PASSWORD', dbPassword(), 'secret:cache-password'],
  ['SMTP_RELAY_HOST', 'relay.example.com', NS],
  ['SMTP_USERNAME', 'notifications', NS],
  ['SMTP_PASSWORD', alnum(24), 'secret:smtp-password'],
  ['INBOUND_WEBHOOK_TOKEN', hex(24), 'secret:webhook-secret'],
  ['BACKUP_CRON', '0 3 * * *', NS],
  ['BACKUP_RETENTION_DAYS', '14', NS],
  ['WORKER_CONCURRENCY', '4', NS],
]);

file('seeds', 'inbox.env', [
  '# Inbox service: encryption key and Lucia session secret (seed 004)',
  ['ENCRYPTION_KEY', b64(32), 'secret:encryption-key'],
  ['AUTH_SECRET', hex(32), 'secret:session-signing'],
  ['DATABASE_URL', `postgres://inbox_owner:${alnum(12)}@ep-cool-darkness-123456.eu-central-1.aws.neon.tech/inbox?sslmode=require`, 'secret:connection-url'],
  ['GMAIL_CLIENT_ID', `${r('digits', 12)}-${r('lower', 32)}.apps.googleusercontent.com`, NS],
  ['GMAIL_CLIENT_SECRET', `GOCSPX-${r('b64url', 28)}`, 'provider:api-token'],
  ['MICROSOFT_CLIENT_ID', uuid(), NS],
  ['MICROSOFT_CLIENT_SECRET', `${alnum(3)}8Q~${r('b64url', 34).replace(/-/g, '.')}`, 'provider:api-token'],
  ['FLY_APP_NAME', 'inbox-prod', NS],
  ['PRIMARY_REGION', 'fra', NS],
]);

// --- Framework configurations ---------------------------------------------------------------

file('frameworks', 'rails.env', [
  ['RAILS_ENV', 'production', NS],
  ['RAILS_LOG_TO_STDOUT', 'enabled', NS],
  ['RAILS_SERVE_STATIC_FILES', 'true', NS],
  ['RAILS_MAX_THREADS', '5', NS],
  ['WEB_CONCURRENCY', '2', NS],
  ['RAILS_MASTER_KEY', hex(16), 'secret:encryption-key'],
  ['SECRET_KEY_BASE', hex(64), 'secret:session-signing'],
  ['DATABASE_URL', `postgres://rails:${dbPassword()}@db.internal:5432/app_production`, 'secret:connection-url'],
  ['REDIS_URL', 'redis://redis:6379/1', NS],
  ['SIDEKIQ_CONCURRENCY', '10', NS],
  ['ACTIVE_STORAGE_SERVICE', 'amazon', NS],
  ['AWS_ACCESS_KEY_ID', `AKIA${r('base32', 16)}`, 'provider:cloud-access-key'],
  ['AWS_SECRET_ACCESS_KEY', r('b64', 40), 'provider:cloud-access-key'],
  ['AWS_REGION', 'us-east-1', NS],
  ['AWS_BUCKET', 'rails-uploads-production', NS],
  ['SENTRY_DSN', `https://${r('hex', 32)}@o${r('digits', 6)}.ingest.sentry.io/${r('digits', 7)}`, NS],
  ['SMTP_ADDRESS', 'smtp.sendgrid.net', NS],
  ['SMTP_USER_NAME', 'apikey', NS],
  ['SMTP_PASSWORD', `SG.${r('b64url', 22)}.${r('b64url', 43)}`, 'provider:smtp-password'],
  ['HOST', 'www.example.com', NS],
  ['FORCE_SSL', 'true', NS],
]);

file('frameworks', 'laravel.env', [
  ['APP_NAME', 'Laravel', NS],
  ['APP_ENV', 'production', NS],
  ['APP_KEY', `base64:${b64(32)}`, 'secret:encryption-key'],
  ['APP_DEBUG', 'false', NS],
  ['APP_URL', 'https://shop.example.com', NS],
  ['LOG_CHANNEL', 'stack', NS],
  ['LOG_LEVEL', 'error', NS],
  ['DB_CONNECTION', 'mysql', NS],
  ['DB_HOST', '10.0.0.12', NS],
  ['DB_PORT', '3306', NS],
  ['DB_DATABASE', 'shop', NS],
  ['DB_USERNAME', 'shop', NS],
  ['DB_PASSWORD', dbPassword(), 'secret:database-password'],
  ['BROADCAST_DRIVER', 'log', NS],
  ['CACHE_DRIVER', 'redis', NS],
  ['QUEUE_CONNECTION', 'redis', NS],
  ['SESSION_DRIVER', 'redis', NS],
  ['SESSION_LIFETIME', '120', NS],
  ['REDIS_HOST', '127.0.0.1', NS],
  ['REDIS_PASSWORD', alnum(32), 'secret:cache-password'],
  ['REDIS_PORT', '6379', NS],
  ['MAIL_MAILER', 'smtp', NS],
  ['MAIL_HOST', 'smtp.mailgun.org', NS],
  ['MAIL_PORT', '587', NS],
  ['MAIL_USERNAME', 'postmaster@mg.example.com', NS],
  ['MAIL_PASSWORD', `${r('hex', 32)}-${r('hex', 8)}-${r('hex', 8)}`, 'secret:smtp-password'],
  ['MAIL_ENCRYPTION', 'tls', NS],
  ['MAIL_FROM_ADDRESS', 'hello@example.com', NS],
  ['PUSHER_APP_ID', r('digits', 7), NS],
  ['PUSHER_APP_KEY', r('hex', 20), NS],
  ['PUSHER_APP_SECRET', r('hex', 20), 'secret:api-token'],
  ['PUSHER_APP_CLUSTER', 'eu', NS],
  ['VITE_PUSHER_APP_KEY', '"${PUSHER_APP_KEY}"', NS],
  ['VITE_PUSHER_APP_CLUSTER', '"${PUSHER_APP_CLUSTER}"', NS],
  ['STRIPE_KEY', `pk_test_${alnum(99)}`, NS],
  ['STRIPE_SECRET', `sk_test_${alnum(99)}`, 'provider:api-token'],
]);

file('frameworks', 'django.env', [
  ['DJANGO_SETTINGS_MODULE', 'config.settings.production', NS],
  ['DJANGO_SECRET_KEY', `${r('lower', 10)}${r('b64url', 20)}!@#$%^&*(-_=+)`.slice(0, 50), 'secret:session-signing'],
  ['DJANGO_DEBUG', 'False', NS],
  ['DJANGO_ALLOWED_HOSTS', 'example.com,www.example.com', NS],
  ['DJANGO_ADMIN_URL', 'admin-7f3k/', NS],
  ['DATABASE_URL', `postgres://django:${dbPassword()}@postgres:5432/django`, 'secret:connection-url'],
  ['CELERY_BROKER_URL', `amqp://celery:${alnum(20)}@rabbitmq:5672//`, 'secret:cache-password'],
  ['EMAIL_HOST', 'email-smtp.eu-west-1.amazonaws.com', NS],
  ['EMAIL_PORT', '587', NS],
  ['EMAIL_USE_TLS', 'True', NS],
  ['EMAIL_HOST_USER', `AKIA${r('base32', 16)}`, 'provider:cloud-access-key'],
  ['EMAIL_HOST_PASSWORD', r('b64', 44), 'secret:smtp-password'],
  ['DJANGO_AWS_STORAGE_BUCKET_NAME', 'django-media', NS],
  ['SENTRY_TRACES_SAMPLE_RATE', '0.2', NS],
  ['WEB_CONCURRENCY', '4', NS],
  ['CONN_MAX_AGE', '60', NS],
]);

file('frameworks', 'nextjs.env.local', [
  ['NEXT_PUBLIC_SITE_URL', 'https://example.vercel.app', NS],
  ['NEXT_PUBLIC_SUPABASE_URL', `https://${r('lower', 20)}.supabase.co`, NS],
  ['NEXT_PUBLIC_SUPABASE_ANON_KEY', `${Buffer.from('{"alg":"HS256","typ":"JWT"}').toString('base64url')}.${Buffer.from(`{"iss":"supabase","ref":"${r('lower', 20)}","role":"anon","iat":1700000000,"exp":2015000000}`).toString('base64url')}.${r('b64url', 43)}`, NS],
  ['NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY', `pk_test_${alnum(99)}`, NS],
  ['NEXT_PUBLIC_POSTHOG_KEY', `phc_${alnum(43)}`, NS],
  ['NEXT_PUBLIC_POSTHOG_HOST', 'https://eu.i.posthog.com', NS],
  ['NEXT_PUBLIC_FIREBASE_API_KEY', `AIza${r('b64url', 35)}`, NS],
  ['NEXT_PUBLIC_GA_MEASUREMENT_ID', `G-${r('upper', 10)}`, NS],
  ['NEXTAUTH_URL', 'http://localhost:3000', NS],
  ['NEXTAUTH_SECRET', b64(32), 'secret:session-signing'],
  ['AUTH_GITHUB_ID', `Iv1.${r('hex', 16)}`, NS],
  ['AUTH_GITHUB_SECRET', r('hex', 40), 'secret:api-token'],
  ['AUTH_TRUST_HOST', 'true', NS],
  ['SUPABASE_SERVICE_ROLE_KEY', `${Buffer.from('{"alg":"HS256","typ":"JWT"}').toString('base64url')}.${Buffer.from(`{"iss":"supabase","ref":"${r('lower', 20)}","role":"service_role","iat":1700000000,"exp":2015000000}`).toString('base64url')}.${r('b64url', 43)}`, 'provider:api-token'],
  ['STRIPE_SECRET_KEY', `sk_test_${alnum(99)}`, 'provider:api-token'],
  ['STRIPE_WEBHOOK_SECRET', `whsec_${alnum(32)}`, 'provider:webhook-secret'],
  ['OPENAI_API_KEY', `sk-proj-${r('b64url', 74)}T3BlbkFJ${r('b64url', 74)}`, 'provider:api-token'],
  ['RESEND_API_KEY', `re_${alnum(8)}_${alnum(24)}`, 'provider:smtp-password'],
  ['UPSTASH_REDIS_REST_URL', `https://${r('lower', 12)}-12345.upstash.io`, NS],
  ['UPSTASH_REDIS_REST_TOKEN', `A${r('b64url', 70)}`, 'secret:cache-password'],
  ['VERCEL_ENV', 'development', NS],
  ['NEXT_TELEMETRY_DISABLED', '1', NS],
]);

file('frameworks', 'nestjs.env', [
  ['NODE_ENV', 'production', NS],
  ['PORT', '3000', NS],
  ['GLOBAL_PREFIX', 'api', NS],
  ['JWT_ACCESS_SECRET', b64(48), 'secret:session-signing'],
  ['JWT_ACCESS_EXPIRATION', '900s', NS],
  ['JWT_REFRESH_SECRET', b64(48), 'secret:session-signing'],
  ['JWT_REFRESH_EXPIRATION', '7d', NS],
  ['JWT_ALGORITHM', 'HS256', NS],
  ['TYPEORM_HOST', 'postgres', NS],
  ['TYPEORM_USERNAME', 'nest', NS],
  ['TYPEORM_PASSWORD', dbPassword(), 'secret:database-password'],
  ['TYPEORM_DATABASE', 'nest', NS],
  ['TYPEORM_SYNCHRONIZE', 'false', NS],
  ['MONGO_URI', `mongodb+srv://nest:${alnum(16)}@cluster0.ab1cd.mongodb.net/nest?retryWrites=true&w=majority`, 'secret:connection-url'],
  ['THROTTLE_TTL', '60', NS],
  ['THROTTLE_LIMIT', '100', NS],
  ['CORS_ORIGINS', 'https://app.example.com,https://admin.example.com', NS],
  ['SWAGGER_ENABLED', 'false', NS],
  ['BCRYPT_SALT_ROUNDS', '12', NS],
  ['PASSWORD_MIN_LENGTH', '12', NS],
  ['TOKEN_EXPIRY', '3600', NS],
  ['GITHUB_TOKEN', `ghp_${alnum(36)}`, 'provider:api-token'],
  ['SLACK_BOT_TOKEN', `xoxb-${r('digits', 11)}-${r('digits', 13)}-${alnum(24)}`, 'provider:api-token'],
  ['SLACK_SIGNING_SECRET', r('hex', 32), 'secret:webhook-secret'],
]);

file('frameworks', 'supabase.env', [
  ['SUPABASE_URL', `https://${r('lower', 20)}.supabase.co`, NS],
  ['SUPABASE_ANON_KEY', `${Buffer.from('{"alg":"HS256","typ":"JWT"}').toString('base64url')}.${Buffer.from(`{"iss":"supabase","ref":"${r('lower', 20)}","role":"anon","iat":1700000000}`).toString('base64url')}.${r('b64url', 43)}`, NS],
  ['SUPABASE_JWT_SECRET', b64(48), 'secret:session-signing'],
  ['SUPABASE_ACCESS_TOKEN', `sbp_${r('hex', 40)}`, 'provider:api-token'],
  ['SUPABASE_DB_PASSWORD', dbPassword(), 'secret:database-password'],
  ['POSTGRES_URL', `postgres://postgres.${r('lower', 20)}:${dbPassword()}@aws-0-eu-central-1.pooler.supabase.com:6543/postgres?pgbouncer=true`, 'secret:connection-url'],
  ['POSTGRES_PRISMA_URL', `postgres://postgres.${r('lower', 20)}:${dbPassword()}@aws-0-eu-central-1.pooler.supabase.com:6543/postgres?pgbouncer=true&connect_timeout=15`, 'secret:connection-url'],
  ['SITE_URL', 'http://localhost:3000', NS],
  ['ADDITIONAL_REDIRECT_URLS', 'http://localhost:3000/auth/callback', NS],
  ['GOTRUE_MAILER_AUTOCONFIRM', 'false', NS],
  ['STUDIO_PORT', '54323', NS],
  ['KONG_HTTP_PORT', '8000', NS],
  ['DASHBOARD_USERNAME', 'supabase', NS],
  ['DASHBOARD_PASSWORD', alnum(24), 'secret:generic-secret'],
  ['LOGFLARE_API_KEY', r('b64url', 40), 'secret:api-token'],
  ['POOLER_TENANT_ID', 'dev_tenant', NS],
  ['VAULT_ENC_KEY', alnum(32), 'secret:encryption-key'],
]);

file('frameworks', 'prisma.env', [
  ['DATABASE_URL', `postgresql://prisma:${dbPassword()}@ep-snowy-bar-123456.us-east-2.aws.neon.tech/app?sslmode=require`, 'secret:connection-url'],
  ['DIRECT_URL', `postgresql://prisma:${dbPassword()}@ep-snowy-bar-123456.us-east-2.aws.neon.tech/app?sslmode=require`, 'secret:connection-url'],
  ['SHADOW_DATABASE_URL', 'postgresql://postgres@localhost:5432/shadow', NS],
  ['PRISMA_HIDE_UPDATE_MESSAGE', 'true', NS],
  ['DATABASE_CONNECTION_LIMIT', '10', NS],
  ['MYSQL_URL', `mysql://root:${dbPassword()}@[2001:db8::5]:3306/app`, 'secret:connection-url'],
  ['MONGODB_URI', `mongodb://app:${alnum(18)}@mongo1:27017,mongo2:27017,mongo3:27017/app?replicaSet=rs0`, 'secret:connection-url'],
  ['ANALYTICS_DB_URL', `postgres://analytics@warehouse.internal:5432/events?sslmode=verify-full&password=${alnum(20)}`, 'secret:connection-url'],
  ['READ_REPLICA_URL', 'postgres://readonly@replica.internal:5432/app', NS],
  ['PGBOUNCER_URL', 'postgres://pgbouncer:5432/app', NS],
]);

file('frameworks', 'compose.env', [
  '# docker compose --env-file',
  ['COMPOSE_PROJECT_NAME', 'stack', NS],
  ['TZ', 'Europe/Berlin', NS],
  ['PUID', '1000', NS],
  ['PGID', '1000', NS],
  ['MYSQL_ROOT_PASSWORD', dbPassword(), 'secret:database-password'],
  ['MYSQL_PASSWORD', dbPassword(), 'secret:database-password'],
  ['MYSQL_USER', 'app', NS],
  ['RABBITMQ_DEFAULT_USER', 'app', NS],
  ['RABBITMQ_DEFAULT_PASS', alnum(24), 'secret:cache-password'],
  ['MINIO_ROOT_USER', 'minioadmin', NS],
  ['MINIO_ROOT_PASSWORD', alnum(32), 'secret:cloud-access-key'],
  ['GRAFANA_ADMIN_PASSWORD', alnum(20), 'secret:generic-secret'],
  ['TRAEFIK_ACME_EMAIL', 'ops@example.com', NS],
  ['WATCHTOWER_POLL_INTERVAL', '3600', NS],
  ['NEXTCLOUD_TRUSTED_DOMAINS', 'cloud.example.com', NS],
  ['VAULTWARDEN_ADMIN_TOKEN', b64(48), 'secret:api-token'],
  ['CRON_SECRET', hex(24), 'secret:shared-secret'],
  ['INTERNAL_API_TOKEN', hex(32), 'secret:shared-secret'],
]);

// --- Provider formats ---------------------------------------------------------------------------
// Token formats are not generated here: their examples are data in test/fixtures/detect/formats
// (written from public documentation, see its SOURCES.md), so rules are never judged by their
// own recipes.


// Name-gated rules depend on their key: the same values under neutral names are not secrets.
file('providers', 'neutral-names.env', [
  '# Values in name-gated formats (hex, UUID) under names that do not call for a secret.',
  ['BUILD_SHA', r('hex', 40), NS],
  ['RELEASE_CHECKSUM', r('hex', 64), NS],
  ['REQUEST_ID_SEED', uuid(), NS],
  ['TENANT_ID', uuid(), NS],
  ['DD_SITE', 'datadoghq.eu', NS],
  ['DD_SERVICE', 'checkout', NS],
  ['DD_ENV', 'prod', NS],
  ['POSTMARK_MESSAGE_STREAM', 'outbound', NS],
  ['HEROKU_APP_NAME', 'checkout-prod', NS],
  ['TWILIO_ACCOUNT_SID', `AC${r('hex', 32)}`, NS],
  ['TWILIO_MESSAGING_SERVICE_SID', `MG${r('hex', 32)}`, NS],
  ['CLOUDFLARE_ACCOUNT_ID', r('hex', 32), NS],
  ['OKTA_DOMAIN', 'dev-123456.okta.com', NS],
  ['VAULT_ADDR', 'https://vault.example.com:8200', NS],
  ['VAULT_NAMESPACE', 'admin', NS],
  ['ALGOLIA_APP_ID', r('upper', 10), NS],
  ['ALGOLIA_SEARCH_KEY', r('hex', 32), NS],
  ['MAPBOX_STYLE', 'mapbox://styles/mapbox/streets-v12', NS],
  ['AZURE_TENANT_ID', uuid(), NS],
  ['AZURE_CLIENT_ID', uuid(), NS],
  ['AZURE_STORAGE_ACCOUNT', 'examplestore', NS],
]);

// --- Non-secrets --------------------------------------------------------------------------------

const nonSecretValues: Array<[string, string]> = [
  ['PORT', '8080'], ['HOST', '0.0.0.0'], ['HOSTNAME', 'api.internal'], ['BIND_ADDRESS', '127.0.0.1:9000'], ['IPV6_BIND', '::1'],
  ['NODE_ENV', 'development'], ['APP_ENV', 'staging'], ['LOG_LEVEL', 'debug'], ['LOG_FORMAT', 'json'], ['RUST_LOG', 'info'],
  ['DEBUG', 'false'], ['VERBOSE', '0'], ['FEATURE_NEW_CHECKOUT', 'true'], ['ENABLE_SIGNUPS', 'yes'], ['MAINTENANCE_MODE', 'off'],
  ['API_VERSION', 'v2'], ['APP_VERSION', '2.14.3'], ['NODE_VERSION', '20.11.1'], ['SCHEMA_VERSION', '42'],
  ['TOKEN_EXPIRY', '3600'], ['ACCESS_TOKEN_TTL', '15m'], ['REFRESH_TOKEN_LIFETIME', '30d'], ['SESSION_TIMEOUT', '1800'],
  ['PASSWORD_MIN_LENGTH', '12'], ['PASSWORD_REQUIRE_SYMBOLS', 'true'], ['BCRYPT_ROUNDS', '12'], ['SALT_ROUNDS', '10'],
  ['ARGON2_MEMORY_COST', '65536'], ['MAX_LOGIN_ATTEMPTS', '5'], ['LOCKOUT_DURATION', '900'],
  ['PUBLIC_KEY_PATH', '/etc/app/keys/public.pem'], ['PRIVATE_KEY_PATH', '/run/secrets/signing_key'], ['JWT_SECRET_FILE', '/run/secrets/jwt_secret'],
  ['POSTGRES_PASSWORD_FILE', '/run/secrets/postgres_password'], ['TLS_CERT_FILE', '/etc/ssl/certs/app.crt'], ['TLS_KEY_FILE', '/etc/ssl/private/app.key'],
  ['KMS_KEY_ID', uuid()], ['SIGNING_KEY_ID', `kid-${r('hex', 8)}`], ['AWS_KMS_KEY_ARN', `arn:aws:kms:eu-west-1:${r('digits', 12)}:key/${uuid()}`],
  ['SECRETS_MANAGER_SECRET_NAME', 'prod/app/db'], ['API_KEY_HEADER', 'X-Api-Key'], ['CSRF_TOKEN_HEADER', 'X-CSRF-Token'], ['SESSION_COOKIE_NAME', '__Host-session'],
  ['TOKEN_ISSUER', 'https://auth.example.com/'], ['JWT_AUDIENCE', 'api.example.com'], ['OAUTH_TOKEN_URL', 'https://oauth2.googleapis.com/token'],
  ['OAUTH_REDIRECT_URI', 'https://app.example.com/auth/callback'], ['GOOGLE_CLIENT_ID', `${r('digits', 12)}-${r('lower', 32)}.apps.googleusercontent.com`],
  ['GITHUB_CLIENT_ID', `Ov23li${alnum(14)}`], ['STRIPE_PRICE_ID', `price_${alnum(24)}`], ['STRIPE_PRODUCT_ID', `prod_${alnum(14)}`],
  ['TENANT_ID', uuid()], ['ORGANIZATION_ID', uuid()], ['DEFAULT_WORKSPACE_ID', uuid()], ['SENTRY_PROJECT_ID', r('digits', 7)],
  ['GA_TRACKING_ID', `UA-${r('digits', 8)}-1`], ['MIXPANEL_PROJECT_TOKEN_PUBLIC', r('hex', 32)], ['RECAPTCHA_SITE_KEY', `6L${r('b64url', 38)}`],
  ['PUBLIC_KEY', `MCowBQYDK2VwAyEA${r('b64', 43)}=`], ['JWT_PUBLIC_KEY', `-----BEGIN PUBLIC KEY-----\\n${r('b64', 64)}\\n${r('b64', 24)}\\n-----END PUBLIC KEY-----`],
  ['SSH_KNOWN_HOSTS', `github.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI${r('b64', 43)}`], ['DEPLOY_PUBKEY', `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI${r('b64', 43)} deploy@ci`],
  ['API_URL', 'https://api.example.com/v1'], ['WEBHOOK_URL', 'https://hooks.example.com/incoming/orders'], ['CDN_URL', 'https://cdn.example.com'],
  ['REDIS_URL', 'redis://localhost:6379/0'], ['DATABASE_URL', 'postgres://localhost:5432/dev'], ['MONGO_URL', 'mongodb://mongo:27017/app'],
  ['AMQP_URL', 'amqp://rabbitmq:5672'], ['ELASTICSEARCH_URL', 'http://elasticsearch:9200'], ['S3_ENDPOINT', 'https://s3.amazonaws.com'],
  ['SMTP_HOST', 'smtp.postmarkapp.com'], ['SMTP_PORT', '2525'], ['SMTP_SECURE', 'false'], ['SMTP_FROM', 'no-reply@example.com'],
  ['SUPPORT_EMAIL', 'support@example.com'], ['ADMIN_EMAIL', 'admin@example.com'], ['DB_USER', 'app'], ['DB_NAME', 'app_production'],
  ['REDIS_DB', '2'], ['CACHE_TTL', '300'], ['CACHE_KEY_PREFIX', 'app:'], ['QUEUE_NAME', 'default'], ['WORKERS', '8'],
  ['UPLOAD_DIR', './uploads'], ['TMP_DIR', '/tmp/app'], ['STATIC_ROOT', '/srv/static'], ['TEMPLATE_PATH', 'templates/email'],
  ['TIMEZONE', 'UTC'], ['LOCALE', 'en_US.UTF-8'], ['CURRENCY', 'EUR'], ['COUNTRY_CODE', 'DE'], ['MAX_UPLOAD_SIZE', '10485760'],
  ['RATE_LIMIT_WINDOW', '60000'], ['RATE_LIMIT_MAX', '100'], ['REQUEST_TIMEOUT', '30s'], ['HEALTHCHECK_INTERVAL', '10s'],
  ['GIT_SHA', r('hex', 40)], ['BUILD_ID', `build-${r('digits', 5)}`], ['IMAGE_TAG', `sha-${r('hex', 7)}`], ['RELEASE', `v${r('digits', 1)}.${r('digits', 1)}.0`],
  ['SRI_HASH', `sha384-${r('b64', 64)}`], ['ASSET_CHECKSUM', r('hex', 64)], ['CONTENT_HASH', r('hex', 16)],
  ['CORS_ORIGIN', 'https://app.example.com'], ['ALLOWED_HOSTS', 'localhost,127.0.0.1'], ['TRUSTED_PROXIES', '10.0.0.0/8'],
  ['OTEL_EXPORTER_OTLP_ENDPOINT', 'http://otel-collector:4318'], ['OTEL_SERVICE_NAME', 'checkout'], ['DD_AGENT_HOST', 'datadog-agent'],
  ['PROMETHEUS_PORT', '9464'], ['METRICS_PATH', '/metrics'], ['SENTRY_ENVIRONMENT', 'production'], ['SENTRY_RELEASE', `checkout@${r('hex', 7)}`],
  ['ENCRYPTION_ALGORITHM', 'aes-256-gcm'], ['HASH_ALGORITHM', 'sha256'], ['JWT_ALG', 'RS256'], ['KEY_ROTATION_DAYS', '90'],
  ['AUTH_PROVIDER', 'github'], ['AUTH_MODE', 'oidc'], ['SSO_ENABLED', 'true'], ['MFA_REQUIRED', 'false'], ['OIDC_SCOPES', 'openid profile email'],
  ['SECRET_ROTATION_ENABLED', 'true'], ['PASSWORD_RESET_URL', 'https://app.example.com/reset'], ['TOKEN_ENDPOINT', 'https://auth.example.com/oauth/token'],
  ['KEYCLOAK_REALM', 'main'], ['KEYCLOAK_URL', 'https://sso.example.com'], ['VAULT_ADDR', 'http://127.0.0.1:8200'], ['VAULT_SKIP_VERIFY', 'false'],
  ['NEXT_PUBLIC_API_KEY', r('b64url', 39)], ['NEXT_PUBLIC_MAPBOX_TOKEN', `pk.${Buffer.from(`{"u":"example","a":"${alnum(12)}"}`).toString('base64url')}.${r('b64url', 22)}`],
  ['VITE_FIREBASE_API_KEY', `AIza${r('b64url', 35)}`], ['VITE_SENTRY_DSN', `https://${r('hex', 32)}@o123456.ingest.sentry.io/1234567`],
  ['PUBLIC_POSTHOG_KEY', `phc_${alnum(43)}`], ['REACT_APP_GOOGLE_MAPS_KEY', `AIza${r('b64url', 35)}`], ['EXPO_PUBLIC_API_URL', 'https://api.example.com'],
  ['VITE_APP_TITLE', 'Dashboard'], ['NEXT_PUBLIC_ALGOLIA_SEARCH_KEY', r('hex', 32)],
  ['SUPABASE_ANON_KEY_HINT', 'anon key lives in the dashboard'], ['DOCS_URL', 'https://docs.example.com/getting-started#secrets'],
  ['COMMAND', 'npm run start -- --port 3000'], ['GREETING', 'Hello, world'], ['FOOTER_TEXT', 'Made with care in Berlin'],
  ['COLOR_PRIMARY', '#0f766e'], ['COORDINATES', '52.5200,13.4050'], ['PHONE_SUPPORT', '+49 30 1234567'], ['CRON_SCHEDULE', '*/5 * * * *'],
  ['JSON_CONFIG', '{"retries":3,"backoff":"exponential"}'], ['LIST_OF_REGIONS', 'eu-west-1,us-east-1'], ['EMPTY_VALUE', ''],
  ['CACHE_KEY', 'users:v3'], ['PRIMARY_KEY', 'id'], ['SORT_KEY', 'created_at'], ['PARTITION_KEY', 'tenant_id'], ['MAP_KEY', 'default'],
  ['AUTH_HEADER_NAME', 'Authorization'], ['TOKEN_TYPE', 'Bearer'], ['SECRET_BACKEND', 'vault'], ['PASSWORD_HASHER', 'argon2id'],
];
file('nonsecrets', 'config.env', nonSecretValues.map(([k, v]) => [k, v, NS] as Line));

// --- Edge cases: odd names and spellings, quoting, URLs, near-miss non-secrets ---------------

const pemBody = () => Array.from({ length: 6 }, () => r('b64', 64)).join('\n');
file('edge', 'edge.env', [
  '# Secrets under unusual names and spellings',
  ['jwtSecret', b64(32), 'secret:session-signing'],
  ['db_password', dbPassword(), 'secret:database-password'],
  ['API_TOKEN', `"${hex(24)}"`, 'secret:api-token'],
  ['COOKIE_SIGNING_KEY', hex(32), 'secret:session-signing'],
  ['SIGNING_KEY', hex(32), 'secret:session-signing'],
  ['CSRF_SECRET', b64(24), 'secret:session-signing'],
  ['HASHIDS_SALT', alnum(32), 'secret:pepper'],
  ['WEBHOOK_SIGNING_KEY', hex(32), 'secret:webhook-secret'],
  ['ADMIN_PASSWORD', 'Tr0ub4dor&3x', 'secret:generic-secret'],
  ['DB_PASS', 'hunter2secret', 'secret:database-password'],
  ['SMTP_PASSWORD', '"correct horse battery staple"', 'secret:smtp-password'],
  ['LDAP_BIND_PASSWORD', alnum(20), 'secret:generic-secret'],
  ['VPN_PSK', b64(32), 'secret:generic-secret'],
  ['BACKUP_GPG_PASSPHRASE', `"${r('lower', 6)}-${r('lower', 7)}-${r('lower', 5)}-${r('lower', 8)}"`, 'secret:generic-secret'],
  ['KEYSTORE_PASSWORD', alnum(16), 'secret:generic-secret'],
  ['OAUTH_CLIENT_SECRET', r('b64url', 40), 'secret:api-token'],
  ['MINIO_SECRET_KEY', alnum(40), 'secret:cloud-access-key'],
  ['SPACES_SECRET', r('b64', 43), 'secret:cloud-access-key'],
  ['R2_SECRET_ACCESS_KEY', r('hex', 64), 'secret:cloud-access-key'],
  ['AWS_SESSION_TOKEN', `IQoJb3JpZ2luX2VjE${r('b64', 300)}`, 'secret:cloud-access-key'],
  ['STRIPE', `sk_test_${alnum(99)}`, 'provider:api-token'],
  ['token', `ghp_${alnum(36)}`, 'provider:api-token'],
  ['PRIVATE_KEY', `"-----BEGIN RSA PRIVATE KEY-----\n${pemBody()}\n-----END RSA PRIVATE KEY-----"`, 'provider:private-key'],
  ['DEPLOY_KEY_B64', Buffer.from(`-----BEGIN OPENSSH PRIVATE KEY-----\n${pemBody()}\n-----END OPENSSH PRIVATE KEY-----\n`).toString('base64'), 'provider:private-key'],
  ['DATABASE_URL', `mysql://app:${alnum(8)}%40${alnum(8)}%2F${alnum(4)}@db.example.com:3306/app`, 'secret:connection-url'],
  ['MONGO_URL', `mongodb://app:${alnum(20)}@[fe80::1]:27017/app`, 'secret:connection-url'],
  ['AMQP_URL', `amqps://app:${alnum(20)}@mq.example.com:5671/prod`, 'secret:cache-password'],
  ['CACHE_URL', `rediss://default:${alnum(32)}@cache.example.com:6380`, 'secret:cache-password'],
  ['SENTRY_DSN_LEGACY', `https://${r('hex', 32)}:${r('hex', 32)}@sentry.example.com/4`, 'secret:connection-url'],
  ['HTTP_PROXY', `http://proxyuser:${alnum(16)}@proxy.internal:3128`, 'secret:connection-url'],
  ['GIT_REMOTE', `https://x-access-token:ghs_${alnum(36)}@github.com/example/app.git`, 'provider:api-token'],
  '# Not secrets, though they look close',
  ['PASSWORD_POLICY', 'strong', NS],
  ['SECRET_NAME', 'prod/app/database', NS],
  ['TOKEN_AUDIENCE', 'https://api.example.com', NS],
  ['ENCRYPTION_ENABLED', 'true', NS],
  ['API_KEY_ENABLED', 'false', NS],
  ['STRIPE_ACCOUNT_ID', `acct_${alnum(16)}`, NS],
  ['ONESIGNAL_APP_ID', uuid(), NS],
  ['INTERCOM_APP_ID', r('lower', 8), NS],
  ['KEYCLOAK_CLIENT_ID', 'web-frontend', NS],
  ['OIDC_ISSUER_URL', 'https://accounts.example.com/realms/main', NS],
  ['DKIM_SELECTOR', 'default', NS],
  ['DKIM_PUBLIC_KEY', `"v=DKIM1; k=rsa; p=${r('b64', 200)}"`, NS],
  ['SSL_CERT', `"-----BEGIN CERTIFICATE-----\n${pemBody()}\n-----END CERTIFICATE-----"`, NS],
  ['GPG_KEY_ID', `0x${r('HEX', 16)}`, NS],
  ['SECRETS_DIR', '/run/secrets', NS],
  ['PASSWORD_RESET_TIMEOUT', '3600', NS],
  ['TOKEN_LENGTH', '32', NS],
  ['API_KEYS_ENABLED', 'true', NS],
  ['MAX_TOKENS', '4096', NS],
  ['OPENAI_MAX_TOKENS', '1024', NS],
  ['TOKENIZER', 'cl100k_base', NS],
  ['PASS_THROUGH_HEADERS', 'true', NS],
  ['BYPASS_CACHE', 'true', NS],
  ['KEYBOARD_LAYOUT', 'de', NS],
  ['SECRET_SANTA_ENABLED', 'false', NS],
  ['RANDOM_SEED', '42', NS],
  ['SESSION_STORE', 'redis', NS],
  ['SESSION_DRIVER', 'cookie', NS],
  ['AUTH_STRATEGY', 'jwt', NS],
  ['JWT_ISSUER', 'https://auth.example.com', NS],
  ['APP_KEY_ROTATION', 'yearly', NS],
  ['CERT_FINGERPRINT', Array.from({ length: 20 }, () => r('HEX', 2)).join(':'), NS],
  ['GOOGLE_ANALYTICS_ID', `G-${r('upper', 10)}`, NS],
  ['PASSWORD', '', NS],
  ['SMTP_PASSWORD_FROM_VAULT', '${SMTP_PASSWORD}', NS],
  ['DB_PASSWORD', 'op://Production/postgres/password', NS],
  ['API_TOKEN_ENCRYPTED', `encrypted:${b64(60)}`, NS],
  ['REPLICA_URL', 'postgres://app@db:5432/app?sslmode=require', NS],
  ['CALLBACK_URL', 'https://example.com/hook?id=123&source=stripe', NS],
  ['S3_URL', 's3://example-bucket/backups/', NS],
  ['FTP_URL', 'ftp://anonymous@ftp.example.com/pub', NS],
  ['DOWNLOAD_MIRROR', 'https://mirror.example.com/releases/v2.4.1/app-linux-amd64.tar.gz', NS],
  ['USER_AGENT', 'ExampleBot/1.0 (+https://example.com/bot)', NS],
  ['OTEL_RESOURCE_ATTRIBUTES', 'service.name=api,deployment.environment=prod', NS],
  ['NODE_OPTIONS', '--max-old-space-size=4096', NS],
  ['JAVA_OPTS', '-Xms512m -Xmx2g -Dfile.encoding=UTF-8', NS],
  ['PYTHONPATH', '/app/src:/app/lib', NS],
  ['PATH_PREFIX', '/api/v1', NS],
  ['CSP_NONCE_LENGTH', '16', NS],
  ['REQUEST_ID_HEADER', 'X-Request-Id', NS],
  ['INSTANCE_ID', `i-${r('hex', 17)}`, NS],
  ['DEVICE_ID', r('HEX', 16), NS],
  ['SHARD_KEY', 'customer_id', NS],
  ['IDEMPOTENCY_KEY_TTL', '86400', NS],
]);

// --- Templates: placeholders a team commits -------------------------------------------------

file('templates', '.env.example', [
  '# Copy to .env and fill in',
  ['APP_SECRET', 'changeme', NS],
  ['JWT_SECRET', 'your-jwt-secret-here', NS],
  ['SESSION_SECRET', '<generate with openssl rand -base64 64>', NS],
  ['DATABASE_URL', 'postgres://user:password@localhost:5432/app', NS],
  ['REDIS_URL', 'redis://:${REDIS_PASSWORD}@redis:6379', NS],
  ['REDIS_PASSWORD', '', NS],
  ['POSTGRES_PASSWORD', 'postgres', NS],
  ['STRIPE_SECRET_KEY', 'sk_test_xxxxxxxxxxxxxxxxxxxxxxxx', NS],
  ['STRIPE_WEBHOOK_SECRET', 'whsec_...', NS],
  ['OPENAI_API_KEY', 'sk-...', NS],
  ['ANTHROPIC_API_KEY', 'YOUR_ANTHROPIC_API_KEY', NS],
  ['AWS_ACCESS_KEY_ID', 'YOUR_ACCESS_KEY_ID', NS],
  ['AWS_SECRET_ACCESS_KEY', 'YOUR_SECRET_ACCESS_KEY', NS],
  ['SMTP_PASS', 'xxx', NS],
  ['GITHUB_TOKEN', 'ghp_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX', NS],
  ['ENCRYPTION_KEY', 'replace_with_32_byte_hex', NS],
  ['API_KEY', '${API_KEY}', NS],
  ['WEBHOOK_SECRET', 'TODO', NS],
  ['PRIVATE_KEY', '"-----BEGIN PRIVATE KEY-----\\n...\\n-----END PRIVATE KEY-----"', NS],
  ['SENDGRID_API_KEY', 'SG.xxxxxx.yyyyyy', NS],
  ['MONGODB_URI', 'mongodb+srv://<username>:<password>@cluster0.mongodb.net/app', NS],
  ['ADMIN_PASSWORD', '********', NS],
  ['MFA_ENCRYPTION_KEY', '0000000000000000000000000000000000000000000000000000000000000000', NS],
  ['TURN_SECRET', '1234567890', NS],
  ['TWILIO_AUTH_TOKEN', 'your_auth_token', NS],
  ['SLACK_WEBHOOK_URL', 'https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX', NS],
  ['COOKIE_SECRET', 'dev-secret-change-in-production', NS],
  ['DB_PASSWORD', 'example', NS],
  ['SECRET_KEY', 'insert-secret-key', NS],
  ['ACCESS_TOKEN', 'abc', NS],
]);

// --- Write -----------------------------------------------------------------------------------

for (const [group, files] of groups) {
  const dir = path.join(OUT, group);
  mkdirSync(dir, { recursive: true });
  const labels: Record<string, Record<string, Label>> = {};
  for (const f of files) {
    const seen = new Set<string>();
    const text: string[] = [];
    const fileLabels: Record<string, Label> = {};
    for (const line of f.lines) {
      if (typeof line === 'string') {
        text.push(line);
        continue;
      }
      const [key, value, label] = line;
      if (seen.has(key)) throw new Error(`${group}/${f.name}: duplicate key ${key}`);
      seen.add(key);
      const written = value.startsWith('"') || value.startsWith("'") ? value : quoteIfNeeded(value);
      text.push(`${key}=${written}`);
      fileLabels[key] = label;
    }
    writeFileSync(path.join(dir, f.name), text.join('\n') + '\n');
    labels[f.name] = fileLabels;
  }
  writeFileSync(path.join(dir, 'labels.json'), JSON.stringify(labels, null, 2) + '\n');
}
process.stdout.write(`wrote ${[...groups.values()].reduce((n, fs) => n + fs.length, 0)} fixture files under ${path.relative(process.cwd(), OUT)}\n`);
