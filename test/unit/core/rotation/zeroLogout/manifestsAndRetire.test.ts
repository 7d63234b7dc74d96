import { strict as assert } from 'node:assert';
import { parse as dotenvParse } from 'dotenv';
import { parseEnv } from '../../../../../src/core/env/parse';
import { versionInText } from '../../../../../src/core/rotation/zeroLogout/manifests';
import { planRetirement } from '../../../../../src/core/rotation/zeroLogout/retire';
import { previousSecretRules } from '../../../../../src/core/rotation/zeroLogout/retireRules';
import { atLeast, lowestInRange } from '../../../../../src/core/rotation/zeroLogout/versions';
import { silentLogger } from '../../../../../src/core/log';

describe('zero-logout: versions, manifests, retirement', () => {
  it('reads the lowest version a range allows', () => {
    assert.equal(lowestInRange('^11.31'), '11.31');
    assert.equal(lowestInRange('>=4.1,<5'), '4.1');
    assert.equal(lowestInRange('~=3.1.0'), '3.1.0');
    assert.equal(lowestInRange('<5'), undefined);
    assert.equal(lowestInRange('*'), undefined);
    assert.ok(atLeast('5.0.0-beta.25', '5.0.0'));
    assert.ok(!atLeast('0.23.2', '0.24.0'));
    assert.ok(atLeast('v11.0.0', '11.0'));
  });

  it('finds versions in each lockfile and manifest format (shapes from the tools\' own files)', () => {
    assert.deepEqual(versionInText('pnpm-lock.yaml', "packages:\n\n  '@auth/core@0.37.2':\n    resolution: {integrity: sha512-x}\n", '@auth/core'), { version: '0.37.2' });
    assert.deepEqual(versionInText('pnpm-lock.yaml', 'packages:\n  /next-auth/4.24.7(next@14.2.3):\n', 'next-auth'), { version: '4.24.7' });
    assert.deepEqual(versionInText('yarn.lock', '"express-session@^1.18.0":\n  version "1.18.1"\n  resolved "https://registry.yarnpkg.com/x"\n', 'express-session'), { version: '1.18.1' });
    assert.deepEqual(versionInText('yarn.lock', '"iron-session@npm:^8.0.1":\n  version: 8.0.4\n  resolution: "iron-session@npm:8.0.4"\n', 'iron-session'), { version: '8.0.4' });
    assert.deepEqual(versionInText('Gemfile.lock', 'GEM\n  specs:\n    rails (7.1.3)\n      actionpack (= 7.1.3)\n', 'rails'), { version: '7.1.3' });
    assert.deepEqual(versionInText('composer.lock', JSON.stringify({ packages: [{ name: 'laravel/framework', version: 'v11.9.2' }] }), 'laravel/framework'), { version: '11.9.2' });
    assert.deepEqual(versionInText('requirements.txt', '# web\nDjango[argon2]>=4.2.11  # LTS\n', 'django'), { version: '4.2.11', range: '>=4.2.11' });
    assert.deepEqual(versionInText('pyproject.toml', '[tool.poetry.dependencies]\npython = "^3.11"\nflask = "^3.1.0"\n', 'flask'), { version: '3.1.0', range: '^3.1.0' });
    assert.deepEqual(versionInText('poetry.lock', '[[package]]\nname = "django"\nversion = "5.0.4"\n', 'django'), { version: '5.0.4' });
    assert.equal(versionInText('package.json', '{not json', 'x'), undefined);
  });

  it('retire-previous removes the marked entry and keeps every other value and the final newline', () => {
    const text = 'A=1\n# rotated: 2026-01-01\nSESSION_SECRET=new\n# rekey-previous: of=SESSION_SECRET retire-by=2026-02-01 framework=express-session\nSESSION_SECRET_PREVIOUS=old\nB="two words"\n';
    const p = planRetirement('/x/.env', text, 'SESSION_SECRET', new Date(2026, 1, 1));
    assert.equal(p.due, true);
    assert.equal(p.newText, 'A=1\n# rotated: 2026-01-01\nSESSION_SECRET=new\nB="two words"\n');
    assert.deepEqual(dotenvParse(p.newText), { A: '1', SESSION_SECRET: 'new', B: 'two words' });
    assert.equal(planRetirement('/x/.env', text, 'SESSION_SECRET', new Date(2026, 0, 31)).due, false);
    assert.throws(() => planRetirement('/x/.env', 'SESSION_SECRET=x\n', 'SESSION_SECRET'), /no previous secret/);
  });

  it('retiring the last entry of a file without a final newline leaves no stray line', () => {
    const text = 'APP_KEY=base64:bmV3\n# rekey-previous: of=APP_KEY retire-by=2026-02-01 framework=laravel\nAPP_PREVIOUS_KEYS=base64:b2xk';
    assert.equal(planRetirement('/x/.env', text, 'APP_KEY').newText, 'APP_KEY=base64:bmV3');
  });

  it('previous-secret-retirable: an info finding on and after the retire-by day, none before, no value in it', async () => {
    const text = 'AUTH_SECRET=oldvalue-canary\n# rekey-previous: of=AUTH_SECRET retire-by=2026-03-01 framework=authjs promote\nAUTH_SECRET_1=newvalue-canary\n';
    const file = { path: '/x/.env', role: 'env' as const, text, parsed: parseEnv(text) };
    const run = (now: Date) => previousSecretRules.run({ files: [file], roots: ['/x'], options: { now }, logger: silentLogger });
    assert.deepEqual(await run(new Date(2026, 1, 28)), []);
    const [f] = await run(new Date(2026, 2, 1));
    assert.equal(f?.rule, 'previous-secret-retirable');
    assert.equal(f?.severity, 'info');
    assert.equal(f?.key, 'AUTH_SECRET_1');
    assert.equal(f?.range.start.line, 2);
    assert.match(f?.message ?? '', /rekey retire-previous AUTH_SECRET/);
    assert.ok(!JSON.stringify(f).includes('canary'));
  });
});
