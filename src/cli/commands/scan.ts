import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { failsAt } from '../../core/findings/finding';
import { DEFAULT_MAX_BYTES } from '../../core/fs/readTextFile';
import { gitValueAgesProvider } from '../../core/git/valueAges';
import { stateDir } from '../../core/state/stateDir';
import { defaultRuleProviders } from '../../core/analysis/rules';
import { scanPaths } from '../../core/analysis/scan';
import { choice, positiveInt, UsageError, type CliCommand } from '../command';
import { scanJsonChunks, scanSarifChunks, scanTextChunks } from '../format/findings';
import { writeChunked } from '../format/jsonChunks';
import { textPath } from '../paths';
import { stderrLogger } from '../logger';

export const scanCommand: CliCommand = {
  name: 'scan',
  summary: 'Find .env-family files and report problems, secrets, leaks and overdue rotations',
  usage: `rekey scan [PATH...] [--format text|json|sarif] [--fail-on error|warning|info|never]
           [--secrets-only] [--max-bytes N] [--reveal] [--verbose]

Finds .env-family files under each PATH (default: the current folder), including git-ignored
ones, skipping node_modules, .git and other dependency folders, and reports findings.
Exit code: 0 when no finding reaches --fail-on (default error), 1 when one does, 2 on usage or
internal errors. Values are never printed unless --reveal is given (JSON entries only).`,
  options: {
    format: { type: 'string' },
    'fail-on': { type: 'string' },
    'secrets-only': { type: 'boolean' },
    'max-bytes': { type: 'string' },
    reveal: { type: 'boolean' },
    verbose: { type: 'boolean', short: 'v' },
  },
  async run(values, positionals, io) {
    keepYoungGenerationSmall();
    const format = choice(values.format, 'format', ['text', 'json', 'sarif'] as const, 'text');
    const failOn = choice(values['fail-on'], 'fail-on', ['error', 'warning', 'info', 'never'] as const, 'error');
    const maxBytes = positiveInt(values['max-bytes'], 'max-bytes', DEFAULT_MAX_BYTES);
    const roots = (positionals.length ? positionals : ['.']).map((p) => path.resolve(io.cwd, p));
    for (const [i, r] of roots.entries()) {
      try {
        await fs.stat(r);
      } catch {
        throw new UsageError(`scan: path not found: ${positionals[i] ?? r}`);
      }
    }
    const logger = stderrLogger(io, values.verbose === true);
    // Ages read (never write) the ledger in this user's state folder and date values from git.
    const settings = { age: { ledgerDir: stateDir(io.env), gitAges: gitValueAgesProvider({ trusted: true }) } };
    const result = await scanPaths(roots, defaultRuleProviders(), { maxBytes, trusted: true, logger, settings });
    const failure = result.failures?.[0];
    // Missing findings must not pass as a clean scan: exit 2 (main prints the one line).
    if (failure) throw new Error(`scan incomplete: rule provider ${failure.provider} failed: ${failure.message}`);
    for (const s of result.skipped ?? []) io.stderr(`rekey: not scanned: ${textPath(s.path, io.cwd)}/ (${s.reason === 'EACCES' || s.reason === 'EPERM' ? 'permission denied' : s.reason})\n`);
    let findings = result.findings;
    if (values['secrets-only'] === true) findings = findings.filter((f) => f.rule === 'secret');
    // Written in pieces as they are made: the report of a large file never exists as one string.
    const report =
      format === 'json'
        ? scanJsonChunks(result.files, findings, io.cwd, values.reveal === true)
        : format === 'sarif'
          ? scanSarifChunks(findings, io.cwd)
          : scanTextChunks(result.files, findings, io.cwd, io.isTty === true && !io.env.NO_COLOR);
    writeChunked(lines(report), (t) => io.stdout(t));
    return findings.some((f) => failsAt(f, failOn)) ? 1 : 0;
  },
};

/**
 * A scan keeps most of what it makes (entries, secrets, findings) until the report is written,
 * so V8 would keep doubling its young generation (up to 2 x 16 MiB of semi-spaces) for objects
 * that survive anyway: some 30 MiB of resident memory on a 1 MiB `.env`. Holding the semi-spaces
 * at their starting size promotes survivors sooner at the cost of a few more, shorter
 * scavenges. The flag is read at each growth decision; the CLI process is rekey's own.
 */
function keepYoungGenerationSmall(): void {
  setFlagsFromString('--semi-space-growth-factor=1');
}

/** The report, then the newline that ends it. */
function* lines(report: Iterable<string>): Generator<string> {
  yield* report;
  yield '\n';
}
