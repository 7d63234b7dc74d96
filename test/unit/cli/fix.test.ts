import * as assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as dotenv from 'dotenv';
import { cli } from '../../helpers/cli';

function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rekey-fix-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

const SECRET = 'pa ss#w0rd-never-printed';

describe('rekey fix', () => {
  it('fixes in place after a private backup, keeps the mode, and dotenv reads the same values', async () => {
    const before = `DB_PASSWORD = '${SECRET}'  \r\nGREETING=hello world\r\nDB_PASSWORD='${SECRET}'\r\nPORT=5432`;
    const dir = workspace({ '.env': before });
    if (process.platform !== 'win32') chmodSync(path.join(dir, '.env'), 0o640);
    const r = await cli(['fix', '.env'], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(!r.stdout.includes(SECRET) && !r.stdout.includes('pa ss'), 'never prints a value');
    assert.match(r.stdout, /\.env: applied \d+ fixes/);
    assert.match(r.stdout, /saved as \.env\.before-fix \(mode 600\)/);
    const after = readFileSync(path.join(dir, '.env'), 'utf8');
    assert.equal(after, `GREETING='hello world'\nDB_PASSWORD='${SECRET}'\nPORT=5432\n`);
    assert.deepEqual({ ...dotenv.parse(after) }, { ...dotenv.parse(before) });
    assert.equal(readFileSync(path.join(dir, '.env.before-fix'), 'utf8'), before);
    if (process.platform !== 'win32') {
      assert.equal(statSync(path.join(dir, '.env')).mode & 0o777, 0o640);
      assert.equal(statSync(path.join(dir, '.env.before-fix')).mode & 0o777, 0o600);
    }
    const again = await cli(['fix', '.env'], dir);
    assert.equal(again.code, 0);
    assert.match(again.stdout, /nothing to fix/);
  });

  it('--dry-run writes nothing and exits 1 when something would change', async () => {
    const text = 'A = 1\n';
    const dir = workspace({ '.env': text });
    const r = await cli(['fix', '.env', '--dry-run'], dir);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /would apply 1 fix\n {2}spaces-around-equals/);
    assert.equal(readFileSync(path.join(dir, '.env'), 'utf8'), text);
    const clean = workspace({ '.env': 'A=1\n' });
    assert.equal((await cli(['fix', '.env', '--dry-run'], clean)).code, 0);
  });

  it('changes meaning only with --change-meaning', async () => {
    const dir = workspace({ '.env': 'COLOR=#fff#000\n' });
    await cli(['fix', '.env'], dir);
    assert.equal(readFileSync(path.join(dir, '.env'), 'utf8'), 'COLOR=#fff#000\n');
    const dir2 = workspace({ '.env': 'URL=https://x.test/a#b\n' });
    await cli(['fix', '.env', '--change-meaning'], dir2);
    assert.equal(dotenv.parse(readFileSync(path.join(dir2, '.env'), 'utf8')).URL, 'https://x.test/a#b');
  });

  it('reports unreadable input clearly and loses nothing', async () => {
    const dir = workspace({ 'bin.env': 'A=\u0000\n' });
    const r = await cli(['fix', 'bin.env', 'missing.env'], dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /bin\.env: binary content/);
    assert.match(r.stderr, /missing\.env: file not found/);
    assert.equal(readFileSync(path.join(dir, 'bin.env'), 'utf8'), 'A=\u0000\n');
  });
});
