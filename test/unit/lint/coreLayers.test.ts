import * as assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';

// The folder-layer rule is judged on the real repository and on two hand-written violations.
const repo = path.resolve(__dirname, '../../..');

interface LayersModule {
  CORE_LAYERS: string[][];
  GIT_RUNNER_FILES: Set<string>;
  coreUnitOf: (file: string) => string | undefined;
}

async function load(): Promise<LayersModule> {
  return (await import(path.join(repo, 'eslint/coreLayers.mjs'))) as LayersModule;
}

async function lintText(file: string, code: string): Promise<string[]> {
  const plugin = ((await import(path.join(repo, 'eslint/coreLayers.mjs'))) as { default: ESLint.Plugin }).default;
  // Only the rule under test, without type information: the files need not exist.
  const eslint = new ESLint({
    cwd: repo,
    overrideConfigFile: true,
    overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser }, plugins: { rekey: plugin }, rules: { 'rekey/core-layers': 'error' } }],
  });
  const [result] = await eslint.lintText(code, { filePath: path.join(repo, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'rekey/core-layers').map((m) => m.message);
}

describe('core folder layers (eslint/coreLayers.mjs)', function () {
  this.timeout(120_000);

  it('gives every folder of src/core a layer', async () => {
    const { CORE_LAYERS } = await load();
    const named = new Set(CORE_LAYERS.flat());
    const folders = readdirSync(path.join(repo, 'src/core'), { withFileTypes: true })
      .map((d) => (d.isDirectory() ? d.name : d.name.replace(/\.ts$/, '')));
    assert.deepEqual(folders.filter((f) => !named.has(f)), []);
  });

  it('places core/git runner files in their own layer and other git files above detection', async () => {
    const { coreUnitOf } = await load();
    assert.equal(coreUnitOf('/r/src/core/git/gitRunner.ts'), 'git-runner');
    assert.equal(coreUnitOf('/r/src/core/git/historyRules.ts'), 'git');
    assert.equal(coreUnitOf('/r/src/core/log.ts'), 'log');
    assert.equal(coreUnitOf('/r/src/extension/x.ts'), undefined);
  });

  it('rejects an import of a higher layer and one between peers', async () => {
    const up = await lintText('src/core/detect/zzUp.ts', "import { scanPaths } from '../analysis/scan';\nexport const f = scanPaths;\n");
    assert.equal(up.length, 1);
    assert.match(up[0]!, /core\/detect .* may not import core\/analysis/);
    const peer = await lintText('src/core/hook/zzPeer.ts', "import { applyRotation } from '../rotation/apply';\nexport const f = applyRotation;\n");
    assert.equal(peer.length, 1);
  });

  it('accepts an import of a lower layer', async () => {
    assert.deepEqual(await lintText('src/core/analysis/zzDown.ts', "import { parseEnv } from '../env/parse';\nexport const f = parseEnv;\n"), []);
  });
});
