import * as assert from 'node:assert/strict';
import { silentLogger } from '../../../../src/core/log';
import { HistoryTracker, UNTRUSTED_DETAIL, UNTRUSTED_NOTICE_KEY } from '../../../../src/extension/model/historyTracker';
import { folder } from './fakeVscode';

describe('extension/model/historyTracker', () => {
  function tracker() {
    const events: string[] = [];
    const notices: string[] = [];
    const state = new Map<string, unknown>();
    let trustOpened = 0;
    let pick: string | undefined = 'Manage Workspace Trust';
    const t = new HistoryTracker({
      logger: silentLogger,
      onDidChange: () => events.push('change'),
      memento: { get: <T>(k: string) => state.get(k) as T, update: (k: string, v: unknown) => Promise.resolve(void state.set(k, v)) },
      notifyOnce: (_id, message) => {
        notices.push(message);
        return Promise.resolve(pick);
      },
      manageTrust: () => void trustOpened++,
    });
    return { t, events, notices, state, trustOpened: () => trustOpened, setPick: (p: string | undefined) => (pick = p) };
  }
  const api = folder('/w/api');

  it('tells listeners only when status, detail or the last run change', () => {
    const { t, events } = tracker();
    t.set('a', { folder: api, status: 'running' });
    t.set('a', { folder: api, status: 'running' });
    assert.equal(events.length, 1);
    const lastRun = new Date();
    t.set('a', { folder: api, status: 'done', lastRun });
    t.set('a', { folder: api, status: 'done', lastRun, repositories: ['/w/api'] });
    assert.equal(events.length, 2);
    t.set('a', { folder: api, status: 'done', lastRun, detail: 'partial' });
    assert.equal(events.length, 3);
    assert.equal(t.get('a')?.detail, 'partial');
  });

  it('a new git pass aborts the running one; forgetting a folder aborts its pass', () => {
    const { t } = tracker();
    const first = t.begin('a');
    const second = t.begin('a');
    assert.equal(first.signal.aborted, true);
    assert.equal(second.signal.aborted, false);
    t.end('a', first);
    t.abort('a');
    assert.equal(second.signal.aborted, true, 'ending an older pass does not drop the newer one\'s handle');
    const third = t.begin('b');
    t.set('b', { folder: api, status: 'running' });
    t.forget('b');
    assert.equal(third.signal.aborted, true);
    assert.equal(t.get('b'), undefined);
  });

  it('explains an untrusted workspace once per workspace, and opens trust management when asked', async () => {
    const { t, notices, state, trustOpened } = tracker();
    t.explainUntrusted([{ key: 'a', folder: api }]);
    t.explainUntrusted([{ key: 'a', folder: api }]);
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(t.get('a'), { folder: api, status: 'untrusted', detail: UNTRUSTED_DETAIL });
    assert.equal(notices.length, 1);
    assert.ok(notices[0]!.includes('does not run git'));
    assert.equal(state.get(UNTRUSTED_NOTICE_KEY), true);
    assert.equal(trustOpened(), 1);
  });

  it('dispose aborts every running pass', () => {
    const { t } = tracker();
    const a = t.begin('a');
    const b = t.begin('b');
    t.dispose();
    assert.ok(a.signal.aborted && b.signal.aborted);
  });
});
