import type { GitAgesFn } from './secretAge';

/** Settings of the age rules (`settings.age` of a scan; the extension fills them from its own). */
export interface AgeSettings {
  /** Days before the due date at which a secret is `due-soon` (default 14). */
  dueSoonDays?: number;
  /** Folder of the ledger and fingerprint key (default: `stateDir()`). */
  ledgerDir?: string;
  /** Record the values seen in the ledger (default false: scans only read it). */
  record?: boolean;
  /** Neither read nor write the ledger (`rekey ages --no-ledger`). */
  noLedger?: boolean;
  /** Value ages from git history (wired by the caller; called only when the scan is trusted). */
  gitAges?: GitAgesFn;
  /**
   * `gitAges` serves results cached by an earlier trusted git pass and runs no program, so it
   * may be used in a scan that is otherwise untrusted (the editor's fast pass).
   */
  gitAgesCached?: boolean;
}

/** Reads age settings from loosely typed input, dropping what does not fit (never throws). */
export function readAgeSettings(raw: unknown): AgeSettings {
  const out: AgeSettings = {};
  if (typeof raw !== 'object' || raw === null) return out;
  const r = raw as Record<string, unknown>;
  if (typeof r.dueSoonDays === 'number' && Number.isFinite(r.dueSoonDays) && r.dueSoonDays >= 0) out.dueSoonDays = Math.floor(r.dueSoonDays);
  if (typeof r.ledgerDir === 'string' && r.ledgerDir !== '') out.ledgerDir = r.ledgerDir;
  if (typeof r.record === 'boolean') out.record = r.record;
  if (r.noLedger === true) out.noLedger = true;
  if (typeof r.gitAges === 'function') out.gitAges = r.gitAges as GitAgesFn;
  if (r.gitAgesCached === true) out.gitAgesCached = true;
  return out;
}

declare module '../findings/scanContext' {
  interface ScanSettings {
    /** The age rules' slot: see {@link AgeSettings}. */
    age?: AgeSettings;
  }
}
