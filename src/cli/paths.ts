import * as path from 'node:path';

/**
 * How a path is shown: relative to the working directory when inside it, absolute otherwise,
 * always with forward slashes in the relative form so JSON output is the same on every OS.
 */
export function displayPath(abs: string, cwd: string): string {
  const rel = path.relative(cwd, abs);
  if (rel === '') return '.';
  if (rel.startsWith('..') || path.isAbsolute(rel)) return abs;
  return rel.split(path.sep).join('/');
}
