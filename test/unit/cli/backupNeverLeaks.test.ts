import * as assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, utimesSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cli } from '../../helpers/cli';
import { git, makeWorkspace } from '../core/backup/gitRepo';

/*
 * The never-leak rule across every command of the backups-and-ages issue: canary values in live
 * files and backups (changed, removed, restored, unwritable) never reach stdout, stderr, or the
 * state folder, in any format.
 */
describe('backup and age commands never print a value', () => {
  it('scan, ages, diff-backup and restore stay value-free', async () => {
    const C = 'CANARY';
    const dir = makeWorkspace({
      '.env': `# rotated: 2026-01-01\nPROXYOS_SECRET=${C}live1Qw8Er7Ty6Ui5Op4\nAPP_ENCRYPTION_KEY=${C}live2As9Df8Gh7Jk6Lz\nSMTP_PASSWORD="${C}live3 # not a comment"\n`,
      '.env.backup': `PROXYOS_SECRET=${C}old1Qw8Er7Ty6Ui5Op4\nAPP_ENCRYPTION_KEY=${C}old2As9Df8Gh7Jk6Lz\nREMOVED_TOKEN=${C}old3Zx5Cv4Bn3Mm2Qq\nWEIRD_SECRET="${C}'\`"\n`,
      'src/auth.ts': `import { betterAuth } from 'better-auth';\nexport const auth = betterAuth({ secret: process.env.PROXYOS_SECRET });\n`,
      '.gitignore': '',
    }, { git: true });
    git(dir, 'add', '.env.backup');
    chmodSync(path.join(dir, '.env.backup'), 0o644);
    utimesSync(path.join(dir, '.env.backup'), new Date('2025-01-01'), new Date('2025-01-01'));
    const state = mkdtempSync(path.join(os.tmpdir(), 'rekey-state-'));
    const env = { REKEY_STATE_DIR: state };
    const runs = [
      ['scan', '--fail-on', 'never'],
      ['scan', '--format', 'json', '--fail-on', 'never'],
      ['scan', '--format', 'sarif', '--fail-on', 'never'],
      ['scan', '--verbose', '--fail-on', 'never'],
      ['ages'],
      ['ages', '--format', 'json', '--verbose'],
      ['diff-backup'],
      ['diff-backup', '--format', 'json', '--verbose'],
      ['restore', 'WEIRD_SECRET', '--from', '.env.backup', '--dry-run'],
      ['restore', 'REMOVED_TOKEN', '--from', '.env.backup', '--dry-run'],
      ['restore', 'NOPE', '--from', '.env.backup'],
      ['restore', 'PROXYOS_SECRET', '--from', '.env.backup'],
      ['restore', 'REMOVED_TOKEN', '--from', '.env.backup'],
    ];
    let findings = 0;
    for (const argv of runs) {
      const r = await cli(argv, dir, { env });
      assert.ok(!r.stdout.includes(C), `${argv.join(' ')} stdout leaked:\n${r.stdout}`);
      assert.ok(!r.stderr.includes(C), `${argv.join(' ')} stderr leaked:\n${r.stderr}`);
      if (argv[0] === 'scan' && argv.includes('json')) {
        const rules = (JSON.parse(r.stdout) as { findings: Array<{ rule: string }> }).findings.map((f) => f.rule);
        for (const rule of ['changed-since-backup', 'backup-tracked', 'backup-permissions', 'rotation-overdue']) assert.ok(rules.includes(rule), `${rule} in ${rules.join(', ')}`);
        findings = rules.length;
      }
    }
    assert.ok(findings > 0);
    for (const name of readdirSync(state)) assert.ok(!readFileSync(path.join(state, name), 'utf8').includes(C), `state file ${name} leaked`);
    // The restores did happen (the test exercised the writing paths).
    assert.match(readFileSync(path.join(dir, '.env'), 'utf8'), /REMOVED_TOKEN=CANARYold3/);
  });
});
