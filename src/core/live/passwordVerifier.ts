import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';

/*
 * What PostgreSQL stores for a password, computed here so the plaintext never travels to the
 * server, where `log_statement` or an error report could write it to a log. The server accepts a
 * pre-hashed value in `ALTER ROLE ... PASSWORD '...'` and stores it as is.
 */

/** Iterations PostgreSQL uses by default (`scram_iterations`, RFC 7677's minimum). */
export const SCRAM_ITERATIONS = 4096;

/**
 * A SCRAM-SHA-256 verifier in PostgreSQL's stored format,
 * `SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>` (RFC 5802/7677 key derivation).
 * PostgreSQL SASLprep-normalises passwords; for ASCII passwords that is the identity, and
 * {@link canPrehash} keeps other passwords out.
 */
export function scramSha256Verifier(password: string, salt: Buffer = randomBytes(16), iterations = SCRAM_ITERATIONS): string {
  const salted = pbkdf2Sync(Buffer.from(password, 'utf8'), salt, iterations, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}

/** PostgreSQL's legacy `md5` format: `md5` + md5(password + user name). */
export function md5Verifier(password: string, user: string): string {
  return `md5${createHash('md5').update(password + user, 'utf8').digest('hex')}`;
}

/**
 * Whether a password can be hashed client-side exactly as the server would: printable ASCII only,
 * where SASLprep changes nothing. Other passwords would need a full SASLprep implementation.
 */
export function canPrehash(password: string): boolean {
  return /^[\x20-\x7e]+$/.test(password);
}

/** A PostgreSQL identifier, double-quoted (`"app""user"`), so any role name is taken literally. */
export function quoteIdentifier(name: string): string {
  if (name.includes('\0')) throw new Error('a role name cannot contain a NUL character');
  return `"${name.replace(/"/g, '""')}"`;
}

/** A PostgreSQL standard string literal (`'it''s'`). Verifiers hold only base64, `$` and `:`. */
export function quoteLiteral(value: string): string {
  if (value.includes('\0')) throw new Error('a literal cannot contain a NUL character');
  return `'${value.replace(/'/g, "''")}'`;
}
