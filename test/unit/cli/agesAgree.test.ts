import * as assert from 'node:assert/strict';
import { cpSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { secretAgesForScan } from '../../../src/core/analysis/secretAges';
import { FastPassCache, runFastPass } from '../../../src/core/analysis/fastPass';
import type { GitValueAge } from '../../../src/core/age/secretAge';
import { findRepoRoot } from '../../../src/core/git/repoRoot';
import { gitValueAgesProvider } from '../../../src/core/git/valueAges';
import { loadScanFile } from '../../../src/core/findings/scanFile';
import type { ScanContext } from '../../../src/core/findings/scanContext';
import { findEnvFiles } from '../../../src/core/workspace/findEnvFiles';
import { cli, copyFixture } from '../../helpers/cli';
import { REPO_ROOT } from '../../helpers/shared';
import { makeWorkspace } from '../core/backup/gitRepo';

/*
 * `rekey ages`, `rekey scan` and the core pipeline the editor's fast pass calls must tell the
 * same story for every secret: same since, source, bound and status. The workspaces are the
 * demo (examples/demo) and the fixture workspaces; the ledger starts empty for every run.
 */

interface AgeRow {
  file: string;
  key: string;
  since: string | null;
  source: string;
  bound: string | null;
  status: string;
}

async function corePipeline(root: string, stateDir: string): Promise<AgeRow[]> {
  const files = await Promise.all((await findEnvFiles(root)).sort().map((p) => loadScanFile(p)));
  const ctx: ScanContext = { files, roots: [root], options: { trusted: true, settings: { age: { ledgerDir: stateDir, gitAges: gitValueAgesProvider({ trusted: true }) } } }, logger: { debug() {}, info() {}, warn() {}, error() {} } as never };
  const { reports } = await secretAgesForScan(ctx);
  return reports.map((r) => ({ file: path.relative(root, r.file).split(path.sep).join('/'), key: r.key, since: r.since ? r.since.toISOString().slice(0, 10) : null, source: r.source, bound: r.bound ?? null, status: r.status }));
}

/**
 * The editor's computation: the fast pass the workspace model runs on every change, with the
 * git ages its git pass caches (the model never runs git from the fast pass), twice over one
 * cache as the editor does between edits (the second pass reuses the first one's ages).
 */
async function editorFastPass(root: string, stateDir: string): Promise<AgeRow[]> {
  const files = await Promise.all((await findEnvFiles(root)).sort().map((p) => loadScanFile(p)));
  const gitAges = new Map<string, Map<string, GitValueAge>>();
  const repo = findRepoRoot(root);
  if (repo) {
    const rels = files.map((f) => path.relative(repo, f.path).split(path.sep).join('/'));
    const byRel = await gitValueAgesProvider({ trusted: true })(repo, rels);
    files.forEach((f, i) => {
      const m = byRel.get(rels[i] as string);
      if (m) gitAges.set(f.path, m);
    });
  }
  const cache = new FastPassCache();
  const logger = { debug() {}, info() {}, warn() {}, error() {} } as never;
  const input = { root, files, settings: { age: { ledgerDir: stateDir } }, maxBytes: 1024 * 1024, kindHints: new Map(), gitAges, record: false, logger, cache };
  await runFastPass(input);
  const out = await runFastPass(input);
  const rows: AgeRow[] = [];
  for (const [file, r] of out) {
    for (const a of r.ages.values()) rows.push({ file: path.relative(root, file).split(path.sep).join('/'), key: a.key, since: a.since ? a.since.toISOString().slice(0, 10) : null, source: a.source, bound: a.bound ?? null, status: a.status });
  }
  return rows;
}

const byPlace = (a: AgeRow, b: AgeRow): number => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

function copyDemo(): string {
  const dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'rekey-demo-')));
  cpSync(path.join(REPO_ROOT, 'examples', 'demo'), dir, { recursive: true });
  return dir;
}

const workspaces: Array<[string, () => string]> = [
  ['examples/demo', copyDemo],
  ['fixtures/workspaces/basic', () => copyFixture('workspaces/basic')],
  ['fixtures/seed000', () => copyFixture('seed000')],
  [
    'a workspace with a suppressed key',
    () => makeWorkspace({ '.env': 'SESSION_SECRET=Hq3v9Lr2Xz7Kp5Wm1Tb8Ny4Gd6Fs0Ja # rekey-ignore\nJWT_SECRET=Pz4x8Mv2Lq6Rn0Tb3Wk7Yc1Hd5Gf9Sj\n', '.env.bak': 'JWT_SECRET=Old0x8Mv2Lq6Rn0Tb3Wk7Yc1Hd5Gf9Sj\n' }),
  ],
];

describe('ages agree: rekey ages, rekey scan, the core pipeline and the editor\'s fast pass', () => {
  for (const [name, make] of workspaces) {
    it(name, async () => {
      const dir = make();
      const state = mkdtempSync(path.join(os.tmpdir(), 'rekey-state-'));
      const env = { REKEY_STATE_DIR: state };
      // Read-only runs first, so every run sees the same (empty) ledger; `ages` records last.
      const scan = await cli(['scan', '--format', 'json', '--fail-on', 'never'], dir, { env });
      assert.equal(scan.code, 0, scan.stderr);
      const core = await corePipeline(dir, state);
      const editor = await editorFastPass(dir, state);
      const ages = await cli(['ages', '--format', 'json'], dir, { env });
      assert.equal(ages.code, 0, ages.stderr);
      const fromAges = (JSON.parse(ages.stdout) as { secrets: Array<AgeRow & { since: string | null }> }).secrets.map((s) => ({ file: s.file, key: s.key, since: s.since ? s.since.slice(0, 10) : null, source: s.source, bound: s.bound, status: s.status }));
      assert.ok(fromAges.length > 0, 'the workspace has secrets');
      assert.deepEqual(fromAges, core);
      assert.deepEqual([...editor].sort(byPlace), [...core].sort(byPlace), 'the editor\'s fast pass tells the same story');

      // scan reports the overdue and due-soon ones, with the same data.
      // The finding's data fields are top-level in scan's JSON.
      const findings = (JSON.parse(scan.stdout) as { findings: Array<{ file: string; key?: string; rule: string; since: string | null; source: string; bound: string | null; status: string }> }).findings;
      const fromScan = findings
        .filter((f) => f.rule === 'rotation-overdue' || f.rule === 'rotation-due-soon')
        .map((f) => ({ file: f.file, key: f.key, since: f.since ? f.since.slice(0, 10) : null, source: f.source, bound: f.bound ?? null, status: f.status }));
      assert.deepEqual(fromScan, core.filter((r) => r.status === 'overdue' || r.status === 'due-soon'));
    });
  }

  it('a suppressed key is in neither output', async () => {
    const dir = makeWorkspace({ '.env': '# rekey-ignore\nSESSION_SECRET=Hq3v9Lr2Xz7Kp5Wm1Tb8Ny4Gd6Fs0Ja\nJWT_SECRET=Pz4x8Mv2Lq6Rn0Tb3Wk7Yc1Hd5Gf9Sj\n' });
    const ages = await cli(['ages', '--format', 'json', '--no-ledger'], dir);
    const keys = (JSON.parse(ages.stdout) as { secrets: Array<{ key: string }> }).secrets.map((s) => s.key);
    assert.deepEqual(keys, ['JWT_SECRET']);
  });
});

describe('rekey ages: files it could not read', () => {
  it('lists a binary, an invalid UTF-8 and an oversized .env as not checked instead of "No secrets found."', async () => {
    const dir = makeWorkspace({});
    // A GIF header before an assignment dotenv would read; bytes that are not UTF-8; more than 1 MiB.
    writeFileSync(path.join(dir, '.env'), Buffer.concat([Buffer.from('GIF89a\0'), Buffer.from('AUTH_SECRET=Zq8Wv3Lk9Rt2Xp7Mn4Bc6Hd1Jf5Gs0Ya\n')]));
    writeFileSync(path.join(dir, '.env.production'), Buffer.from([0x41, 0x3d, 0xff, 0xfe, 0x0a]));
    writeFileSync(path.join(dir, '.env.staging'), `BIG=${'x'.repeat(1024 * 1024 + 10)}\n`);
    const text = await cli(['ages', '--no-ledger'], dir);
    assert.equal(text.code, 0, text.stderr);
    assert.doesNotMatch(text.stdout, /^No secrets found\.$/m);
    assert.match(text.stdout, /Not checked \(3 files\)/);
    for (const f of ['.env', '.env.production', '.env.staging']) assert.match(text.stdout, new RegExp(`^  ${f.replace('.', '\\.')}: \\S`, 'm'));
    assert.ok(!text.stdout.includes('Zq8Wv3Lk9Rt2Xp7Mn4Bc6Hd1Jf5Gs0Ya'), 'never a value');
    const json = JSON.parse((await cli(['ages', '--no-ledger', '--format', 'json'], dir)).stdout) as { skipped: Array<{ file: string; reason: string }> };
    assert.deepEqual(json.skipped.map((s) => s.file).sort(), ['.env', '.env.production', '.env.staging']);
  });
});
