import type { KindId } from '../catalog/types';

/*
 * What a key's name says: secret keywords (`SECRET`, `PASSWORD`, `API_KEY`, ...), known
 * non-secrets (`PUBLIC_KEY`, `TOKEN_EXPIRY`, `PASSWORD_MIN_LENGTH`, `*_PORT`), client-exposed
 * prefixes (`NEXT_PUBLIC_`, `VITE_`), identifier halves of a credential pair (`*_KEY_ID`) and
 * the kind of secret the name suggests. Everything here is data; the judge combines it.
 */

export type KeywordStrength = 'strong' | 'weak';

export interface NameInfo {
  key: string;
  /** Upper-case words of the key (`jwtSecret` and `JWT-SECRET` both give `JWT`, `SECRET`). */
  words: string[];
  /** The last secret keyword in the name and how much it says. */
  keyword?: { word: string; strength: KeywordStrength };
  /** Why the name marks a value that is not a secret (`ends in EXPIRY`, `public key`...). */
  nonSecret?: string;
  /** A prefix that ships the value to browsers (`NEXT_PUBLIC_`): such values are public by design. */
  clientExposed?: string;
  /**
   * For the identifier half of a credential pair (`AWS_ACCESS_KEY_ID`, `S3_ACCESS_KEY`,
   * `TWILIO_ACCOUNT_SID`): the words before it, to look for the secret half in the same file.
   */
  pairPrefix?: string[];
  /**
   * The name contains a word that a name-gated provider rule keys on (`DD`, `TWILIO`, `AWS`…),
   * so providers.ts must try those rules.
   */
  providerWord: boolean;
  /** Role bits of all words together (internal: which kind rules can apply). */
  roles: number;
}

export interface NameKind {
  kind: KindId;
  /** Interval for this particular secret when the runbooks give one (metrics tokens: 180 days). */
  intervalDays?: number;
  detail: string;
}

const STRONG_WORDS = new Set([
  'SECRET', 'SECRETS', 'PASSWORD', 'PASSWORDS', 'PASSWD', 'PWD', 'PASS', 'PASSPHRASE', 'TOKEN', 'TOKENS',
  'PEPPER', 'SALT', 'CREDENTIAL', 'CREDENTIALS', 'CREDS', 'APIKEY', 'PRIVATEKEY', 'SECRETKEY', 'AUTHTOKEN',
  'ACCESSTOKEN', 'MNEMONIC', 'CLIENTSECRET', 'ENCRYPTIONKEY', 'PSK',
]);

/** Compound words that end in a keyword: `PGPASSWORD`, `DBPASS` is too ambiguous (`BYPASS`). */
const STRONG_SUFFIXES = ['PASSWORD', 'PASSWD', 'SECRET', 'TOKEN', 'APIKEY'];

const WEAK_WORDS = new Set(['KEY', 'KEYS', 'AUTH', 'HMAC', 'SIGNING', 'PIN', 'SEED', 'CERTKEY']);

/** Words before `KEY` that make it a strong keyword (`API_KEY`, `ENCRYPTION_KEY`, `LICENSE_KEY`). */
const STRONG_KEY_QUALIFIERS = new Set([
  'API', 'PRIVATE', 'ENCRYPTION', 'ENC', 'ENCRYPT', 'SIGNING', 'SECRET', 'LICENSE', 'LICENCE', 'AUTH', 'SERVICE',
  'ROLE', 'ADMIN', 'WRITE', 'MANAGEMENT', 'HMAC', 'JWT', 'SESSION', 'COOKIE', 'CRYPTO', 'CIPHER', 'AES', 'DATA',
  'ACCOUNT', 'STORAGE', 'SHARED', 'MASTER', 'ACCESS_SECRET', 'DEPLOY', 'INGEST', 'INGESTION', 'SERVER', 'SSH',
]);

/** Words allowed after a keyword without changing what the name means (`SECRET_KEY_BASE`, `JWT_SECRET_OLD`). */
const QUALIFIERS = new Set([
  'KEY', 'KEYS', 'BASE', 'VALUE', 'STRING', 'STR', 'CURRENT', 'PREVIOUS', 'PREV', 'OLD', 'NEW', 'NEXT', 'PRIMARY',
  'SECONDARY', 'BACKUP', 'FALLBACK', 'ROTATED', 'PROD', 'PRODUCTION', 'DEV', 'DEVELOPMENT', 'STAGING', 'STAGE',
  'TEST', 'LIVE', 'LOCAL', 'SANDBOX', 'QA', 'UAT', 'B64', 'BASE64', 'HEX', 'RAW', 'RO', 'RW', 'READ', 'WRITE',
  'READONLY', 'ADMIN', 'ROOT', 'MASTER', 'ENCODED', 'PLAIN', 'SECRET', 'TOKEN', 'ACCESS', 'REFRESH', 'AUTH', 'API',
  'APP', 'SERVER', 'PEM', 'DER', 'JSON', 'DATA', 'CONTENT', 'CONTENTS', 'BODY', 'BLOB', 'MATERIAL', 'SIGNING',
  'ENCRYPTION', 'HMAC', 'SALT', 'PEPPER', 'PASSWORD', 'PASS', 'ALT', 'EXTRA', 'INTERNAL', 'EXTERNAL', 'SHARED',
  'WEBHOOK', 'SERVICE', 'PERSONAL', 'BOT', 'CI', 'DEPLOY', 'SIGNATURE',
]);

/** Words after a keyword (or at the end of the name) that make it configuration, not a secret. */
const NON_SECRET_WORDS = new Set([
  'VERSION', 'EXPIRY', 'EXPIRES', 'EXPIRATION', 'EXPIRE', 'EXP', 'TTL', 'LIFETIME', 'TIMEOUT', 'DURATION', 'AGE',
  'LENGTH', 'LEN', 'MIN', 'MAX', 'SIZE', 'COUNT', 'LIMIT', 'ROUNDS', 'ITERATIONS', 'COST', 'FACTOR', 'PORT', 'HOST',
  'HOSTNAME', 'DOMAIN', 'URL', 'URLS', 'URI', 'ENDPOINT', 'PATH', 'FILE', 'FILES', 'DIR', 'DIRECTORY', 'FOLDER',
  'LOCATION', 'ENABLED', 'DISABLED', 'ENABLE', 'DISABLE', 'REQUIRED', 'ALLOWED', 'MODE', 'TYPE', 'ALGORITHM',
  'ALGORITHMS', 'ALG', 'ALGO', 'DIGEST', 'ISSUER', 'AUDIENCE', 'AUD', 'ISS', 'HEADER', 'HEADERS', 'NAME', 'NAMES',
  'USERNAME', 'EMAIL', 'REGION', 'BUCKET', 'PROVIDER', 'ID', 'IDS', 'ARN', 'KID', 'PREFIX', 'SUFFIX', 'FORMAT',
  'ENCODING', 'STRATEGY', 'LEVEL', 'SCOPE', 'SCOPES', 'CALLBACK', 'REDIRECT', 'ORIGIN', 'ORIGINS', 'FIELD',
  'PARAM', 'COLUMN', 'TABLE', 'QUEUE', 'TOPIC', 'CHANNEL', 'ENV', 'ENVIRONMENT', 'INTERVAL', 'DAYS', 'HOURS',
  'MINUTES', 'SECONDS', 'MS', 'SEC', 'AT', 'DATE', 'TIME', 'POLICY', 'RULES', 'RULE', 'COMPLEXITY', 'STRENGTH',
  'CHARS', 'PATTERN', 'REGEX', 'HINT', 'LABEL', 'DESCRIPTION', 'TITLE', 'HASH', 'HASHED', 'SHA', 'CHECKSUM',
  'FINGERPRINT', 'THUMBPRINT', 'BITS', 'CURVE', 'METHOD', 'BACKEND', 'MANAGER', 'SOURCE', 'STORE', 'REF',
  'REFERENCE', 'RESET', 'GRACE', 'WINDOW', 'RETRIES', 'ATTEMPTS', 'LOCKOUT', 'REQUIRE', 'REQUIREMENTS', 'VALIDATION',
  'ROTATION', 'ENTROPY', 'CACHE', 'IN', 'ON', 'DEBUG', 'LOG', 'LOGGING', 'USER', 'USERS', 'SID', 'ACCOUNT',
  'PROJECT', 'TENANT', 'ORG', 'ORGANIZATION', 'WORKSPACE', 'TEAM', 'ZONE', 'NAMESPACE', 'SLUG',
]);

/** Words before a final `KEY` that make it a lookup key (`CACHE_KEY`, `IDEMPOTENCY_KEY`), not a credential. */
const LOOKUP_KEY_WORDS = new Set(['CACHE', 'IDEMPOTENCY', 'PARTITION', 'SORT', 'ROUTING', 'SHARD', 'LOOKUP', 'DEDUP', 'DEDUPE', 'FOREIGN', 'PRIMARY_ID', 'CONCURRENCY', 'LOCK']);

/** Words anywhere in the name that mean the value is published on purpose. */
const PUBLIC_WORDS: Record<string, string> = {
  PUBLIC: 'public value',
  PUBLISHABLE: 'publishable key',
  PUB: 'public value',
  PUBKEY: 'public key',
  ANON: 'anonymous (public) key',
};

/** Prefixes that bundlers inline into client code. */
const CLIENT_PREFIXES: string[][] = [
  ['NEXT', 'PUBLIC'], ['VITE'], ['PUBLIC'], ['REACT', 'APP'], ['EXPO', 'PUBLIC'], ['NUXT', 'PUBLIC'], ['GATSBY'],
  ['VUE', 'APP'], ['STORYBOOK'],
];

/** Identifier halves of credential pairs, as trailing word sequences. */
const PAIR_ID_TAILS: string[][] = [
  ['ACCESS', 'KEY', 'ID'], ['KEY', 'ID'], ['ACCOUNT', 'SID'], ['API', 'KEY', 'SID'], ['KEY', 'SID'], ['ACCESS', 'KEY'],
  ['ACCESS', 'ID'], ['APP', 'KEY', 'ID'],
];

/**
 * Vendors whose keys are API tokens (`STRIPE_SECRET_KEY`, `GITHUB_CLIENT_SECRET`): a name
 * containing one of these words is an `api-token` unless a more specific rule applies first.
 */
export const VENDOR_WORDS = new Set([
  'STRIPE', 'GITHUB', 'GH', 'GITLAB', 'SLACK', 'OPENAI', 'ANTHROPIC', 'CLAUDE', 'GOOGLE', 'GCP', 'FIREBASE', 'AZURE',
  'TWILIO', 'CLOUDFLARE', 'CF', 'NPM', 'PYPI', 'SHOPIFY', 'DISCORD', 'TELEGRAM', 'LINEAR', 'VERCEL', 'FIGMA',
  'DIGITALOCEAN', 'DO', 'HEROKU', 'DATADOG', 'DD', 'SENTRY', 'NOTION', 'DOCKER', 'DOCKERHUB', 'VAULT', 'DOPPLER',
  'SUPABASE', 'HUGGINGFACE', 'HF', 'ATLASSIAN', 'JIRA', 'CONFLUENCE', 'OKTA', 'AUTH0', 'SQUARE', 'PLANETSCALE',
  'GRAFANA', 'NEWRELIC', 'NEW_RELIC', 'DATABRICKS', 'PULUMI', 'MAPBOX', 'GROQ', 'TAILSCALE', 'POSTMAN', 'AIRTABLE',
  'ALGOLIA', 'FACEBOOK', 'META', 'TWITTER', 'X', 'PAYPAL', 'BRAINTREE', 'PLAID', 'SEGMENT', 'MIXPANEL', 'AMPLITUDE',
  'POSTHOG', 'INTERCOM', 'HUBSPOT', 'SALESFORCE', 'ZENDESK', 'PAGERDUTY', 'OPSGENIE', 'CIRCLECI', 'TRAVIS',
  'CODECOV', 'SONAR', 'SNYK', 'NETLIFY', 'FLY', 'RAILWAY', 'RENDER', 'CLERK', 'KINDE', 'STYTCH', 'LEMONSQUEEZY',
  'PADDLE', 'REPLICATE', 'PERPLEXITY', 'MISTRAL', 'COHERE', 'GEMINI', 'DEEPSEEK', 'XAI', 'TOGETHER', 'FIREWORKS',
  'PINECONE', 'WEAVIATE', 'QDRANT', 'UPSTASH', 'CONVEX', 'CONTENTFUL', 'SANITY', 'STRAPI', 'RECAPTCHA', 'HCAPTCHA',
  'TURNSTILE', 'ONESIGNAL', 'EXPO', 'APPLE', 'MICROSOFT', 'DROPBOX', 'BOX', 'ZOOM', 'SPOTIFY', 'TWITCH', 'YOUTUBE',
  'MEILI', 'MEILISEARCH', 'TYPESENSE', 'ELEVENLABS', 'DEEPGRAM', 'ASSEMBLYAI', 'LIVEKIT', 'PUSHER', 'ABLY',
  'MUX', 'CLOUDINARY', 'UPLOADTHING', 'IMGIX', 'SQUARESPACE', 'WEBFLOW', 'SHIPPO', 'EASYPOST', 'RUBYGEMS', 'NUGET',
  'ONEPASSWORD', 'OP', 'BITBUCKET', 'LAUNCHDARKLY', 'STATSIG', 'HONEYCOMB', 'LOGTAIL', 'BETTERSTACK', 'AXIOM',
  // Exchanges, payments and other services whose `*_SECRET_KEY` is an API secret, not a signing key.
  'BITTREX', 'CONFLUENT', 'FLUTTERWAVE', 'KUCOIN', 'BINANCE', 'COINBASE', 'KRAKEN', 'BYBIT', 'OKX', 'BITFINEX', 'GEMINI',
  'PAYSTACK', 'RAZORPAY', 'MOLLIE', 'ADYEN', 'CHECKOUT', 'GOCARDLESS', 'DUFFEL', 'SHIPPO', 'LOB', 'PLIVO', 'VONAGE',
  'NEXMO', 'MESSAGEBIRD', 'SINCH', 'BANDWIDTH', 'TELNYX', 'AUTHRESS', 'SETTLEMINT', 'HARNESS', 'OCTOPUS', 'CLICKHOUSE',
  'CLOJARS', 'ARTIFACTORY', 'JFROG', 'NUGET', 'SONAR', 'SONARQUBE', 'BUILDKITE', 'CODEMAGIC', 'TERRAFORM', 'TF', 'HCP',
  'OPENSHIFT', 'SOURCEGRAPH', 'FRAMEIO', 'ADOBE', 'LANGSMITH', 'LANGCHAIN', 'LANGFUSE', 'TEAMWORK', 'OPENROUTER',
  'TAVILY', 'FIRECRAWL', 'CEREBRAS', 'WANDB', 'PADDLE', 'WOOCOMMERCE', 'PLAID', 'MAILERSEND', 'ZAPIER', 'TENCENT',
  'TENCENTCLOUD', 'YANDEX', 'YC', 'AKAMAI', 'HETZNER', 'VULTR', 'LINODE', 'NGROK', 'TWINGATE', 'NEON', 'XATA', 'RENDER',
  'NETLIFY', 'TYPEFORM', 'CONTENTFUL', 'HUBSPOT', 'CLICKUP', 'ASANA', 'MONDAY', 'TRELLO', 'DBT', 'SNOWFLAKE',
]);

/** Name patterns to kinds, first match wins; tested against `_WORD_WORD_` (joined with underscores). */
export const NAME_KINDS: Array<{ re: RegExp; kind: KindId; intervalDays?: number; detail: string; unlessVendor?: boolean }> = [
  { re: /_PEPPER_/, kind: 'pepper', detail: 'pepper' },
  { re: /_(?:HASH(?:IDS?)?_)?SALT_/, kind: 'pepper', detail: 'salt or HMAC key' },
  { re: /_WEBHOOKS?_|_HOOKS?_(?:SECRET|TOKEN|KEY)_|_SIGNING_SECRET_|_WH_SECRET_|_WEBHOOKSECRET_/, kind: 'webhook-secret', detail: 'webhook signing secret' },
  { re: /_(?:TURN|COTURN|STUN)_/, kind: 'shared-secret', detail: 'TURN server shared secret' },
  { re: /_(?:METRICS|SCRAPE|PROMETHEUS)_/, kind: 'shared-secret', intervalDays: 180, detail: 'metrics scrape token' },
  { re: /_ENROLL(?:MENT)?_/, kind: 'shared-secret', detail: 'agent enrollment secret' },
  { re: /_(?:SHARED|INTERNAL|INTER_SERVICE|INTERSERVICE|CRON|AGENT|WORKER|CLUSTER|PEER|GOSSIP|RPC)_/, kind: 'shared-secret', detail: 'secret shared between services' },
  { re: /_PRIVATE_?KEY|_PRIV_KEY_|_SSH_KEY_|_PRIVATEKEY_|_PKCS\d*_/, kind: 'private-key', detail: 'private key' },
  { re: /_(?:ENCRYPTION|ENCRYPT|ENCRYPTIONKEY)_|_(?:ENC|CRYPTO|CRYPT|CIPHER|AES|DATA|FIELD|KMS|DEK|KEK)_(?:KEY|KEYS|SECRET|PASSPHRASE)_|^_APP_KEY_$|^_APP_PREVIOUS_KEYS_$|_RAILS_MASTER_KEY_|_UNSEAL_(?:KEY|KEYS)_|_RECOVERY_(?:KEY|KEYS)_/, kind: 'encryption-key', detail: 'data encryption key' },
  { re: /_(?:SESSION|SESSIONS|COOKIE|COOKIES|JWT|JWS|NEXTAUTH|AUTH|IRON|CSRF|XSRF|SIGNING|SIGNATURE|HMAC)_SECRET_|_(?:JWT|JWS|SESSION|COOKIE)_(?:ACCESS|REFRESH|ID|AUTH|TOKEN|SIGNING|SIGN|VERIFY|ENCRYPTION)_SECRET_|_(?:SESSION|COOKIE|JWT|SIGNING)_(?:KEY|KEYS|PASSWORD|SECRETS)_|_SECRET_KEY_BASE_|^_SECRET_KEY_$|^_APP_SECRET_$|^_SECRET_$|^_SIGNING_KEY_$/, kind: 'session-signing', detail: 'session or token signing secret' },
  // `ACCESS_TOKEN_SECRET` signs an app's own JWTs, but `TWITTER_ACCESS_TOKEN_SECRET` is a vendor credential.
  { re: /_(?:REFRESH_TOKEN|ACCESS_TOKEN|TOKEN)_SECRET_/, kind: 'session-signing', detail: 'token signing secret', unlessVendor: true },
  { re: /_(?:SMTP|MAIL|EMAIL|MAILER|SES|IMAP|POP3?)_(?:[A-Z0-9]+_)*(?:PASS|PASSWORD|PWD|PASSWD|SECRET|KEY|TOKEN|APIKEY)_|_(?:RESEND|SENDGRID|MAILGUN|POSTMARK|MAILJET|SPARKPOST|BREVO|SENDINBLUE|MANDRILL|LOOPS|PLUNK|MAILERSEND)_/, kind: 'smtp-password', detail: 'e-mail credential' },
  { re: /_(?:REDIS|VALKEY|KEYDB|DRAGONFLY|CACHE|MEMCACHE|MEMCACHED|RABBIT|RABBITMQ|AMQP|KAFKA|NATS|MQTT|BROKER|CELERY|BULL|SIDEKIQ)_/, kind: 'cache-password', detail: 'cache or queue credential' },
  { re: /_(?:POSTGRES|POSTGRESQL|PG|PSQL|MYSQL|MARIADB|MONGO|MONGODB|DB|DATABASE|SQL|MSSQL|SQLSERVER|ORACLE|COUCH|COUCHDB|CASSANDRA|CLICKHOUSE|NEO4J|ELASTIC|ELASTICSEARCH|INFLUX|INFLUXDB|COCKROACH|TIDB|NEON|TURSO|LIBSQL|TYPEORM|SEQUELIZE|KNEX|PRISMA|DRIZZLE|MIKRO_ORM|HASURA|SURREAL|FIREBIRD|DB2|MARIA)_(?:[A-Z0-9]+_)*(?:PASS|PASSWORD|PWD|PASSWD|SECRET|TOKEN|AUTH_TOKEN)_|_PGPASSWORD_|_DBPASS(?:WORD)?_/, kind: 'database-password', detail: 'database password' },
  { re: /_(?:AWS|S3|R2|MINIO|SPACES|B2|BACKBLAZE|WASABI|GCS|STORAGE|BUCKET|OBJECT_STORAGE|AZURE_STORAGE|LINODE|SCW|OSS|COS|BLOB)_/, kind: 'cloud-access-key', detail: 'cloud or object-storage key' },
  { re: /_(?:CLIENT|CONSUMER|OAUTH|APP)_SECRET_|_API_(?:KEY|KEYS|SECRET|TOKEN)_|_APIKEY_|_ACCESS_TOKEN_|_AUTH_TOKEN_|_PAT_|_BOT_TOKEN_|_BEARER_/, kind: 'api-token', detail: 'API credential' },
  // `DJANGO_SECRET_KEY`, `FLASK_SECRET_KEY`: a framework's own signing key (vendors' are API keys).
  { re: /^_[A-Z0-9]+_SECRET_KEY_$/, kind: 'session-signing', detail: 'framework signing key', unlessVendor: true },
];

/** Vendor rule and the application-secret rule are applied after NAME_KINDS (see nameKind). */
const APP_SECRET_RE = /^_[A-Z0-9]+_SECRET_$/;

/**
 * Every literal word the kind rules mention, except `KEY`/`KEYS` (no rule needs only those). A
 * name with none of these words matches no rule, so the regexes are skipped (`KEY_42`).
 */
const NAME_KIND_WORDS = new Set(
  [...NAME_KINDS.flatMap((r) => r.re.source.match(/[A-Z][A-Z0-9]*/g) ?? []), ...VENDOR_WORDS, 'SECRET']
    .flatMap((w) => [w, w.replace(/\d+$/, '')])
    .filter((w) => w !== 'KEY' && w !== 'KEYS' && w !== ''),
);

/** Upper-case words of a key name: camelCase and any non-alphanumeric run separate words. */
export function splitWords(key: string): string[] {
  const words: string[] = [];
  let start = -1;
  let prevLower = false;
  let wordHasLower = false;
  for (let i = 0; i <= key.length; i++) {
    const c = i < key.length ? key.charCodeAt(i) : 0;
    const upper = c >= 65 && c <= 90;
    const lower = c >= 97 && c <= 122;
    const alnum = upper || lower || (c >= 48 && c <= 57);
    // A camelCase boundary (`jwtSecret`) or any non-alphanumeric character ends a word.
    if (start !== -1 && (!alnum || (upper && prevLower))) {
      const w = key.slice(start, i);
      words.push(wordHasLower ? w.toUpperCase() : w);
      start = -1;
    }
    if (start === -1 && alnum) {
      start = i;
      wordHasLower = false;
    }
    if (lower) wordHasLower = true;
    prevLower = lower;
  }
  return words;
}

function startsWithWords(words: string[], prefix: string[]): boolean {
  if (prefix.length >= words.length) return false;
  for (let i = 0; i < prefix.length; i++) if (words[i] !== prefix[i]) return false;
  return true;
}

function endsWithWords(words: string[], tail: string[]): boolean {
  if (tail.length > words.length) return false;
  const off = words.length - tail.length;
  for (let i = 0; i < tail.length; i++) if (words[off + i] !== tail[i]) return false;
  return true;
}

/*
 * Every word of a name is looked up once, in one map, giving a bit set of its roles; the rest
 * of the analysis is bit arithmetic. (Looking words up in several sets or object literals costs
 * a hash, or a string-table internalisation, per lookup: too much for every entry of every file.)
 */
const W_STRONG = 1;
const W_WEAK = 2;
const W_KEY = 4;
const W_KEY_QUALIFIER = 8;
const W_QUALIFIER = 16;
const W_NON_SECRET = 32;
const W_PUBLIC = 64;
const W_CLIENT_FIRST = 128;
const W_PROVIDER = 256;
/** A word some NAME_KINDS rule mentions. */
const W_KIND = 512;
const W_VENDOR = 1024;

/**
 * Words that start a name-gated provider rule's key pattern (see providers.ts): a name without
 * one of them skips those rules.
 */
export const PROVIDER_GATE_WORDS = [
  'AWS', 'AMAZON', 'S3', 'R2', 'MINIO', 'SPACES', 'DO', 'B2', 'WASABI', 'STORAGE', 'SCW', 'LINODE', 'BUCKET', 'OBJECT',
  'ACCESS', 'AZURE', 'TWILIO', 'MAILGUN', 'POSTMARK', 'CLOUDFLARE', 'CF', 'VERCEL', 'HEROKU', 'DATADOG', 'DD', 'VAULT',
  'OKTA', 'ALGOLIA', 'CONTRIBSYS', 'ADO', 'AZDO', 'VSTS', 'WANDB', 'COHERE', 'CO', 'MISTRAL', 'DEEPGRAM', 'ASSEMBLYAI',
  'ELEVENLABS', 'ELEVEN', 'XI', 'MOLLIE', 'GOCARDLESS', 'LOB', 'ADYEN', 'SPARKPOST', 'MAILJET', 'PUSHER', 'MATTERMOST',
  'MESSAGEBIRD', 'MESSAGE', 'BIRD', 'SENDBIRD', 'PAGERDUTY', 'PD', 'OPSGENIE', 'BUGSNAG', 'ROLLBAR', 'AMPLITUDE',
  'MIXPANEL', 'CODECOV', 'SNYK', 'SENTRY', 'TRAVIS', 'NGROK', 'RAILWAY', 'HETZNER', 'HCLOUD', 'VULTR', 'FASTLY',
  'SPOTIFY', 'TWITCH', 'ZENDESK', 'BEAMER', 'RAPIDAPI', 'BITTREX', 'KUCOIN', 'CONFLUENT', 'MERAKI', 'SUMO',
  'SUMOLOGIC', 'UPSTASH', 'TWITTER', 'X',
];

const WORD_BITS = new Map<string, number>();
function mark(words: Iterable<string>, bit: number): void {
  for (const w of words) WORD_BITS.set(w, (WORD_BITS.get(w) ?? 0) | bit);
}
mark(STRONG_WORDS, W_STRONG);
mark(WEAK_WORDS, W_WEAK);
mark(['KEY', 'KEYS'], W_KEY);
mark(STRONG_KEY_QUALIFIERS, W_KEY_QUALIFIER);
mark(QUALIFIERS, W_QUALIFIER);
mark(NON_SECRET_WORDS, W_NON_SECRET);
mark(Object.keys(PUBLIC_WORDS), W_PUBLIC);
mark(CLIENT_PREFIXES.map((p) => p[0]!), W_CLIENT_FIRST);
mark(PROVIDER_GATE_WORDS, W_PROVIDER);
mark(NAME_KIND_WORDS, W_KIND);
mark(VENDOR_WORDS, W_VENDOR);

/** Scratch space for word bits: names have few words, and this runs for every entry. */
const scratchBits = new Int32Array(64);

/** Role bits of one word; compound words ending in a keyword (`PGPASSWORD`) count as strong. */
function wordBits(w: string): number {
  // Numbers (`KEY_42`, `V2`) qualify, without a map lookup.
  const c0 = w.charCodeAt(0);
  if (c0 >= 48 && c0 <= 57) return isDigits(w, 0) ? W_QUALIFIER : 0;
  if (c0 === 86 && w.length > 1 && isDigits(w, 1)) return W_QUALIFIER;
  const bits = WORD_BITS.get(w) ?? 0;
  if (bits & (W_STRONG | W_WEAK | W_KEY)) return bits;
  // Compound words end in D (PASSWORD, PASSWD), T (SECRET), N (TOKEN) or Y (APIKEY).
  const last = w.charCodeAt(w.length - 1);
  if (w.length > 5 && (last === 68 || last === 84 || last === 78 || last === 89)) {
    for (const s of STRONG_SUFFIXES) if (w.length > s.length && w.endsWith(s)) return bits | W_STRONG;
  }
  return bits;
}

function isDigits(w: string, from: number): boolean {
  for (let i = from; i < w.length; i++) {
    const c = w.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

function strengthAt(words: string[], bits: Int32Array, i: number): KeywordStrength | undefined {
  const b = bits[i]!;
  if (b & W_STRONG) return 'strong';
  if (b & W_KEY) {
    const before = i > 0 ? bits[i - 1]! : 0;
    if (before & W_KEY_QUALIFIER) return 'strong';
    // Laravel's APP_KEY names the application's own key.
    if (words.length === 2 && words[0] === 'APP') return 'strong';
    return 'weak';
  }
  if (b & W_WEAK) return 'weak';
  return undefined;
}

/**
 * Analyses a key name: a split into words, one map lookup per word, a little bit arithmetic.
 * Cheap enough to run for every entry without a cache (a cache costs more than it saves on a
 * first scan, measured in bench/detect.ts).
 */
export function analyzeKeyName(key: string): NameInfo {
  return analyzeUncached(key);
}

function analyzeUncached(key: string): NameInfo {
  let words = splitWords(key);
  if (words.length > 64) words = words.slice(0, 64);
  const n = words.length;
  const bits = scratchBits;
  let any = 0;
  for (let i = 0; i < n; i++) any |= bits[i] = wordBits(words[i]!);
  const info: NameInfo = { key, words, providerWord: (any & W_PROVIDER) !== 0, roles: any };
  if (n === 0) return info;
  if (bits[0]! & W_CLIENT_FIRST) {
    for (const prefix of CLIENT_PREFIXES) {
      if (startsWithWords(words, prefix)) {
        info.clientExposed = `${prefix.join('_')}_`;
        break;
      }
    }
  }
  if (any & W_PUBLIC) {
    for (const w of words) {
      const why = PUBLIC_WORDS[w];
      if (why) {
        info.nonSecret = why;
        break;
      }
    }
  }
  const lastWord = words[n - 1]!;
  if (!info.nonSecret && lastWord === 'KEY' && n >= 2) {
    if (words[n - 2] === 'SITE') info.nonSecret = 'site key (public)';
    // Search-only keys (Algolia, Typesense, Meilisearch) are embedded in web pages on purpose.
    else if (words.includes('SEARCH') && !words.includes('ADMIN')) info.nonSecret = 'search-only key (public)';
    // `CACHE_KEY=v3-deps-<hash>`: a key into a cache or table, not a key that unlocks anything.
    else if (LOOKUP_KEY_WORDS.has(words[n - 2]!)) info.nonSecret = 'cache or lookup key (an identifier)';
    // Pusher's app key is the public half that browsers subscribe with; the secret is `*_APP_SECRET`.
    else if (words.includes('PUSHER')) info.nonSecret = 'Pusher app key (public)';
  }

  if (any & (W_STRONG | W_WEAK | W_KEY)) {
    let kwIndex = -1;
    let strength: KeywordStrength | undefined;
    for (let i = n - 1; i >= 0; i--) {
      strength = strengthAt(words, bits, i);
      if (strength) {
        kwIndex = i;
        break;
      }
    }
    if (kwIndex >= 0 && strength) {
      let weakened = false;
      let nonSecretAfter = -1;
      for (let i = kwIndex + 1; i < n; i++) {
        const b = bits[i]!;
        if (b & W_NON_SECRET) {
          nonSecretAfter = i;
          break;
        }
        if (!(b & W_QUALIFIER)) weakened = true;
      }
      info.keyword = { word: words[kwIndex]!, strength: weakened ? 'weak' : strength };
      if (nonSecretAfter !== -1) info.nonSecret ??= `name ends in ${words.slice(kwIndex).join('_')}`;
      // A strong keyword earlier in the name still counts when nothing after it says
      // "configuration" (`TOKEN_SECRET_BACKUP` keeps `SECRET`).
      if (info.keyword.strength === 'weak' && nonSecretAfter === -1) {
        for (let i = kwIndex - 1; i >= 0; i--) {
          if (strengthAt(words, bits, i) === 'strong') {
            info.keyword = { word: words[i]!, strength: 'strong' };
            break;
          }
        }
      }
    }
  } else if (bits[n - 1]! & W_NON_SECRET) {
    info.nonSecret ??= `name ends in ${lastWord}`;
  }

  if (lastWord === 'ID' || lastWord === 'SID' || lastWord === 'KEY') {
    for (const tail of PAIR_ID_TAILS) {
      if (endsWithWords(words, tail)) {
        info.pairPrefix = words.slice(0, n - tail.length);
        break;
      }
    }
  }
  return info;
}

/** The key as `_WORD_WORD_`, the form name rules and name-gated provider rules are written against. */
export function joinedWords(info: NameInfo): string {
  return info.words.length ? `_${info.words.join('_')}_` : '';
}

/**
 * The kind the name suggests for a secret (`undefined` when no rule applies). Computed only
 * for entries that are secrets: the rules are a dozen regexes.
 */
export function nameKind(info: NameInfo): NameKind | undefined {
  if (!(info.roles & W_KIND)) return undefined;
  const joined = joinedWords(info);
  const vendor = (info.roles & W_VENDOR) !== 0;
  for (const rule of NAME_KINDS) {
    if (rule.unlessVendor && vendor) continue;
    if (rule.re.test(joined)) return { kind: rule.kind, detail: rule.detail, ...(rule.intervalDays ? { intervalDays: rule.intervalDays } : {}) };
  }
  // A vendor's token, key or secret is an API credential; a password (`GRAFANA_ADMIN_PASSWORD`) is an account's.
  if (vendor && info.keyword && !/PASS|PWD/.test(info.keyword.word)) return { kind: 'api-token', detail: 'third-party API credential' };
  if (APP_SECRET_RE.test(joined)) return { kind: 'session-signing', detail: 'application secret' };
  return undefined;
}

const TOKEN_KIND: NameKind = Object.freeze({ kind: 'api-token', detail: 'token' });
const API_KEY_KIND: NameKind = Object.freeze({ kind: 'api-token', detail: 'API key' });
const GENERIC_KIND: NameKind = Object.freeze({ kind: 'generic-secret', detail: 'secret' });

/** The kind for a secret whose name matched no specific rule, from its keyword alone. */
export function kindFromKeyword(info: NameInfo): NameKind {
  const w = info.keyword?.word ?? '';
  if (w.includes('TOKEN')) return TOKEN_KIND;
  if (w.startsWith('API')) return API_KEY_KIND;
  return GENERIC_KIND;
}

/** Whether `words` name the secret half of a credential pair whose id half has `prefix`. */
export function isPairSecret(prefix: string[], words: string[]): boolean {
  if (!startsWithWords(words, prefix) && prefix.length > 0) return false;
  const rest = words.slice(prefix.length);
  return rest.some((w) => w === 'SECRET' || w === 'TOKEN' || w === 'PASSWORD' || w.endsWith('SECRET')) && !rest.includes('ID');
}
