import type { KindId } from '../catalog/types';
import { joinedWords, type NameInfo } from './names';
import { degenerateReason } from './placeholders';
import { entropyOf, type ValueProfile } from './valueProfile';

/*
 * Token formats issued by providers. Facts about the formats come from the public rule sets of
 * gitleaks, secretlint, detect-secrets and noseyparker; the rules are written for rekey.
 *
 * Three kinds of rule, cheapest first:
 * - prefix rules: a literal prefix (`ghp_`, `sk_live_`, `-----BEGIN`). One combined regex finds
 *   every prefix occurrence in a value; only rules for a prefix that occurs are tried, with a
 *   sticky regex at that position. Most values contain no prefix, so they cost one regex scan.
 * - shape rules: no prefix but a cheap character gate (`Q~` for Azure client secrets).
 * - name-gated rules: formats too generic to trust alone (a 32-hex Datadog key, a UUID Postmark
 *   token); they only apply when the key names the provider.
 */

/** What a rule concluded about a matched token. */
export type TokenVerdict =
  /** A credential in this provider's format. */
  | 'secret'
  /** A value in a format the provider publishes on purpose (Stripe `pk_`, Supabase anon JWT). */
  | 'public'
  /** The format matched but the token is a template (`-----BEGIN PRIVATE KEY-----\n...\n`). */
  | 'placeholder'
  /** An identifier half of a credential pair (Twilio `AC…` account SID). */
  | 'identifier'
  /** Not this format after all. */
  | 'no';

/** A random source for building sample tokens (tests and the fixture generator). */
export type SampleRandom = (alphabet: SampleAlphabet, length: number) => string;
export type SampleAlphabet = 'alnum' | 'hex' | 'HEX' | 'lower' | 'upper' | 'alpha' | 'digits' | 'b64' | 'b64url' | 'base32' | 'bech32';

export interface ProviderRule {
  /** Stable rule id, e.g. `stripe-secret-key`; appears in findings as `provider`. */
  id: string;
  /** Company or format family (`Stripe`, `PEM`). */
  provider: string;
  /** What the token is, for messages (`Stripe live or test secret key`). */
  label: string;
  kind: KindId;
  /** Literal, case-sensitive prefixes (prefix rules). */
  prefixes?: string[];
  /** Matches the whole token: sticky at the prefix for prefix rules, searching for shape rules, anchored for name-gated rules. */
  re: RegExp;
  /** Characters that may not come right before the prefix (default: letters and digits). */
  notAfter?: RegExp | null;
  /** Cheap test on the whole value before a shape rule's regex runs. */
  gate?: (value: string) => boolean;
  /** Name-gated rules: test on the key as `_WORD_WORD_` (upper case). */
  keyGate?: RegExp;
  /** Extra structural check on the matched token. */
  check?: (token: string, value: string, start: number) => TokenCheck;
  /** The name's kind wins when it has one (generic formats such as JWTs). */
  kindFromName?: boolean;
  /** May be shipped to browsers by design (Firebase web API keys, anon JWTs). */
  clientSafe?: boolean;
  /** Builds a valid-format sample token for tests and fixtures. */
  sample: (r: SampleRandom) => string;
  /** A key name that makes the sample realistic (required for name-gated rules). */
  sampleKey: string;
}

export interface TokenCheck {
  verdict: TokenVerdict;
  detail?: string;
  /** Override of `clientSafe` for this token (a service-role JWT is never client-safe). */
  clientSafe?: boolean;
}

export interface ProviderMatch {
  rule: ProviderRule;
  verdict: TokenVerdict;
  /** Set when the token's random part is degenerate (`sk_live_AAAA…`): a test value, low confidence. */
  degenerate?: string;
  clientSafe: boolean;
  detail?: string;
  /** Offsets of the token in the value. */
  start: number;
  end: number;
}

const TRAIL = '(?![A-Za-z0-9])';
const TRAIL_DASH = '(?![A-Za-z0-9_-])';
const TRAIL_B64 = '(?![A-Za-z0-9+/=])';

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

type RuleSpec = Omit<ProviderRule, 're'> & { body: string; trail?: string; flags?: string };

/** A prefix rule: `prefixes` then `body`, then the trailing boundary. */
function prefixed(spec: RuleSpec): ProviderRule {
  const { body, trail = TRAIL, flags = '', ...rest } = spec;
  const alt = (spec.prefixes ?? []).map(escapeRe).join('|');
  return { ...rest, re: new RegExp(`(?:${alt})(?:${body})${trail}`, `y${flags}`) };
}

/** A name-gated rule: the whole (trimmed) value must match `body`. */
function named(spec: RuleSpec): ProviderRule {
  const { body, flags = '', trail: _trail, ...rest } = spec;
  return { ...rest, re: new RegExp(`^(?:${body})$`, flags) };
}

/** A shape rule: `body` is searched in the value once `gate` passes; group 1 is the token. */
function shaped(spec: RuleSpec): ProviderRule {
  const { body, flags = '', trail: _trail, ...rest } = spec;
  return { ...rest, re: new RegExp(body, `g${flags}`) };
}

function b64urlJson(s: string): unknown {
  try {
    const text = Buffer.from(s, 'base64url').toString('utf8');
    if (!text.startsWith('{')) return undefined;
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function jwtCheck(token: string): TokenCheck {
  const [h, p] = token.split('.');
  const header = b64urlJson(h ?? '');
  if (!header || typeof header !== 'object' || !('alg' in header || 'typ' in header)) return { verdict: 'no' };
  const payload = b64urlJson(p ?? '');
  const role = payload && typeof payload === 'object' && 'role' in payload ? String(payload.role) : undefined;
  if (role === 'anon') return { verdict: 'public', detail: 'JWT with role "anon" (published by design)' };
  if (role === 'service_role') return { verdict: 'secret', detail: 'JWT with role "service_role"', clientSafe: false };
  return { verdict: 'secret' };
}

/** Base64 characters in a PEM body once headers (`Proc-Type:`), line breaks and `\n` escapes are removed. */
function pemBodyLength(body: string): { length: number; degenerate?: string } {
  let core = '';
  for (const line of body.split(/\\r\\n|\\n|\r?\n/)) {
    if (line.includes(':')) continue; // Proc-Type, DEK-Info, Comment, Version headers
    core += line.replace(/[^A-Za-z0-9+/=]/g, '');
  }
  return { length: core.length, degenerate: degenerateReason(core) };
}

function pemCheck(_token: string, value: string, start: number): TokenCheck {
  const headerEnd = value.indexOf('-----', start + 10);
  if (headerEnd === -1) return { verdict: 'no' };
  const end = value.indexOf('-----END', headerEnd + 5);
  const body = pemBodyLength(value.slice(headerEnd + 5, end === -1 ? undefined : end));
  // The smallest real key (Ed25519 PKCS#8) has a 64-character body.
  if (body.length >= 60 && !body.degenerate) return { verdict: 'secret' };
  if (end === -1 && body.length === 0) {
    // dotenv reads an unquoted multi-line PEM as its first line only: the key sits below it in the file.
    return { verdict: 'secret', detail: 'PEM header whose body dotenv does not read (unquoted multi-line value)' };
  }
  return { verdict: 'placeholder', detail: 'PEM block without key material' };
}

function pemBase64Check(token: string): TokenCheck {
  const text = Buffer.from(token, 'base64').toString('latin1');
  const at = text.indexOf('-----BEGIN');
  if (at === -1 || !/PRIVATE KEY/.test(text.slice(at, at + 80))) return { verdict: 'no' };
  return pemCheck(text, text, at);
}

const SERVICE_ACCOUNT_RE = /"type"\s*:\s*"service_account"/;

function serviceAccountCheck(_token: string, value: string): TokenCheck {
  if (!SERVICE_ACCOUNT_RE.test(value)) return { verdict: 'no' };
  const at = value.indexOf('-----BEGIN');
  if (at === -1) return { verdict: 'placeholder', detail: 'service-account JSON without a private key' };
  const pem = pemCheck(value, value, at);
  return pem.verdict === 'secret' ? { verdict: 'secret', detail: 'Google service-account JSON with a private key' } : pem;
}

function serviceAccountBase64Check(token: string): TokenCheck {
  const text = Buffer.from(token, 'base64').toString('utf8');
  return serviceAccountCheck(text, text);
}

/** Tokens whose random part must look random (short or common prefixes). */
function randomBody(prefixLength: number): (token: string) => TokenCheck {
  return (token) => (entropyOf(token.slice(prefixLength))?.random ? { verdict: 'secret' } : { verdict: 'no' });
}

function discordCheck(token: string): TokenCheck {
  // The first segment is the bot's user id (a 17-20 digit snowflake) in base64.
  const id = Buffer.from(token.split('.')[0] ?? '', 'base64url').toString('latin1');
  return /^\d{17,20}$/.test(id) ? { verdict: 'secret' } : { verdict: 'no' };
}

const uuid = (r: SampleRandom) => `${r('hex', 8)}-${r('hex', 4)}-4${r('hex', 3)}-a${r('hex', 3)}-${r('hex', 12)}`;
const b64json = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

/** Every provider rule. Order matters only among rules that share a prefix. */
export const PROVIDER_RULES: ProviderRule[] = [
  // AWS
  prefixed({ id: 'aws-access-key-id', provider: 'AWS', label: 'AWS access key id', kind: 'cloud-access-key', prefixes: ['AKIA', 'ASIA', 'ABIA', 'ACCA'], body: '[A-Z2-7]{16}', sample: (r) => `AKIA${r('base32', 16)}`, sampleKey: 'AWS_ACCESS_KEY_ID' }),
  named({ id: 'aws-secret-access-key', provider: 'AWS', label: 'AWS secret access key', kind: 'cloud-access-key', keyGate: /_(?:AWS|AMAZON|S3|R2|MINIO|SPACES|DO_SPACES|B2|WASABI|STORAGE|SCW|LINODE|BUCKET|OBJECT_STORAGE)_(?:[A-Z0-9]+_)*SECRET|_SECRET_ACCESS_KEY_/, body: '[A-Za-z0-9/+]{40}', check: randomBody(0), sample: (r) => r('b64', 40), sampleKey: 'AWS_SECRET_ACCESS_KEY' }),
  prefixed({ id: 'aws-bedrock-api-key', provider: 'AWS', label: 'Amazon Bedrock API key', kind: 'cloud-access-key', prefixes: ['ABSK'], body: '[A-Za-z0-9+/]{109,269}={0,2}', trail: TRAIL_B64, sample: (r) => `ABSK${r('b64', 120)}`, sampleKey: 'AWS_BEARER_TOKEN_BEDROCK' }),
  // GitHub
  prefixed({ id: 'github-pat', provider: 'GitHub', label: 'GitHub personal access token (classic)', kind: 'api-token', prefixes: ['ghp_'], body: '[A-Za-z0-9]{36}', sample: (r) => `ghp_${r('alnum', 36)}`, sampleKey: 'GITHUB_TOKEN' }),
  prefixed({ id: 'github-fine-grained-pat', provider: 'GitHub', label: 'GitHub fine-grained personal access token', kind: 'api-token', prefixes: ['github_pat_'], body: '[A-Za-z0-9]{22}_[A-Za-z0-9]{59}|[A-Za-z0-9_]{82}', trail: TRAIL_DASH, sample: (r) => `github_pat_11${r('alnum', 20)}_${r('alnum', 59)}`, sampleKey: 'GH_TOKEN' }),
  prefixed({ id: 'github-oauth-token', provider: 'GitHub', label: 'GitHub OAuth access token', kind: 'api-token', prefixes: ['gho_'], body: '[A-Za-z0-9]{36}', sample: (r) => `gho_${r('alnum', 36)}`, sampleKey: 'GITHUB_OAUTH_TOKEN' }),
  prefixed({ id: 'github-app-token', provider: 'GitHub', label: 'GitHub App token', kind: 'api-token', prefixes: ['ghu_', 'ghs_'], body: '[A-Za-z0-9]{36}|\\d+_[A-Za-z0-9_.-]{20,}', trail: TRAIL_DASH, sample: (r) => `ghs_${r('alnum', 36)}`, sampleKey: 'GITHUB_APP_TOKEN' }),
  prefixed({ id: 'github-refresh-token', provider: 'GitHub', label: 'GitHub refresh token', kind: 'api-token', prefixes: ['ghr_'], body: '[A-Za-z0-9]{36,76}', sample: (r) => `ghr_${r('alnum', 76)}`, sampleKey: 'GITHUB_REFRESH_TOKEN' }),
  // GitLab
  prefixed({ id: 'gitlab-pat', provider: 'GitLab', label: 'GitLab personal access token', kind: 'api-token', prefixes: ['glpat-'], body: '[A-Za-z0-9_-]{20,300}(?:\\.[0-9a-z]{2}\\.?[0-9a-z]{7,9})?', trail: TRAIL_DASH, sample: (r) => `glpat-${r('b64url', 20)}`, sampleKey: 'GITLAB_TOKEN' }),
  prefixed({ id: 'gitlab-token', provider: 'GitLab', label: 'GitLab deploy, runner, trigger or OAuth token', kind: 'api-token', prefixes: ['gldt-', 'glft-', 'glsoat-', 'glrt-', 'glptt-', 'glcbt-', 'glimt-', 'glagent-', 'gloas-', 'glffct-', 'GR1348941'], body: '[A-Za-z0-9_-]{20,300}', trail: TRAIL_DASH, sample: (r) => `glrt-${r('b64url', 20)}`, sampleKey: 'CI_RUNNER_TOKEN' }),
  // Slack
  prefixed({ id: 'slack-token', provider: 'Slack', label: 'Slack token', kind: 'api-token', prefixes: ['xoxb-', 'xoxp-', 'xoxa-', 'xoxo-', 'xoxs-', 'xoxr-', 'xoxe-', 'xoxe.xoxp-', 'xoxe.xoxb-'], body: '\\d+-[A-Za-z0-9-]{6,250}', trail: TRAIL_DASH, sample: (r) => `xoxb-${r('digits', 11)}-${r('digits', 13)}-${r('alnum', 24)}`, sampleKey: 'SLACK_BOT_TOKEN' }),
  prefixed({ id: 'slack-app-token', provider: 'Slack', label: 'Slack app-level token', kind: 'api-token', prefixes: ['xapp-'], body: '\\d-[A-Z0-9]+-\\d+-[a-z0-9]+', sample: (r) => `xapp-1-A${r('upper', 10)}-${r('digits', 13)}-${r('hex', 64)}`, sampleKey: 'SLACK_APP_TOKEN' }),
  prefixed({ id: 'slack-webhook-url', provider: 'Slack', label: 'Slack incoming webhook URL', kind: 'api-token', prefixes: ['hooks.slack.com/'], notAfter: null, body: '(?:services|workflows|triggers)/[A-Za-z0-9+/_-]{20,}', trail: '', sample: (r) => `https://hooks.slack.com/services/T${r('upper', 8)}/B${r('upper', 10)}/${r('alnum', 24)}`, sampleKey: 'SLACK_WEBHOOK_URL' }),
  // Stripe
  prefixed({ id: 'stripe-secret-key', provider: 'Stripe', label: 'Stripe secret key', kind: 'api-token', prefixes: ['sk_live_', 'sk_test_', 'sk_prod_'], body: '[A-Za-z0-9]{24,247}', sample: (r) => `sk_test_${r('alnum', 99)}`, sampleKey: 'STRIPE_SECRET_KEY' }),
  prefixed({ id: 'stripe-restricted-key', provider: 'Stripe', label: 'Stripe restricted key', kind: 'api-token', prefixes: ['rk_live_', 'rk_test_', 'rk_prod_'], body: '[A-Za-z0-9]{24,247}', sample: (r) => `rk_test_${r('alnum', 99)}`, sampleKey: 'STRIPE_RESTRICTED_KEY' }),
  prefixed({ id: 'stripe-webhook-secret', provider: 'Stripe', label: 'Stripe webhook signing secret', kind: 'webhook-secret', prefixes: ['whsec_'], body: '[A-Za-z0-9+/=]{24,}', trail: TRAIL_B64, sample: (r) => `whsec_${r('alnum', 32)}`, sampleKey: 'STRIPE_WEBHOOK_SECRET' }),
  prefixed({ id: 'stripe-publishable-key', provider: 'Stripe', label: 'Stripe publishable key', kind: 'api-token', prefixes: ['pk_live_', 'pk_test_'], body: '[A-Za-z0-9$]{20,247}', check: () => ({ verdict: 'public', detail: 'publishable key (public by design)' }), sample: (r) => `pk_test_${r('alnum', 99)}`, sampleKey: 'STRIPE_PUBLISHABLE_KEY' }),
  // OpenAI
  prefixed({ id: 'openai-api-key', provider: 'OpenAI', label: 'OpenAI API key', kind: 'api-token', prefixes: ['sk-proj-', 'sk-svcacct-', 'sk-admin-', 'sk-None-', 'sk-'], body: '[A-Za-z0-9_-]{16,200}T3BlbkFJ[A-Za-z0-9_-]{16,200}', trail: TRAIL_DASH, sample: (r) => `sk-proj-${r('b64url', 74)}T3BlbkFJ${r('b64url', 74)}`, sampleKey: 'OPENAI_API_KEY' }),
  // Anthropic
  prefixed({ id: 'anthropic-api-key', provider: 'Anthropic', label: 'Anthropic API key', kind: 'api-token', prefixes: ['sk-ant-api'], body: '\\d{2}-[A-Za-z0-9_-]{80,120}AA', trail: TRAIL_DASH, sample: (r) => `sk-ant-api03-${r('b64url', 93)}AA`, sampleKey: 'ANTHROPIC_API_KEY' }),
  prefixed({ id: 'anthropic-admin-key', provider: 'Anthropic', label: 'Anthropic admin API key', kind: 'api-token', prefixes: ['sk-ant-admin'], body: '\\d{2}-[A-Za-z0-9_-]{80,120}AA', trail: TRAIL_DASH, sample: (r) => `sk-ant-admin01-${r('b64url', 93)}AA`, sampleKey: 'ANTHROPIC_ADMIN_KEY' }),
  // Google
  prefixed({ id: 'google-api-key', provider: 'Google', label: 'Google API key', kind: 'api-token', prefixes: ['AIza'], body: '[A-Za-z0-9_-]{35}', trail: TRAIL_DASH, clientSafe: true, sample: (r) => `AIza${r('b64url', 35)}`, sampleKey: 'GOOGLE_MAPS_API_KEY' }),
  prefixed({ id: 'google-oauth-client-secret', provider: 'Google', label: 'Google OAuth client secret', kind: 'api-token', prefixes: ['GOCSPX-'], body: '[A-Za-z0-9_-]{28}', trail: TRAIL_DASH, sample: (r) => `GOCSPX-${r('b64url', 28)}`, sampleKey: 'GOOGLE_CLIENT_SECRET' }),
  prefixed({ id: 'gcp-service-account', provider: 'Google', label: 'Google service-account JSON key', kind: 'cloud-access-key', prefixes: ['"service_account"'], notAfter: null, body: '', trail: '', check: serviceAccountCheck, sample: (r) => JSON.stringify({ type: 'service_account', project_id: 'fake-project', private_key_id: r('hex', 40), private_key: `-----BEGIN PRIVATE KEY-----\n${r('b64', 64)}\n${r('b64', 64)}\n-----END PRIVATE KEY-----\n`, client_email: 'fake@fake-project.iam.gserviceaccount.com' }), sampleKey: 'GOOGLE_APPLICATION_CREDENTIALS_JSON' }),
  prefixed({ id: 'gcp-service-account-base64', provider: 'Google', label: 'Google service-account JSON key (base64)', kind: 'cloud-access-key', prefixes: ['eyJ0eXBlIjoic2VydmljZV9hY2NvdW50', 'ewogICJ0eXBlIjogInNlcnZpY2VfYWNjb3VudCIs'], body: '[A-Za-z0-9+/]{60,}={0,2}', trail: TRAIL_B64, check: serviceAccountBase64Check, sample: (r) => Buffer.from(JSON.stringify({ type: 'service_account', private_key: `-----BEGIN PRIVATE KEY-----\n${r('b64', 64)}\n${r('b64', 64)}\n-----END PRIVATE KEY-----\n` })).toString('base64'), sampleKey: 'GCP_CREDENTIALS_BASE64' }),
  // Azure
  prefixed({ id: 'azure-storage-account-key', provider: 'Azure', label: 'Azure storage account key', kind: 'cloud-access-key', prefixes: ['AccountKey='], notAfter: null, body: '[A-Za-z0-9+/]{86}==', trail: '', sample: (r) => `DefaultEndpointsProtocol=https;AccountName=fakeaccount;AccountKey=${r('b64', 86)}==;EndpointSuffix=core.windows.net`, sampleKey: 'AZURE_STORAGE_CONNECTION_STRING' }),
  prefixed({ id: 'azure-shared-access-key', provider: 'Azure', label: 'Azure shared access key', kind: 'api-token', prefixes: ['SharedAccessKey='], notAfter: null, body: '[A-Za-z0-9+/]{42,44}=', trail: '', sample: (r) => `Endpoint=sb://fake.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=${r('b64', 43)}=`, sampleKey: 'SERVICEBUS_CONNECTION_STRING' }),
  shaped({ id: 'azure-ad-client-secret', provider: 'Azure', label: 'Azure AD (Entra ID) client secret', kind: 'api-token', gate: (v) => v.includes('Q~'), body: '(?:^|[^A-Za-z0-9_~.-])([A-Za-z0-9_~.]{3}\\dQ~[A-Za-z0-9_~.-]{31,34})(?![A-Za-z0-9_~.-])', sample: (r) => `${r('alnum', 3)}8Q~${r('alnum', 34)}`, sampleKey: 'AZURE_CLIENT_SECRET' }),
  named({ id: 'azure-storage-key-named', provider: 'Azure', label: 'Azure storage account key', kind: 'cloud-access-key', keyGate: /_AZURE_.*_(?:KEY|SECRET|ACCESS_KEY)_|_STORAGE_ACCOUNT_KEY_/, body: '[A-Za-z0-9+/]{86}==', sample: (r) => `${r('b64', 86)}==`, sampleKey: 'AZURE_STORAGE_KEY' }),
  // Twilio
  prefixed({ id: 'twilio-api-key', provider: 'Twilio', label: 'Twilio API key SID', kind: 'api-token', prefixes: ['SK'], body: '[0-9a-f]{32}', check: randomBody(2), sample: (r) => `SK${r('hex', 32)}`, sampleKey: 'TWILIO_API_KEY' }),
  prefixed({ id: 'twilio-account-sid', provider: 'Twilio', label: 'Twilio account SID', kind: 'api-token', prefixes: ['AC'], body: '[0-9a-f]{32}', check: (t) => (randomBody(2)(t).verdict === 'secret' ? { verdict: 'identifier', detail: 'account SID (an identifier)' } : { verdict: 'no' }), sample: (r) => `AC${r('hex', 32)}`, sampleKey: 'TWILIO_ACCOUNT_SID' }),
  named({ id: 'twilio-auth-token', provider: 'Twilio', label: 'Twilio auth token', kind: 'api-token', keyGate: /_TWILIO_.*(?:TOKEN|SECRET)/, body: '[0-9a-f]{32}', sample: (r) => r('hex', 32), sampleKey: 'TWILIO_AUTH_TOKEN' }),
  // E-mail providers
  prefixed({ id: 'sendgrid-api-key', provider: 'SendGrid', label: 'SendGrid API key', kind: 'smtp-password', prefixes: ['SG.'], body: '[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}', trail: TRAIL_DASH, sample: (r) => `SG.${r('b64url', 22)}.${r('b64url', 43)}`, sampleKey: 'SENDGRID_API_KEY' }),
  prefixed({ id: 'resend-api-key', provider: 'Resend', label: 'Resend API key', kind: 'smtp-password', prefixes: ['re_'], body: '[A-Za-z0-9]{6,12}_[A-Za-z0-9]{16,40}', check: randomBody(3), sample: (r) => `re_${r('alnum', 8)}_${r('alnum', 24)}`, sampleKey: 'RESEND_API_KEY' }),
  prefixed({ id: 'mailgun-api-key', provider: 'Mailgun', label: 'Mailgun private API key', kind: 'smtp-password', prefixes: ['key-'], body: '[0-9a-f]{32}', check: randomBody(4), sample: (r) => `key-${r('hex', 32)}`, sampleKey: 'MAILGUN_API_KEY' }),
  named({ id: 'mailgun-key-named', provider: 'Mailgun', label: 'Mailgun API or signing key', kind: 'smtp-password', keyGate: /_MAILGUN_.*(?:KEY|SECRET|TOKEN)/, body: '[0-9a-f]{32}-[0-9a-f]{8}-[0-9a-f]{8}', sample: (r) => `${r('hex', 32)}-${r('hex', 8)}-${r('hex', 8)}`, sampleKey: 'MAILGUN_SIGNING_KEY' }),
  named({ id: 'postmark-server-token', provider: 'Postmark', label: 'Postmark server or account token', kind: 'smtp-password', keyGate: /_POSTMARK_.*(?:TOKEN|KEY|SECRET)/, body: '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}', flags: 'i', sample: uuid, sampleKey: 'POSTMARK_SERVER_TOKEN' }),
  prefixed({ id: 'brevo-api-key', provider: 'Brevo', label: 'Brevo (Sendinblue) API key', kind: 'smtp-password', prefixes: ['xkeysib-', 'xsmtpsib-'], body: '[a-f0-9]{64}-[A-Za-z0-9]{16}', sample: (r) => `xkeysib-${r('hex', 64)}-${r('alnum', 16)}`, sampleKey: 'BREVO_API_KEY' }),
  shaped({ id: 'mailchimp-api-key', provider: 'Mailchimp', label: 'Mailchimp API key', kind: 'api-token', gate: (v) => v.includes('-us'), body: '(?:^|[^A-Za-z0-9])([a-f0-9]{32}-us\\d{1,2})(?![A-Za-z0-9])', sample: (r) => `${r('hex', 32)}-us14`, sampleKey: 'MAILCHIMP_API_KEY' }),
  // Cloudflare
  prefixed({ id: 'cloudflare-api-token', provider: 'Cloudflare', label: 'Cloudflare API token', kind: 'api-token', prefixes: ['cfat_', 'cfut_', 'cfk_'], body: '[A-Za-z0-9]{40}[a-f0-9]{8}', sample: (r) => `cfut_${r('alnum', 40)}${r('hex', 8)}`, sampleKey: 'CLOUDFLARE_API_TOKEN' }),
  prefixed({ id: 'cloudflare-origin-ca-key', provider: 'Cloudflare', label: 'Cloudflare Origin CA key', kind: 'api-token', prefixes: ['v1.0-'], body: '[a-f0-9]{24}-[a-f0-9]{146}', sample: (r) => `v1.0-${r('hex', 24)}-${r('hex', 146)}`, sampleKey: 'CF_ORIGIN_CA_KEY' }),
  named({ id: 'cloudflare-api-token-named', provider: 'Cloudflare', label: 'Cloudflare API token', kind: 'api-token', keyGate: /_(?:CLOUDFLARE|CF)_.*(?:TOKEN|KEY|SECRET)/, body: '[A-Za-z0-9_-]{40}', check: randomBody(0), sample: (r) => r('b64url', 40), sampleKey: 'CLOUDFLARE_API_TOKEN' }),
  named({ id: 'cloudflare-global-api-key', provider: 'Cloudflare', label: 'Cloudflare global API key', kind: 'api-token', keyGate: /_(?:CLOUDFLARE|CF)_.*(?:KEY|TOKEN)/, body: '[a-f0-9]{37}', sample: (r) => r('hex', 37), sampleKey: 'CLOUDFLARE_API_KEY' }),
  // Package registries
  prefixed({ id: 'npm-token', provider: 'npm', label: 'npm access token', kind: 'api-token', prefixes: ['npm_'], body: '[A-Za-z0-9]{36}', sample: (r) => `npm_${r('alnum', 36)}`, sampleKey: 'NPM_TOKEN' }),
  prefixed({ id: 'npmrc-auth-token', provider: 'npm', label: 'registry auth token in .npmrc syntax', kind: 'api-token', prefixes: ['_authToken='], notAfter: null, body: '[^\\s$\'"{}]{16,}', trail: '', sample: (r) => `//registry.npmjs.org/:_authToken=${r('alnum', 36)}`, sampleKey: 'NPM_CONFIG_REGISTRY_AUTH' }),
  prefixed({ id: 'pypi-token', provider: 'PyPI', label: 'PyPI upload token', kind: 'api-token', prefixes: ['pypi-AgEIcHlwaS5vcmc', 'pypi-AgENdGVzdC5weXBpLm9yZw'], body: '[A-Za-z0-9_-]{50,1000}', trail: TRAIL_DASH, sample: (r) => `pypi-AgEIcHlwaS5vcmc${r('b64url', 120)}`, sampleKey: 'PYPI_TOKEN' }),
  prefixed({ id: 'rubygems-api-key', provider: 'RubyGems', label: 'RubyGems API key', kind: 'api-token', prefixes: ['rubygems_'], body: '[a-f0-9]{48}', sample: (r) => `rubygems_${r('hex', 48)}`, sampleKey: 'GEM_HOST_API_KEY' }),
  prefixed({ id: 'docker-pat', provider: 'Docker', label: 'Docker Hub access token', kind: 'api-token', prefixes: ['dckr_pat_', 'dckr_oat_'], body: '[A-Za-z0-9_-]{27,}', trail: TRAIL_DASH, sample: (r) => `dckr_pat_${r('b64url', 27)}`, sampleKey: 'DOCKERHUB_TOKEN' }),
  // Commerce and SaaS
  prefixed({ id: 'shopify-token', provider: 'Shopify', label: 'Shopify access token or shared secret', kind: 'api-token', prefixes: ['shpat_', 'shpca_', 'shppa_', 'shpss_'], body: '[A-Za-z0-9]{32,}', sample: (r) => `shpat_${r('hex', 32)}`, sampleKey: 'SHOPIFY_ACCESS_TOKEN' }),
  prefixed({ id: 'square-token', provider: 'Square', label: 'Square access token or OAuth secret', kind: 'api-token', prefixes: ['EAAA', 'sq0atp-', 'sq0csp-'], body: '[A-Za-z0-9_-]{22,60}', trail: TRAIL_DASH, check: randomBody(4), sample: (r) => `EAAA${r('b64url', 60)}`, sampleKey: 'SQUARE_ACCESS_TOKEN' }),
  prefixed({ id: 'shippo-api-token', provider: 'Shippo', label: 'Shippo API token', kind: 'api-token', prefixes: ['shippo_live_', 'shippo_test_'], body: '[a-fA-F0-9]{40}', sample: (r) => `shippo_test_${r('hex', 40)}`, sampleKey: 'SHIPPO_API_TOKEN' }),
  prefixed({ id: 'airtable-pat', provider: 'Airtable', label: 'Airtable personal access token', kind: 'api-token', prefixes: ['pat'], body: '[A-Za-z0-9]{14}\\.[a-f0-9]{64}', sample: (r) => `pat${r('alnum', 14)}.${r('hex', 64)}`, sampleKey: 'AIRTABLE_TOKEN' }),
  prefixed({ id: 'postman-api-key', provider: 'Postman', label: 'Postman API key', kind: 'api-token', prefixes: ['PMAK-'], body: '[a-f0-9]{24}-[a-f0-9]{34}', sample: (r) => `PMAK-${r('hex', 24)}-${r('hex', 34)}`, sampleKey: 'POSTMAN_API_KEY' }),
  // Chat
  shaped({ id: 'discord-bot-token', provider: 'Discord', label: 'Discord bot token', kind: 'api-token', gate: (v) => v.length >= 58 && v.indexOf('.') !== v.lastIndexOf('.'), body: '(?:^|[^A-Za-z0-9_-])([MNO][A-Za-z0-9_-]{23,27}\\.[A-Za-z0-9_-]{6}\\.[A-Za-z0-9_-]{27,40})(?![A-Za-z0-9_-])', check: discordCheck, sample: (r) => `${Buffer.from(`1${r('digits', 17)}`).toString('base64url')}.${r('b64url', 6)}.${r('b64url', 38)}`, sampleKey: 'DISCORD_BOT_TOKEN' }),
  prefixed({ id: 'discord-webhook-url', provider: 'Discord', label: 'Discord webhook URL', kind: 'api-token', prefixes: ['discord.com/api/webhooks/', 'discordapp.com/api/webhooks/'], notAfter: /[A-Za-z0-9-]/, body: '\\d{17,20}/[A-Za-z0-9_-]{60,68}', trail: TRAIL_DASH, sample: (r) => `https://discord.com/api/webhooks/1${r('digits', 18)}/${r('b64url', 68)}`, sampleKey: 'DISCORD_WEBHOOK_URL' }),
  shaped({ id: 'telegram-bot-token', provider: 'Telegram', label: 'Telegram bot token', kind: 'api-token', gate: (v) => v.includes(':A'), body: '(?:^|[^0-9A-Za-z])(\\d{8,10}:A[A-Za-z0-9_-]{34})(?![A-Za-z0-9_-])', sample: (r) => `${r('digits', 10)}:AA${r('b64url', 33)}`, sampleKey: 'TELEGRAM_BOT_TOKEN' }),
  // Developer platforms
  prefixed({ id: 'linear-api-key', provider: 'Linear', label: 'Linear API key', kind: 'api-token', prefixes: ['lin_api_', 'lin_oauth_'], body: '[A-Za-z0-9]{40,64}', sample: (r) => `lin_api_${r('alnum', 40)}`, sampleKey: 'LINEAR_API_KEY' }),
  prefixed({ id: 'vercel-token', provider: 'Vercel', label: 'Vercel access token', kind: 'api-token', prefixes: ['vcp_', 'vci_', 'vca_', 'vcr_', 'vck_'], body: '[A-Za-z0-9]{24,}', sample: (r) => `vcp_${r('alnum', 56)}`, sampleKey: 'VERCEL_TOKEN' }),
  named({ id: 'vercel-token-named', provider: 'Vercel', label: 'Vercel access token', kind: 'api-token', keyGate: /_VERCEL_.*(?:TOKEN|KEY|SECRET)/, body: '[A-Za-z0-9]{24}', check: randomBody(0), sample: (r) => r('alnum', 24), sampleKey: 'VERCEL_TOKEN' }),
  prefixed({ id: 'figma-pat', provider: 'Figma', label: 'Figma personal access token', kind: 'api-token', prefixes: ['figd_'], body: '[A-Za-z0-9_-]{40,}', trail: TRAIL_DASH, sample: (r) => `figd_${r('b64url', 40)}`, sampleKey: 'FIGMA_TOKEN' }),
  prefixed({ id: 'digitalocean-token', provider: 'DigitalOcean', label: 'DigitalOcean token', kind: 'api-token', prefixes: ['dop_v1_', 'doo_v1_', 'dor_v1_'], body: '[a-f0-9]{64}', sample: (r) => `dop_v1_${r('hex', 64)}`, sampleKey: 'DIGITALOCEAN_TOKEN' }),
  prefixed({ id: 'heroku-api-key', provider: 'Heroku', label: 'Heroku API key', kind: 'api-token', prefixes: ['HRKU-'], body: '[A-Za-z0-9_-]{58,64}', trail: TRAIL_DASH, sample: (r) => `HRKU-AA${r('b64url', 58)}`, sampleKey: 'HEROKU_API_KEY' }),
  named({ id: 'heroku-api-key-named', provider: 'Heroku', label: 'Heroku API key', kind: 'api-token', keyGate: /_HEROKU_.*(?:KEY|TOKEN|SECRET)/, body: '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}', flags: 'i', sample: uuid, sampleKey: 'HEROKU_API_KEY' }),
  named({ id: 'datadog-api-key', provider: 'Datadog', label: 'Datadog API key', kind: 'api-token', keyGate: /_(?:DATADOG|DD)_(?:[A-Z]+_)?(?:API_KEY|APIKEY|KEY)_/, body: '[a-f0-9]{32}', sample: (r) => r('hex', 32), sampleKey: 'DD_API_KEY' }),
  named({ id: 'datadog-app-key', provider: 'Datadog', label: 'Datadog application key', kind: 'api-token', keyGate: /_(?:DATADOG|DD)_(?:APP|APPLICATION)_KEY_/, body: '[a-f0-9]{40}', sample: (r) => r('hex', 40), sampleKey: 'DATADOG_APP_KEY' }),
  prefixed({ id: 'sentry-auth-token', provider: 'Sentry', label: 'Sentry auth token', kind: 'api-token', prefixes: ['sntrys_', 'sntryu_'], body: '[A-Za-z0-9+/=_]{60,}', trail: TRAIL_B64, sample: (r) => `sntryu_${r('hex', 64)}`, sampleKey: 'SENTRY_AUTH_TOKEN' }),
  prefixed({ id: 'notion-token', provider: 'Notion', label: 'Notion integration token', kind: 'api-token', prefixes: ['ntn_'], body: '\\d{11}[A-Za-z0-9]{35}', sample: (r) => `ntn_${r('digits', 11)}${r('alnum', 35)}`, sampleKey: 'NOTION_TOKEN' }),
  prefixed({ id: 'notion-legacy-token', provider: 'Notion', label: 'Notion integration token (legacy)', kind: 'api-token', prefixes: ['secret_'], body: '[A-Za-z0-9]{43}', check: randomBody(7), sample: (r) => `secret_${r('alnum', 43)}`, sampleKey: 'NOTION_API_KEY' }),
  prefixed({ id: 'vault-token', provider: 'HashiCorp Vault', label: 'Vault token', kind: 'api-token', prefixes: ['hvs.', 'hvb.', 'hvr.'], body: '[A-Za-z0-9_-]{90,300}', trail: TRAIL_DASH, sample: (r) => `hvs.${r('b64url', 95)}`, sampleKey: 'VAULT_TOKEN' }),
  named({ id: 'vault-legacy-token', provider: 'HashiCorp Vault', label: 'Vault token (legacy)', kind: 'api-token', keyGate: /_VAULT_.*TOKEN/, body: 's\\.[A-Za-z0-9]{24}', sample: (r) => `s.${r('alnum', 24)}`, sampleKey: 'VAULT_TOKEN' }),
  prefixed({ id: 'doppler-token', provider: 'Doppler', label: 'Doppler token', kind: 'api-token', prefixes: ['dp.pt.', 'dp.st.', 'dp.ct.', 'dp.sa.', 'dp.scim.', 'dp.audit.'], body: '(?:[a-z0-9_-]{1,40}\\.)?[A-Za-z0-9]{40,44}', sample: (r) => `dp.pt.${r('alnum', 43)}`, sampleKey: 'DOPPLER_TOKEN' }),
  prefixed({ id: 'supabase-token', provider: 'Supabase', label: 'Supabase access token or secret key', kind: 'api-token', prefixes: ['sbp_', 'sb_secret_'], body: '[a-f0-9]{40}|[A-Za-z0-9_-]{30,}', trail: TRAIL_DASH, sample: (r) => `sbp_${r('hex', 40)}`, sampleKey: 'SUPABASE_ACCESS_TOKEN' }),
  prefixed({ id: 'supabase-publishable-key', provider: 'Supabase', label: 'Supabase publishable key', kind: 'api-token', prefixes: ['sb_publishable_'], body: '[A-Za-z0-9_-]{20,}', trail: TRAIL_DASH, check: () => ({ verdict: 'public', detail: 'publishable key (public by design)' }), sample: (r) => `sb_publishable_${r('b64url', 31)}`, sampleKey: 'SUPABASE_PUBLISHABLE_KEY' }),
  prefixed({ id: 'huggingface-token', provider: 'Hugging Face', label: 'Hugging Face access token', kind: 'api-token', prefixes: ['hf_', 'api_org_'], body: '[A-Za-z]{34}', sample: (r) => `hf_${r('alpha', 34)}`, sampleKey: 'HF_TOKEN' }),
  prefixed({ id: 'atlassian-api-token', provider: 'Atlassian', label: 'Atlassian API token', kind: 'api-token', prefixes: ['ATATT3', 'ATCTT3'], body: '[A-Za-z0-9_=-]{100,}', trail: TRAIL_DASH, sample: (r) => `ATATT3${r('b64url', 186)}`, sampleKey: 'JIRA_API_TOKEN' }),
  named({ id: 'okta-api-token', provider: 'Okta', label: 'Okta API token', kind: 'api-token', keyGate: /_OKTA_/, body: '00[A-Za-z0-9_-]{40}', sample: (r) => `00${r('b64url', 40)}`, sampleKey: 'OKTA_API_TOKEN' }),
  prefixed({ id: 'planetscale-password', provider: 'PlanetScale', label: 'PlanetScale database password', kind: 'database-password', prefixes: ['pscale_pw_'], body: '[A-Za-z0-9_.=-]{32,64}', trail: TRAIL_DASH, sample: (r) => `pscale_pw_${r('b64url', 43)}`, sampleKey: 'DATABASE_PASSWORD' }),
  prefixed({ id: 'planetscale-token', provider: 'PlanetScale', label: 'PlanetScale service token', kind: 'api-token', prefixes: ['pscale_tkn_', 'pscale_oauth_'], body: '[A-Za-z0-9_.=-]{32,64}', trail: TRAIL_DASH, sample: (r) => `pscale_tkn_${r('b64url', 43)}`, sampleKey: 'PLANETSCALE_SERVICE_TOKEN' }),
  prefixed({ id: 'grafana-service-account-token', provider: 'Grafana', label: 'Grafana service account token', kind: 'api-token', prefixes: ['glsa_'], body: '[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}', sample: (r) => `glsa_${r('alnum', 32)}_${r('hex', 8)}`, sampleKey: 'GRAFANA_TOKEN' }),
  prefixed({ id: 'grafana-cloud-token', provider: 'Grafana', label: 'Grafana Cloud token', kind: 'api-token', prefixes: ['glc_'], body: '[A-Za-z0-9+/]{32,400}={0,2}', trail: TRAIL_B64, sample: (r) => `glc_${b64json({ o: r('digits', 6), n: 'fake', k: r('alnum', 24), m: { r: 'us' } })}`, sampleKey: 'GRAFANA_CLOUD_TOKEN' }),
  prefixed({ id: 'grafana-api-key', provider: 'Grafana', label: 'Grafana API key (legacy)', kind: 'api-token', prefixes: ['eyJrIjoi'], body: '[A-Za-z0-9]{60,400}={0,3}', trail: TRAIL_B64, sample: (r) => Buffer.from(JSON.stringify({ k: r('alnum', 32), n: 'fake-key', id: 1 })).toString('base64'), sampleKey: 'GRAFANA_API_KEY' }),
  prefixed({ id: 'newrelic-key', provider: 'New Relic', label: 'New Relic user or insert key', kind: 'api-token', prefixes: ['NRAK-', 'NRII-'], body: '[A-Z0-9]{27}|[A-Za-z0-9_-]{32}', trail: TRAIL_DASH, sample: (r) => `NRAK-${r('upper', 27)}`, sampleKey: 'NEW_RELIC_API_KEY' }),
  prefixed({ id: 'databricks-token', provider: 'Databricks', label: 'Databricks personal access token', kind: 'api-token', prefixes: ['dapi'], body: '[a-fA-F0-9]{32}(?:-\\d)?', sample: (r) => `dapi${r('hex', 32)}`, sampleKey: 'DATABRICKS_TOKEN' }),
  prefixed({ id: 'pulumi-token', provider: 'Pulumi', label: 'Pulumi access token', kind: 'api-token', prefixes: ['pul-'], body: '[a-f0-9]{40}', sample: (r) => `pul-${r('hex', 40)}`, sampleKey: 'PULUMI_ACCESS_TOKEN' }),
  prefixed({ id: 'mapbox-secret-token', provider: 'Mapbox', label: 'Mapbox secret token', kind: 'api-token', prefixes: ['sk.eyJ'], body: '[A-Za-z0-9_-]{20,}\\.[A-Za-z0-9_-]{20,}', trail: TRAIL_DASH, sample: (r) => `sk.${b64json({ u: 'fake', a: r('alnum', 12) })}.${r('b64url', 22)}`, sampleKey: 'MAPBOX_SECRET_TOKEN' }),
  prefixed({ id: 'mapbox-public-token', provider: 'Mapbox', label: 'Mapbox public token', kind: 'api-token', prefixes: ['pk.eyJ'], body: '[A-Za-z0-9_-]{20,}\\.[A-Za-z0-9_-]{20,}', trail: TRAIL_DASH, check: () => ({ verdict: 'public', detail: 'public token (published by design)' }), sample: (r) => `pk.${b64json({ u: 'fake', a: r('alnum', 12) })}.${r('b64url', 22)}`, sampleKey: 'MAPBOX_ACCESS_TOKEN' }),
  prefixed({ id: 'onepassword-service-account-token', provider: '1Password', label: '1Password service account token', kind: 'api-token', prefixes: ['ops_eyJ'], body: '[A-Za-z0-9+/_-]{100,}={0,3}', trail: TRAIL_B64, sample: (r) => `ops_${Buffer.from(JSON.stringify({ email: 'fake@example.invalid', secretKey: r('alnum', 40), srpX: r('hex', 64) })).toString('base64')}`, sampleKey: 'OP_SERVICE_ACCOUNT_TOKEN' }),
  prefixed({ id: 'groq-api-key', provider: 'Groq', label: 'Groq API key', kind: 'api-token', prefixes: ['gsk_'], body: '[A-Za-z0-9]{52}', sample: (r) => `gsk_${r('alnum', 52)}`, sampleKey: 'GROQ_API_KEY' }),
  prefixed({ id: 'tailscale-key', provider: 'Tailscale', label: 'Tailscale key', kind: 'api-token', prefixes: ['tskey-'], notAfter: /[A-Za-z]/, body: '[a-z]+-[A-Za-z0-9]{6,}-[A-Za-z0-9]{16,}', sample: (r) => `tskey-auth-k${r('alnum', 11)}-${r('alnum', 32)}`, sampleKey: 'TS_AUTHKEY' }),
  prefixed({ id: 'perplexity-api-key', provider: 'Perplexity', label: 'Perplexity API key', kind: 'api-token', prefixes: ['pplx-'], body: '[A-Za-z0-9]{48}', sample: (r) => `pplx-${r('alnum', 48)}`, sampleKey: 'PERPLEXITY_API_KEY' }),
  prefixed({ id: 'flyio-token', provider: 'Fly.io', label: 'Fly.io access token', kind: 'api-token', prefixes: ['fo1_', 'fm1a_', 'fm1r_', 'fm2_'], body: '[A-Za-z0-9_-]{43}|[A-Za-z0-9+/]{100,}={0,3}', trail: TRAIL_B64, sample: (r) => `fm2_${r('b64', 120)}`, sampleKey: 'FLY_API_TOKEN' }),
  prefixed({ id: 'dynatrace-token', provider: 'Dynatrace', label: 'Dynatrace API token', kind: 'api-token', prefixes: ['dt0c01.'], body: '[A-Za-z0-9]{24}\\.[A-Za-z0-9]{64}', sample: (r) => `dt0c01.${r('upper', 24)}.${r('alnum', 64)}`, sampleKey: 'DT_API_TOKEN' }),
  prefixed({ id: 'prefect-api-key', provider: 'Prefect', label: 'Prefect API key', kind: 'api-token', prefixes: ['pnu_'], body: '[A-Za-z0-9]{36}', sample: (r) => `pnu_${r('alnum', 36)}`, sampleKey: 'PREFECT_API_KEY' }),
  named({ id: 'algolia-admin-key', provider: 'Algolia', label: 'Algolia admin API key', kind: 'api-token', keyGate: /_ALGOLIA_.*(?:ADMIN|WRITE|SECRET)/, body: '[a-f0-9]{32}', sample: (r) => r('hex', 32), sampleKey: 'ALGOLIA_ADMIN_KEY' }),
  prefixed({ id: 'alibaba-access-key-id', provider: 'Alibaba Cloud', label: 'Alibaba Cloud access key id', kind: 'cloud-access-key', prefixes: ['LTAI'], body: '[A-Za-z0-9]{12,20}', check: randomBody(4), sample: (r) => `LTAI${r('alnum', 20)}`, sampleKey: 'ALIBABA_ACCESS_KEY_ID' }),
  prefixed({ id: 'age-secret-key', provider: 'age', label: 'age secret key', kind: 'private-key', prefixes: ['AGE-SECRET-KEY-1'], body: '[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}', sample: (r) => `AGE-SECRET-KEY-1${r('bech32', 58)}`, sampleKey: 'SOPS_AGE_KEY' }),
  // Generic formats
  prefixed({ id: 'private-key', provider: 'PEM', label: 'PEM private key', kind: 'private-key', prefixes: ['-----BEGIN'], notAfter: null, body: ' [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----|PRIVATE KEY-----', trail: '', check: pemCheck, sample: (r) => `-----BEGIN RSA PRIVATE KEY-----\n${r('b64', 64)}\n${r('b64', 64)}\n${r('b64', 20)}==\n-----END RSA PRIVATE KEY-----`, sampleKey: 'JWT_PRIVATE_KEY' }),
  prefixed({ id: 'private-key-base64', provider: 'PEM', label: 'PEM private key (base64)', kind: 'private-key', prefixes: ['LS0tLS1CRUdJTi'], body: '[A-Za-z0-9+/]{60,}={0,2}', trail: TRAIL_B64, check: pemBase64Check, sample: (r) => Buffer.from(`-----BEGIN PRIVATE KEY-----\n${r('b64', 64)}\n${r('b64', 40)}\n-----END PRIVATE KEY-----\n`).toString('base64'), sampleKey: 'APP_PRIVATE_KEY_BASE64' }),
  prefixed({ id: 'jwt', provider: 'JWT', label: 'JSON Web Token', kind: 'api-token', prefixes: ['eyJ'], notAfter: /[A-Za-z0-9]/, body: '[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]*', trail: TRAIL_DASH, check: jwtCheck, kindFromName: true, clientSafe: true, sample: (r) => `${b64json({ alg: 'HS256', typ: 'JWT' })}.${b64json({ iss: 'fake', role: 'service_role', iat: 1700000000 })}.${r('b64url', 43)}`, sampleKey: 'SUPABASE_SERVICE_ROLE_KEY' }),
];

const DEFAULT_NOT_AFTER = /[A-Za-z0-9]/;
/** `XXXX` inside a token body: a documentation or template token (`T00000000/BXXXXXXXX`). */
const PLACEHOLDER_RUN = /x{4,}|X{4,}|0{10,}/;

interface PrefixIndex {
  /** Prefixes by their first two characters (`c0 * 128 + c1`), longest first. */
  byBigram: Map<number, string[]>;
  /** 1 where some prefix starts with that pair of characters. */
  bigramHit: Uint8Array;
  byPrefix: Map<string, ProviderRule[]>;
}

function buildPrefixIndex(rules: ProviderRule[]): PrefixIndex {
  const own = new Map<string, ProviderRule[]>();
  for (const rule of rules) {
    for (const p of rule.prefixes ?? []) {
      const list = own.get(p) ?? [];
      list.push(rule);
      own.set(p, list);
    }
  }
  // A longer prefix also tries the rules of its shorter prefixes (`sk-ant-api` then `sk-`).
  const byPrefix = new Map<string, ProviderRule[]>();
  const prefixes = [...own.keys()].sort((a, b) => b.length - a.length);
  const byBigram = new Map<number, string[]>();
  const bigramHit = new Uint8Array(128 * 128);
  for (const p of prefixes) {
    const list: ProviderRule[] = [];
    for (const q of prefixes) if (p.startsWith(q)) list.push(...(own.get(q) ?? []));
    byPrefix.set(p, list);
    const key = p.charCodeAt(0) * 128 + p.charCodeAt(1);
    bigramHit[key] = bigramHit[key]! | 1;
    const same = byBigram.get(key) ?? [];
    same.push(p);
    byBigram.set(key, same);
  }
  // Character pairs that shape rules need (Azure `Q~`, Mailchimp `-us`, Telegram `:A`).
  for (const pair of SHAPE_PAIRS) {
    const key = pair.charCodeAt(0) * 128 + pair.charCodeAt(1);
    bigramHit[key] = bigramHit[key]! | 2;
  }
  return { byBigram, bigramHit, byPrefix };
}

/** Pairs of characters one of the shape rules' gates needs; values without one skip those rules. */
const SHAPE_PAIRS = ['Q~', '-u', ':A'];

const PREFIX_INDEX = buildPrefixIndex(PROVIDER_RULES.filter((r) => r.prefixes && !r.keyGate));
/** Character pairs that start a provider prefix (bit 1) or that a shape rule needs (bit 2), by `c0 * 128 + c1`. */
export const PROVIDER_BIGRAMS: Uint8Array = PREFIX_INDEX.bigramHit;
const SHAPE_RULES = PROVIDER_RULES.filter((r) => r.gate);
const NAMED_RULES = PROVIDER_RULES.filter((r) => r.keyGate);

function finish(rule: ProviderRule, token: string, value: string, start: number, bodyFrom: number): ProviderMatch | undefined {
  const check = rule.check?.(token, value, start) ?? { verdict: 'secret' as const };
  if (check.verdict === 'no') return undefined;
  const match: ProviderMatch = {
    rule,
    verdict: check.verdict,
    clientSafe: check.clientSafe ?? rule.clientSafe ?? false,
    start,
    end: start + token.length,
  };
  if (check.detail) match.detail = check.detail;
  if (check.verdict === 'secret' && rule.id !== 'private-key') {
    const body = token.slice(bodyFrom);
    // Structural rules (service-account JSON) match no body of their own: nothing to judge.
    const degenerate = body.length === 0 ? undefined : (degenerateReason(body) ?? (PLACEHOLDER_RUN.test(body) ? 'placeholder characters' : undefined));
    if (degenerate) match.degenerate = degenerate;
  }
  return match;
}

/**
 * The first provider format found in `value`, or undefined. `names` (the analysed key, see
 * names.ts) enables the name-gated rules; omit it for a bare token. `profile` (made with
 * PROVIDER_BIGRAMS, see valueProfile.ts) lets values without any prefix skip the scan.
 * Linear in the value's length: one prefix scan, then sticky regexes at each prefix found.
 */
export function matchProvider(value: string, names?: NameInfo, profile?: ValueProfile): ProviderMatch | undefined {
  const { byBigram, bigramHit, byPrefix } = PREFIX_INDEX;
  // A table lookup per character pair finds prefix candidates; most values have none.
  const from = profile ? profile.prefixAt : 0;
  let c1 = value.charCodeAt(Math.max(0, from));
  let shapeHint = profile?.shapeHint ?? false;
  let dots = profile ? profile.dots : c1 === 46 ? 1 : 0;
  for (let at = from; at !== -1 && at + 1 < value.length; at++) {
    const c0 = c1;
    c1 = value.charCodeAt(at + 1);
    if (c1 === 46 && !profile) dots++;
    if (c0 >= 128 || c1 >= 128) continue;
    const hit = bigramHit[c0 * 128 + c1]!;
    if (hit === 0) continue;
    if (hit & 2) shapeHint = true;
    if (!(hit & 1)) continue;
    let prefix: string | undefined;
    for (const p of byBigram.get(c0 * 128 + c1)!) {
      if (value.startsWith(p, at)) {
        prefix = p;
        break;
      }
    }
    if (prefix === undefined) continue;
    const before = at > 0 ? value[at - 1]! : '';
    for (const rule of byPrefix.get(prefix) ?? []) {
      const notAfter = rule.notAfter === undefined ? DEFAULT_NOT_AFTER : rule.notAfter;
      if (before && notAfter && notAfter.test(before)) continue;
      rule.re.lastIndex = at;
      const t = rule.re.exec(value);
      if (!t) continue;
      const own = (rule.prefixes ?? []).find((p) => value.startsWith(p, at)) ?? '';
      const found = finish(rule, t[0], value, at, own.length);
      if (found) return found;
    }
  }
  // Discord bot tokens have two dots; the other shape rules need one of SHAPE_PAIRS.
  for (const rule of shapeHint || dots >= 2 ? SHAPE_RULES : []) {
    if (!rule.gate!(value)) continue;
    rule.re.lastIndex = 0;
    const t = rule.re.exec(value);
    if (!t) continue;
    const token = t[1] ?? t[0];
    const found = finish(rule, token, value, t.index + t[0].indexOf(token), 0);
    if (found) return found;
  }
  if (names?.providerWord) {
    const joinedKey = joinedWords(names);
    const v = value.trim();
    for (const rule of NAMED_RULES) {
      if (!rule.keyGate!.test(joinedKey) || !rule.re.test(v)) continue;
      const found = finish(rule, v, v, 0, 0);
      if (found) return found;
    }
  }
  return undefined;
}

/** Distinct providers covered by the rules (for docs and the catalog command). */
export function providerNames(): string[] {
  return [...new Set(PROVIDER_RULES.map((r) => r.provider))].sort((a, b) => a.localeCompare(b));
}
