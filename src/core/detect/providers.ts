import { joinedWords, type NameInfo } from './names';
import { degenerateReason, fillerReason } from './placeholders';
import {
  discordCheck, githubChecksum, pypiMacaroonCheck, slackCheck, jwtCheck, named, pemBase64Check, pemCheck, prefixed, randomBody, serviceAccountBase64Check,
  serviceAccountCheck, shaped, TRAIL_B64, TRAIL_DASH, type ProviderMatch, type ProviderRule,
} from './ruleBuilders';
import { SERVICE_RULES } from './serviceRules';
import type { ValueProfile } from './valueProfile';

export type { ProviderMatch, ProviderRule, TokenCheck, TokenVerdict } from './ruleBuilders';

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

/** Every provider rule. Order matters only among rules that share a prefix. */
export const PROVIDER_RULES: ProviderRule[] = [
  // AWS
  prefixed({ id: 'aws-access-key-id', provider: 'AWS', label: 'AWS access key id', kind: 'cloud-access-key', prefixes: ['AKIA', 'ASIA', 'ABIA', 'ACCA'], body: '[A-Z2-7]{16}' }),
  named({ id: 'aws-secret-access-key', provider: 'AWS', label: 'AWS secret access key', kind: 'cloud-access-key', keyGate: /_(?:AWS|AMAZON|S3|R2|MINIO|SPACES|DO_SPACES|B2|WASABI|STORAGE|SCW|LINODE|BUCKET|OBJECT_STORAGE)_(?:[A-Z0-9]+_)*SECRET|_SECRET_ACCESS_KEY_/, body: '[A-Za-z0-9/+]{40}', check: randomBody(0) }),
  prefixed({ id: 'aws-bedrock-api-key', provider: 'AWS', label: 'Amazon Bedrock API key', kind: 'cloud-access-key', prefixes: ['ABSK'], body: '[A-Za-z0-9+/]{109,269}={0,2}', trail: TRAIL_B64 }),
  // GitHub
  prefixed({ id: 'github-pat', provider: 'GitHub', label: 'GitHub personal access token (classic)', kind: 'api-token', prefixes: ['ghp_'], body: '[A-Za-z0-9]{36}', check: githubChecksum }),
  prefixed({ id: 'github-fine-grained-pat', provider: 'GitHub', label: 'GitHub fine-grained personal access token', kind: 'api-token', prefixes: ['github_pat_'], body: '[A-Za-z0-9]{22}_[A-Za-z0-9]{59}|[A-Za-z0-9_]{82}', trail: TRAIL_DASH }),
  prefixed({ id: 'github-oauth-token', provider: 'GitHub', label: 'GitHub OAuth access token', kind: 'api-token', prefixes: ['gho_'], body: '[A-Za-z0-9]{36}', check: githubChecksum }),
  prefixed({ id: 'github-app-token', provider: 'GitHub', label: 'GitHub App token', kind: 'api-token', prefixes: ['ghu_', 'ghs_'], body: '[A-Za-z0-9]{36}|\\d+_[A-Za-z0-9_.-]{20,}', trail: TRAIL_DASH }),
  prefixed({ id: 'github-refresh-token', provider: 'GitHub', label: 'GitHub refresh token', kind: 'api-token', prefixes: ['ghr_'], body: '[A-Za-z0-9]{36,76}' }),
  // GitLab
  prefixed({ id: 'gitlab-pat', provider: 'GitLab', label: 'GitLab personal access token', kind: 'api-token', prefixes: ['glpat-'], body: '[A-Za-z0-9_-]{20,300}(?:\\.[0-9a-z]{2}\\.?[0-9a-z]{7,9})?', trail: TRAIL_DASH }),
  prefixed({ id: 'gitlab-token', provider: 'GitLab', label: 'GitLab deploy, runner, trigger or OAuth token', kind: 'api-token', prefixes: ['gldt-', 'glft-', 'glsoat-', 'glrt-', 'glptt-', 'glcbt-', 'glimt-', 'glagent-', 'gloas-', 'glffct-', 'GR1348941'], body: '[A-Za-z0-9_-]{20,300}', trail: TRAIL_DASH }),
  // Slack
  prefixed({ id: 'slack-bot-token', provider: 'Slack', label: 'Slack bot token', kind: 'api-token', prefixes: ['xoxb-'], body: '\\d{8,14}-(?:\\d{8,14}-[A-Za-z0-9]{20,34}|[A-Za-z0-9]{18,26})', trail: TRAIL_DASH, check: slackCheck }),
  prefixed({ id: 'slack-user-token', provider: 'Slack', label: 'Slack user token', kind: 'api-token', prefixes: ['xoxp-', 'xoxe-'], body: '\\d{8,14}-\\d{8,14}-\\d{8,14}-[A-Za-z0-9]{28,34}', trail: TRAIL_DASH, check: slackCheck }),
  prefixed({ id: 'slack-legacy-token', provider: 'Slack', label: 'Slack legacy token', kind: 'api-token', prefixes: ['xoxo-', 'xoxs-'], body: '\\d+-\\d+-\\d+-[A-Fa-f0-9]{16,64}', trail: TRAIL_DASH }),
  prefixed({ id: 'slack-workspace-token', provider: 'Slack', label: 'Slack workspace or refresh token', kind: 'api-token', prefixes: ['xoxa-', 'xoxr-'], body: '(?:\\d-)?[A-Za-z0-9]{8,48}', trail: TRAIL_DASH, check: slackCheck }),
  prefixed({ id: 'slack-config-token', provider: 'Slack', label: 'Slack configuration token', kind: 'api-token', prefixes: ['xoxe.xoxp-', 'xoxe.xoxb-', 'xoxe-'], body: '\\d-[A-Za-z0-9]{140,170}', trail: TRAIL_DASH, check: slackCheck }),
  prefixed({ id: 'slack-app-token', provider: 'Slack', label: 'Slack app-level token', kind: 'api-token', prefixes: ['xapp-'], body: '\\d-[A-Z0-9]+-\\d+-[a-z0-9]+' }),
  prefixed({ id: 'slack-webhook-url', provider: 'Slack', label: 'Slack incoming webhook URL', kind: 'api-token', prefixes: ['hooks.slack.com/'], notAfter: null, body: '(?:services|workflows|triggers)/[A-Za-z0-9+/_-]{20,}', trail: '' }),
  // Stripe
  prefixed({ id: 'stripe-secret-key', provider: 'Stripe', label: 'Stripe secret key', kind: 'api-token', prefixes: ['sk_live_', 'sk_test_', 'sk_prod_'], body: '[A-Za-z0-9]{24,247}' }),
  prefixed({ id: 'stripe-restricted-key', provider: 'Stripe', label: 'Stripe restricted key', kind: 'api-token', prefixes: ['rk_live_', 'rk_test_', 'rk_prod_'], body: '[A-Za-z0-9]{24,247}' }),
  prefixed({ id: 'stripe-webhook-secret', provider: 'Stripe', label: 'Stripe webhook signing secret', kind: 'webhook-secret', prefixes: ['whsec_'], body: '[A-Za-z0-9+/=]{24,}', trail: TRAIL_B64 }),
  prefixed({ id: 'stripe-publishable-key', provider: 'Stripe', label: 'Stripe publishable key', kind: 'api-token', prefixes: ['pk_live_', 'pk_test_'], body: '[A-Za-z0-9$]{20,247}', check: () => ({ verdict: 'public', detail: 'publishable key (public by design)' }) }),
  // OpenAI
  prefixed({ id: 'openai-api-key', provider: 'OpenAI', label: 'OpenAI API key', kind: 'api-token', prefixes: ['sk-proj-', 'sk-svcacct-', 'sk-admin-', 'sk-None-', 'sk-'], body: '[A-Za-z0-9_-]{16,200}T3BlbkFJ[A-Za-z0-9_-]{16,200}', trail: TRAIL_DASH }),
  // Anthropic
  prefixed({ id: 'anthropic-api-key', provider: 'Anthropic', label: 'Anthropic API key', kind: 'api-token', prefixes: ['sk-ant-api'], body: '\\d{2}-[A-Za-z0-9_-]{80,120}AA', trail: TRAIL_DASH }),
  prefixed({ id: 'anthropic-admin-key', provider: 'Anthropic', label: 'Anthropic admin API key', kind: 'api-token', prefixes: ['sk-ant-admin'], body: '\\d{2}-[A-Za-z0-9_-]{80,120}AA', trail: TRAIL_DASH }),
  // Google
  prefixed({ id: 'google-api-key', provider: 'Google', label: 'Google API key', kind: 'api-token', prefixes: ['AIza'], body: '[A-Za-z0-9_-]{35}', trail: TRAIL_DASH, clientSafe: true }),
  prefixed({ id: 'google-oauth-client-secret', provider: 'Google', label: 'Google OAuth client secret', kind: 'api-token', prefixes: ['GOCSPX-'], body: '[A-Za-z0-9_-]{28}', trail: TRAIL_DASH }),
  prefixed({ id: 'gcp-service-account', provider: 'Google', label: 'Google service-account JSON key', kind: 'cloud-access-key', prefixes: ['"service_account"'], notAfter: null, body: '', trail: '', check: serviceAccountCheck }),
  prefixed({ id: 'gcp-service-account-base64', provider: 'Google', label: 'Google service-account JSON key (base64)', kind: 'cloud-access-key', prefixes: ['eyJ0eXBlIjoic2VydmljZV9hY2NvdW50', 'ewogICJ0eXBlIjogInNlcnZpY2VfYWNjb3VudCIs'], body: '[A-Za-z0-9+/]{60,}={0,2}', trail: TRAIL_B64, check: serviceAccountBase64Check }),
  // Azure
  prefixed({ id: 'azure-storage-account-key', provider: 'Azure', label: 'Azure storage account key', kind: 'cloud-access-key', prefixes: ['AccountKey='], notAfter: null, body: '[A-Za-z0-9+/]{86}==', trail: '' }),
  prefixed({ id: 'azure-shared-access-key', provider: 'Azure', label: 'Azure shared access key', kind: 'api-token', prefixes: ['SharedAccessKey='], notAfter: null, body: '[A-Za-z0-9+/]{42,44}=', trail: '' }),
  shaped({ id: 'azure-ad-client-secret', provider: 'Azure', label: 'Azure AD (Entra ID) client secret', kind: 'api-token', gate: (v) => v.includes('Q~'), body: '(?:^|[^A-Za-z0-9_~.-])([A-Za-z0-9_~.]{3}\\dQ~[A-Za-z0-9_~.-]{31,34})(?![A-Za-z0-9_~.-])' }),
  named({ id: 'azure-storage-key-named', provider: 'Azure', label: 'Azure storage account key', kind: 'cloud-access-key', keyGate: /_AZURE_.*_(?:KEY|SECRET|ACCESS_KEY)_|_STORAGE_ACCOUNT_KEY_/, body: '[A-Za-z0-9+/]{86}==' }),
  // Twilio
  prefixed({ id: 'twilio-api-key', provider: 'Twilio', label: 'Twilio API key SID', kind: 'api-token', prefixes: ['SK'], body: '[0-9a-f]{32}', check: randomBody(2) }),
  prefixed({ id: 'twilio-account-sid', provider: 'Twilio', label: 'Twilio account SID', kind: 'api-token', prefixes: ['AC'], body: '[0-9a-f]{32}', check: (t) => (randomBody(2)(t).verdict === 'secret' ? { verdict: 'identifier', detail: 'account SID (an identifier)' } : { verdict: 'no' }) }),
  named({ id: 'twilio-auth-token', provider: 'Twilio', label: 'Twilio auth token', kind: 'api-token', keyGate: /_TWILIO_.*(?:TOKEN|SECRET)/, body: '[0-9a-f]{32}' }),
  // E-mail providers
  prefixed({ id: 'sendgrid-api-key', provider: 'SendGrid', label: 'SendGrid API key', kind: 'smtp-password', prefixes: ['SG.'], body: '[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}', trail: TRAIL_DASH }),
  prefixed({ id: 'resend-api-key', provider: 'Resend', label: 'Resend API key', kind: 'smtp-password', prefixes: ['re_'], body: '[A-Za-z0-9]{6,12}_[A-Za-z0-9]{16,40}', check: randomBody(3) }),
  prefixed({ id: 'mailgun-api-key', provider: 'Mailgun', label: 'Mailgun private API key', kind: 'smtp-password', prefixes: ['key-'], body: '[0-9a-f]{32}', check: randomBody(4) }),
  named({ id: 'mailgun-key-named', provider: 'Mailgun', label: 'Mailgun API or signing key', kind: 'smtp-password', keyGate: /_MAILGUN_.*(?:KEY|SECRET|TOKEN)/, body: '[0-9a-f]{32}-[0-9a-f]{8}-[0-9a-f]{8}', kindFromName: true }),
  named({ id: 'postmark-server-token', provider: 'Postmark', label: 'Postmark server or account token', kind: 'smtp-password', keyGate: /_POSTMARK_.*(?:TOKEN|KEY|SECRET)/, body: '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}', flags: 'i' }),
  prefixed({ id: 'brevo-api-key', provider: 'Brevo', label: 'Brevo (Sendinblue) API key', kind: 'smtp-password', prefixes: ['xkeysib-', 'xsmtpsib-'], body: '[a-f0-9]{64}-[A-Za-z0-9]{16}' }),
  shaped({ id: 'mailchimp-api-key', provider: 'Mailchimp', label: 'Mailchimp API key', kind: 'api-token', gate: (v) => v.includes('-us'), body: '(?:^|[^A-Za-z0-9])([a-f0-9]{32}-us\\d{1,2})(?![A-Za-z0-9])' }),
  // Cloudflare
  prefixed({ id: 'cloudflare-api-token', provider: 'Cloudflare', label: 'Cloudflare API token', kind: 'api-token', prefixes: ['cfat_', 'cfut_', 'cfk_'], body: '[A-Za-z0-9]{40}[a-f0-9]{8}' }),
  prefixed({ id: 'cloudflare-origin-ca-key', provider: 'Cloudflare', label: 'Cloudflare Origin CA key', kind: 'api-token', prefixes: ['v1.0-'], body: '[a-f0-9]{24}-[a-f0-9]{146}' }),
  named({ id: 'cloudflare-api-token-named', provider: 'Cloudflare', label: 'Cloudflare API token', kind: 'api-token', keyGate: /_(?:CLOUDFLARE|CF)_.*(?:TOKEN|KEY|SECRET)/, body: '[A-Za-z0-9_-]{40}', check: randomBody(0) }),
  named({ id: 'cloudflare-global-api-key', provider: 'Cloudflare', label: 'Cloudflare global API key', kind: 'api-token', keyGate: /_(?:CLOUDFLARE|CF)_.*(?:KEY|TOKEN)/, body: '[a-f0-9]{37}' }),
  // Package registries
  prefixed({ id: 'npm-token', provider: 'npm', label: 'npm access token', kind: 'api-token', prefixes: ['npm_'], body: '[A-Za-z0-9]{36}', check: githubChecksum }),
  prefixed({ id: 'npmrc-auth-token', provider: 'npm', label: 'registry auth token in .npmrc syntax', kind: 'api-token', prefixes: ['_authToken='], notAfter: null, body: '[^\\s$\'"{}]{16,}', trail: '' }),
  prefixed({ id: 'pypi-token', provider: 'PyPI', label: 'PyPI upload token', kind: 'api-token', prefixes: ['pypi-AgEIcHlwaS5vcmc', 'pypi-AgENdGVzdC5weXBpLm9yZw'], body: '[A-Za-z0-9_-]{50,1000}', trail: TRAIL_DASH, check: pypiMacaroonCheck }),
  prefixed({ id: 'rubygems-api-key', provider: 'RubyGems', label: 'RubyGems API key', kind: 'api-token', prefixes: ['rubygems_'], body: '[a-f0-9]{48}' }),
  prefixed({ id: 'docker-pat', provider: 'Docker', label: 'Docker Hub access token', kind: 'api-token', prefixes: ['dckr_pat_', 'dckr_oat_'], body: '[A-Za-z0-9_-]{27,}', trail: TRAIL_DASH }),
  // Commerce and SaaS
  prefixed({ id: 'shopify-token', provider: 'Shopify', label: 'Shopify access token or shared secret', kind: 'api-token', prefixes: ['shpat_', 'shpca_', 'shppa_', 'shpss_'], body: '[A-Za-z0-9]{32,}' }),
  prefixed({ id: 'square-token', provider: 'Square', label: 'Square access token or OAuth secret', kind: 'api-token', prefixes: ['EAAA', 'sq0atp-', 'sq0csp-'], body: '[A-Za-z0-9_-]{22,60}', trail: TRAIL_DASH, check: randomBody(4) }),
  prefixed({ id: 'shippo-api-token', provider: 'Shippo', label: 'Shippo API token', kind: 'api-token', prefixes: ['shippo_live_', 'shippo_test_'], body: '[a-fA-F0-9]{40}' }),
  prefixed({ id: 'airtable-pat', provider: 'Airtable', label: 'Airtable personal access token', kind: 'api-token', prefixes: ['pat'], body: '[A-Za-z0-9]{14}\\.[a-f0-9]{64}' }),
  prefixed({ id: 'postman-api-key', provider: 'Postman', label: 'Postman API key', kind: 'api-token', prefixes: ['PMAK-'], body: '[a-f0-9]{24}-[a-f0-9]{34}' }),
  // Chat
  shaped({ id: 'discord-bot-token', provider: 'Discord', label: 'Discord bot token', kind: 'api-token', gate: (v) => v.length >= 58 && v.indexOf('.') !== v.lastIndexOf('.'), body: '(?:^|[^A-Za-z0-9_-])([MNO][A-Za-z0-9_-]{23,27}\\.[A-Za-z0-9_-]{6}\\.[A-Za-z0-9_-]{27,40})(?![A-Za-z0-9_-])', check: discordCheck }),
  prefixed({ id: 'discord-webhook-url', provider: 'Discord', label: 'Discord webhook URL', kind: 'api-token', prefixes: ['discord.com/api/webhooks/', 'discordapp.com/api/webhooks/'], notAfter: /[A-Za-z0-9-]/, body: '\\d{17,20}/[A-Za-z0-9_-]{60,68}', trail: TRAIL_DASH }),
  shaped({ id: 'telegram-bot-token', provider: 'Telegram', label: 'Telegram bot token', kind: 'api-token', gate: (v) => v.includes(':A'), body: '(?:^|[^0-9A-Za-z])(\\d{8,10}:A[A-Za-z0-9_-]{34})(?![A-Za-z0-9_-])' }),
  // Developer platforms
  prefixed({ id: 'linear-api-key', provider: 'Linear', label: 'Linear API key', kind: 'api-token', prefixes: ['lin_api_', 'lin_oauth_'], body: '[A-Za-z0-9]{40,64}' }),
  prefixed({ id: 'vercel-token', provider: 'Vercel', label: 'Vercel access token', kind: 'api-token', prefixes: ['vcp_', 'vci_', 'vca_', 'vcr_', 'vck_'], body: '[A-Za-z0-9]{24,}' }),
  named({ id: 'vercel-token-named', provider: 'Vercel', label: 'Vercel access token', kind: 'api-token', keyGate: /_VERCEL_.*(?:TOKEN|KEY|SECRET)/, body: '[A-Za-z0-9]{24}', check: randomBody(0) }),
  prefixed({ id: 'figma-pat', provider: 'Figma', label: 'Figma personal access token', kind: 'api-token', prefixes: ['figd_'], body: '[A-Za-z0-9_-]{40,}', trail: TRAIL_DASH }),
  prefixed({ id: 'digitalocean-token', provider: 'DigitalOcean', label: 'DigitalOcean token', kind: 'api-token', prefixes: ['dop_v1_', 'doo_v1_', 'dor_v1_'], body: '[a-f0-9]{64}' }),
  prefixed({ id: 'heroku-api-key', provider: 'Heroku', label: 'Heroku API key', kind: 'api-token', prefixes: ['HRKU-'], body: '[A-Za-z0-9_-]{58,64}', trail: TRAIL_DASH }),
  named({ id: 'heroku-api-key-named', provider: 'Heroku', label: 'Heroku API key', kind: 'api-token', keyGate: /_HEROKU_.*(?:KEY|TOKEN|SECRET)/, body: '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}', flags: 'i' }),
  named({ id: 'datadog-api-key', provider: 'Datadog', label: 'Datadog API key', kind: 'api-token', keyGate: /_(?:DATADOG|DD)_(?:[A-Z]+_)?(?:API_KEY|APIKEY|KEY)_/, body: '[a-f0-9]{32}' }),
  named({ id: 'datadog-app-key', provider: 'Datadog', label: 'Datadog application key', kind: 'api-token', keyGate: /_(?:DATADOG|DD)_(?:APP|APPLICATION)_KEY_/, body: '[a-f0-9]{40}' }),
  prefixed({ id: 'sentry-auth-token', provider: 'Sentry', label: 'Sentry auth token', kind: 'api-token', prefixes: ['sntrys_', 'sntryu_'], body: '[A-Za-z0-9+/=_]{60,}', trail: TRAIL_B64 }),
  prefixed({ id: 'notion-token', provider: 'Notion', label: 'Notion integration token', kind: 'api-token', prefixes: ['ntn_'], body: '\\d{11}[A-Za-z0-9]{35}' }),
  prefixed({ id: 'notion-legacy-token', provider: 'Notion', label: 'Notion integration token (legacy)', kind: 'api-token', prefixes: ['secret_'], body: '[A-Za-z0-9]{43}', check: randomBody(7) }),
  prefixed({ id: 'vault-token', provider: 'HashiCorp Vault', label: 'Vault token', kind: 'api-token', prefixes: ['hvs.', 'hvb.', 'hvr.'], body: '[A-Za-z0-9_-]{90,300}', trail: TRAIL_DASH }),
  named({ id: 'vault-legacy-token', provider: 'HashiCorp Vault', label: 'Vault token (legacy)', kind: 'api-token', keyGate: /_VAULT_.*TOKEN/, body: 's\\.[A-Za-z0-9]{24}' }),
  prefixed({ id: 'doppler-token', provider: 'Doppler', label: 'Doppler token', kind: 'api-token', prefixes: ['dp.pt.', 'dp.st.', 'dp.ct.', 'dp.sa.', 'dp.scim.', 'dp.audit.'], body: '(?:[a-z0-9_-]{1,40}\\.)?[A-Za-z0-9]{40,44}' }),
  prefixed({ id: 'supabase-token', provider: 'Supabase', label: 'Supabase access token or secret key', kind: 'api-token', prefixes: ['sbp_', 'sb_secret_'], body: '[a-f0-9]{40}|[A-Za-z0-9_-]{30,}', trail: TRAIL_DASH }),
  prefixed({ id: 'supabase-publishable-key', provider: 'Supabase', label: 'Supabase publishable key', kind: 'api-token', prefixes: ['sb_publishable_'], body: '[A-Za-z0-9_-]{20,}', trail: TRAIL_DASH, check: () => ({ verdict: 'public', detail: 'publishable key (public by design)' }) }),
  prefixed({ id: 'huggingface-token', provider: 'Hugging Face', label: 'Hugging Face access token', kind: 'api-token', prefixes: ['hf_', 'api_org_'], body: '[A-Za-z]{34}' }),
  prefixed({ id: 'atlassian-api-token', provider: 'Atlassian', label: 'Atlassian API token', kind: 'api-token', prefixes: ['ATATT3', 'ATCTT3'], body: '[A-Za-z0-9_=-]{100,}', trail: TRAIL_DASH }),
  named({ id: 'okta-api-token', provider: 'Okta', label: 'Okta API token', kind: 'api-token', keyGate: /_OKTA_/, body: '00[A-Za-z0-9_-]{40}' }),
  prefixed({ id: 'planetscale-password', provider: 'PlanetScale', label: 'PlanetScale database password', kind: 'database-password', prefixes: ['pscale_pw_'], body: '[A-Za-z0-9_.=-]{32,64}', trail: TRAIL_DASH }),
  prefixed({ id: 'planetscale-token', provider: 'PlanetScale', label: 'PlanetScale service token', kind: 'api-token', prefixes: ['pscale_tkn_', 'pscale_oauth_'], body: '[A-Za-z0-9_.=-]{32,64}', trail: TRAIL_DASH }),
  prefixed({ id: 'grafana-service-account-token', provider: 'Grafana', label: 'Grafana service account token', kind: 'api-token', prefixes: ['glsa_'], body: '[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}' }),
  prefixed({ id: 'grafana-cloud-token', provider: 'Grafana', label: 'Grafana Cloud token', kind: 'api-token', prefixes: ['glc_'], body: '[A-Za-z0-9+/]{32,400}={0,2}', trail: TRAIL_B64 }),
  prefixed({ id: 'grafana-api-key', provider: 'Grafana', label: 'Grafana API key (legacy)', kind: 'api-token', prefixes: ['eyJrIjoi'], body: '[A-Za-z0-9]{60,400}={0,3}', trail: TRAIL_B64 }),
  prefixed({ id: 'newrelic-key', provider: 'New Relic', label: 'New Relic user or insert key', kind: 'api-token', prefixes: ['NRAK-', 'NRII-'], body: '[A-Z0-9]{27}|[A-Za-z0-9_-]{32}', trail: TRAIL_DASH }),
  prefixed({ id: 'databricks-token', provider: 'Databricks', label: 'Databricks personal access token', kind: 'api-token', prefixes: ['dapi'], body: '[a-fA-F0-9]{32}(?:-\\d)?' }),
  prefixed({ id: 'pulumi-token', provider: 'Pulumi', label: 'Pulumi access token', kind: 'api-token', prefixes: ['pul-'], body: '[a-f0-9]{40}' }),
  prefixed({ id: 'mapbox-secret-token', provider: 'Mapbox', label: 'Mapbox secret token', kind: 'api-token', prefixes: ['sk.eyJ'], body: '[A-Za-z0-9_-]{20,}\\.[A-Za-z0-9_-]{20,}', trail: TRAIL_DASH }),
  prefixed({ id: 'mapbox-public-token', provider: 'Mapbox', label: 'Mapbox public token', kind: 'api-token', prefixes: ['pk.eyJ'], body: '[A-Za-z0-9_-]{20,}\\.[A-Za-z0-9_-]{20,}', trail: TRAIL_DASH, check: () => ({ verdict: 'public', detail: 'public token (published by design)' }) }),
  prefixed({ id: 'onepassword-service-account-token', provider: '1Password', label: '1Password service account token', kind: 'api-token', prefixes: ['ops_eyJ'], body: '[A-Za-z0-9+/_-]{100,}={0,3}', trail: TRAIL_B64 }),
  prefixed({ id: 'groq-api-key', provider: 'Groq', label: 'Groq API key', kind: 'api-token', prefixes: ['gsk_'], body: '[A-Za-z0-9]{52}' }),
  prefixed({ id: 'tailscale-key', provider: 'Tailscale', label: 'Tailscale key', kind: 'api-token', prefixes: ['tskey-'], notAfter: /[A-Za-z]/, body: '[a-z]+-[A-Za-z0-9]{6,}-[A-Za-z0-9]{16,}' }),
  prefixed({ id: 'perplexity-api-key', provider: 'Perplexity', label: 'Perplexity API key', kind: 'api-token', prefixes: ['pplx-'], body: '[A-Za-z0-9]{48}' }),
  prefixed({ id: 'flyio-token', provider: 'Fly.io', label: 'Fly.io access token', kind: 'api-token', prefixes: ['fo1_', 'fm1a_', 'fm1r_', 'fm2_'], body: '[A-Za-z0-9_-]{43}|[A-Za-z0-9+/]{100,}={0,3}', trail: TRAIL_B64 }),
  prefixed({ id: 'dynatrace-token', provider: 'Dynatrace', label: 'Dynatrace API token', kind: 'api-token', prefixes: ['dt0c01.'], body: '[A-Za-z0-9]{24}\\.[A-Za-z0-9]{64}' }),
  prefixed({ id: 'prefect-api-key', provider: 'Prefect', label: 'Prefect API key', kind: 'api-token', prefixes: ['pnu_'], body: '[A-Za-z0-9]{36}' }),
  named({ id: 'algolia-admin-key', provider: 'Algolia', label: 'Algolia admin API key', kind: 'api-token', keyGate: /_ALGOLIA_.*(?:ADMIN|WRITE|SECRET)/, body: '[a-f0-9]{32}' }),
  prefixed({ id: 'alibaba-access-key-id', provider: 'Alibaba Cloud', label: 'Alibaba Cloud access key id', kind: 'cloud-access-key', prefixes: ['LTAI'], body: '[A-Za-z0-9]{12,20}', check: randomBody(4) }),
  prefixed({ id: 'age-secret-key', provider: 'age', label: 'age secret key', kind: 'private-key', prefixes: ['AGE-SECRET-KEY-1'], body: '[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}' }),
  // Generic formats
  prefixed({ id: 'private-key', provider: 'PEM', label: 'PEM private key', kind: 'private-key', prefixes: ['-----BEGIN'], notAfter: null, body: ' [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----|PRIVATE KEY-----', trail: '', check: pemCheck }),
  prefixed({ id: 'private-key-base64', provider: 'PEM', label: 'PEM private key (base64)', kind: 'private-key', prefixes: ['LS0tLS1CRUdJTi'], body: '[A-Za-z0-9+/]{60,}={0,2}', trail: TRAIL_B64, check: pemBase64Check }),
  ...SERVICE_RULES,
  prefixed({ id: 'jwt', provider: 'JWT', label: 'JSON Web Token', kind: 'api-token', prefixes: ['eyJ'], notAfter: /[A-Za-z0-9]/, body: '[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]*', trail: TRAIL_DASH, check: jwtCheck, kindFromName: true, clientSafe: true }),
];

const DEFAULT_NOT_AFTER = /[A-Za-z0-9]/;
/** `XXXX` inside a token body: a documentation or template token (`T00000000/BXXXXXXXX`). */
const PLACEHOLDER_RUN = /x{4,}|X{4,}|0{10,}/;

export interface PrefixIndex {
  /** Prefixes by their first two characters (`c0 * 128 + c1`), longest first. */
  byBigram: Map<number, string[]>;
  /** 1 where some prefix starts with that pair of characters. */
  bigramHit: Uint8Array;
  byPrefix: Map<string, ProviderRule[]>;
}

/** Prefix tables for `rules` (exported for tests). */
export function buildPrefixIndex(rules: ProviderRule[]): PrefixIndex {
  const own = new Map<string, ProviderRule[]>();
  for (const rule of rules) {
    for (const p of rule.prefixes ?? []) {
      const list = own.get(p) ?? [];
      list.push(rule);
      own.set(p, list);
    }
  }
  // A longer prefix also tries the rules of its shorter prefixes (`sk-ant-api` then `sk-`),
  // longest first. The shorter prefixes of `p` are its heads of the lengths some prefix has:
  // a map lookup per length, not a comparison with every other prefix.
  const byPrefix = new Map<string, ProviderRule[]>();
  const prefixes = [...own.keys()].sort((a, b) => b.length - a.length);
  const lengths = [...new Set(prefixes.map((p) => p.length))];
  const byBigram = new Map<number, string[]>();
  const bigramHit = new Uint8Array(128 * 128);
  for (const p of prefixes) {
    const list: ProviderRule[] = [];
    for (const n of lengths) {
      const rules = n <= p.length ? own.get(n === p.length ? p : p.slice(0, n)) : undefined;
      if (rules) list.push(...rules);
    }
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
const SHAPE_PAIRS = ['Q~', '-u', ':A', '_m', '@e', '@g', ...'0123456789'.split('').map((d) => `${d}|`)];

const PREFIX_INDEX = buildPrefixIndex(PROVIDER_RULES.filter((r) => r.prefixes && !r.keyGate));
/** Character pairs that start a provider prefix (bit 1) or that a shape rule needs (bit 2), by `c0 * 128 + c1`. */
export const PROVIDER_BIGRAMS: Uint8Array = PREFIX_INDEX.bigramHit;
const SHAPE_RULES = PROVIDER_RULES.filter((r) => r.gate);
const NAMED_RULES = PROVIDER_RULES.filter((r) => r.keyGate);

/**
 * The words a key must contain for `gate` to match, when the gate starts `_(?:A|B_C)_` or
 * `_A_` and has no top-level alternative (A or B here: the name is tested as `_WORD_WORD_`, so
 * the text after the first `_` starts a word); `undefined` for gates of any other shape.
 */
function leadingGateWords(gate: RegExp): string[] | undefined {
  if (gate.flags !== '') return undefined;
  const src = gate.source;
  let depth = 0;
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) return undefined;
  }
  const m = /^_(?:\(\?:([A-Z0-9_]+(?:\|[A-Z0-9_]+)*)\)|([A-Z0-9]+))_/.exec(src);
  if (!m) return undefined;
  return (m[1] ?? m[2]!).split('|').map((alt) => alt.split('_')[0]!);
}

/** Name-gated rules by a word the key must contain; `NAMED_ALWAYS[i]` is 1 for rules tried for every key. */
const NAMED_BY_WORD = new Map<string, number[]>();
const NAMED_ALWAYS = new Uint8Array(NAMED_RULES.length);
NAMED_RULES.forEach((rule, i) => {
  const words = leadingGateWords(rule.keyGate!);
  if (!words) NAMED_ALWAYS[i] = 1;
  else for (const w of words) NAMED_BY_WORD.set(w, [...(NAMED_BY_WORD.get(w) ?? []), i]);
});
const namedScratch = new Uint8Array(NAMED_RULES.length);

/**
 * The name-gated rules whose key pattern can match a key of these (upper-case) words, in rule
 * order: most gates name a vendor word, so a key is tested against a few gates, not all of them.
 */
export function namedRulesFor(words: string[]): ProviderRule[] {
  namedScratch.set(NAMED_ALWAYS);
  for (const w of words) {
    const list = NAMED_BY_WORD.get(w);
    if (list) for (const i of list) namedScratch[i] = 1;
  }
  const out: ProviderRule[] = [];
  for (let i = 0; i < namedScratch.length; i++) if (namedScratch[i]) out.push(NAMED_RULES[i]!);
  return out;
}

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
  if (check.checksum) match.checksum = check.checksum;
  if (check.verdict === 'secret' && rule.id !== 'private-key') {
    const body = token.slice(bodyFrom);
    // Structural rules (service-account JSON) match no body of their own: nothing to judge.
    const degenerate = body.length === 0 ? undefined : (degenerateReason(body) ?? (PLACEHOLDER_RUN.test(body) ? 'placeholder characters' : undefined) ?? fillerReason(body));
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
    for (const rule of namedRulesFor(names.words)) {
      if (!rule.keyGate!.test(joinedKey) || !rule.re.test(v)) continue;
      const found = finish(rule, v, v, 0, 0);
      if (found) return found;
    }
  }
  return undefined;
}

/**
 * The provider whose token prefix `value` starts with, when the value is too short to be that
 * token (`sk_live_`, `xoxb-12345-abcd234`): a truncated token or a template, not a credential.
 */
export function truncatedPrefix(value: string): string | undefined {
  if (value.length >= 24) return undefined;
  const c0 = value.charCodeAt(0);
  const c1 = value.charCodeAt(1);
  if (c0 >= 128 || c1 >= 128) return undefined;
  for (const p of PREFIX_INDEX.byBigram.get(c0 * 128 + c1) ?? []) {
    if (p.length >= 4 && value.startsWith(p)) return PREFIX_INDEX.byPrefix.get(p)?.[0]?.provider;
  }
  return undefined;
}

/** Distinct providers covered by the rules (for docs and the catalog command). */
export function providerNames(): string[] {
  return [...new Set(PROVIDER_RULES.map((r) => r.provider))].sort((a, b) => a.localeCompare(b));
}
