import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { discoverBackups, findBackupsOf, pairSameFolderBackups, readBackupSettings } from '../../../../src/core/backup/discover';
import { findEnvFiles } from '../../../../src/core/workspace/findEnvFiles';

function workspace(files: Record<string, string>): string {
  const dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'rekey-discover-')));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

function rel(dir: string, refs: Array<{ path: string; livePath: string; origin: string }>): string[] {
  return refs.map((r) => `${path.relative(dir, r.path)} -> ${path.relative(dir, r.livePath)} (${r.origin})`).sort();
}

describe('backup discovery', () => {
  it('pairs every same-folder backup name with its live file', async () => {
    const names = ['.env.backup', '.env.bak', '.env.old', '.env.orig', '.env.save', '.env~', '.env.before-secret-rotation', '.env.2026-08-01', '.env.20260801T120000', '.env_20260801120000.bak'];
    const files: Record<string, string> = { '.env': 'A=1\n', '.env.prod': 'A=1\n', '.env.production': 'A=1\n', '.env.prod.backup': 'A=0\n', '.env.production.bak': 'A=0\n' };
    for (const n of names) files[n] = 'A=0\n';
    const dir = workspace(files);
    const refs = await pairSameFolderBackups(await findEnvFiles(dir));
    const expected = [...names.map((n) => `${n} -> .env (same-folder)`), '.env.prod.backup -> .env.prod (same-folder)', '.env.production.bak -> .env.production (same-folder)'].sort();
    assert.deepEqual(rel(dir, refs), expected);
  });

  it('picks the candidate that exists for an ambiguous name, and keeps a backup whose live file is gone', async () => {
    const dir = workspace({ '.env': 'A=1\n', '.env.bak.prod': 'A=0\n', 'old/.env.prod.bak': 'A=0\n' });
    const refs = await pairSameFolderBackups(await findEnvFiles(dir));
    assert.deepEqual(rel(dir, refs), ['.env.bak.prod -> .env (same-folder)', 'old/.env.prod.bak -> old/.env.prod (same-folder)']);
  });

  it('finds backups in configured folders: flat, by date, mirrored, and outside the workspace', async () => {
    const dir = workspace({
      '.env': 'A=1\n',
      'api/.env': 'A=1\n',
      'web/.env.local': 'A=1\n',
      'backups/2026-08-01/.env': 'A=0\n',
      'backups/api/.env.bak': 'A=0\n',
      'backups/.env.local.2026-07-01': 'A=0\n',
      'backups/notes.txt': 'hello\n',
    });
    const home = workspace({ 'env-backups/.env.prod.bak': 'A=0\n' });
    writeFileSync(path.join(dir, '.env.prod'), 'A=1\n');
    const files = await findEnvFiles(dir);
    const live = files.filter((f) => !f.includes(`${path.sep}backups${path.sep}`) && !f.endsWith('.bak') && !/\d$/.test(f));
    const refs = await discoverBackups([dir], files, live, { folders: ['backups', '~/env-backups'] }, { home });
    const mine = refs.filter((r) => r.origin === 'folder');
    assert.deepEqual(
      mine.map((r) => `${path.relative(r.path.startsWith(home) ? home : dir, r.path)} -> ${path.relative(dir, r.livePath)}`).sort(),
      ['backups/.env.local.2026-07-01 -> web/.env.local', 'backups/2026-08-01/.env -> .env', 'backups/api/.env.bak -> api/.env', 'env-backups/.env.prod.bak -> .env.prod'].sort(),
    );
  });

  it('finds backups by glob, by name or with an explicit live file', async () => {
    const dir = workspace({ '.env': 'A=1\n', 'ops/snapshots/.env.2026-08-01': 'A=0\n', 'ops/secrets-2026-08-01.txt': 'A=0\n', 'ops/other.txt': 'x' });
    const files = await findEnvFiles(dir);
    const refs = await discoverBackups([dir], files, [path.join(dir, '.env')], { globs: ['ops/snapshots/*', { pattern: 'ops/secrets-*.txt', live: '.env' }] });
    assert.deepEqual(rel(dir, refs.filter((r) => r.origin === 'glob')), ['ops/secrets-2026-08-01.txt -> .env (glob)', 'ops/snapshots/.env.2026-08-01 -> .env (glob)']);
  });

  it('finds the backups of one file for the CLI', async () => {
    const dir = workspace({ '.env': 'A=1\n', '.env.backup': 'A=0\n', '.env.prod': 'A=1\n', '.env.prod.bak': 'A=0\n' });
    const refs = await findBackupsOf(path.join(dir, '.env'));
    assert.deepEqual(rel(dir, refs), ['.env.backup -> .env (same-folder)']);
    assert.deepEqual(await findBackupsOf(path.join(dir, 'missing', '.env')), []);
  });

  it('reads settings defensively', () => {
    assert.deepEqual(readBackupSettings(null), {});
    assert.deepEqual(readBackupSettings({ folders: ['a', 3, ''], globs: ['*.bak', { pattern: 'x' }, { pattern: 'y', live: '.env' }] }), { folders: ['a'], globs: ['*.bak', { pattern: 'y', live: '.env' }] });
  });
});
