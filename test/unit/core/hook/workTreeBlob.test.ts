import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { blobId, readWorkTreeBlob, sha1Hex } from '../../../../src/core/hook/workTreeBlob';
import { cleanup, git, makeRepo, tempDir } from './hookTestRepo';

describe('core/hook/workTreeBlob', () => {
  after(cleanup);

  it('computes the blob ids git computes, SHA-1 and SHA-256 (git hash-object is the judge)', () => {
    const dir = tempDir();
    // hash-object takes the object format from the repository it runs in.
    const sha256 = tempDir();
    git(sha256, 'init', '-q', '--object-format=sha256');
    const samples: Array<string | Buffer> = ['', 'A=1\n', 'A=1\r\nB="x\ny"', Buffer.from([0, 255, 10, 13, 0x80])];
    samples.forEach((content, i) => {
      const file = path.join(dir, `s${i}`);
      writeFileSync(file, content);
      const bytes = typeof content === 'string' ? Buffer.from(content) : content;
      assert.equal(blobId(bytes), git(dir, 'hash-object', '--no-filters', file));
      assert.equal(blobId(bytes, 'sha256'), git(sha256, 'hash-object', '--no-filters', file));
    });
  });

  it('sha1Hex is SHA-1 at every padding boundary and for large input (node:crypto is the judge)', () => {
    const lengths = [0, 1, 3, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 129, 1000, 4096, 70_001];
    for (const n of lengths) {
      const data = Buffer.from(Array.from({ length: n }, (_, i) => (i * 131 + n) & 0xff));
      assert.equal(sha1Hex(data), createHash('sha1').update(data).digest('hex'), `length ${n}`);
    }
    // Around the size where blobId switches to node:crypto, both give git's id.
    for (const n of [256 * 1024 - 1, 256 * 1024, 256 * 1024 + 1]) {
      const data = Buffer.alloc(n, 0x41);
      assert.equal(blobId(data), createHash('sha1').update(`blob ${n}\0`).update(data).digest('hex'), `blob of ${n}`);
    }
  });

  it('reads the work-tree file only when it is exactly the staged blob', async () => {
    const repo = makeRepo();
    writeFileSync(path.join(repo, '.env'), 'A=1\n');
    git(repo, 'add', '-f', '.env');
    const oid = git(repo, 'rev-parse', ':.env');
    const hit = await readWorkTreeBlob(repo, '.env', oid);
    assert.equal(hit?.content.toString('utf8'), 'A=1\n');
    assert.equal(hit?.oid, oid);
    writeFileSync(path.join(repo, '.env'), 'A=2\n');
    assert.equal(await readWorkTreeBlob(repo, '.env', oid), undefined, 'edited after staging');
    assert.equal(await readWorkTreeBlob(repo, 'missing/.env', oid), undefined, 'no such file');
    assert.equal(await readWorkTreeBlob(repo, '.env', 'abc'), undefined, 'not a full object id');
  });
});
