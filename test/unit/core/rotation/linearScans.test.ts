import * as assert from 'node:assert/strict';
import { authSecretUses } from '../../../../src/core/consumers/authSecretHints';
import { findSystemdReferences, looksLikeKubernetes } from '../../../../src/core/rotation/configReferences';

/*
 * Workspace files read for consumers can be large and hostile. Each scan below took 18–45 s on
 * 100k characters with the regular expressions it used before (quadratic backtracking); linear
 * scans take milliseconds. Bounds are generous for a loaded machine.
 */
function within(ms: number, what: string, f: () => unknown): void {
  const t = performance.now();
  f();
  const took = performance.now() - t;
  assert.ok(took < ms, `${what} took ${took.toFixed(0)} ms`);
}

describe('consumer scans stay linear on adversarial files', () => {
  const N = 200_000;
  it('Kubernetes detection on many blank lines', () => {
    within(2_000, 'looksLikeKubernetes', () => assert.equal(looksLikeKubernetes('\n'.repeat(N) + 'x'), false));
    assert.equal(looksLikeKubernetes('apiVersion: v1\nkind: Secret\n'), true);
    assert.equal(looksLikeKubernetes('  apiVersion: apps/v1\n  kind: Deployment\n'), true);
  });

  it('systemd EnvironmentFile= with a long run of spaces', () => {
    within(2_000, 'findSystemdReferences', () => findSystemdReferences(`EnvironmentFile=x${' '.repeat(N)}y\u2028`, 'K', () => false));
    const refs = findSystemdReferences('EnvironmentFile=-/etc/app/.env  \nEnvironmentFile="/x/.env"\nEnvironmentFile=   \n', 'K', () => true);
    assert.deepEqual(refs.map((r) => r.detail), ['EnvironmentFile=/etc/app/.env', 'EnvironmentFile=/x/.env']);
  });

  it('import scanning on many blank lines', () => {
    within(2_000, 'authSecretUses', () => authSecretUses('const s = process.env.AUTH_SECRET;' + '\n'.repeat(N) + 'x', 'js'));
  });
});
