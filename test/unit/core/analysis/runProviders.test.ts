import * as assert from 'node:assert/strict';
import { runProviders } from '../../../../src/core/analysis/scan';
import type { Finding } from '../../../../src/core/findings/finding';
import type { RuleProvider, ScanContext } from '../../../../src/core/findings/scanContext';
import { silentLogger } from '../../../../src/core/log';

const RANGE = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

function finding(rule: string): Finding {
  return { file: '/w/.env', range: RANGE, rule, severity: 'info', message: rule };
}

function context(): ScanContext {
  return { files: [], roots: ['/w'], options: {}, logger: silentLogger };
}

/** Rejects when `p` takes longer than `ms` (a provider waiting for one that never started). */
function within<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`not settled within ${ms} ms`)), ms);
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

describe('runProviders', () => {
  it('runs the families side by side: one waiting does not hold back the next', async () => {
    let started!: () => void;
    const laterStarted = new Promise<void>((resolve) => (started = resolve));
    const waits: RuleProvider = { id: 'waits', run: async () => (await laterStarted, [finding('b-first')]) };
    const later: RuleProvider = { id: 'later', run: () => (started(), [finding('a-second')]) };
    const result = await within(runProviders(context(), [waits, later]), 2000);
    assert.deepEqual(result.findings.map((f) => f.rule), ['a-second', 'b-first']);
  });

  it('keeps the providers\' order for findings that sort equal, and for failures', async () => {
    const slow = (id: string, message: string): RuleProvider => ({
      id,
      run: async () => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        return [{ ...finding('same'), message }];
      },
    });
    const fails = (id: string, delay: number): RuleProvider => ({
      id,
      run: async () => {
        await new Promise((resolve) => setTimeout(resolve, delay));
        throw new Error(`${id} broke\nsecond line`);
      },
    });
    const quick: RuleProvider = { id: 'quick', run: () => [{ ...finding('same'), message: 'quick' }] };
    const result = await runProviders(context(), [slow('slow', 'slow'), fails('f1', 30), quick, fails('f2', 0)]);
    assert.deepEqual(result.findings.map((f) => f.message), ['slow', 'quick']);
    assert.deepEqual(result.failures, [
      { provider: 'f1', message: 'f1 broke' },
      { provider: 'f2', message: 'f2 broke' },
    ]);
  });

  it('a provider that throws before its first await is a failure, not a crash', async () => {
    const throwsAtOnce: RuleProvider = { id: 'sync', run: () => { throw new Error('at once'); } };
    const fine: RuleProvider = { id: 'fine', run: () => [finding('ok')] };
    const result = await runProviders(context(), [throwsAtOnce, fine]);
    assert.deepEqual(result.findings.map((f) => f.rule), ['ok']);
    assert.deepEqual(result.failures, [{ provider: 'sync', message: 'at once' }]);
  });

  it('stops at an aborted signal', async () => {
    const controller = new AbortController();
    controller.abort();
    const fine: RuleProvider = { id: 'fine', run: () => [finding('ok')] };
    await assert.rejects(runProviders({ ...context(), signal: controller.signal }, [fine]));
  });
});
