import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { secretRules } from '../../../../src/core/detect/secretRules';
import { ruleInfo } from '../../../../src/core/findings/ruleInfo';
import { defaultRuleProviders } from '../../../../src/core/analysis/rules';
import { scanPaths } from '../../../../src/core/analysis/scan';
import { canary, randomSecret, token } from './tokens';

describe('secret rules', () => {
  let dir: string;
  beforeEach(() => {
    dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'rekey-secrets-')));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const scan = async (root = dir) => (await scanPaths([root], [secretRules], { trusted: false })).findings;

  it('is one of the default rule providers and registers security rules', () => {
    assert.ok(defaultRuleProviders().includes(secretRules));
    for (const id of ['secret', 'secret-in-template']) assert.equal(ruleInfo(id).security, true);
    assert.equal(ruleInfo('secret').severity, 'info');
    assert.equal(ruleInfo('secret-in-template').severity, 'warning');
  });

  it('reports one info finding per secret in env files and backups, on the key', async () => {
    const s = randomSecret(48, 'b64', 1);
    writeFileSync(path.join(dir, '.env'), `PORT=3000\nJWT_SECRET=${s}\nMETRICS_SCRAPE_TOKEN=${randomSecret(32, 'hex', 2)}\n`);
    writeFileSync(path.join(dir, '.env.bak'), `JWT_SECRET=${s}\n`);
    const f = await scan();
    const env = f.filter((x) => x.file === path.join(dir, '.env'));
    assert.deepEqual(env.map((x) => [x.rule, x.severity, x.key, x.kind, x.confidence, x.intervalDays]), [
      ['secret', 'info', 'JWT_SECRET', 'session-signing', 'high', 90],
      ['secret', 'info', 'METRICS_SCRAPE_TOKEN', 'shared-secret', 'high', 180],
    ]);
    assert.equal(env[0]?.message, '`JWT_SECRET`: session secret (high confidence, rotate every 90 days)');
    assert.deepEqual(env[0]?.range, { start: { line: 1, character: 0 }, end: { line: 1, character: 10 } });
    assert.ok(f.some((x) => x.file === path.join(dir, '.env.bak') && x.rule === 'secret'));
  });

  it('names the provider for token formats', async () => {
    writeFileSync(path.join(dir, '.env'), `STRIPE_SECRET_KEY=${token('sk', 'test', randomSecret(40))}\n`);
    const [f] = await scan();
    assert.equal(f?.message, '`STRIPE_SECRET_KEY`: API token (Stripe secret key) (high confidence, rotate every 90 days)');
    assert.equal(f?.data?.provider, 'stripe-secret-key');
  });

  it('warns about real-looking secrets in templates and ignores their placeholders', async () => {
    writeFileSync(path.join(dir, '.env.example'), `JWT_SECRET=changeme\nAPI_TOKEN=your-token-here\nSTRIPE_SECRET_KEY=${token('sk', 'test', 'x'.repeat(24))}\nSESSION_SECRET=${randomSecret(48, 'b64', 3)}\nADMIN_PASSWORD=devpassword1\n`);
    const f = await scan();
    assert.deepEqual(f.map((x) => [x.rule, x.severity, x.key]), [['secret-in-template', 'warning', 'SESSION_SECRET']]);
    assert.match(f[0]?.message ?? '', /real-looking session secret in a template/);
  });

  it('reads .rekey.json from the scan root (and from the folder of a file root)', async () => {
    writeFileSync(path.join(dir, '.env'), `API_TOKEN=${randomSecret(40)}\nOTHER_TOKEN=${randomSecret(40, 'alnum', 5)}\n`);
    writeFileSync(path.join(dir, '.rekey.json'), JSON.stringify({ notSecret: ['API_TOKEN'], kinds: { OTHER_TOKEN: 'shared-secret' }, intervals: { 'shared-secret': 30 } }));
    for (const root of [dir, path.join(dir, '.env')]) {
      const f = await scan(root);
      assert.deepEqual(f.map((x) => [x.key, x.kind, x.intervalDays]), [['OTHER_TOKEN', 'shared-secret', 30]]);
    }
  });

  it('matches path:KEY entries against the path relative to the root', async () => {
    mkdirSync(path.join(dir, 'apps', 'web'), { recursive: true });
    writeFileSync(path.join(dir, 'apps', 'web', '.env'), `API_TOKEN=${randomSecret(40)}\n`);
    writeFileSync(path.join(dir, '.env'), `API_TOKEN=${randomSecret(40, 'alnum', 6)}\n`);
    writeFileSync(path.join(dir, '.rekey.json'), JSON.stringify({ notSecret: ['apps/web/.env:API_TOKEN'] }));
    assert.deepEqual((await scan()).map((x) => path.relative(dir, x.file)), ['.env']);
  });

  it('reports an invalid .rekey.json as a finding and keeps scanning', async () => {
    writeFileSync(path.join(dir, '.env'), `API_TOKEN=${randomSecret(40)}\n`);
    writeFileSync(path.join(dir, '.rekey.json'), '{ "notSecret": [ }');
    const f = await scan();
    const bad = f.find((x) => x.rule === 'invalid-config');
    assert.ok(bad);
    assert.equal(bad.file, path.join(dir, '.rekey.json'));
    assert.match(bad.message, /^Partly ignored: \.rekey\.json: invalid JSON at line 1 column \d+/);
    assert.ok(f.some((x) => x.rule === 'secret'));
  });

  it('never puts a value into findings (canary)', async () => {
    const c = canary();
    writeFileSync(path.join(dir, '.env'), `JWT_SECRET=${c}\nDATABASE_URL=postgres://u:${c}@db/app\nSTRIPE_SECRET_KEY=${token('sk', 'live', c)}\n`);
    writeFileSync(path.join(dir, '.env.example'), `SESSION_SECRET=${c}\n`);
    writeFileSync(path.join(dir, '.rekey.json'), `{"kinds": {"X": "${c}"}}`);
    const f = await scan();
    assert.ok(f.filter((x) => x.rule === 'secret').length >= 3);
    assert.ok(!JSON.stringify(f).includes(c));
  });

  it('skips unreadable files', async () => {
    writeFileSync(path.join(dir, '.env'), Buffer.from([0, 1, 2, 3, 0xff, 0xfe]));
    assert.deepEqual(await scan(), []);
  });
});
