import * as assert from 'node:assert/strict';
import type { EnvBlob, EnvHistory } from '../../../../src/core/git/envHistory';
import { findExposures, type CurrentSecret } from '../../../../src/core/git/exposures';

// Values a real detector takes for secrets (random-looking, long), and one it would not.
const LEAKED = 'sk_live_9fQ2xLm7Rt4Wv8Zp1Kd6Hs3Nj5Bc0Yg';
const EARLIER = 'Xq7Lm2Rt9Wv4Zp8Kd1Hs6Nj3Bc5Yg0Fe';
const NOW = 'Pz3Kd8Hs1Nj6Bc4Yg9Fe2Xq7Lm5Rt0Wv';

function blob(path: string, id: string, commits: string[]): EnvBlob {
  return { path, blob: id, role: 'env', commits, firstCommit: commits[0] ?? '', lastCommit: commits[commits.length - 1] ?? '', firstTime: 1, lastTime: 2 } as unknown as EnvBlob;
}

function history(blobs: Array<[EnvBlob, string]>, times: Record<string, number>): EnvHistory {
  return {
    root: '/r', blobs: blobs.map(([b]) => b), texts: new Map(blobs.map(([b, t]) => [b.blob, t])), commits: Object.keys(times).length,
    commitTimes: new Map(Object.entries(times)), partial: false, partialReasons: [], state: {} as EnvHistory['state'],
  };
}

const oracle = { isPushed: (c: string) => c === 'c2', hasRemotes: true };

function secret(file: string, key: string, value: string, relPath?: string): CurrentSecret {
  return { file: `/r/${file}`, ...(relPath ? { relPath } : {}), key, kind: 'generic-secret', value };
}

describe('findExposures', () => {
  const h = history(
    [
      [blob('.env', 'b1', ['c1']), `API_KEY=${EARLIER}\nTOKEN=${LEAKED}\n`],
      [blob('.env', 'b2', ['c2']), `API_KEY=${EARLIER}x\nOTHER=${LEAKED}\n`],
      [blob('app/.env', 'b3', ['c3']), `API_KEY=changeme\n`],
    ],
    { c1: 100, c2: 200, c3: 300 },
  );

  it('reports every secret holding a committed value, under any key and in any file', () => {
    const secrets = [
      secret('.env', 'TOKEN', LEAKED, '.env'),
      secret('other/.env', 'RENAMED', LEAKED, 'other/.env'),
      secret('outside.env', 'NO_REL', LEAKED),
    ];
    const out = findExposures(h, secrets, oracle);
    assert.deepEqual(out.map((e) => [e.key, e.current, e.commit, e.pushed, e.occurrences.map((o) => `${o.commit}:${o.path}`)]), [
      ['TOKEN', true, 'c1', true, ['c1:.env', 'c2:.env']],
      ['RENAMED', true, 'c1', true, ['c1:.env', 'c2:.env']],
      ['NO_REL', true, 'c1', true, ['c1:.env', 'c2:.env']],
    ]);
  });

  it('reports a key whose earlier secret values were committed at its path as rotated since, two entries alike', () => {
    const secrets = [secret('.env', 'API_KEY', NOW, '.env'), secret('.env', 'API_KEY', NOW, '.env'), secret('app/.env', 'API_KEY', NOW, 'app/.env')];
    const out = findExposures(h, secrets, oracle);
    // app/.env only ever held a placeholder: not a rotated secret.
    assert.deepEqual(out.map((e) => [e.file, e.current, e.occurrences.map((o) => o.commit)]), [
      ['/r/.env', false, ['c1', 'c2']],
      ['/r/.env', false, ['c1', 'c2']],
    ]);
  });

  it('reports nothing for values never committed, nor for empty values', () => {
    const out = findExposures(h, [secret('.env', 'FRESH', NOW, 'new/.env'), secret('.env', 'EMPTY', '', '.env')], oracle);
    assert.deepEqual(out, []);
  });
});
