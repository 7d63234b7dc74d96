import * as assert from 'node:assert/strict';
import { PassTimings, type PassTiming } from '../../../../src/extension/model/passTimings';

describe('extension/model/passTimings', () => {
  const timing = (n: number): PassTiming => ({ kind: 'fast', group: 'g', reason: `r${n}`, files: 1, lines: 1, debounceMs: 0, startedAt: n, finishedAt: n + 1 });

  it('keeps the last timings, oldest first, and hands out copies', () => {
    const t = new PassTimings(3);
    for (let i = 0; i < 5; i++) t.record(timing(i));
    assert.deepEqual(t.list().map((x) => x.reason), ['r2', 'r3', 'r4']);
    t.list().pop();
    assert.equal(t.list().length, 3);
  });
});
