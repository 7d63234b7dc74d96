import type { KindId, SecretKind } from './types';

/**
 * The catalog of secret kinds: data, not branches. Intervals and impacts follow the rotation
 * table operators use for self-hosted stacks (JWT/session secrets 90 days, encryption keys and
 * peppers yearly, database/cache credentials 90 days, API tokens 90 days or provider policy).
 * Intervals for one particular secret within a kind (metrics scrape tokens: 180 days) are name
 * rules in detect/names.ts; users override per key with `# rekey: rotate=30d` or `.rekey.json`.
 */
export const KINDS: Record<KindId, SecretKind> = {
  'session-signing': {
    id: 'session-signing',
    name: 'session secret',
    intervalDays: 90,
    impact: 'Every existing session and signed token becomes invalid: all users are logged out and must sign in again (unless the app accepts the previous secret during a dual-secret window).',
    changeImpact: 'All existing sessions are now invalid and every user must log in again. If the change was accidental, restoring the previous value restores their sessions.',
    pattern: 'dual-credential-window',
    generator: { type: 'base64', bytes: 64 },
    dualWindow: true,
    examples: ['JWT_SECRET', 'SESSION_SECRET', 'AUTH_SECRET', 'NEXTAUTH_SECRET', 'BETTER_AUTH_SECRET', 'SECRET_KEY_BASE'],
  },
  'encryption-key': {
    id: 'encryption-key',
    name: 'encryption key',
    intervalDays: 365,
    impact: 'Data encrypted with the old key cannot be decrypted with the new one: a re-encryption migration must run with both keys before the switch, or stored data (and MFA secrets) become unreadable.',
    changeImpact: 'Data encrypted with the previous key cannot be decrypted until it is re-encrypted. Do not discard the previous key: restore it, or keep it available to the re-encryption migration.',
    pattern: 're-encrypt-then-switch',
    generator: { type: 'hex', bytes: 32 },
    dualWindow: true,
    examples: ['APP_ENCRYPTION_KEY', 'MFA_ENCRYPTION_KEY', 'ENCRYPTION_KEY', 'APP_KEY', 'RAILS_MASTER_KEY'],
  },
  pepper: {
    id: 'pepper',
    name: 'pepper',
    intervalDays: 365,
    impact: 'Every value hashed with the old pepper stops matching: enrollment keys, recovery codes or API key hashes derived from it are invalidated and must be reissued.',
    changeImpact: 'Hashes made with the previous pepper no longer verify (enrollment keys, recovery codes). Restore the previous value unless the change was a planned rotation.',
    pattern: 'maintenance-window-swap',
    generator: { type: 'hex', bytes: 32 },
    dualWindow: false,
    examples: ['ENROLLMENT_KEY_PEPPER', 'MFA_RECOVERY_CODE_PEPPER', 'HASH_SALT'],
  },
  'database-password': {
    id: 'database-password',
    name: 'database password',
    intervalDays: 90,
    impact: 'Every service that connects to the database must get the new password: change the role first, keep the old one valid until all consumers reconnect, then restart in order.',
    changeImpact: 'Services using this file will fail to connect unless the database role was changed to the same password.',
    pattern: 'dual-credential-window',
    generator: { type: 'alnum', length: 32 },
    dualWindow: true,
    examples: ['POSTGRES_PASSWORD', 'MYSQL_ROOT_PASSWORD', 'DB_PASSWORD', 'PGPASSWORD'],
  },
  'connection-url': {
    id: 'connection-url',
    name: 'connection URL',
    intervalDays: 90,
    impact: 'The embedded password must change together with the server-side credential and every other place that embeds it; consumers reconnect briefly.',
    changeImpact: 'Connections made with this URL fail unless the server-side credential changed to match.',
    pattern: 'dual-credential-window',
    generator: { type: 'alnum', length: 32 },
    dualWindow: true,
    examples: ['DATABASE_URL', 'MONGODB_URI', 'DIRECT_URL'],
  },
  'cache-password': {
    id: 'cache-password',
    name: 'cache password',
    intervalDays: 90,
    impact: 'Clients of the cache or queue (app and workers) reconnect briefly; set the new password on the server first.',
    changeImpact: 'The app and workers cannot reach the cache or queue unless its password changed to match.',
    pattern: 'maintenance-window-swap',
    generator: { type: 'alnum', length: 32 },
    dualWindow: false,
    examples: ['REDIS_URL', 'REDIS_PASSWORD', 'RABBITMQ_DEFAULT_PASS'],
  },
  'cloud-access-key': {
    id: 'cloud-access-key',
    name: 'cloud access key',
    intervalDays: 90,
    impact: 'Create a second key pair at the provider, deploy it, verify uploads and downloads, then delete the old pair; no downtime when done in that order.',
    changeImpact: 'Calls to the cloud provider fail unless the new key pair exists and is active there.',
    pattern: 'dual-credential-window',
    generator: { type: 'provider' },
    dualWindow: true,
    examples: ['S3_ACCESS_KEY', 'S3_SECRET_KEY', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'],
  },
  'api-token': {
    id: 'api-token',
    name: 'API token',
    intervalDays: 90,
    impact: 'Create the new token at the provider, deploy it, verify, then revoke the old one; the integration is briefly unavailable if the order is wrong.',
    changeImpact: 'Calls to the provider fail unless the new token is valid there.',
    pattern: 'dual-credential-window',
    generator: { type: 'provider' },
    dualWindow: true,
    examples: ['CLOUDFLARE_API_TOKEN', 'ANTHROPIC_API_KEY', 'TWILIO_AUTH_TOKEN', 'GITHUB_TOKEN', 'STRIPE_SECRET_KEY'],
  },
  'webhook-secret': {
    id: 'webhook-secret',
    name: 'webhook secret',
    intervalDays: 90,
    impact: 'Incoming webhooks signed with the old secret fail verification until the sender uses the new one; roll both sides together or accept both during the switch.',
    changeImpact: 'Webhook signatures from the sender no longer verify unless it was updated to the same secret.',
    pattern: 'dual-credential-window',
    generator: { type: 'hex', bytes: 32 },
    dualWindow: true,
    examples: ['STRIPE_WEBHOOK_SECRET', 'GITHUB_WEBHOOK_SECRET', 'SLACK_SIGNING_SECRET'],
  },
  'shared-secret': {
    id: 'shared-secret',
    name: 'shared secret',
    intervalDays: 90,
    impact: 'Every party holding the secret (agents, TURN server, metrics scraper, MDM policies) must be updated together; active connections may drop.',
    changeImpact: 'The other services that share this secret reject requests until they hold the same value.',
    pattern: 'side-by-side-rollout',
    generator: { type: 'hex', bytes: 32 },
    dualWindow: false,
    examples: ['TURN_SECRET', 'METRICS_SCRAPE_TOKEN', 'AGENT_ENROLLMENT_SECRET', 'CRON_SECRET'],
  },
  'smtp-password': {
    id: 'smtp-password',
    name: 'SMTP credential',
    intervalDays: 90,
    impact: 'Notification e-mail stops briefly: rotate it at the provider, update every sender (app and notification workers), send a test message, then revoke the old one.',
    changeImpact: 'E-mail sending fails unless the provider accepts the new credential.',
    pattern: 'dual-credential-window',
    generator: { type: 'provider' },
    dualWindow: true,
    examples: ['SMTP_PASS', 'SMTP_PASSWORD', 'RESEND_API_KEY', 'MAILGUN_API_KEY'],
  },
  'private-key': {
    id: 'private-key',
    name: 'private key',
    intervalDays: 365,
    impact: 'Everything that trusts the matching public key or certificate must be updated; signatures made with the old key stop verifying once it is retired.',
    changeImpact: 'Peers that trust the previous key pair reject signatures or connections made with the new one.',
    pattern: 'side-by-side-rollout',
    generator: { type: 'provider' },
    dualWindow: true,
    examples: ['JWT_PRIVATE_KEY', 'GITHUB_APP_PRIVATE_KEY', 'SSH_PRIVATE_KEY'],
  },
  'generic-secret': {
    id: 'generic-secret',
    name: 'secret',
    intervalDays: 90,
    impact: 'Every consumer of this value must be updated together; find them before rotating.',
    changeImpact: 'Consumers that still hold the previous value may fail.',
    pattern: 'side-by-side-rollout',
    generator: { type: 'base64url', bytes: 32 },
    dualWindow: false,
    examples: ['ADMIN_PASSWORD', 'SECRET'],
  },
};

/** The catalog entry for a kind id. */
export function kindById(id: KindId): SecretKind {
  return KINDS[id];
}

/**
 * A kind's name with its indefinite article, for sentences ("an API token", "a session secret"):
 * acronyms take the article of their first letter's sound.
 */
export function aKindName(kind: KindId): string {
  const name = KINDS[kind].name;
  return `${/^(?:[aeiou]|[AEFHILMNORSX][A-Z])/.test(name) ? 'an' : 'a'} ${name}`;
}
