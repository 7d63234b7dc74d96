import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { detectSecrets } from '../../../../src/core/detect/detect';
import { judgeValue } from '../../../../src/core/detect/judge';
import { analyzeKeyName, joinedWords } from '../../../../src/core/detect/names';
import { buildPrefixIndex, matchProvider, namedRulesFor, PROVIDER_RULES, providerNames, type ProviderRule } from '../../../../src/core/detect/providers';
import { parseEnv } from '../../../../src/core/env/parse';
import { REPO_ROOT } from '../../../helpers/shared';
import { sampleRandom } from './tokens';

/*
 * Provider formats against examples written from public documentation and public rule sets
 * (test/fixtures/detect/formats, sources in its SOURCES.md), never against the rules' own output.
 * False alarms from the detection review live in test/fixtures/detect/falsealarms.
 */

const FORMATS = path.join(REPO_ROOT, 'test', 'fixtures', 'detect', 'formats');
const FALSE_ALARMS = path.join(REPO_ROOT, 'test', 'fixtures', 'detect', 'falsealarms');
const expectedRules = JSON.parse(readFileSync(path.join(FORMATS, 'rules.json'), 'utf8')) as Record<string, Record<string, string>>;

function entries(dir: string, file: string) {
  const text = readFileSync(path.join(dir, file), 'utf8');
  return { text, parsed: parseEnv(text) };
}

describe('provider formats', () => {
  it('covers at least 200 formats from at least 150 providers with unique rule ids', () => {
    const ids = PROVIDER_RULES.map((r) => r.id);
    assert.equal(new Set(ids).size, ids.length);
    assert.ok(ids.length >= 200, `only ${ids.length} rules`);
    assert.ok(providerNames().length >= 150, `only ${providerNames().length} providers`);
  });

  it('has a documented example for every rule', () => {
    const covered = new Set(Object.values(expectedRules).flatMap((m) => Object.values(m).map((r) => r.split(':')[0])));
    assert.deepEqual(PROVIDER_RULES.map((r) => r.id).filter((id) => !covered.has(id)), []);
  });

  describe('examples under realistic names: found with high confidence by the expected rule', () => {
    const { parsed } = entries(FORMATS, 'realistic.env');
    for (const e of parsed.entries) {
      it(e.key, () => {
        const j = judgeValue(e.key, e.value);
        assert.equal(j.secret, true, j.evidence[0]?.detail);
        assert.equal(j.provider, expectedRules['realistic.env']![e.key]);
        assert.equal(j.confidence, 'high', j.evidence.map((x) => x.detail).join('; '));
      });
    }
  });

  describe('distinctive examples under neutral names: the format alone identifies them', () => {
    const { parsed } = entries(FORMATS, 'neutral.env');
    for (const e of parsed.entries) {
      const rule = expectedRules['neutral.env']![e.key]!;
      it(`${e.key} (${rule})`, () => {
        const j = judgeValue(e.key, e.value);
        assert.equal(j.provider, rule);
        assert.equal(j.confidence, 'high');
      });
      const def = PROVIDER_RULES.find((r) => r.id === rule);
      if (def?.prefixes && def.notAfter === undefined && !def.keyGate) {
        it(`${e.key}: not when glued to a preceding letter`, () => {
          const m = matchProvider(`q${e.value}`);
          assert.ok(!m || m.rule.id !== rule || m.start !== 1, 'matched inside a longer word');
        });
        it(`${e.key}: not when cut short`, () => {
          const prefix = def.prefixes!.find((p) => e.value.includes(p))!;
          const cut = e.value.slice(0, e.value.indexOf(prefix) + prefix.length + 4);
          const m = matchProvider(cut);
          assert.ok(!m || m.rule.id !== rule);
        });
      }
    }
  });

  describe('formats public by design or identifiers: recognised, not secrets', () => {
    const { parsed } = entries(FORMATS, 'public.env');
    for (const e of parsed.entries) {
      const [rule, verdict] = expectedRules['public.env']![e.key]!.split(':');
      it(`${e.key} (${rule}, ${verdict})`, () => {
        const m = matchProvider(e.value, analyzeKeyName(e.key));
        assert.equal(m?.rule.id, rule);
        assert.equal(m?.verdict, verdict);
        assert.equal(judgeValue(e.key, e.value).secret, false);
      });
    }
  });

  describe('false alarms: fillers, documentation keys, markup, instructions, bare prefixes', () => {
    const { text, parsed } = entries(FALSE_ALARMS, 'fillers.env');
    const found = new Map(detectSecrets(parsed, text).map((s) => [s.entry.key, s]));
    for (const e of parsed.entries) {
      it(`${e.key}: at most a low-confidence inventory entry`, () => {
        const s = found.get(e.key);
        assert.ok(!s || s.confidence === 'low', `${s?.confidence}: ${s?.evidence.map((x) => x.detail).join('; ')}`);
      });
    }
  });

  describe('kinds of provider secrets named like signing keys', () => {
    const { text, parsed } = entries(FALSE_ALARMS, 'kinds.env');
    const labels = (JSON.parse(readFileSync(path.join(FALSE_ALARMS, 'labels.json'), 'utf8')) as Record<string, Record<string, string>>)['kinds.env']!;
    const found = new Map(detectSecrets(parsed, text).map((s) => [s.entry.key, s]));
    for (const e of parsed.entries) {
      it(`${e.key} is ${labels[e.key]}`, () => assert.equal(`secret:${found.get(e.key)?.kind}`, labels[e.key]));
    }
  });

  describe('checksums', () => {
    it('a GitHub token whose CRC-32 suffix does not match is medium, not high', () => {
      const { parsed } = entries(FORMATS, 'realistic.env');
      const good = parsed.entries.find((e) => e.key === 'GITHUB_TOKEN')!.value;
      const last = good.at(-1) === 'A' ? 'B' : 'A';
      const bad = good.slice(0, -1) + last;
      assert.equal(judgeValue('GITHUB_TOKEN', good).confidence, 'high');
      const j = judgeValue('GITHUB_TOKEN', bad);
      assert.equal(j.provider, 'github-pat');
      assert.equal(j.confidence, 'medium');
    });

    it('a pypi- value that is not a macaroon is not trusted as one', () => {
      const r = sampleRandom(9);
      const j = judgeValue('PYPI_TOKEN', `pypi-AgEIcHlwaS5vcmc${r('b64url', 80)}`);
      assert.notEqual(j.confidence, 'high');
    });
  });

  describe('hand-written near misses', () => {
    const r = sampleRandom(5);
    const cases: Array<[string, string, string | undefined]> = [
      ['AWS key id, lower case', `akia${r('base32', 16).toLowerCase()}`, undefined],
      ['Stripe body too short', `sk_live_${r('alnum', 23)}`, undefined],
      ['OpenAI-like without marker', `sk-proj-${r('b64url', 156)}`, undefined],
      ['Anthropic, short', `sk-ant-api03-${r('alnum', 20)}`, undefined],
      ['GitHub classic, wrong prefix', `gXX_${r('alnum', 36)}`, undefined],
      ['SendGrid, glued to a word', `not${['SG', r('b64url', 22), r('b64url', 43)].join('.')}`, undefined],
      ['Hugging Face with digits', `hf_${r('alpha', 20)}1${r('alpha', 13)}`, undefined],
      ['Databricks, 34 hex', `dapi${r('hex', 34)}`, undefined],
      ['Vault legacy, lower case only', `s.${r('hex', 24)}`, undefined],
      ['Slack bot, no random part', 'xoxb-12345-abcd234', undefined],
      ['PEM with only dots', '-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----', undefined],
      ['PEM with a short body', `-----BEGIN PRIVATE KEY-----\n${r('b64', 36)}\n-----END PRIVATE KEY-----`, undefined],
      ['PEM public key', `-----BEGIN PUBLIC KEY-----\n${r('b64', 64)}\n${r('b64', 64)}\n-----END PUBLIC KEY-----`, undefined],
      ['PEM with escaped newlines', `-----BEGIN EC PRIVATE KEY-----\\n${r('b64', 64)}\\n${r('b64', 64)}\\n-----END EC PRIVATE KEY-----`, 'private-key'],
      ['PGP private key block', `-----BEGIN PGP PRIVATE KEY BLOCK-----\n\n${r('b64', 64)}\n${r('b64', 64)}\n-----END PGP PRIVATE KEY BLOCK-----`, 'private-key'],
      ['JWT header that is not JSON', `eyJ${r('alnum', 20)}.eyJ${r('alnum', 20)}.${r('alnum', 20)}`, undefined],
    ];
    for (const [name, value, expected] of cases) {
      it(`${name}: ${expected ?? 'no provider'}`, () => {
        const m = matchProvider(value, analyzeKeyName(''));
        if (expected === undefined) assert.ok(!m || m.verdict !== 'secret' || m.degenerate, `matched ${m?.rule.id}`);
        else assert.equal(m?.rule.id, expected);
      });
    }
  });

  it('treats a Supabase anon JWT as public and a service-role JWT as secret even in a NEXT_PUBLIC_ name', () => {
    const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const r = sampleRandom(3);
    const anon = [enc({ alg: 'HS256', typ: 'JWT' }), enc({ role: 'anon' }), r('b64url', 43)].join('.');
    const service = [enc({ alg: 'HS256', typ: 'JWT' }), enc({ role: 'service_role' }), r('b64url', 43)].join('.');
    assert.equal(judgeValue('SUPABASE_ANON_KEY', anon).secret, false);
    assert.equal(judgeValue('NEXT_PUBLIC_SUPABASE_KEY', service).secret, true);
    assert.equal(judgeValue('NEXT_PUBLIC_FIREBASE_API_KEY', `AIza${r('b64url', 35)}`).secret, false);
  });

  it('tries, for each prefix, the rules of every prefix it starts with, longest first', () => {
    // The definition, spelled out pairwise: prefix q applies at p when p starts with q.
    const reference = (rules: ProviderRule[]) => {
      const own = new Map<string, ProviderRule[]>();
      for (const rule of rules) for (const p of rule.prefixes ?? []) own.set(p, [...(own.get(p) ?? []), rule]);
      const sorted = [...own.keys()].sort((a, b) => b.length - a.length);
      return new Map(sorted.map((p) => [p, sorted.filter((q) => p.startsWith(q)).flatMap((q) => own.get(q) ?? [])]));
    };
    const rule = (id: string, prefixes: string[]): ProviderRule => ({ id, provider: id, label: id, kind: 'api-token', prefixes, re: /x/y });
    const small = [rule('a', ['sk-', 'ab']), rule('b', ['sk-ant-api', 'abc']), rule('c', ['sk-ant-']), rule('d', ['sk-', 'abcd']), rule('e', ['sl-'])];
    const prefixRules = PROVIDER_RULES.filter((r) => r.prefixes && !r.keyGate);
    for (const rules of [small, prefixRules]) {
      const ids = (m: Map<string, ProviderRule[]>) => [...m].map(([p, list]) => `${p}: ${list.map((r) => r.id).join(',')}`);
      assert.deepEqual(ids(buildPrefixIndex(rules).byPrefix), ids(reference(rules)));
    }
    assert.deepEqual(buildPrefixIndex(small).byPrefix.get('sk-ant-api')?.map((r) => r.id), ['b', 'c', 'a', 'd']);
  });

  it('tries every name-gated rule whose key pattern matches the name, and few others', () => {
    const named = PROVIDER_RULES.filter((r) => r.keyGate);
    // Names from the words the gates spell, in the orders and with the neighbours a key has.
    const gateWords = [...new Set(named.flatMap((r) => r.keyGate!.source.match(/[A-Z][A-Z0-9]*/g) ?? []))];
    const tails = ['TOKEN', 'API_KEY', 'SECRET', 'SECRET_ACCESS_KEY', 'ACCESS_KEY', 'APP_KEY', 'ADMIN_KEY', 'KEY', 'AUTH_TOKEN', 'SPACES_SECRET'];
    const keys = new Set<string>(['', 'KEY', 'API_KEY', 'my_twilio_authToken', 'OLD_X_BEARER_TOKEN', 'DO_SPACES_SECRET', 'SUMOLOGIC_ACCESS_KEY', 'STORAGE_ACCOUNT_KEY']);
    for (const w of gateWords) {
      for (const t of tails) keys.add(`${w}_${t}`).add(`PROD_${w}_${t}`).add(`${w}_${gateWords[(w.length * 7) % gateWords.length]}_${t}`);
    }
    for (const file of readdirSync(FORMATS).filter((f) => f.endsWith('.env'))) for (const e of parseEnv(readFileSync(path.join(FORMATS, file), 'utf8')).entries) keys.add(e.key);
    let pruned = 0;
    for (const key of keys) {
      const names = analyzeKeyName(key);
      const joined = joinedWords(names);
      const tried = namedRulesFor(names.words);
      const missing = named.filter((r) => r.keyGate!.test(joined) && !tried.includes(r)).map((r) => r.id);
      assert.deepEqual(missing, [], key);
      assert.deepEqual(tried, named.filter((r) => tried.includes(r)), 'rule order');
      if (tried.length < named.length / 4) pruned++;
    }
    assert.ok(pruned > keys.size * 0.9, `pruned ${pruned} of ${keys.size}`);
    assert.deepEqual(namedRulesFor(analyzeKeyName('TWILIO_AUTH_TOKEN').words).map((r) => r.id).filter((id) => id.startsWith('twilio')), ['twilio-auth-token']);
  });

  it('is linear in the value length (no backtracking blow-up)', () => {
    const start = process.hrtime.bigint();
    matchProvider(`sk-proj-${'a'.repeat(50_000)}`, analyzeKeyName('OPENAI_API_KEY'));
    matchProvider(`-----BEGIN RSA PRIVATE KEY-----${'A'.repeat(200_000)}`, analyzeKeyName('KEY'));
    matchProvider('s.'.repeat(50_000), analyzeKeyName('VAULT_TOKEN'));
    matchProvider(`${'1'.repeat(16)}|`.repeat(5_000));
    matchProvider('API-'.repeat(25_000));
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    assert.ok(ms < 1500, `took ${ms} ms`);
  });
});
