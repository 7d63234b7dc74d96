import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { configLookup, configValue, loadDetectConfig, mergeDetectConfigs, parseDetectConfig } from '../../../../src/core/detect/config';
import { canary } from './tokens';

describe('workspace config (.rekey.json)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'rekey-config-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is empty when the file is missing', async () => {
    assert.deepEqual(await loadDetectConfig(dir), { config: {} });
  });

  it('loads notSecret, kinds and intervals', async () => {
    writeFileSync(path.join(dir, '.rekey.json'), JSON.stringify({ notSecret: ['FEATURE_KEY'], kinds: { PROXYOS_SECRET: 'session-signing' }, intervals: { SESSION_SECRET: 30, 'api-token': '6m' }, hooks: { other: 'feature' } }));
    const loaded = await loadDetectConfig(dir);
    assert.equal(loaded.error, undefined);
    assert.deepEqual(loaded.config, { notSecret: ['FEATURE_KEY'], kinds: { PROXYOS_SECRET: 'session-signing' }, intervals: { SESSION_SECRET: 30, 'api-token': 180 } });
  });

  it('gives a clear, value-free error for bad JSON', async () => {
    const c = canary();
    writeFileSync(path.join(dir, '.rekey.json'), `{\n  "notSecret": ["A" "${c}"]\n}`);
    const loaded = await loadDetectConfig(dir);
    assert.match(loaded.error ?? '', /\.rekey\.json: invalid JSON at line 2 column \d+/);
    assert.ok(!loaded.error?.includes(c));
    writeFileSync(path.join(dir, '.rekey.json'), `{"a": ${c}}`);
    const again = await loadDetectConfig(dir);
    assert.match(again.error ?? '', /invalid JSON/);
    assert.ok(!again.error?.includes(c));
  });

  it('keeps the valid parts and names the invalid ones', () => {
    const { config, error } = parseDetectConfig(JSON.stringify({ notSecret: 'A', kinds: { A: 'session-signing', B: 'sessions' }, intervals: { A: 0, C: '2w' } }), '.rekey.json');
    assert.deepEqual(config, { kinds: { A: 'session-signing' }, intervals: { C: 14 } });
    assert.match(error ?? '', /"notSecret" must be an array/);
    assert.match(error ?? '', /"kinds\.B" must be one of session-signing/);
    assert.match(error ?? '', /"intervals\.A"/);
    assert.match(parseDetectConfig('[1]', 'x').error ?? '', /expected a JSON object/);
  });

  it('matches KEY, wildcards and path:KEY, path entries first', () => {
    assert.equal(configLookup(['API_*'], undefined, 'API_TOKEN'), 'API_*');
    assert.equal(configLookup(['API_TOKEN', 'apps/*/.env:API_TOKEN'], 'apps/web/.env', 'API_TOKEN'), 'apps/*/.env:API_TOKEN');
    assert.equal(configLookup(['apps/api/.env:API_TOKEN'], 'apps/web/.env', 'API_TOKEN'), undefined);
    assert.equal(configLookup(['.env:API_TOKEN'], undefined, 'API_TOKEN'), undefined);
    assert.equal(configValue({ A: 1, '.env.prod:A': 2 }, '.env.prod', 'A'), 2);
  });

  it('merges configs, later ones winning', () => {
    assert.deepEqual(mergeDetectConfigs({ notSecret: ['A'], kinds: { K: 'pepper' } }, undefined, { notSecret: ['B'], kinds: { K: 'api-token' }, intervals: { K: 5 } }), {
      notSecret: ['A', 'B'],
      kinds: { K: 'api-token' },
      intervals: { K: 5 },
    });
  });
});
