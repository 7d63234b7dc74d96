import * as assert from 'node:assert/strict';
import { judgeValue } from '../../../../src/core/detect/judge';
import { analyzeKeyName } from '../../../../src/core/detect/names';
import { matchProvider, PROVIDER_RULES, providerNames, type ProviderRule, type TokenVerdict } from '../../../../src/core/detect/providers';
import { sampleRandom, token } from './tokens';

const EXPECTED_VERDICT: Record<string, TokenVerdict> = {
  'stripe-publishable-key': 'public',
  'supabase-publishable-key': 'public',
  'mapbox-public-token': 'public',
  'twilio-account-sid': 'identifier',
};

/** Breaks a shape rule's gate or structure so the value no longer has the format. */
const SHAPE_BREAKERS: Record<string, (t: string) => string> = {
  'azure-ad-client-secret': (t) => t.replace('Q~', 'Q-'),
  'mailchimp-api-key': (t) => t.replace('-us', '-xx'),
  'discord-bot-token': (t) => `Z${t.slice(1)}`,
  'telegram-bot-token': (t) => t.replace(':', ''),
};

function matchFor(rule: ProviderRule, value: string, key = rule.sampleKey) {
  return matchProvider(value, analyzeKeyName(key));
}

function firstPrefixAt(rule: ProviderRule, value: string): { at: number; prefix: string } | undefined {
  for (const p of rule.prefixes ?? []) {
    const at = value.indexOf(p);
    if (at !== -1) return { at, prefix: p };
  }
  return undefined;
}

describe('provider formats', () => {
  it('covers at least 40 providers with unique rule ids', () => {
    assert.ok(providerNames().length >= 40, `only ${providerNames().length} providers`);
    const ids = PROVIDER_RULES.map((r) => r.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const name of ['AWS', 'GitHub', 'GitLab', 'Slack', 'Stripe', 'OpenAI', 'Anthropic', 'Google', 'Azure', 'Twilio', 'SendGrid', 'Resend', 'Mailgun', 'Cloudflare', 'npm', 'PyPI', 'Shopify', 'Discord', 'Telegram', 'Linear', 'Vercel', 'Figma', 'Postmark', 'DigitalOcean', 'Heroku', 'Datadog', 'Sentry', 'JWT', 'PEM']) {
      assert.ok(providerNames().includes(name), `missing provider ${name}`);
    }
  });

  for (const rule of PROVIDER_RULES) {
    describe(rule.id, () => {
      const r = sampleRandom(rule.id.length * 31 + 7);
      const sample = rule.sample(r);
      const expected = EXPECTED_VERDICT[rule.id] ?? 'secret';

      it('recognises a sample in its format', () => {
        const m = matchFor(rule, sample);
        assert.ok(m, `${rule.id}: no match`);
        assert.equal(m.rule.id, rule.id);
        assert.equal(m.verdict, expected);
        assert.equal(m.degenerate, undefined);
      });

      it('rejects near misses', () => {
        const notThis = (value: string, key?: string) => {
          const m = matchFor(rule, value, key);
          return !(m && m.rule.id === rule.id && m.verdict === expected);
        };
        if (rule.keyGate) {
          assert.ok(notThis(sample, 'UNRELATED_SETTING'), 'matched without the name that gates it');
          assert.ok(notThis(`${sample}Z9`), 'matched a longer value');
          return;
        }
        const breaker = SHAPE_BREAKERS[rule.id];
        if (breaker) {
          assert.ok(notThis(breaker(sample)), 'matched a value without the format');
          return;
        }
        const at = firstPrefixAt(rule, sample);
        assert.ok(at, `${rule.id}: sample lacks its prefix`);
        assert.ok(notThis(sample.slice(0, at.at + at.prefix.length + 4)), 'matched a truncated token');
        if (rule.notAfter !== null) {
          const glued = sample.slice(0, at.at) + 'q' + sample.slice(at.at);
          assert.ok(notThis(glued), 'matched a token glued to a preceding letter');
        }
      });
    });
  }

  describe('hand-written examples', () => {
    const r = sampleRandom(5);
    const cases: Array<[string, string, string | undefined]> = [
      ['AWS key id', `AKIA${r('base32', 16)}`, 'aws-access-key-id'],
      ['AWS key id, lower case', `akia${r('base32', 16).toLowerCase()}`, undefined],
      ['Stripe live secret', token('sk', 'live', r('alnum', 24)), 'stripe-secret-key'],
      ['Stripe body too short', token('sk', 'live', r('alnum', 23)), undefined],
      ['OpenAI legacy with marker', `sk-${r('alnum', 20)}T3BlbkFJ${r('alnum', 20)}`, 'openai-api-key'],
      ['OpenAI-like without marker', `sk-proj-${r('b64url', 156)}`, undefined],
      ['Anthropic, future version number', `sk-ant-api04-${r('b64url', 93)}AA`, 'anthropic-api-key'],
      ['Anthropic, short', `sk-ant-api03-${r('alnum', 20)}`, undefined],
      ['GitHub classic, wrong prefix', `gXX_${r('alnum', 36)}`, undefined],
      ['GitHub app token with installation id', `ghs_${r('digits', 5)}_${r('b64url', 60)}`, 'github-app-token'],
      ['Slack user token', `xoxp-${r('digits', 11)}-${r('digits', 11)}-${r('digits', 12)}-${r('hex', 32)}`, 'slack-token'],
      ['SendGrid, glued to a word', `not${['SG', r('b64url', 22), r('b64url', 43)].join('.')}`, undefined],
      ['Hugging Face with digits', `hf_${r('alpha', 20)}1${r('alpha', 13)}`, undefined],
      ['Databricks, 34 hex', `dapi${r('hex', 34)}`, undefined],
      ['Tailscale after an underscore', `MY_tskey-api-${r('alnum', 12)}-${r('alnum', 24)}`, 'tailscale-key'],
      ['PEM with only dots', '-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----', undefined],
      ['PEM with a short body', `-----BEGIN PRIVATE KEY-----\n${r('b64', 36)}\n-----END PRIVATE KEY-----`, undefined],
      ['PEM public key', `-----BEGIN PUBLIC KEY-----\n${r('b64', 64)}\n${r('b64', 64)}\n-----END PUBLIC KEY-----`, undefined],
      ['PEM with escaped newlines', `-----BEGIN EC PRIVATE KEY-----\\n${r('b64', 64)}\\n${r('b64', 64)}\\n-----END EC PRIVATE KEY-----`, 'private-key'],
      ['PEM, encrypted', `-----BEGIN ENCRYPTED PRIVATE KEY-----\n${r('b64', 64)}\n${r('b64', 64)}\n-----END ENCRYPTED PRIVATE KEY-----`, 'private-key'],
      ['PGP private key block', `-----BEGIN PGP PRIVATE KEY BLOCK-----\n\n${r('b64', 64)}\n${r('b64', 64)}\n-----END PGP PRIVATE KEY BLOCK-----`, 'private-key'],
      ['JWT header that is not JSON', `eyJ${r('alnum', 20)}.eyJ${r('alnum', 20)}.${r('alnum', 20)}`, undefined],
    ];
    for (const [name, value, expected] of cases) {
      it(`${name}: ${expected ?? 'no provider'}`, () => {
        const m = matchProvider(value, analyzeKeyName(''));
        if (expected === undefined) assert.ok(!m || m.verdict !== 'secret', `matched ${m?.rule.id}`);
        else assert.equal(m?.rule.id, expected);
      });
    }
  });

  it('marks degenerate bodies as test values (low confidence) instead of dropping them', () => {
    const j = judgeValue('STRIPE_SECRET_KEY', token('sk', 'live', 'A'.repeat(24)));
    assert.equal(j.secret, true);
    assert.equal(j.confidence, 'low');
    assert.ok(j.evidence.some((e) => e.source === 'placeholder'));
  });

  it('treats a Supabase anon JWT as public and a service-role JWT as secret even in a NEXT_PUBLIC_ name', () => {
    const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const r = sampleRandom(3);
    const anon = [enc({ alg: 'HS256', typ: 'JWT' }), enc({ role: 'anon' }), r('b64url', 43)].join('.');
    const service = [enc({ alg: 'HS256', typ: 'JWT' }), enc({ role: 'service_role' }), r('b64url', 43)].join('.');
    assert.equal(judgeValue('SUPABASE_ANON_KEY', anon).secret, false);
    assert.equal(judgeValue('NEXT_PUBLIC_SUPABASE_KEY', service).secret, true);
    assert.equal(judgeValue('NEXT_PUBLIC_FIREBASE_API_KEY', `AIza${r('b64url', 35)}`).secret, false);
    assert.equal(judgeValue('NEXT_PUBLIC_STRIPE_KEY', token('sk', 'test', r('alnum', 30))).secret, true);
  });

  it('is linear in the value length (no backtracking blow-up)', () => {
    const long = `sk-proj-${'a'.repeat(50_000)}`;
    const start = process.hrtime.bigint();
    matchProvider(long, analyzeKeyName('OPENAI_API_KEY'));
    matchProvider(`-----BEGIN RSA PRIVATE KEY-----${'A'.repeat(200_000)}`, analyzeKeyName('KEY'));
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    assert.ok(ms < 500, `took ${ms} ms`);
  });
});
