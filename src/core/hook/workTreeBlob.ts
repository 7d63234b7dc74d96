import { readFile, stat } from 'node:fs/promises';
import * as path from 'node:path';
import type { CatFileObject } from '../git/catFileBatch';

/*
 * A staged `.env` file is nearly always byte for byte the file in the work tree (`git add .env`,
 * then commit). Reading it from disk and checking that its git blob id is the staged one gives
 * the staged content without starting `git cat-file`, which on a commit of one `.env` file is
 * the last git process of the hook and a large share of its time. The id is a hash of the
 * content, so a match is that content whatever filters, line-ending settings or later edits did.
 */

/** Work-tree files larger than this are left to `cat-file` (hashing them would cost more). */
const MAX_WORK_TREE_BYTES = 4 * 1024 * 1024;

/**
 * The blob `oid` read from the work-tree file `relPath` under `root`, or `undefined` when that
 * file is missing, unreadable, larger than 4 MiB or holds other content. `oid` is a full object
 * id: 40 hex digits (SHA-1) or 64 (SHA-256 repositories).
 */
export async function readWorkTreeBlob(root: string, relPath: string, oid: string): Promise<CatFileObject | undefined> {
  const algorithm = oid.length === 40 ? 'sha1' : oid.length === 64 ? 'sha256' : undefined;
  if (!algorithm || !/^[0-9a-f]+$/.test(oid)) return undefined;
  const abs = path.join(root, ...relPath.split('/'));
  try {
    const st = await stat(abs);
    if (!st.isFile() || st.size > MAX_WORK_TREE_BYTES) return undefined;
    const content = await readFile(abs);
    return blobId(content, algorithm) === oid ? { oid, type: 'blob', size: content.length, content } : undefined;
  } catch {
    return undefined;
  }
}

/** Blobs up to this size get their SHA-1 id from {@link sha1Hex}; larger ones from `node:crypto`. */
const SMALL_BLOB_BYTES = 256 * 1024;

/**
 * git's id of a blob holding `content` (`<algorithm>("blob <size>\0" + content)`). A `.env`
 * file is a few KiB: its SHA-1 is computed here in a fraction of a millisecond, where loading
 * `node:crypto` costs a commit check several; larger blobs and SHA-256 repositories load it.
 */
export function blobId(content: Uint8Array, algorithm: 'sha1' | 'sha256' = 'sha1'): string {
  const header = Buffer.from(`blob ${content.length}\0`, 'latin1');
  if (algorithm === 'sha1' && content.length <= SMALL_BLOB_BYTES) return sha1Hex(Buffer.concat([header, content]));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createHash } = require('node:crypto') as typeof import('node:crypto');
  return createHash(algorithm).update(header).update(content).digest('hex');
}

/** SHA-1 (FIPS 180-4) of `data`, as 40 hex digits. Used for object ids, not for security. */
export function sha1Hex(data: Uint8Array): string {
  const bitLength = data.length * 8;
  // The message, a 1 bit, zeros, and the 64-bit length: a whole number of 64-byte blocks.
  const padded = new Uint8Array((((data.length + 8) >>> 6) + 1) << 6);
  padded.set(data);
  padded[data.length] = 0x80;
  const view = new DataView(padded.buffer);
  view.setUint32(padded.length - 8, Math.floor(bitLength / 0x1_0000_0000));
  view.setUint32(padded.length - 4, bitLength >>> 0);
  let h0 = 0x67452301;
  let h1 = 0xefcdab89;
  let h2 = 0x98badcfe;
  let h3 = 0x10325476;
  let h4 = 0xc3d2e1f0;
  const w = new Int32Array(80);
  for (let block = 0; block < padded.length; block += 64) {
    for (let t = 0; t < 16; t++) w[t] = view.getInt32(block + t * 4);
    for (let t = 16; t < 80; t++) {
      const x = (w[t - 3] as number) ^ (w[t - 8] as number) ^ (w[t - 14] as number) ^ (w[t - 16] as number);
      w[t] = (x << 1) | (x >>> 31);
    }
    let a = h0;
    let b = h1;
    let c = h2;
    let d = h3;
    let e = h4;
    for (let t = 0; t < 80; t++) {
      const f = t < 20 ? (b & c) | (~b & d) : t < 40 ? b ^ c ^ d : t < 60 ? (b & c) | (b & d) | (c & d) : b ^ c ^ d;
      const k = t < 20 ? 0x5a827999 : t < 40 ? 0x6ed9eba1 : t < 60 ? 0x8f1bbcdc : 0xca62c1d6;
      const temp = (((a << 5) | (a >>> 27)) + f + e + k + (w[t] as number)) | 0;
      e = d;
      d = c;
      c = (b << 30) | (b >>> 2);
      b = a;
      a = temp;
    }
    h0 = (h0 + a) | 0;
    h1 = (h1 + b) | 0;
    h2 = (h2 + c) | 0;
    h3 = (h3 + d) | 0;
    h4 = (h4 + e) | 0;
  }
  return [h0, h1, h2, h3, h4].map((h) => (h >>> 0).toString(16).padStart(8, '0')).join('');
}
