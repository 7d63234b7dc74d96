import { KINDS } from '../catalog/kinds';
import type { KindId } from '../catalog/types';
import { detectEntry } from '../detect/detect';
import type { DetectOptions } from '../detect/types';
import type { EnvEntry, ParsedEnv } from '../env/types';
import type { Severity } from '../findings/finding';
import type { Fingerprinter } from '../state/fingerprint';
import type { Range } from '../text/lineIndex';

/*
 * Current file against a backup, key by key, the way dotenv sees them (the last definition of
 * a key wins). Results carry entries for callers that need positions; nothing here formats a
 * value, and the descriptions say "value differs" with at most a keyed fingerprint.
 */

export type KeyChangeType = 'changed' | 'added' | 'removed' | 'unchanged';

export interface KeyComparison {
  key: string;
  change: KeyChangeType;
  /** The effective entry in the live file (absent when removed). Holds the value: never print. */
  live?: EnvEntry;
  /** The effective entry in the backup (absent when added). Holds the value: never print. */
  backup?: EnvEntry;
}

/** Last definition of each key, in first-appearance order of the keys. */
function effective(parsed: ParsedEnv): Map<string, EnvEntry> {
  const m = new Map<string, EnvEntry>();
  for (const e of parsed.entries) m.set(e.key, e);
  return m;
}

/**
 * Every key of either file with how it changed from `backup` to `live`: live keys in file order,
 * then keys only the backup has, in its order.
 */
export function compareEnv(live: ParsedEnv, backup: ParsedEnv): KeyComparison[] {
  const a = effective(live);
  const b = effective(backup);
  const out: KeyComparison[] = [];
  const liveOrder = [...a.values()].sort((x, y) => x.index - y.index);
  for (const e of liveOrder) {
    const old = b.get(e.key);
    if (!old) out.push({ key: e.key, change: 'added', live: e });
    else out.push({ key: e.key, change: old.value === e.value ? 'unchanged' : 'changed', live: e, backup: old });
  }
  for (const e of [...b.values()].sort((x, y) => x.index - y.index)) {
    if (!a.has(e.key)) out.push({ key: e.key, change: 'removed', backup: e });
  }
  return out;
}

/** A value-free description of one key's change, with what it means when the key is a secret. */
export interface BackupChange {
  key: string;
  /** `unchanged` only when asked for with `includeUnchanged`. */
  change: KeyChangeType;
  /** Whether either side is judged a secret. */
  secret: boolean;
  kind?: KindId;
  /** Why it is that kind, e.g. `consumer: better-auth at src/auth.ts:3` (from detection evidence). */
  kindEvidence?: string;
  /** The catalog's `changeImpact` for the kind (changed or removed secrets). */
  impact?: string;
  /** How serious the change is: error for session-signing and encryption keys, else warning. */
  severity?: Severity;
  liveRange?: Range;
  backupRange?: Range;
  /** Short keyed fingerprints of each side that has the key, when a fingerprinter was given. */
  fingerprints?: { live?: string; backup?: string };
}

export interface DescribeOptions {
  /** Detection options for the live file (kind hints from the consumer scan, user config). */
  detect?: DetectOptions;
  /** Adds short keyed fingerprints of both sides of changed keys. */
  fingerprinter?: Fingerprinter;
  /** Include changes of keys that are not secrets (default true). */
  includeNonSecrets?: boolean;
  /** Also list the keys both files hold with the same value (default false). */
  includeUnchanged?: boolean;
}

/** Kinds whose accidental change breaks things for every user at once. */
const CRITICAL_KINDS = new Set<KindId>(['session-signing', 'encryption-key']);

/** Severity of a changed or removed secret of `kind`. */
export function changeSeverity(kind: KindId): Severity {
  return CRITICAL_KINDS.has(kind) ? 'error' : 'warning';
}

/**
 * Changed, added and removed keys of `live` relative to `backup` (and, when asked, the unchanged
 * ones), each with its secret kind, impact and short keyed fingerprints. `rekey diff-backup` and
 * the editor's Compare with Backup both render this list. The kind comes from the live entry (with the consumer scan's hints) or, when the live
 * value no longer looks like a secret (regenerated from a template), from the backup's entry.
 */
export function describeBackupChanges(live: { text: string; parsed: ParsedEnv }, backup: { text: string; parsed: ParsedEnv }, options: DescribeOptions = {}): BackupChange[] {
  const out: BackupChange[] = [];
  for (const c of compareEnv(live.parsed, backup.parsed)) {
    if (c.change === 'unchanged' && options.includeUnchanged !== true) continue;
    const detected = (c.live && detectEntry(c.live, live.text, options.detect)) || (c.backup && detectEntry(c.backup, backup.text, options.detect));
    if (!detected && options.includeNonSecrets === false) continue;
    const change: BackupChange = { key: c.key, change: c.change, secret: detected !== undefined };
    if (detected) {
      change.kind = detected.kind;
      const ev = detected.evidence[0];
      if (ev) change.kindEvidence = `${ev.source}: ${ev.detail}`;
      if (c.change === 'changed' || c.change === 'removed') {
        change.impact = KINDS[detected.kind].changeImpact;
        change.severity = changeSeverity(detected.kind);
      }
    }
    if (c.live) change.liveRange = c.live.range;
    if (c.backup) change.backupRange = c.backup.range;
    if (options.fingerprinter) {
      const fp = options.fingerprinter;
      change.fingerprints = { ...(c.live ? { live: fp.short(c.live.value) } : {}), ...(c.backup ? { backup: fp.short(c.backup.value) } : {}) };
    }
    out.push(change);
  }
  return out;
}
