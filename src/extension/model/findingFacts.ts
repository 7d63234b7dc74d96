import type { Finding } from '../../core/findings/finding';

/*
 * Facts that features read out of findings whose `data` shape belongs to the rule modules.
 * Kept in one place so a change of a rule's data shows up here only.
 */

/** The backup a `changed-since-backup` finding compares with (absolute path), from its data or its related location. */
export function backupOf(f: Finding): string | undefined {
  const fromData = (f.data as { backup?: unknown } | undefined)?.backup;
  if (typeof fromData === 'string') return fromData;
  const related = f.related?.[0]?.file;
  return related && !related.startsWith('git:') ? related : undefined;
}
