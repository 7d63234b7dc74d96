import type { Finding } from '../findings/finding';
import type { RuleProvider } from '../findings/scanContext';

const FILE_START = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/**
 * Parser problems as findings (rule id = problem code), plus one `unreadable-file` finding per
 * file that could not be read (binary, too large, invalid UTF-8, permission denied).
 */
export const parseRules: RuleProvider = {
  id: 'parse',
  run(ctx) {
    const out: Finding[] = [];
    for (const file of ctx.files) {
      if (file.error) {
        out.push({
          file: file.path, range: FILE_START, rule: 'unreadable-file', severity: 'warning',
          message: `Not scanned: ${file.error.message}.`, data: { reason: file.error.reason },
        });
        continue;
      }
      for (const p of file.parsed?.problems ?? []) {
        const f: Finding = { file: file.path, range: p.range, rule: p.code, severity: p.severity, message: p.message };
        if (p.key !== undefined) f.key = p.key;
        out.push(f);
      }
    }
    return out;
  },
};
