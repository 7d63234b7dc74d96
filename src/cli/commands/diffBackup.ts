import * as path from 'node:path';
import { describeBackupChanges, type BackupChange } from '../../core/backup/compare';
import { findBackupsOf } from '../../core/backup/discover';
import { readRekeyBackupHeader } from '../../core/env/rekeyBackupHeader';
import { findAuthSecretHints } from '../../core/consumers/authSecretHints';
import { readEnvFile } from '../../core/fs/readTextFile';
import { parseEnv } from '../../core/env/parse';
import { openFingerprinter, type Fingerprinter } from '../../core/state/fingerprint';
import { stateDir } from '../../core/state/stateDir';
import { choice, UsageError, type CliCommand } from '../command';
import { stderrLogger } from '../logger';
import { displayPath } from '../paths';
import { promises as fs } from 'node:fs';

async function madeByRekey(file: string): Promise<boolean> {
  const r = await readEnvFile(file);
  return r.ok && readRekeyBackupHeader(r.text) !== undefined;
}

export const diffBackupCommand: CliCommand = {
  name: 'diff-backup',
  summary: 'Compare a .env file with its backup key by key (never printing values), with the impact of each changed secret',
  usage: `rekey diff-backup [FILE] [--backup PATH] [--format text|json] [--verbose]

Compares FILE (default .env) with PATH (default: its most recent backup next to it, such as
.env.backup, .env.bak or .env.2026-08-01, leaving out the backups rekey made before its own
rotations and restores) key by key: changed, added, removed.
Values are never printed: a changed key shows "value differs" and short keyed fingerprints of
both sides (HMAC with a private key in rekey's state folder). A changed secret shows its kind
and what the change does (a session-signing secret: every user is logged out). The kind comes
from the key's name and from the code that uses it (an env key passed to better-auth, NextAuth,
express-session, jsonwebtoken... as its secret is a session-signing secret).
Exit code: 0 when the files hold the same keys and values, 1 when they differ, 2 on errors.`,
  options: {
    backup: { type: 'string' },
    format: { type: 'string' },
    verbose: { type: 'boolean', short: 'v' },
  },
  async run(values, positionals, io) {
    const format = choice(values.format, 'format', ['text', 'json'] as const, 'text');
    if (positionals.length > 1) throw new UsageError('diff-backup: expected at most one FILE');
    const logger = stderrLogger(io, values.verbose === true);
    const file = path.resolve(io.cwd, positionals[0] ?? '.env');
    const live = await readEnvFile(file);
    if (!live.ok) throw new UsageError(`diff-backup: ${displayPath(file, io.cwd)}: ${live.message}`);
    let backupPath: string;
    if (typeof values.backup === 'string') {
      backupPath = path.resolve(io.cwd, values.backup);
    } else {
      const refs = await findBackupsOf(file);
      // rekey's own backups (before a rotation or restore) are not the user's baseline.
      const dated = await Promise.all(refs.map(async (r) => ({ r, mtime: (await fs.stat(r.path).catch(() => undefined))?.mtimeMs ?? 0, made: await madeByRekey(r.path) })));
      dated.sort((a, b) => b.mtime - a.mtime);
      const newest = dated.find((d) => !d.made);
      if (!newest) throw new UsageError(`diff-backup: no backup of ${displayPath(file, io.cwd)} found next to it${dated.length ? ' except those rekey made before its own changes' : ''}; pass --backup PATH`);
      backupPath = newest.r.path;
    }
    const backup = await readEnvFile(backupPath);
    if (!backup.ok) throw new UsageError(`diff-backup: ${displayPath(backupPath, io.cwd)}: ${backup.message}`);

    // The workspace's code tells which keys are session-signing secrets whatever their names.
    const root = file.startsWith(io.cwd + path.sep) ? io.cwd : path.dirname(file);
    const hints = await findAuthSecretHints(root, { trusted: true, logger });
    let fingerprinter: Fingerprinter | undefined;
    try {
      fingerprinter = await openFingerprinter(stateDir(io.env));
    } catch (err) {
      logger.warn(`fingerprints unavailable: ${(err as Error).message}`);
    }
    const changes = describeBackupChanges(
      { text: live.text, parsed: parseEnv(live.text) },
      { text: backup.text, parsed: parseEnv(backup.text) },
      { detect: { kindHints: hints }, ...(fingerprinter ? { fingerprinter } : {}) },
    );
    const shown = { file: displayPath(file, io.cwd), backup: displayPath(backupPath, io.cwd) };
    if (format === 'json') {
      io.stdout(JSON.stringify({ version: 1, ...shown, changes: changes.map((c) => changeJson(c, hints)) }, null, 2) + '\n');
    } else {
      io.stdout(diffText(changes, shown, hints) + '\n');
    }
    return changes.length > 0 ? 1 : 0;
  },
};

type Hints = Awaited<ReturnType<typeof findAuthSecretHints>>;

function changeJson(c: BackupChange, hints: Hints): Record<string, unknown> {
  const hint = hints.get(c.key);
  return {
    key: c.key,
    change: c.change,
    secret: c.secret,
    kind: c.kind ?? null,
    severity: c.severity ?? null,
    impact: c.impact ?? null,
    ...(hint && c.kind === 'session-signing' ? { consumer: hint.consumer, consumerAt: hint.detail } : {}),
    line: c.liveRange ? c.liveRange.start.line + 1 : null,
    backupLine: c.backupRange ? c.backupRange.start.line + 1 : null,
    ...(c.fingerprints ? { fingerprints: c.fingerprints } : {}),
  };
}

const MARK: Record<BackupChange['change'], string> = { changed: '~', added: '+', removed: '-', unchanged: '=' };

function diffText(changes: BackupChange[], shown: { file: string; backup: string }, hints: Hints): string {
  if (changes.length === 0) return `${shown.file} and ${shown.backup} hold the same keys and values.`;
  const lines = [`${shown.file} compared with ${shown.backup}:`];
  for (const c of changes) {
    const what = c.change === 'changed' ? `value differs${c.fingerprints ? ` (${c.fingerprints.backup} -> ${c.fingerprints.live})` : ''}` : c.change === 'added' ? 'added (not in the backup)' : 'removed (only in the backup)';
    const kind = c.kind ? `  [${c.kind}${c.severity ? `, ${c.severity}` : ''}]` : '';
    lines.push(`${MARK[c.change]} ${c.key}  ${what}${kind}`);
    const hint = hints.get(c.key);
    if (hint && c.kind === 'session-signing') lines.push(`    used by ${hint.consumer} as its signing secret at ${hint.detail}`);
    if (c.impact) lines.push(`    ${c.impact}`);
  }
  const count = (k: BackupChange['change']): number => changes.filter((c) => c.change === k).length;
  const secrets = changes.filter((c) => c.secret && c.change !== 'added').length;
  lines.push(`${count('changed')} changed, ${count('added')} added, ${count('removed')} removed; ${secrets} secret${secrets === 1 ? '' : 's'} changed or removed`);
  return lines.join('\n');
}
