import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findAuthSecretHints, type AuthSecretHint } from '../../../../src/core/consumers/authSecretHints';
import { silentLogger } from '../../../../src/core/log';
import type { ConsumerScan } from '../../../../src/core/rotation/consumers';
import { CodeHints, CONSUMERS_MAX_AGE_MS } from '../../../../src/extension/model/codeHints';

const hint = (file: string): AuthSecretHint => ({ kind: 'session-signing', detail: 'app.js:2', consumer: 'express-session', file, line: 2 });
const emptyScan = (): ConsumerScan => ({ consumers: [], services: [], authUses: [], filesListed: 0, filesRead: 0, warnings: [] });

describe('extension/model/codeHints', () => {
  it('finds kind hints in the folder\'s real code, once for concurrent first analyses', async () => {
    const root = await fs.mkdtemp(path.join(os.tmpdir(), 'rekey-hints-'));
    try {
      // express-session's documented use (expressjs.com/en/resources/middleware/session.html).
      await fs.writeFile(path.join(root, 'app.js'), "const session = require('express-session');\napp.use(session({ secret: process.env.COOKIE_KEY, resave: false }));\n");
      let calls = 0;
      const hints = new CodeHints({
        logger: silentLogger, trusted: () => false, onHintsChanged: () => assert.fail('the first computation is no change'),
        findHints: (...args) => {
          calls++;
          return findAuthSecretHints(...args);
        },
      });
      await Promise.all([hints.ensure('g', root), hints.ensure('g', root)]);
      await hints.ensure('g', root);
      assert.equal(calls, 1);
      assert.equal(hints.hintsOf('g').get('COOKIE_KEY')?.kind, 'session-signing');
    } finally {
      await fs.rm(root, { recursive: true, force: true });
    }
  });

  it('asks for a new fast pass when refreshed hints differ, not when they are the same', async () => {
    let result = new Map<string, AuthSecretHint>();
    const changed: string[] = [];
    const hints = new CodeHints({ logger: silentLogger, trusted: () => true, onHintsChanged: (k) => changed.push(k), findHints: () => Promise.resolve(result) });
    await hints.ensure('g', '/w');
    await hints.refresh('g', '/w');
    assert.deepEqual(changed, []);
    result = new Map([['SESSION_SECRET', hint('/w/app.js')]]);
    await hints.refresh('g', '/w');
    assert.deepEqual(changed, ['g']);
    assert.equal(hints.hintsOf('g').size, 1);
  });

  it('keeps the last hints when the code cannot be read, and stops waiting for them', async () => {
    const hints = new CodeHints({ logger: silentLogger, trusted: () => true, onHintsChanged: () => undefined, findHints: () => Promise.reject(new Error('EACCES')) });
    await hints.ensure('g', '/w');
    assert.equal(hints.hintsOf('g').size, 0);
  });

  it('caches a consumer scan per file and key, until sources change or it is too old', async () => {
    let clock = 1_000;
    const scans: string[] = [];
    const hints = new CodeHints({
      logger: silentLogger, trusted: () => true, onHintsChanged: () => undefined, now: () => clock,
      findConsumers: (req) => {
        scans.push(`${path.basename(req.envFile)}:${req.key}:${req.trusted}`);
        return Promise.resolve(emptyScan());
      },
    });
    await hints.consumersOf('g', '/w', '/w/.env', 'API_KEY');
    await hints.consumersOf('g', '/w', '/w/.env', 'API_KEY');
    await hints.consumersOf('g', '/w', '/w/.env', 'DB_URL');
    assert.deepEqual(scans, ['.env:API_KEY:true', '.env:DB_URL:true']);
    hints.invalidate('g');
    await hints.consumersOf('g', '/w', '/w/.env', 'API_KEY');
    clock += CONSUMERS_MAX_AGE_MS + 1;
    await hints.consumersOf('g', '/w', '/w/.env', 'API_KEY');
    assert.equal(scans.length, 4);
  });

  it('forgets a failed scan (the next request tries again) and stops waiting when cancelled', async () => {
    let fail = true;
    let release!: () => void;
    const hints = new CodeHints({
      logger: silentLogger, trusted: () => true, onHintsChanged: () => undefined,
      findConsumers: () => (fail ? Promise.reject(new Error('boom')) : new Promise((resolve) => (release = () => resolve(emptyScan())))),
    });
    assert.equal(await hints.consumersOf('g', '/w', '/w/.env', 'K'), undefined);
    fail = false;
    let cancel!: () => void;
    const token = { onCancellationRequested: (l: () => void) => ((cancel = l), { dispose: () => undefined }) };
    const waiting = hints.consumersOf('g', '/w', '/w/.env', 'K', token);
    cancel();
    assert.equal(await waiting, undefined);
    release();
    assert.ok(await hints.consumersOf('g', '/w', '/w/.env', 'K'), 'the shared scan went on and is cached');
  });
});
