import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AGE_REUSE_MS, FastPassCache, runFastPass, type FastPassInput } from '../../../../src/core/analysis/fastPass';
import { parseEnv } from '../../../../src/core/env/parse';
import type { ScanFile, ScanSettings } from '../../../../src/core/findings/scanContext';
import { silentLogger } from '../../../../src/core/log';
import { makeGit } from '../../../helpers/git';

const git = makeGit();
import type { AuthSecretHint } from '../../../../src/core/consumers/authSecretHints';

/*
 * The editor's fast pass over a real folder: what an edit re-analyses, and that results from the
 * cache say what a pass without a cache says.
 */

const TOKEN_A = 'ghp_' + 'a8Kq2Zr7Xw4Lm9Np3Tv6Yb1Cd5Fg0Hj2Qs'; // GitHub token format (docs.github.com), random body
const TOKEN_B = 'ghp_' + 'Zr7Xw4Lm9Np3Tv6Yb1Cd5Fg0Hj2Qsa8Kq2';

describe('core/analysis/fastPass', () => {
  let root: string;
  let stateDir: string;
  const hints = new Map<string, AuthSecretHint>();
  const now = new Date('2026-06-01T12:00:00Z');

  beforeEach(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'rekey-fastpass-'));
    stateDir = await fs.mkdtemp(path.join(os.tmpdir(), 'rekey-fastpass-state-'));
  });
  afterEach(async () => {
    await fs.rm(root, { recursive: true, force: true });
    await fs.rm(stateDir, { recursive: true, force: true });
  });

  async function file(name: string, text: string, role: ScanFile['role'] = 'env'): Promise<ScanFile> {
    const p = path.join(root, name);
    await fs.writeFile(p, text);
    const st = await fs.stat(p);
    return { path: p, role, text, parsed: parseEnv(text), mtimeMs: st.mtimeMs, mode: st.mode };
  }

  function edited(f: ScanFile, text: string): ScanFile {
    return { ...f, text, parsed: parseEnv(text) };
  }

  function settings(extra: Partial<ScanSettings> = {}): ScanSettings {
    return { secrets: {}, detect: {}, backups: { folders: [], globs: [] }, age: { dueSoonDays: 14, ledgerDir: stateDir, record: false }, ...extra };
  }

  function input(files: ScanFile[], cache: FastPassCache | undefined, extra: Partial<FastPassInput> = {}): FastPassInput {
    return { root, files, settings: settings(), maxBytes: 1 << 20, kindHints: hints, record: false, logger: silentLogger, now, ...(cache ? { cache } : {}), ...extra };
  }

  /** What a pass says per file, value-free and comparable. */
  function view(results: Awaited<ReturnType<typeof runFastPass>>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [p, r] of results) {
      out[path.basename(p)] = {
        findings: r.findings.map((f) => `${f.rule}@${f.range.start.line}:${f.key ?? ''}`),
        secrets: r.secrets.map((s) => `${s.entry.key}:${s.kind}`),
        ages: [...r.ages.values()].map((a) => `${a.key}:${a.status}:${a.source}`),
        backups: r.backups.map((b) => path.basename(b)),
        backupOf: r.backupOf ? path.basename(r.backupOf) : undefined,
      };
    }
    return out;
  }

  it('after an edit, runs the per-file rules on the edited file only, and says what a pass without a cache says', async () => {
    const files = [
      await file('.env', `GITHUB_TOKEN=${TOKEN_A}\nPORT=3000\n`),
      await file('.env.local', `GITHUB_TOKEN=${TOKEN_B}\nDEBUG=1\n`),
      await file('.env.test', 'PORT=3001\n'),
    ];
    const cache = new FastPassCache();
    await runFastPass(input(files, cache));
    assert.equal(cache.lastAnalysed, 3);

    files[1] = edited(files[1]!, `GITHUB_TOKEN=${TOKEN_B}\nDEBUG 1\n`);
    const cached = await runFastPass(input(files, cache));
    assert.equal(cache.lastAnalysed, 1, 'only the edited file');
    const local = view(cached)['.env.local'] as { findings: string[] };
    assert.ok(local.findings.includes('no-equals@1:'), `the edit's parse problem is reported: ${local.findings.join(', ')}`);
    assert.deepEqual(view(cached), view(await runFastPass(input(files, undefined))));

    const again = await runFastPass(input(files, cache));
    assert.equal(cache.lastAnalysed, 0, 'nothing changed, nothing re-analysed');
    assert.deepEqual(view(again), view(cached));
  });

  it('analyses every file again when the detection settings or the kind hints change', async () => {
    const files = [await file('.env', `GITHUB_TOKEN=${TOKEN_A}\n`), await file('.env.local', `OTHER_TOKEN=${TOKEN_B}\n`)];
    const cache = new FastPassCache();
    const first = view(await runFastPass(input(files, cache)));
    assert.deepEqual((first['.env'] as { secrets: string[] }).secrets.length, 1);

    const quiet = await runFastPass(input(files, cache, { settings: settings({ secrets: { notSecret: ['GITHUB_TOKEN'] }, detect: { notSecret: ['GITHUB_TOKEN'] } }) }));
    assert.equal(cache.lastAnalysed, 2);
    assert.ok(!view(quiet)['.env'] || !(view(quiet)['.env'] as { findings: string[] }).findings.some((f) => f.startsWith('secret@')), 'a key marked not secret raises no secret finding');

    await runFastPass(input(files, cache, { kindHints: new Map([['OTHER_TOKEN', { kind: 'session-signing' as const, detail: 'app.ts:3', consumer: 'express-session', file: path.join(root, 'app.ts'), line: 3 }]]) }));
    assert.equal(cache.lastAnalysed, 2);
  });

  it('re-runs the cross-file rules on cached files: a backup compared with the edited live file', async () => {
    const live = await file('.env', `GITHUB_TOKEN=${TOKEN_A}\n`);
    const backup = await file('.env.backup', `GITHUB_TOKEN=${TOKEN_B}\n`, 'backup');
    const cache = new FastPassCache();
    const before = view(await runFastPass(input([live, backup], cache)));
    assert.ok((before['.env'] as { findings: string[] }).findings.some((f) => f.startsWith('changed-since-backup@')), JSON.stringify(before));
    assert.deepEqual((before['.env'] as { backups: string[] }).backups, ['.env.backup']);

    // The live file goes back to the backup's value; the backup itself comes from the cache.
    const after = view(await runFastPass(input([edited(live, `GITHUB_TOKEN=${TOKEN_B}\n`), backup], cache)));
    assert.equal(cache.lastAnalysed, 1);
    assert.ok(!(after['.env'] as { findings: string[] }).findings.some((f) => f.startsWith('changed-since-backup@')), JSON.stringify(after));
  });

  it('leaves backup git checks to the git pass without logging that trust was missing', async () => {
    const live = await file('.env', `GITHUB_TOKEN=${TOKEN_A}\n`);
    const backup = await file('.env.backup', `GITHUB_TOKEN=${TOKEN_B}\n`, 'backup');
    const lines: string[] = [];
    const note = (m: string): void => void lines.push(m);
    const logger = { trace: note, debug: note, info: note, warn: note, error: note };
    const results = await runFastPass(input([live, backup], undefined, { logger }));
    assert.deepEqual((view(results)['.env'] as { backups: string[] }).backups, ['.env.backup'], 'the backup was analysed');
    assert.ok(!lines.some((l) => /not trusted/i.test(l)), lines.join('\n'));
  });

  it('computes each file\'s ages once per pass (the age rules and the reports share them); after an edit, the edited file\'s only', async () => {
    /** Counts, per file, the ages a pass computed afresh and the times it asked for earlier ones. */
    class CountingCache extends FastPassCache {
      readonly computed = new Map<string, number>();
      readonly asked = new Map<string, number>();
      override storeAges(...args: Parameters<FastPassCache['storeAges']>): void {
        this.computed.set(path.basename(args[0].path), (this.computed.get(path.basename(args[0].path)) ?? 0) + 1);
        super.storeAges(...args);
      }
      override lookupAges(...args: Parameters<FastPassCache['lookupAges']>): ReturnType<FastPassCache['lookupAges']> {
        this.asked.set(path.basename(args[0].path), (this.asked.get(path.basename(args[0].path)) ?? 0) + 1);
        return super.lookupAges(...args);
      }
    }
    const files = [await file('.env', `# rotated: 2020-01-01\nGITHUB_TOKEN=${TOKEN_A}\n`), await file('.env.local', `GITHUB_TOKEN=${TOKEN_B}\n`)];
    const cache = new CountingCache();
    const first = await runFastPass(input(files, cache));
    assert.deepEqual(Object.fromEntries(cache.computed), { '.env': 1, '.env.local': 1 });
    assert.deepEqual(Object.fromEntries(cache.asked), { '.env': 1, '.env.local': 1 }, 'one age computation per pass');
    const env = first.get(files[0]!.path)!;
    assert.equal(env.ages.get('GITHUB_TOKEN')?.status, 'overdue', 'the report');
    assert.ok(env.findings.some((f) => f.rule === 'rotation-overdue'), `the age rule's finding: ${env.findings.map((f) => f.rule).join(', ')}`);

    cache.computed.clear();
    cache.asked.clear();
    files[1] = edited(files[1]!, `GITHUB_TOKEN=${TOKEN_B}\nDEBUG=1\n`);
    await runFastPass(input(files, cache));
    assert.deepEqual(Object.fromEntries(cache.computed), { '.env.local': 1 }, 'the unchanged file\'s ages are reused');
    assert.deepEqual(Object.fromEntries(cache.asked), { '.env': 1, '.env.local': 1 }, 'one age computation per pass');
  });

  it('reuses an unchanged file\'s ages until the ledger changes or a minute passes', async () => {
    const files = [await file('.env', `GITHUB_TOKEN=${TOKEN_A}\n`), await file('.env.local', `GITHUB_TOKEN=${TOKEN_B}\n`)];
    const cache = new FastPassCache();
    // Record once, as the first pass after discovery does: the ledger and its key exist.
    await runFastPass(input(files, cache, { record: true }));
    const ageOf = async (extra: Partial<FastPassInput> = {}) => (await runFastPass(input(files, cache, extra))).get(files[1]!.path)!.ages.get('GITHUB_TOKEN')!;
    const first = await ageOf();
    assert.equal(await ageOf(), first, 'the same report object: reused');
    const later = await ageOf({ now: new Date(now.getTime() + AGE_REUSE_MS + 1) });
    assert.notEqual(later, first, 'older than a minute: computed again');
    assert.deepEqual({ ...later, since: undefined }, { ...first, since: undefined });

    const reused = await ageOf({ now: new Date(now.getTime() + AGE_REUSE_MS + 2) });
    assert.equal(reused, later);
    // Another process (the CLI) writes the ledger: the stamp moves, ages are computed again.
    await runFastPass(input([files[0]!], undefined, { record: true, now: new Date(now.getTime() + 3 * 86_400_000) }));
    assert.notEqual(await ageOf({ now: new Date(now.getTime() + AGE_REUSE_MS + 3) }), reused);
  });

  it('judges a previous secret\'s retire-by date again on a new day', async () => {
    const text = `# rekey-previous: of=SESSION_SECRET retire-by=2026-06-02\nSESSION_SECRET_PREVIOUS=${TOKEN_B}\nSESSION_SECRET=${TOKEN_A}\n`;
    const files = [await file('.env', text)];
    const cache = new FastPassCache();
    const rules = async (at: Date) => (await runFastPass(input(files, cache, { now: at }))).get(files[0]!.path)!.findings.map((f) => f.rule);
    assert.ok(!(await rules(now)).includes('previous-secret-retirable'));
    assert.ok((await rules(new Date('2026-06-02T08:00:00Z'))).includes('previous-secret-retirable'));
    assert.equal(cache.lastAnalysed, 1);
  });

  it('computes ages again when the git pass\'s ages change (a new map after a git pass or when history is turned off)', async () => {
    git(root, 'init', '-q');
    const files = [await file('.env', `GITHUB_TOKEN=${TOKEN_A}\n`), await file('.env.local', `GITHUB_TOKEN=${TOKEN_B}\n`)];
    const cache = new FastPassCache();
    const fromGit = new Map([[files[1]!.path, new Map([['GITHUB_TOKEN', { commit: 'a'.repeat(40), date: '2020-01-02T00:00:00Z', sameValue: () => true }]])]]);
    const source = async (gitAges: FastPassInput['gitAges']) => (await runFastPass(input(files, cache, gitAges ? { gitAges } : {}))).get(files[1]!.path)!.ages.get('GITHUB_TOKEN')!.source;
    assert.equal(await source(fromGit), 'git');
    assert.equal(await source(fromGit), 'git');
    assert.notEqual(await source(new Map()), 'git');
    assert.equal(await source(fromGit), 'git');
    assert.notEqual(await source(undefined), 'git', 'untrusted: no git ages');
  });
});
