import type { FileAnalysis } from './types';

/**
 * Whether a new analysis of a file says exactly what the previous one said, so listeners need
 * not hear about it: after an edit, the folder's other files come out of the fast pass's cache
 * unchanged, and re-publishing their diagnostics, masks and tree items would cost more than the
 * analysis itself. Compares value-free parts by content and the parsed text by identity (the
 * reader keeps the same object while the text is unchanged).
 */
export function sameAnalysis(a: FileAnalysis | undefined, b: FileAnalysis): boolean {
  if (!a) return false;
  if (a.parsed !== b.parsed || a.version !== b.version || a.secrets !== b.secrets) return false;
  if (a.error !== b.error || a.backupOf !== b.backupOf || a.role !== b.role || a.relativePath !== b.relativePath || a.folder !== b.folder) return false;
  if (a.backups.length !== b.backups.length || a.backups.some((p, i) => p !== b.backups[i])) return false;
  if (a.findings.length !== b.findings.length || a.ages.size !== b.ages.size) return false;
  // Cached per-file findings and reused ages are the very same objects: compare content only when not.
  for (let i = 0; i < a.findings.length; i++) {
    const x = a.findings[i];
    const y = b.findings[i];
    if (x !== y && JSON.stringify(x) !== JSON.stringify(y)) return false;
  }
  for (const [key, age] of a.ages) {
    const other = b.ages.get(key);
    if (!other || (other !== age && JSON.stringify(age) !== JSON.stringify(other))) return false;
  }
  return true;
}
