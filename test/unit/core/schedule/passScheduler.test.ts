import * as assert from 'node:assert/strict';
import { mock } from 'node:test';
import { PassScheduler } from '../../../../src/core/schedule/passScheduler';

/** A promise the test settles by hand, to hold a job "running". */
function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

/** Lets resolved promises run their continuations (fake timers do not touch microtasks). */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}

describe('PassScheduler (fake timers)', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout'] }));
  afterEach(() => mock.timers.reset());

  it('debounces: a later request replaces one that has not started', async () => {
    const ran: string[] = [];
    const s = new PassScheduler();
    s.debounce('fast', 200, () => void ran.push('first'));
    mock.timers.tick(150);
    s.debounce('fast', 200, () => void ran.push('second'));
    mock.timers.tick(150);
    await settle();
    assert.deepEqual(ran, [], 'nothing runs before the last request has waited its delay');
    mock.timers.tick(50);
    await settle();
    assert.deepEqual(ran, ['second']);
  });

  it('keeps ids apart', async () => {
    const ran: string[] = [];
    const s = new PassScheduler();
    s.debounce('fast\0a', 100, () => void ran.push('a'));
    s.debounce('fast\0b', 100, () => void ran.push('b'));
    mock.timers.tick(100);
    await settle();
    assert.deepEqual(ran.sort(), ['a', 'b']);
  });

  it('runs one job per id at a time, then once more with the latest request', async () => {
    const ran: string[] = [];
    const s = new PassScheduler();
    const g = gate();
    let inFlight = 0;
    let maxInFlight = 0;
    const job = (name: string, wait?: Promise<void>) => async () => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      ran.push(name);
      if (wait) await wait;
      inFlight--;
    };
    const first = s.run('git', job('1', g.promise));
    await settle();
    void s.run('git', job('2'));
    void s.run('git', job('3'));
    await settle();
    assert.deepEqual(ran, ['1'], 'requests during a run wait for it');
    g.open();
    await first;
    assert.deepEqual(ran, ['1', '3'], 'only the latest request runs again');
    assert.equal(maxInFlight, 1);
  });

  it('with wait, waits for the running job and then runs its own', async () => {
    const ran: string[] = [];
    const s = new PassScheduler();
    const g = gate();
    void s.run('git', async () => {
      ran.push('running');
      await g.promise;
    });
    await settle();
    const explicit = s.run('git', () => void ran.push('explicit'), true);
    await settle();
    assert.deepEqual(ran, ['running']);
    g.open();
    await explicit;
    assert.deepEqual(ran, ['running', 'explicit']);
  });

  it('reports a failing job and keeps scheduling', async () => {
    const errors: string[] = [];
    const ran: string[] = [];
    const s = new PassScheduler((id, err) => errors.push(`${id}: ${(err as Error).message}`));
    await s.run('fast', () => {
      throw new Error('boom');
    });
    await s.run('fast', () => void ran.push('next'));
    assert.deepEqual(errors, ['fast: boom']);
    assert.deepEqual(ran, ['next']);
  });

  it('is idle only when nothing is pending or running', async () => {
    const s = new PassScheduler();
    const g = gate();
    let idle = false;
    s.debounce('fast', 100, () => g.promise);
    void s.whenIdle().then(() => (idle = true));
    mock.timers.tick(100);
    await settle();
    mock.timers.tick(0);
    await settle();
    assert.equal(idle, false, 'a job is still running');
    g.open();
    await settle();
    mock.timers.tick(0);
    await settle();
    assert.equal(idle, true);
  });

  it('after dispose, pending requests never run and new ones are ignored', async () => {
    const ran: string[] = [];
    const s = new PassScheduler();
    s.debounce('fast', 100, () => void ran.push('pending'));
    s.dispose();
    s.debounce('fast', 100, () => void ran.push('late'));
    mock.timers.tick(1000);
    await settle();
    assert.deepEqual(ran, []);
    assert.equal(s.isPending('fast'), false);
  });

  it('cancel drops a pending request and no longer holds idle', async () => {
    const ran: string[] = [];
    const s = new PassScheduler();
    let idle = false;
    s.debounce('git', 1500, () => void ran.push('git'));
    void s.whenIdle().then(() => (idle = true));
    s.cancel('git');
    assert.equal(s.isPending('git'), false);
    mock.timers.tick(0);
    await settle();
    assert.equal(idle, true);
    mock.timers.tick(2000);
    await settle();
    assert.deepEqual(ran, []);
  });

  it('counts tracked work (discovery) as busy until it settles', async () => {
    const s = new PassScheduler();
    const g = gate();
    let idle = false;
    void s.track('discovery', g.promise);
    void s.whenIdle().then(() => (idle = true));
    mock.timers.tick(10);
    await settle();
    assert.equal(idle, false);
    g.open();
    await settle();
    mock.timers.tick(0);
    await settle();
    assert.equal(idle, true);
  });

  it('a request that arrives while its id runs is not lost when it was debounced', async () => {
    const ran: string[] = [];
    const s = new PassScheduler();
    const g = gate();
    s.debounce('fast', 100, async () => {
      ran.push('first');
      await g.promise;
    });
    mock.timers.tick(100);
    await settle();
    s.debounce('fast', 100, () => void ran.push('second'));
    mock.timers.tick(100);
    await settle();
    assert.deepEqual(ran, ['first'], 'the second waits for the first');
    g.open();
    await settle();
    assert.deepEqual(ran, ['first', 'second']);
  });
});
