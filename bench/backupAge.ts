/*
 * npm run bench:backup-age
 *
 * Measures the backup-and-age work of a scan on synthetic inputs built under bench/.data/:
 *   consumer scan   findAuthSecretHints over a workspace of 5,000 source files (~6 KiB each,
 *                   1 in 50 configuring an auth library), walked with .gitignore (untrusted) and
 *                   listed by `git ls-files` (trusted); plus raw authSecretUses throughput (MB/s)
 *   compare         describeBackupChanges of a 2,000-key .env against a backup with 10% changed
 *   ages            collectAges for the same file with a backup, a ledger and mtime
 *   scan            the backup and age rule providers over the workspace (one .env + backup)
 * Each timing is the best of 5 runs after a warm-up.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ageRules } from '../src/core/analysis/ageRules';
import { collectAges } from '../src/core/age/collectAges';
import { Ledger } from '../src/core/age/ledger';
import { backupRules } from '../src/core/backup/backupRules';
import { describeBackupChanges } from '../src/core/backup/compare';
import { authSecretUses, findAuthSecretHints } from '../src/core/consumers/authSecretHints';
import { detectSecrets } from '../src/core/detect/detect';
import { parseEnv } from '../src/core/env/parse';
import { scanPaths } from '../src/core/analysis/scan';

const ROOT = path.resolve(__dirname, '..');
const WS = path.join(ROOT, 'bench', '.data', 'backup-age-ws');
const FILES = 5000;
const out = (line: string): void => void process.stdout.write(line + '\n');

async function best(fn: () => unknown, runs = 5): Promise<number> {
  await fn();
  let min = Infinity;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    min = Math.min(min, performance.now() - t0);
  }
  return min;
}

function sourceFile(i: number): string {
  const lines = [`import { helper${i} } from './lib/helper${i % 97}';`, `import express from 'express';`];
  if (i % 50 === 0) lines.push(`import { betterAuth } from 'better-auth';`, `export const auth = betterAuth({ secret: process.env.AUTH_SECRET_${i}, baseURL: process.env.BASE_URL });`);
  for (let j = 0; lines.join('\n').length < 6000; j++) {
    lines.push(`export function handler${j}(req, res) {`, `  const limit = Number(process.env.LIMIT_${j % 13} ?? 10);`, `  return res.json({ ok: true, n: limit * ${j} });`, '}');
  }
  return lines.join('\n') + '\n';
}

function bigEnv(keys: number, salt: string, changeEvery: number): string {
  const lines: string[] = [];
  for (let i = 0; i < keys; i++) {
    const v = i % changeEvery === 0 ? `${salt}${i}Qw8Er7Ty6Ui5Op4As3Df2` : `Zx${i}Cv9Bn8Mm7Lk6Jh5Gf4Ds3`;
    lines.push(i % 3 === 0 ? `SERVICE_${i}_SECRET=${v}` : i % 3 === 1 ? `SERVICE_${i}_TOKEN="${v}"` : `SERVICE_${i}_PORT=${3000 + i}`);
  }
  return lines.join('\n') + '\n';
}

async function main(): Promise<void> {
  if (!existsSync(path.join(WS, 'done'))) {
    rmSync(WS, { recursive: true, force: true });
    mkdirSync(WS, { recursive: true });
    for (let i = 0; i < FILES; i++) {
      const dir = path.join(WS, 'src', `m${i % 100}`);
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, `f${i}.ts`), sourceFile(i));
    }
    mkdirSync(path.join(WS, 'dist'), { recursive: true });
    for (let i = 0; i < 500; i++) writeFileSync(path.join(WS, 'dist', `b${i}.js`), sourceFile(i));
    writeFileSync(path.join(WS, '.gitignore'), 'dist/\n.env*\n');
    writeFileSync(path.join(WS, '.env'), bigEnv(2000, 'new', 10));
    writeFileSync(path.join(WS, '.env.backup'), bigEnv(2000, 'old', 10));
    execFileSync('git', ['init', '-q'], { cwd: WS });
    execFileSync('git', ['-c', 'user.name=b', '-c', 'user.email=b@b', 'add', '.'], { cwd: WS });
    execFileSync('git', ['-c', 'user.name=b', '-c', 'user.email=b@b', '-c', 'commit.gpgsign=false', 'commit', '-qm', 'ws'], { cwd: WS });
    writeFileSync(path.join(WS, 'done'), '');
  }

  const text = sourceFile(0).repeat(200);
  const usesMs = await best(() => authSecretUses(text, 'js'));
  out(`authSecretUses          ${(text.length / 1024 / 1024 / (usesMs / 1000)).toFixed(0)} MB/s (${(text.length / 1024).toFixed(0)} KiB in ${usesMs.toFixed(1)} ms)`);
  let hints = 0;
  const untrusted = await best(async () => (hints = (await findAuthSecretHints(WS, { trusted: false })).size));
  out(`consumer scan, walk     ${untrusted.toFixed(0)} ms for ${FILES} files (+500 ignored), ${hints} hints`);
  const trusted = await best(async () => (hints = (await findAuthSecretHints(WS, { trusted: true })).size));
  out(`consumer scan, git      ${trusted.toFixed(0)} ms for ${FILES} files, ${hints} hints`);

  const liveText = bigEnv(2000, 'new', 10);
  const backupText = bigEnv(2000, 'old', 10);
  const live = { text: liveText, parsed: parseEnv(liveText) };
  const backup = { text: backupText, parsed: parseEnv(backupText) };
  let changes = 0;
  const compareMs = await best(() => (changes = describeBackupChanges(live, backup).length));
  out(`compare 2,000 keys      ${compareMs.toFixed(1)} ms (${changes} changes)`);

  const secrets = detectSecrets(live.parsed, liveText);
  const state = mkdtempSync(path.join(os.tmpdir(), 'rekey-bench-state-'));
  const ledger = await Ledger.open(state);
  const snapshot = [{ path: path.join(WS, '.env.backup'), mtimeMs: Date.now() - 86_400_000 * 30, parsed: backup.parsed }];
  const item = { file: { path: path.join(WS, '.env'), text: liveText, parsed: live.parsed, mtimeMs: Date.now() - 86_400_000 }, secrets };
  const agesMs = await best(() => collectAges([item], { ledger, backups: new Map([[item.file.path, snapshot]]) }));
  out(`ages ${secrets.length} secrets      ${agesMs.toFixed(1)} ms (ledger, backup, mtime)`);
  const recordMs = await best(() => collectAges([item], { ledger, record: true }));
  out(`ages + ledger save      ${recordMs.toFixed(1)} ms`);

  let findings = 0;
  const scanMs = await best(async () => (findings = (await scanPaths([WS], [backupRules, ageRules], { trusted: true, settings: { age: { ledgerDir: state } } })).findings.length));
  out(`scan (backup+age rules) ${scanMs.toFixed(0)} ms, ${findings} findings (includes the consumer scan and git checks)`);
  rmSync(state, { recursive: true, force: true });
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = 1;
});
