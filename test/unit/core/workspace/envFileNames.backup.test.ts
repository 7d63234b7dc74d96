import * as assert from 'node:assert/strict';
import { classifyEnvFileName, isEnvFamilyName, liveFileCandidatesForBackup, liveFileForBackup } from '../../../../src/core/workspace/envFileNames';

describe('envFileNames: backup names', () => {
  // Every naming pattern of the issue, and the live file each one backs up.
  const BACKUPS: Array<[string, string]> = [
    ['.env.backup', '.env'],
    ['.env.bak', '.env'],
    ['.env.old', '.env'],
    ['.env.orig', '.env'],
    ['.env.save', '.env'],
    ['.env~', '.env'],
    ['.env.~1~', '.env'],
    ['.env.before-secret-rotation', '.env'],
    ['.env.before_upgrade', '.env'],
    ['.env.2026-08-01', '.env'],
    ['.env.20260801', '.env'],
    ['.env.20260801T120000', '.env'],
    ['.env.2026-08-01T12:00:00Z', '.env'],
    ['.env.1785542400', '.env'],
    ['.env_20260801120000.bak', '.env'],
    ['.env_2026-08-01.bak', '.env'],
    ['.env.prod.backup', '.env.prod'],
    ['.env.production.bak', '.env.production'],
    ['.env.production.old', '.env.production'],
    ['.env.local.2026-08-01', '.env.local'],
    ['.env.prod~', '.env.prod'],
    ['.env-backup', '.env'],
    ['.env_backup', '.env'],
    ['.env.backup-2026-08-01', '.env'],
    ['.env.backup2', '.env'],
    ['.env.bak.1', '.env'],
    ['.env.copy', '.env'],
    ['.env.before-restore-2', '.env'],
    ['prod.env.bak', 'prod.env'],
  ];

  for (const [name, live] of BACKUPS) {
    it(`${name} is a backup of ${live}`, () => {
      assert.equal(classifyEnvFileName(name), 'backup');
      assert.equal(liveFileForBackup(name), live);
      assert.equal(liveFileForBackup(`/srv/app/${name}`), `/srv/app/${live}`);
      assert.ok(isEnvFamilyName(name));
    });
  }

  it('keeps Windows folders when mapping', () => {
    assert.equal(liveFileForBackup('C:\\app\\.env.prod.bak'), 'C:\\app\\.env.prod');
  });

  it('offers both readings of an ambiguous name, the tagged live file first', () => {
    assert.deepEqual(liveFileCandidatesForBackup('/a/.env.backup.prod'), ['/a/.env.prod', '/a/.env']);
  });

  it('does not take live files, templates, look-alikes or programs for backups', () => {
    const cases: Array<[string, string | undefined]> = [
      ['.env', 'env'],
      ['.env.production', 'env'],
      ['.env.local', 'env'],
      ['.env.preview', 'env'], // "prev" only as a whole part
      ['.env.bakery', 'env'],
      ['.env.example', 'template'],
      ['prod.env', 'env'],
      ['.env.bak.js', undefined],
      ['.env.2026-08-01.ts', undefined],
      ['config.env.ts', undefined],
      ['foo.envelope.bak', undefined],
      ['README.md', undefined],
    ];
    for (const [name, role] of cases) assert.equal(classifyEnvFileName(name), role, name);
    for (const name of ['.env', '.env.production', '.env.example', 'README.md']) assert.equal(liveFileForBackup(name), undefined, name);
  });
});
