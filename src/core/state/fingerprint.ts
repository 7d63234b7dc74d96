import { createHmac, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/** Name of the key file inside a state folder (see `stateDir`). */
export const FINGERPRINT_KEY_FILE = 'fingerprint.key';

const KEY_BYTES = 32;
/** Domain separation: a fingerprint can never be mistaken for another HMAC made with the key. */
const CONTEXT = 'rekey-value-fingerprint-v1\0';

/** The state folder or its key file is unusable; the message says what to do. */
export class StateError extends Error {
  override name = 'StateError';
}

/**
 * Keyed fingerprints of secret values: HMAC-SHA256 with a random key that never leaves the
 * user's state folder, truncated. Without the key a fingerprint reveals nothing about the value
 * (a plain hash of a short password could be brute-forced), yet two fingerprints made with the
 * same key are equal exactly when the values are, which is all comparisons and the ledger need.
 */
export class Fingerprinter {
  private readonly key: Buffer;

  constructor(key: Uint8Array) {
    if (key.length < 16) throw new StateError('fingerprint key too short');
    this.key = Buffer.from(key);
  }

  /** 16 hex characters (64 bits): the form stored in the ledger and compared. */
  of(value: string): string {
    return createHmac('sha256', this.key).update(CONTEXT).update(value, 'utf8').digest('hex').slice(0, 16);
  }

  /** 8 hex characters: enough for a person to tell two values apart in output. */
  short(value: string): string {
    return this.of(value).slice(0, 8);
  }
}

export interface OpenFingerprinterOptions {
  /** Create the folder and a new key when there is none (default true). */
  create?: boolean;
}

/**
 * Loads the fingerprint key from `dir` (creating it, mode 0600, when allowed and missing).
 * Returns `undefined` when there is no key and `create` is false: nothing was ever recorded.
 * @throws StateError when the key file exists but is unreadable or malformed.
 */
export async function openFingerprinter(dir: string, options: OpenFingerprinterOptions = {}): Promise<Fingerprinter | undefined> {
  const file = path.join(dir, FINGERPRINT_KEY_FILE);
  const existing = await readKey(file);
  if (existing) return new Fingerprinter(existing);
  if (options.create === false) return undefined;
  try {
    await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  } catch (err) {
    throw new StateError(`cannot create the state folder ${dir} (${(err as NodeJS.ErrnoException).code ?? 'error'}); set REKEY_STATE_DIR to a writable folder`);
  }
  const key = randomBytes(KEY_BYTES);
  await createExclusive(file, key.toString('hex') + '\n');
  // Another process may have won the race: whatever is on disk now is the key.
  const onDisk = await readKey(file);
  if (!onDisk) throw new StateError(`could not create ${file}`);
  return new Fingerprinter(onDisk);
}

async function readKey(file: string): Promise<Buffer | undefined> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    throw new StateError(`cannot read ${file} (${code ?? 'error'}); fix its permissions or set REKEY_STATE_DIR`);
  }
  const hex = text.trim();
  if (!/^[0-9a-f]{32,128}$/i.test(hex) || hex.length % 2 !== 0) {
    throw new StateError(`${file} is not a rekey fingerprint key; delete it to start a new one (the rotation ledger will start over)`);
  }
  if (process.platform !== 'win32') {
    // Keep the key private even if someone loosened its mode; failure here is not fatal.
    const st = await fs.stat(file).catch(() => undefined);
    if (st && (st.mode & 0o077) !== 0) await fs.chmod(file, 0o600).catch(() => undefined);
  }
  return Buffer.from(hex, 'hex');
}

/**
 * Writes `file` only if it does not exist, never exposing a half-written key: the content goes
 * to a private temporary file that is then hard-linked into place (link fails if the name is
 * taken). Where hard links are not supported, falls back to an exclusive create.
 */
async function createExclusive(file: string, content: string): Promise<void> {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await fs.writeFile(tmp, content, { mode: 0o600, flag: 'wx' });
  try {
    await fs.link(tmp, file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EEXIST') {
      await fs.writeFile(file, content, { mode: 0o600, flag: 'wx' }).catch((e: NodeJS.ErrnoException) => {
        if (e.code !== 'EEXIST') throw new StateError(`cannot write ${file} (${e.code ?? 'error'}); set REKEY_STATE_DIR to a writable folder`);
      });
    }
  } finally {
    await fs.unlink(tmp).catch(() => undefined);
  }
}
