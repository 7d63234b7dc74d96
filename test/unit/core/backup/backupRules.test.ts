import * as assert from 'node:assert/strict';
import { chmodSync, utimesSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { backupRules } from '../../../../src/core/backup/backupRules';
import type { Finding } from '../../../../src/core/findings/finding';
import { ruleInfo } from '../../../../src/core/findings/ruleInfo';
import { defaultRuleProviders } from '../../../../src/core/analysis/rules';
import { scanPaths } from '../../../../src/core/analysis/scan';
import type { ScanOptions } from '../../../../src/core/findings/scanContext';
import { git, makeWorkspace } from './gitRepo';

const NEW = 'CANARYnewA1b2C3d4E5f6G7h8';
const OLD = 'CANARYoldZ9y8X7w6V5u4T3s2';
const DAY = 86_400_000;
const NOW = new Date('2026-09-01T12:00:00Z');

async function scan(dir: string, options: ScanOptions = {}): Promise<Finding[]> {
  const logs: string[] = [];
  const logger = { trace: () => undefined, debug: () => undefined, info: (m: string) => logs.push(m), warn: (m: string) => logs.push(m), error: (m: string) => logs.push(m) };
  const r = await scanPaths([dir], [backupRules], { trusted: true, now: NOW, logger, ...options });
  const text = JSON.stringify(r.findings) + logs.join('\n');
  assert.ok(!text.includes('CANARY'), 'no value in findings or logs');
  return r.findings;
}

function ids(dir: string, findings: Finding[]): string[] {
  return findings.map((f) => `${path.relative(dir, f.file)}:${f.rule}:${f.severity}${f.key ? `:${f.key}` : ''}`).sort();
}

describe('backup rules', () => {
  it('registers its rule ids', () => {
    for (const id of ['changed-since-backup', 'backup-tracked', 'backup-not-ignored', 'backup-permissions', 'backup-stale']) assert.equal(ruleInfo(id).id, id) ;
    assert.equal(ruleInfo('backup-tracked').name, 'BackupTrackedByGit');
    assert.ok(defaultRuleProviders().includes(backupRules));
  });

  it('changed-since-backup: error for session-signing and encryption keys, warning for others, nothing for non-secrets', async () => {
    const dir = makeWorkspace({
      // Kinds pinned by annotation: this test is about severities, not name inference.
      '.env': `# rekey: kind=session-signing\nSESSION_SECRET=${NEW}\n# rekey: kind=encryption-key\nAPP_ENCRYPTION_KEY=${NEW}\nGITHUB_TOKEN=${NEW}\nPORT=3001\nSAME_SECRET=${OLD}\n`,
      '.env.backup': `SESSION_SECRET=${OLD}\nAPP_ENCRYPTION_KEY=${OLD}\nGITHUB_TOKEN=${OLD}\nPORT=3000\nSAME_SECRET=${OLD}\nDB_PASSWORD=${OLD}\n`,
    });
    chmodSync(path.join(dir, '.env.backup'), 0o600);
    const findings = (await scan(dir)).filter((f) => f.rule === 'changed-since-backup');
    assert.deepEqual(ids(dir, findings), [
      '.env:changed-since-backup:error:APP_ENCRYPTION_KEY',
      '.env:changed-since-backup:error:SESSION_SECRET',
      '.env:changed-since-backup:warning:DB_PASSWORD',
      '.env:changed-since-backup:warning:GITHUB_TOKEN',
    ]);
    const session = findings.find((f) => f.key === 'SESSION_SECRET')!;
    assert.match(session.message, /changed since the backup \.env\.backup \(value differs\)/);
    assert.match(session.message, /every user must log in again/);
    assert.equal(session.kind, 'session-signing');
    assert.equal(session.range.start.line, 1);
    assert.equal(session.related?.[0]?.file, path.join(dir, '.env.backup'));
    assert.match(findings.find((f) => f.key === 'APP_ENCRYPTION_KEY')!.message, /cannot be decrypted until it is re-encrypted/);
    assert.match(findings.find((f) => f.key === 'DB_PASSWORD')!.message, /no longer in \.env/);
  });

  it('compares each key with the most recent backup that has it, and treats a value put back as a restore', async () => {
    const dir = makeWorkspace({
      '.env': `JWT_SECRET=${OLD}\n# rekey: kind=session-signing\nAUTH_SECRET=${NEW}\n`,
      '.env.2026-01-01': `JWT_SECRET=${OLD}\nAUTH_SECRET=${OLD}\n`,
      '.env.before-restore': `JWT_SECRET=${NEW}\n`,
    });
    utimesSync(path.join(dir, '.env.2026-01-01'), new Date('2026-01-01'), new Date('2026-01-01'));
    const findings = (await scan(dir)).filter((f) => f.rule === 'changed-since-backup');
    // JWT_SECRET differs from the newest backup but equals an older one: restored, not changed.
    assert.deepEqual(ids(dir, findings), ['.env:changed-since-backup:error:AUTH_SECRET']);
    assert.match(findings[0]!.message, /\.env\.2026-01-01/);
  });

  it('downgrades a change explained by a rotation annotation to info', async () => {
    const dir = makeWorkspace({ '.env': `# rekey: kind=session-signing\n# rotated: 2026-08-20\nSESSION_SECRET=${NEW}\n`, '.env.before-secret-rotation': `SESSION_SECRET=${OLD}\n` });
    utimesSync(path.join(dir, '.env.before-secret-rotation'), new Date('2026-08-20T10:00:00Z'), new Date('2026-08-20T10:00:00Z'));
    const [f] = (await scan(dir)).filter((x) => x.rule === 'changed-since-backup');
    assert.equal(f?.severity, 'info');
    assert.match(f?.message ?? '', /as expected after its rotation on 2026-08-20/);
  });

  it('backup-permissions: warns with the chmod fix when others can read a backup (POSIX only)', async function () {
    if (process.platform === 'win32') this.skip();
    const dir = makeWorkspace({ '.env': 'A=1\n', '.env.bak': 'A=1\n', 'sub/.env.prod.old': 'A=1\n', 'sub/.env.prod': 'A=1\n', '.env.save': 'A=1\n' });
    chmodSync(path.join(dir, '.env.bak'), 0o644);
    chmodSync(path.join(dir, 'sub/.env.prod.old'), 0o640);
    chmodSync(path.join(dir, '.env.save'), 0o600);
    const findings = (await scan(dir)).filter((f) => f.rule === 'backup-permissions');
    assert.deepEqual(ids(dir, findings), ['.env.bak:backup-permissions:warning', 'sub/.env.prod.old:backup-permissions:warning']);
    assert.match(findings.find((f) => f.file.endsWith('.env.bak'))!.message, /every user of this machine \(mode 644\).*Fix: chmod 600 \.env\.bak$/);
    assert.match(findings.find((f) => f.file.endsWith('.old'))!.message, /its group \(mode 640\).*chmod 600 sub\/\.env\.prod\.old$/);
  });

  it('backup-tracked and backup-not-ignored in a real git repository', async () => {
    const dir = makeWorkspace({ '.gitignore': '.env\n.env.old\n', '.env': 'A=1\n', '.env.backup': 'A=1\n', '.env.bak': 'A=1\n', '.env.old': 'A=1\n', '.env.example': 'A=\n', '.env.example.bak': 'A=\n' }, { git: true });
    git(dir, 'add', '-f', '.env.backup', '.gitignore', '.env.example');
    git(dir, 'commit', '-qm', 'add');
    for (const f of ['.env.backup', '.env.bak', '.env.old', '.env.example.bak']) chmodSync(path.join(dir, f), 0o600);
    const findings = (await scan(dir)).filter((f) => f.rule.startsWith('backup-'));
    // The template's backup holds no secrets: no hygiene finding for it.
    assert.deepEqual(ids(dir, findings), ['.env.backup:backup-tracked:error', '.env.bak:backup-not-ignored:error']);
    assert.match(findings[0]!.message, /git rm --cached \.env\.backup/);
  });

  it('skips git checks (and says so once) when the workspace is not trusted', async () => {
    const dir = makeWorkspace({ '.env': 'A=1\n', '.env.bak': 'A=1\n', '.env.old': 'A=1\n' }, { git: true });
    const logs: string[] = [];
    const logger = { trace: () => undefined, debug: () => undefined, info: (m: string) => logs.push(m), warn: (m: string) => logs.push(m), error: (m: string) => logs.push(m) };
    const r = await scanPaths([dir], [backupRules], { trusted: false, now: NOW, logger });
    assert.equal(r.findings.filter((f) => f.rule === 'backup-not-ignored').length, 0);
    assert.equal(logs.filter((l) => /not trusted/.test(l)).length, 1);
    // Trusted, the same workspace has two unignored backups: the check is real.
    assert.equal((await scan(dir)).filter((f) => f.rule === 'backup-not-ignored').length, 2);
  });

  it('backup-stale: the oldest backup older than the interval still holding current values', async () => {
    const dir = makeWorkspace({
      '.env': `# rekey: kind=session-signing\nSESSION_SECRET=${OLD}\n# rekey: kind=encryption-key\nAPP_ENCRYPTION_KEY=${OLD}\nGITHUB_TOKEN=${NEW}\n`,
      '.env.2025-01-01': `SESSION_SECRET=${OLD}\nAPP_ENCRYPTION_KEY=${OLD}\nGITHUB_TOKEN=${OLD}\n`,
      '.env.bak': `SESSION_SECRET=${OLD}\n`,
    });
    const old = new Date(NOW.getTime() - 200 * DAY);
    utimesSync(path.join(dir, '.env.2025-01-01'), old, old);
    const recent = new Date(NOW.getTime() - 10 * DAY);
    utimesSync(path.join(dir, '.env.bak'), recent, recent);
    const findings = (await scan(dir)).filter((f) => f.rule === 'backup-stale');
    // APP_ENCRYPTION_KEY's interval is 365 days: a 200-day-old backup is not stale for it.
    assert.deepEqual(ids(dir, findings), ['.env.2025-01-01:backup-stale:info']);
    assert.match(findings[0]!.message, /200 days old and still holds the current value of SESSION_SECRET \(rotation interval 90 days\)/);
    assert.deepEqual(findings[0]!.data?.keys, ['SESSION_SECRET']);
  });

  it('uses configured backup folders from settings', async () => {
    const dir = makeWorkspace({ '.env': `# rekey: kind=session-signing\nJWT_SECRET=${NEW}\n`, 'var/backups/2026-08-01/.env': `JWT_SECRET=${OLD}\n` });
    const findings = (await scan(dir, { settings: { backups: { folders: ['var/backups'] } } })).filter((f) => f.rule === 'changed-since-backup');
    assert.deepEqual(ids(dir, findings), ['.env:changed-since-backup:error:JWT_SECRET']);
    assert.match(findings[0]!.message, /var\/backups\/2026-08-01\/\.env/);
    // Without the setting the dated copy is just another .env file.
    assert.equal((await scan(dir)).filter((f) => f.rule === 'changed-since-backup').length, 0);
  });

  it('never crashes on unreadable or binary backups', async () => {
    const dir = makeWorkspace({ '.env': `JWT_SECRET=${NEW}\n` });
    writeFileSync(path.join(dir, '.env.bak'), Buffer.from([0x4a, 0x3d, 0, 1, 2]));
    const findings = await scan(dir);
    assert.equal(findings.filter((f) => f.rule === 'changed-since-backup').length, 0);
  });
});
