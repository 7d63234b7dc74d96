import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { ruleInfo } from '../../../../src/core/findings/ruleInfo';
import { historyRules, readHistorySettings } from '../../../../src/core/git/historyRules';
import type { Logger } from '../../../../src/core/log';
import { scanPaths } from '../../../../src/core/analysis/scan';
import { cleanupRepos, commit, makeRepo, tempDir, writeFile } from './gitTestRepo';

const CANARY = ['sk', 'live', 'CANARY9x8y7z6w5v4u3t2s1r0q'].join('_');

function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const rec = (level: string) => (m: string) => void lines.push(`${level}: ${m}`);
  return { lines, trace: rec('trace'), debug: rec('debug'), info: rec('info'), warn: rec('warn'), error: rec('error') };
}

describe('core/git/historyRules', () => {
  after(cleanupRepos);

  it('registers its rule ids', () => {
    for (const id of ['leaked-in-history', 'env-tracked', 'env-not-ignored']) assert.equal(ruleInfo(id).id, id);
    assert.equal(ruleInfo('env-not-ignored').severity, 'warning');
  });

  it('reports a leaked value at its entry, tracked and unignored files, never the value', async () => {
    const repo = makeRepo();
    commit(repo, { '.env': `STRIPE_SECRET_KEY=${CANARY}\n` });
    writeFile(repo, '.env.local', 'LOCAL_ONLY=1\n');
    const logger = recordingLogger();
    const { findings } = await scanPaths([repo], [historyRules], { trusted: false, logger });
    const got = findings.map((f) => `${path.basename(f.file)}:${f.rule}:${f.severity}:${f.key ?? ''}`).sort();
    assert.deepEqual(got, ['.env.local:env-not-ignored:warning:', '.env:env-tracked:error:', '.env:leaked-in-history:error:STRIPE_SECRET_KEY']);
    const leak = findings.find((f) => f.rule === 'leaked-in-history');
    assert.equal(leak?.range.start.line, 0);
    assert.match(leak?.message ?? '', /not pushed yet.*rekey rotate STRIPE_SECRET_KEY/);
    const everything = JSON.stringify(findings) + logger.lines.join('\n');
    assert.ok(!everything.includes(CANARY), 'the value never appears in findings or logs');
  });

  it('rotated since exposure is information', async () => {
    const repo = makeRepo();
    commit(repo, { '.env': `STRIPE_SECRET_KEY=${CANARY}\n` });
    commit(repo, { '.env': null, '.gitignore': '.env\n' });
    writeFile(repo, '.env', `STRIPE_SECRET_KEY=${CANARY}rotated\n`);
    const { findings } = await scanPaths([repo], [historyRules], { trusted: true });
    assert.deepEqual(findings.map((f) => `${f.rule}:${f.severity}`), ['leaked-in-history:info']);
    assert.match(findings[0]?.message ?? '', /rotated since exposure/);
  });

  it('outside a repository, or without git, logs once and reports nothing', async () => {
    const dir = tempDir();
    writeFile(dir, '.env', `STRIPE_SECRET_KEY=${CANARY}\n`);
    const logger = recordingLogger();
    const outside = await scanPaths([dir], [historyRules], { trusted: true, logger });
    assert.deepEqual(outside.findings, []);

    const repo = makeRepo();
    commit(repo, { '.env': `STRIPE_SECRET_KEY=${CANARY}\n` });
    const savedPath = process.env.PATH;
    process.env.PATH = path.join(dir, 'no-bin');
    try {
      const noGit = recordingLogger();
      const res = await scanPaths([repo], [historyRules], { trusted: true, logger: noGit });
      assert.deepEqual(res.findings, []);
      assert.equal(noGit.lines.filter((l) => /git was not found/.test(l)).length, 1);
    } finally {
      process.env.PATH = savedPath;
    }
  });

  it('can be turned off, and reads its settings defensively', async () => {
    const repo = makeRepo();
    commit(repo, { '.env': `STRIPE_SECRET_KEY=${CANARY}\n` });
    const { findings } = await scanPaths([repo], [historyRules], { trusted: true, settings: { history: { enabled: false } } });
    assert.deepEqual(findings, []);
    assert.deepEqual(readHistorySettings({ enabled: 'yes', allFiles: true, extra: 1 }), { allFiles: true });
    assert.deepEqual(readHistorySettings(null), {});
  });
});
