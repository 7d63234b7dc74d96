/*
 * Live checks and changes talk to the servers a `.env` file points at. Everything here is
 * value-free when serialised: passwords travel in non-enumerable properties or function
 * arguments, never in fields a report, log or JSON output would show.
 */

/** The server families rekey knows. `mysql` is recognised but has no driver yet. */
export type ServiceKind = 'postgres' | 'mysql' | 'redis' | 'smtp';

/** How TLS is used, taken from the URL (`sslmode`, `rediss://`, `smtps://`, `SMTP_SECURE`). */
export interface TlsSettings {
  /**
   * `off`: plain TCP. `prefer`: TLS without certificate checks, plain if the server has no TLS
   * (libpq's default). `require`: TLS, certificate not checked. `verify-ca`: chain checked, host
   * name not. `verify-full`: chain and host name checked. `starttls`: SMTP upgrade (checked).
   */
  mode: 'off' | 'prefer' | 'require' | 'verify-ca' | 'verify-full' | 'starttls';
  /** CA bundle file (`sslrootcert`), read by the driver layer. */
  caFile?: string;
  /** Where the mode came from, for reports (`sslmode=require`, `rediss://`). */
  source: string;
}

/** One server to connect to, derived from `.env` entries. The credential is non-enumerable. */
export interface ConnectionTarget {
  service: ServiceKind;
  scheme: string;
  host: string;
  port: number;
  user: string;
  /** PostgreSQL/MySQL database, Redis db number; '' when none. */
  database: string;
  tls: TlsSettings;
  /** Connect timeout in milliseconds taken from the URL (`connect_timeout`), if any. */
  timeoutMs?: number;
  /** The password (non-enumerable, may be ''). Secret. */
  readonly password: string;
}

/** Result of one connection attempt. */
export type VerifyStatus = 'ok' | 'auth-failed' | 'unreachable' | 'skipped' | 'error';

export interface VerifyOutcome {
  status: VerifyStatus;
  /** Value-free detail: the sanitised driver message or why it was skipped. */
  detail: string;
  /** Milliseconds the attempt took. */
  ms?: number;
}

/** A connection made with admin rights that can change a credential. */
export interface AdminSession {
  /** What the server stores for a new password and how it was sent (`SCRAM-SHA-256 verifier`). Value-free. */
  changePassword(user: string, newPassword: string): Promise<string>;
  close(): Promise<void>;
}

/** A driver for one service family. Implementations load their library lazily. */
export interface LiveDriver {
  service: ServiceKind;
  /** Connects, authenticates, runs a no-op (`SELECT 1`, `PING`, SMTP AUTH), disconnects. Never throws. */
  verify(target: ConnectionTarget, timeoutMs: number): Promise<VerifyOutcome>;
  /** Opens a session able to change `target.user`'s password (the same user, or an admin). */
  openAdmin?(target: ConnectionTarget, timeoutMs: number): Promise<AdminSession>;
}

/** Failure of a live step, already classified and sanitised. */
export class LiveError extends Error {
  override name = 'LiveError';
  constructor(message: string, readonly status: VerifyStatus) {
    super(message);
  }
}
