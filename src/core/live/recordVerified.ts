import type { Ledger } from '../age/ledger';
import type { LinkSearchFile } from '../rotation/linked';
import type { VerifyReport } from './verify';

/** A rotated value a live check confirmed: the key and its file. Value-free. */
export interface VerifiedRotation {
  file: string;
  key: string;
}

/**
 * Moves rotations rekey applied to the `verified` stage in the ledger for every key whose live
 * check succeeded: at least one connection `ok` and none failing (skipped ones do not count).
 * The ledger only stores the keyed fingerprint of the value the check used, and only a value
 * rekey rotated to gains the stage (see `Ledger.recordVerified`). Returns the rotations marked.
 */
export async function recordVerifiedRotations(ledger: Ledger, files: readonly LinkSearchFile[], report: VerifyReport, now: Date = new Date()): Promise<VerifiedRotation[]> {
  const outcome = new Map<string, { file: string; key: string; ok: boolean }>();
  for (const r of report.results) {
    if (r.status === 'skipped') continue;
    const id = `${r.file}\0${r.key}`;
    const seen = outcome.get(id);
    outcome.set(id, { file: r.file, key: r.key, ok: (seen?.ok ?? true) && r.status === 'ok' });
  }
  const marked: VerifiedRotation[] = [];
  for (const { file, key, ok } of outcome.values()) {
    if (!ok) continue;
    const parsed = files.find((f) => f.path === file)?.parsed;
    let value: string | undefined;
    for (const e of parsed?.entries ?? []) if (e.key === key) value = e.value;
    const fp = value === undefined ? undefined : ledger.fingerprint(value);
    if (fp !== undefined && (await ledger.recordVerified(file, key, fp, now))) marked.push({ file, key });
  }
  return marked;
}
