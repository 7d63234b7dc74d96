import { createHash } from 'node:crypto';
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

/** git's id of a blob holding `content` (`<algorithm>("blob <size>\0" + content)`). */
export function blobId(content: Uint8Array, algorithm: 'sha1' | 'sha256' = 'sha1'): string {
  return createHash(algorithm).update(`blob ${content.length}\0`).update(content).digest('hex');
}
