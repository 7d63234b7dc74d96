import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type * as vscode from 'vscode';
import { readTrackedFiles, type OpenDocument } from '../../../../src/extension/model/documentReader';
import type { TrackedFile } from '../../../../src/extension/model/fileState';
import { fileUri } from './fakeVscode';

describe('extension/model/documentReader', () => {
  let dir: string;
  beforeEach(async () => (dir = await fs.mkdtemp(path.join(os.tmpdir(), 'rekey-reader-'))));
  afterEach(() => fs.rm(dir, { recursive: true, force: true }));

  const tracked = (name: string): TrackedFile => ({ uri: fileUri(path.join(dir, name)), path: path.join(dir, name), role: 'env', diskStale: true });
  const noDocs = () => undefined;

  it('prefers the open document (unsaved edits count) and reads the disk otherwise, sorted by path', async () => {
    await fs.writeFile(path.join(dir, '.env'), 'A=disk\n');
    await fs.writeFile(path.join(dir, '.env.local'), 'B=disk\n');
    const env = tracked('.env');
    const local = tracked('.env.local');
    const doc: OpenDocument = { version: 7, isDirty: true, getText: () => 'A=buffer\nC=3\n' };
    const r = await readTrackedFiles([local, env], 1 << 20, (u: vscode.Uri) => (u.fsPath === env.path ? doc : undefined));
    assert.deepEqual(r.files.map((f) => path.basename(f.path)), ['.env', '.env.local']);
    assert.deepEqual(r.files[0]!.parsed!.entries.map((e) => `${e.key}=${e.value}`), ['A=buffer', 'C=3']);
    assert.deepEqual(r.files[1]!.parsed!.entries.map((e) => `${e.key}=${e.value}`), ['B=disk']);
    assert.equal(r.versions.get(env.path), 7);
    assert.equal(r.dirty, true);
    assert.equal(r.lines, 5, 'lines as an editor counts them: the empty line after the last newline too');
    assert.ok(r.files[0]!.mode !== undefined, 'an open document is still stat\'ed for the permission checks');
  });

  it('keeps the parsed object while the text is the same, and parses again when it changes', async () => {
    const env = tracked('.env');
    let text = 'A=1\n';
    const doc = (): OpenDocument => ({ version: 1, isDirty: false, getText: () => text });
    await fs.writeFile(env.path, text);
    const first = (await readTrackedFiles([env], 1 << 20, doc)).files[0]!.parsed;
    const same = (await readTrackedFiles([env], 1 << 20, doc)).files[0]!.parsed;
    assert.equal(same, first);
    text = 'A=2\n';
    const changed = (await readTrackedFiles([env], 1 << 20, doc)).files[0]!.parsed;
    assert.notEqual(changed, first);
    assert.equal(changed!.entries[0]!.value, '2');
  });

  it('reads the disk again only when marked stale', async () => {
    const env = tracked('.env');
    await fs.writeFile(env.path, 'A=1\n');
    await readTrackedFiles([env], 1 << 20, noDocs);
    await fs.writeFile(env.path, 'A=2\n');
    assert.equal((await readTrackedFiles([env], 1 << 20, noDocs)).files[0]!.parsed!.entries[0]!.value, '1');
    env.diskStale = true;
    assert.equal((await readTrackedFiles([env], 1 << 20, noDocs)).files[0]!.parsed!.entries[0]!.value, '2');
  });

  it('holds documents and disk files to the size cap, without their text', async () => {
    const big = tracked('.env');
    const onDisk = tracked('.env.local');
    await fs.writeFile(big.path, 'A=1\n');
    await fs.writeFile(onDisk.path, `B=${'x'.repeat(2000)}\n`);
    const doc: OpenDocument = { version: 1, isDirty: true, getText: () => `A=${'é'.repeat(600)}\n` };
    const r = await readTrackedFiles([big, onDisk], 1024, (u) => (u.fsPath === big.path ? doc : undefined));
    for (const f of r.files) {
      assert.equal(f.error?.reason, 'too-large', path.basename(f.path));
      assert.equal(f.text, undefined);
      assert.equal(f.parsed, undefined);
    }
  });

  it('leaves out a file deleted from disk that is not open', async () => {
    const r = await readTrackedFiles([tracked('.env.gone')], 1 << 20, noDocs);
    assert.deepEqual(r.files, []);
  });
});
