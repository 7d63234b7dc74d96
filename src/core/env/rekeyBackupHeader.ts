/*
 * Backups that rekey makes itself (before rotating or restoring a value) say so on their first
 * line, in a comment that dotenv ignores:
 *
 *   # rekey: backup before rotating AUTH_SECRET on 2026-08-01T10:00:00.000Z; delete it once the new value works everywhere (rekey retire)
 *
 * They are the old values of one change rekey made and recorded, not a user's snapshot of the
 * file: rules show them as one "rotation of X on DATE" item instead of comparing against them,
 * and `rekey retire` deletes them once the rotation is verified.
 */

export type RekeyBackupAction = 'rotating' | 'restoring';

/** What the first line of a rekey-made backup says. */
export interface RekeyBackupInfo {
  action: RekeyBackupAction;
  keys: string[];
  /** ISO date of the change. */
  date: string;
}

const HEADER = /^# rekey: backup before (rotating|restoring) ([A-Za-z_][\w.-]*(?:, [A-Za-z_][\w.-]*)*) on (\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{3})?Z); delete it once the new value works everywhere \(rekey retire\)$/;

/**
 * The first line of a backup rekey makes before changing `keys` (ends with `eol`).
 */
export function rekeyBackupHeader(input: { keys: readonly string[]; date: Date; eol?: string; action?: RekeyBackupAction }): string {
  const keys = input.keys.filter((k) => /^[A-Za-z_][\w.-]*$/.test(k));
  return `# rekey: backup before ${input.action ?? 'rotating'} ${keys.join(', ') || 'values'} on ${input.date.toISOString()}; delete it once the new value works everywhere (rekey retire)${input.eol ?? '\n'}`;
}

/**
 * Reads the rekey header of a backup's text, or `undefined` for a backup a person (or another
 * tool) made. Only the exact first line counts: a user's backup that merely mentions rekey is
 * still the user's.
 */
export function readRekeyBackupHeader(text: string): RekeyBackupInfo | undefined {
  const end = text.search(/\r?\n|\r/);
  const first = end === -1 ? text : text.slice(0, end);
  const m = HEADER.exec(first);
  if (!m) return undefined;
  return { action: m[1] as RekeyBackupAction, keys: (m[2] as string).split(', '), date: m[3] as string };
}
