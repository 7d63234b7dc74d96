import * as assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse as dotenvParse } from 'dotenv';
import * as fc from 'fast-check';
import { restoreKey, restoreKeyInFile, RestoreError, saveBeforeRestore } from '../../../../src/core/backup/restore';
import { readRekeyBackupHeader } from '../../../../src/core/env/rekeyBackupHeader';
import { parseEnv } from '../../../../src/core/env/parse';

const OLD = 'CANARYold1a2b3c4d5e6f';

function value(text: string, key: string): string | undefined {
  let v: string | undefined;
  for (const e of parseEnv(text).entries) if (e.key === key) v = e.value;
  return v;
}

function tmp(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'rekey-restore-'));
}

describe('restoreKey', () => {
  it('changes only the value, keeping export, quoting, inline comment and the other lines', () => {
    const live = '# app\nexport SESSION_SECRET="new-value" # signs cookies\nPORT=3000\n';
    const change = restoreKey({ file: '.env', text: live }, `SESSION_SECRET=${OLD}\n`, 'SESSION_SECRET');
    assert.equal(change.action, 'replaced');
    assert.equal(change.newText, `# app\nexport SESSION_SECRET="${OLD}" # signs cookies\nPORT=3000\n`);
    assert.equal(change.edits.length, 1);
    const e = change.edits[0]!;
    assert.equal(live.slice(0, e.start) + e.newText + live.slice(e.end), change.newText, 'edits reproduce newText');
  });

  it('keeps CRLF line endings and the byte order mark', () => {
    const live = '\uFEFFA=1\r\nJWT_SECRET=x\r\n';
    const change = restoreKey({ file: '.env', text: live }, 'JWT_SECRET=y\n', 'JWT_SECRET');
    assert.equal(change.newText, '\uFEFFA=1\r\nJWT_SECRET=y\r\n');
    const appended = restoreKey({ file: '.env', text: live }, 'NEW_KEY=z\n', 'NEW_KEY');
    assert.equal(appended.action, 'appended');
    assert.equal(appended.newText, '\uFEFFA=1\r\nJWT_SECRET=x\r\nNEW_KEY=z\r\n');
  });

  it('changes the last definition (the one dotenv uses) of a duplicated key', () => {
    const change = restoreKey({ file: '.env', text: 'K=a\nK=b\n' }, 'K=c\n', 'K');
    assert.equal(change.newText, 'K=a\nK=c\n');
  });

  it('appends a key the live file lost, after a missing final newline', () => {
    const change = restoreKey({ file: '.env', text: 'A=1' }, 'export K=v\n', 'K');
    assert.equal(change.newText, 'A=1\nexport K=v\n');
  });

  it('re-quotes when the live quoting cannot hold the backup value', () => {
    for (const [liveRaw, backupRaw] of [["'x'", `"it's # here"`], ['x', '"a\\nb"'], ['"x"', "'has \"quotes\" and \\n literally'"], ['x', '"  padded  "']]) {
      const live = `A=0\nK=${liveRaw}\nZ=9\n`;
      const backup = `K=${backupRaw}\n`;
      const change = restoreKey({ file: '.env', text: live }, backup, 'K');
      assert.equal(value(change.newText, 'K'), value(backup, 'K'), `${liveRaw} <- ${backupRaw}`);
      assert.equal(value(change.newText, 'A'), '0');
      assert.equal(value(change.newText, 'Z'), '9');
    }
  });

  it('reads back exactly for arbitrary values (property, judged by dotenv)', () => {
    // Backups are written as a person would (the value between the quotes, as typed), never by
    // restore itself; dotenv says what the backup holds and what the result holds. A single-line
    // backup entry can always be restored (its own source text is a valid spelling), so
    // RestoreError here is a failure, not a skip.
    const chars = fc.constantFrom(...'aZ09 _-=#$\'"`\\{}:/.@!'.split(''));
    let checked = 0;
    fc.assert(
      fc.property(fc.array(chars, { maxLength: 30 }).map((a) => a.join('')), fc.constantFrom('', "'", '"'), fc.constantFrom('none', 'single', 'double'), (v, backupQuote, q) => {
        const quote = q === 'single' ? "'" : q === 'double' ? '"' : '';
        const live = `A=1\nK=${quote}old${quote}\nZ=2\n`;
        const backup = `K=${backupQuote}${v}${backupQuote}\n`;
        const target = dotenvParse(backup).K;
        fc.pre(target !== undefined);
        const change = restoreKey({ file: '.env', text: live }, backup, 'K');
        const after = dotenvParse(change.newText);
        assert.deepEqual(after, { A: '1', K: target, Z: '2' }, `${JSON.stringify(backup)} into ${JSON.stringify(live)} gave ${JSON.stringify(change.newText)}`);
        checked++;
      }),
      { numRuns: 400 },
    );
    assert.ok(checked > 300, `only ${checked} cases checked`);
  });

  it('does nothing when the value is already the backup one, and refuses a key the backup lacks', () => {
    assert.equal(restoreKey({ file: '.env', text: 'K=v\n' }, "K='v'\n", 'K').action, 'unchanged');
    assert.throws(() => restoreKey({ file: '.env', text: 'K=v\n' }, 'OTHER=1\n', 'K'), (e: unknown) => e instanceof RestoreError && e.code === 'key-not-in-backup' && !e.message.includes('v\n'));
  });
});

describe('restoreKey and the "# rotated:" line', () => {
  it('removes the rotation comment of the value it replaces when the backup has none', () => {
    const live = 'PORT=1\n# rotated: 2026-12-01\nDB_PASSWORD=new-value\nOTHER=x\n';
    const change = restoreKey({ file: '.env', text: live }, `DB_PASSWORD=${OLD}\n`, 'DB_PASSWORD');
    assert.equal(change.newText, `PORT=1\nDB_PASSWORD=${OLD}\nOTHER=x\n`);
    assert.deepEqual(dotenvParse(change.newText), { PORT: '1', DB_PASSWORD: OLD, OTHER: 'x' });
  });

  it('puts back the backup\'s own rotation comment, replacing or adding one', () => {
    const backup = `# rotated: 2023-01-15\nDB_PASSWORD=${OLD}\n`;
    const replaced = restoreKey({ file: '.env', text: '# rotated: 2026-12-01\nDB_PASSWORD=new\n' }, backup, 'DB_PASSWORD');
    assert.equal(replaced.newText, `# rotated: 2023-01-15\nDB_PASSWORD=${OLD}\n`);
    const added = restoreKey({ file: '.env', text: 'A=1\r\nDB_PASSWORD=new\r\n' }, backup, 'DB_PASSWORD');
    assert.equal(added.newText, `A=1\r\n# rotated: 2023-01-15\r\nDB_PASSWORD=${OLD}\r\n`);
  });
});

describe('saveBeforeRestore (kept by rekey restore and the editor\'s Restore from Backup)', () => {
  it('keeps the text as a private rekey-made restore backup that dotenv reads as the same values, never overwriting one', async () => {
    const dir = tmp();
    const live = path.join(dir, '.env');
    const text = `# rotated: 2026-12-01\nDB_PASSWORD=${OLD}\nPORT=3000\n`;
    writeFileSync(live, 'on disk differs (an unsaved editor buffer is what is kept)\n');
    const first = await saveBeforeRestore(live, text, 'DB_PASSWORD', { now: new Date('2026-12-02T08:00:00Z') });
    assert.equal(first, `${live}.before-restore`);
    const kept = readFileSync(first, 'utf8');
    assert.deepEqual(readRekeyBackupHeader(kept), { action: 'restoring', keys: ['DB_PASSWORD'], date: '2026-12-02T08:00:00.000Z' });
    assert.deepEqual(dotenvParse(kept), dotenvParse(text));
    if (process.platform !== 'win32') assert.equal(statSync(first).mode & 0o777, 0o600);
    const second = await saveBeforeRestore(live, 'DB_PASSWORD=other\n', 'DB_PASSWORD');
    assert.notEqual(second, first);
    assert.equal(readFileSync(first, 'utf8'), kept, 'the earlier copy is kept');
  });
});

describe('restoreKeyInFile', () => {
  it('writes atomically, keeps the mode and saves the previous file with mode 0600', async () => {
    const dir = tmp();
    const live = path.join(dir, '.env');
    const backup = path.join(dir, '.env.backup');
    writeFileSync(live, 'PROXYOS_SECRET=regenerated\nPORT=1\n');
    writeFileSync(backup, `PROXYOS_SECRET=${OLD}\nPORT=2\n`);
    if (process.platform !== 'win32') chmodSync(live, 0o640);
    const r = await restoreKeyInFile(live, backup, 'PROXYOS_SECRET');
    assert.equal(readFileSync(live, 'utf8'), `PROXYOS_SECRET=${OLD}\nPORT=1\n`);
    assert.equal(r.savedAs, `${live}.before-restore`);
    assert.match(readFileSync(r.savedAs, 'utf8'), /^# rekey: backup before restoring PROXYOS_SECRET on \d{4}-\d\d-\d\dT[\d:.]+Z; delete it once the new value works everywhere \(rekey retire\)\nPROXYOS_SECRET=regenerated\nPORT=1\n$/);
    if (process.platform !== 'win32') {
      assert.equal(statSync(live).mode & 0o777, 0o640);
      assert.equal(statSync(r.savedAs).mode & 0o777, 0o600);
    }
    // Second restore of the same key: nothing to do, no second copy.
    const again = await restoreKeyInFile(live, backup, 'PROXYOS_SECRET');
    assert.equal(again.change.action, 'unchanged');
    assert.equal(again.savedAs, undefined);
  });

  it('leaves the live file intact when the write crashes before the rename', async () => {
    const dir = tmp();
    const live = path.join(dir, '.env');
    writeFileSync(live, 'K=current\n');
    writeFileSync(path.join(dir, '.env.bak'), 'K=old\n');
    await assert.rejects(
      restoreKeyInFile(live, path.join(dir, '.env.bak'), 'K', {
        beforeRename: () => {
          throw new Error('simulated crash');
        },
      }),
    );
    assert.equal(readFileSync(live, 'utf8'), 'K=current\n');
    assert.deepEqual(readdirSync(dir).sort(), ['.env', '.env.bak', '.env.before-restore']);
  });

  it('fails with RestoreError for an unreadable backup and never touches the live file', async () => {
    const dir = tmp();
    const live = path.join(dir, '.env');
    writeFileSync(live, 'K=current\n');
    writeFileSync(path.join(dir, '.env.bak'), Buffer.from([0x4b, 0x3d, 0, 1]));
    await assert.rejects(restoreKeyInFile(live, path.join(dir, '.env.bak'), 'K'), (e: unknown) => e instanceof RestoreError && e.code === 'unreadable');
    await assert.rejects(restoreKeyInFile(live, path.join(dir, 'missing'), 'K'), RestoreError);
    assert.equal(readFileSync(live, 'utf8'), 'K=current\n');
  });
});
