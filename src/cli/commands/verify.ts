import * as path from 'node:path';
import { loadEnvFiles } from '../../core/live/loadEnvFiles';
import { deriveTargets } from '../../core/live/targets';
import { statusLabel, verifySecrets, type VerifyReport } from '../../core/live/verify';
import { recordVerifiedRotations, type VerifiedRotation } from '../../core/live/recordVerified';
import { Ledger } from '../../core/age/ledger';
import { stateDir } from '../../core/state/stateDir';
import { choice, positiveInt, UsageError, type CliCommand } from '../command';
import { displayPath } from '../paths';

/** Text report: one line per key and host, never a value. */
export function verifyText(report: VerifyReport, cwd: string): string {
  if (report.results.length === 0) return 'No connection secrets found (PostgreSQL, MySQL, Redis URLs and password keys, SMTP).';
  const lines = report.results.map((r) => {
    const where = `${displayPath(r.file, cwd)}:${r.line + 1}`;
    const target = r.host ? ` ${r.user ? `${r.user}@` : ''}${r.host}` : '';
    const via = r.via ? ` via ${r.via}` : '';
    return `${statusLabel(r.status).padEnd(11)} ${r.key}${via}${target}  (${where})${r.detail && r.status !== 'ok' ? `: ${r.detail}` : ''}`;
  });
  const c = report.counts;
  lines.push('', `${c.ok} ok, ${c['auth-failed']} auth failed, ${c.unreachable} unreachable, ${c.error} error, ${c.skipped} skipped`);
  return lines.join('\n');
}

export const verifyCommand: CliCommand = {
  name: 'verify',
  summary: 'Connect to the databases, caches and mail servers .env credentials open, and report which work',
  usage: `rekey verify [KEY...] [--file FILE]... [--timeout MS] [--format text|json]

Connects with the current values of every connection secret in the .env files under the current
folder (or only FILE): PostgreSQL and Redis URLs and their password keys (through the URL that
embeds the same password, or the sibling HOST/PORT/USER/DB keys), and SMTP host/user/password
keys (SMTP AUTH, no message sent). Reports per key and per host: ok, auth failed, unreachable,
error, or skipped (no driver for this scheme, e.g. MySQL, AMQP, MongoDB). TLS follows the URL
(sslmode=disable|prefer|require|verify-ca|verify-full, sslrootcert, rediss://, smtps://).
Values are never printed; driver messages are cleaned of anything that could hold them.

  KEY...          check only these keys
  --file FILE     check this file (repeatable; default: every .env-family file, templates excluded)
  --timeout MS    per connection (default 5000; a URL's connect_timeout wins when shorter)

A value rekey rotated to that connects successfully moves its rotation to "verified" in the
ledger (keyed fingerprint and date only; see \`rekey ages\`, ROTATION column).

Exit code: 0 when every checked connection is ok (skipped ones do not count), 1 when one fails,
2 on usage or internal errors.`,
  options: {
    file: { type: 'string', multiple: true },
    timeout: { type: 'string' },
    format: { type: 'string' },
  },
  async run(values, positionals, io) {
    const format = choice(values.format, 'format', ['text', 'json'] as const, 'text');
    const timeoutMs = positiveInt(values.timeout, 'timeout', 5000);
    const fileArgs = Array.isArray(values.file) ? (values.file as string[]) : [];
    const { files, problems } = await loadEnvFiles(io.cwd, fileArgs);
    if (fileArgs.length > 0 && files.length === 0) throw new UsageError(`verify: ${problems[0] ?? 'no readable file'}`);
    for (const p of problems) io.stderr(`rekey: warning: ${p}\n`);
    const items = deriveTargets(files, positionals);
    const missing = positionals.filter((k) => !items.some((i) => i.key === k));
    if (missing.length > 0) throw new UsageError(`verify: not a connection secret in the files checked: ${missing.join(', ')}`);
    const report = await verifySecrets(items, { timeoutMs });
    let verified: VerifiedRotation[] = [];
    if (report.counts.ok > 0) {
      try {
        // Without a fingerprint key rekey never rotated anything here: create no state folder.
        const dir = stateDir(io.env);
        if ((await Ledger.open(dir, { readOnly: true })).fingerprint('') !== undefined) verified = await recordVerifiedRotations(await Ledger.open(dir), files, report);
      } catch (err) {
        io.stderr(`rekey: warning: the verified rotations were not recorded: ${(err as Error).message}\n`);
      }
    }
    if (format === 'json') {
      const results = report.results.map((r) => ({ ...r, file: displayPath(r.file, io.cwd), line: r.line + 1, statusText: statusLabel(r.status) }));
      const rotations = verified.map((v) => ({ file: displayPath(v.file, io.cwd), key: v.key, stage: 'verified' }));
      io.stdout(JSON.stringify({ version: 1, cwd: path.resolve(io.cwd), ok: report.ok, counts: report.counts, results, ...(rotations.length ? { rotations } : {}) }, null, 2) + '\n');
    } else {
      io.stdout(verifyText(report, io.cwd) + '\n');
      for (const v of verified) io.stdout(`Rotation of ${v.key} in ${displayPath(v.file, io.cwd)}: verified; retire its backup once the value works everywhere (rekey retire).\n`);
    }
    return report.ok ? 0 : 1;
  },
};
