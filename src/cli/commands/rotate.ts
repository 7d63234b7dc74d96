import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { Ledger } from '../../core/age/ledger';
import { isKindId, KIND_IDS, type KindId } from '../../core/catalog/types';
import { applyRotation, type ApplyResult } from '../../core/rotation/apply';
import { RotationError } from '../../core/rotation/errors';
import { planRotation, type RotationPlan } from '../../core/rotation/plan';
import { applyCodeChanges, restoreCodeChanges } from '../../core/rotation/zeroLogout/applyCode';
import { gitTopLevel } from '../../core/workspace/workspaceFiles';
import { stateDir } from '../../core/state/stateDir';
import { choice, UsageError, type CliCommand, type CliIo } from '../command';
import { rotationPlanJson, rotationPlanText } from '../format/rotation';
import { stderrLogger } from '../logger';
import { displayPath } from '../paths';
import { LIVE_OPTIONS, LIVE_USAGE, runLiveRotation } from './rotateLive';

/** The `.env` file and workspace root a rotation command works on. */
export interface RotationTarget {
  file: string;
  root: string;
}

/**
 * `--file` (default `.env` in the working directory) and the workspace root: `--root`, else the
 * git work tree holding the file, else the working directory when it contains the file, else the
 * file's folder.
 */
export async function resolveRotationTarget(values: Record<string, unknown>, io: CliIo, command: string): Promise<RotationTarget> {
  const fileArg = typeof values.file === 'string' ? values.file : '.env';
  const file = path.resolve(io.cwd, fileArg);
  const st = await fs.stat(file).catch(() => undefined);
  if (!st) throw new UsageError(`${command}: ${fileArg} not found (use --file to name the .env file)`);
  if (!st.isFile()) throw new UsageError(`${command}: ${fileArg} is not a file`);
  if (typeof values.root === 'string') return { file, root: path.resolve(io.cwd, values.root) };
  const top = await gitTopLevel(path.dirname(file), { trusted: true });
  if (top) return { file, root: top };
  const cwd = path.resolve(io.cwd);
  if (file.startsWith(cwd + path.sep)) return { file, root: cwd };
  return { file, root: path.dirname(file) };
}

/** Reads `--kind`. */
export function kindOption(value: unknown): KindId | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string' && isKindId(value)) return value;
  throw new UsageError(`--kind must be one of ${KIND_IDS.join(', ')} (got ${JSON.stringify(value)})`);
}

/** The whole of standard input, without the final line break a shell or editor adds. */
async function readStdinValue(io: CliIo): Promise<string> {
  if (!io.stdin) throw new UsageError('rotate: --value-stdin needs standard input');
  const chunks: Buffer[] = [];
  for await (const chunk of io.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk));
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

async function openLedger(io: CliIo): Promise<Ledger | undefined> {
  try {
    return await Ledger.open(stateDir(io.env));
  } catch (err) {
    io.stderr(`rekey: warning: the rotation will not be recorded in the ledger (${(err as Error).message})\n`);
    return undefined;
  }
}

export const rotateCommand: CliCommand = {
  name: 'rotate',
  summary: 'Plan and apply the rotation of one secret: new value, linked entries, consumers, runbook',
  usage: `rekey rotate KEY [--file FILE] [--dry-run] [--apply-code] [--logout-everyone]
             [--keep-previous-name NAME] [--force] [--kind KIND] [--value-stdin] [--root DIR]
             [--format text|json] [--reveal]
             [--live [--admin-url KEY|-] [--dual-phase ROLE_A,ROLE_B] [--timeout MS]]

Plans the rotation of KEY in FILE (default .env): its kind and impact, a new value generated
with node:crypto in the format the kind and the current value call for, the entries that hold the
same secret (a URL's password, the same value elsewhere), where it is read across the workspace
(compose, Dockerfiles, CI, Kubernetes, scripts, crontabs, systemd, code), the restart order and
the runbook. Prints the plan; without --dry-run it then applies it: backup first
(FILE.before-secret-rotation, mode 600, ignored by git), atomic writes, a "# rotated:" line above
each changed entry, and a read-back check that restores the backup on any mismatch.

Session secrets: when the session framework can verify with a previous secret (Auth.js
AUTH_SECRET_1..3, Laravel APP_PREVIOUS_KEYS, Django/Flask SECRET_KEY_FALLBACKS, express-session
and friends with a list), the rotation logs nobody out: the old value moves to the name the
framework reads, in the same write, with a "# rekey-previous:" retire-by date above it. Retire it
later with \`rekey retire-previous KEY\`. Frameworks that need a code change to read a list
(express-session with one secret, jsonwebtoken) get the exact edit: printed as a patch with
--dry-run, written only with --apply-code.

  --dry-run                 print the plan (and any code edit as a patch); nothing is written
  --apply-code              also apply the code edit a zero-logout rotation needs (backup first)
  --logout-everyone         plain replacement: do not keep the previous secret
  --keep-previous-name NAME keep the old value under NAME, for code of your own that reads it
                            (the generic escape hatch; --keep-previous is NAME=KEY_PREVIOUS)
  --keep-previous           same as --keep-previous-name KEY_PREVIOUS
  --force                   replace an encryption key in place instead of adding KEY_NEW
  --kind KIND               treat KEY as this kind (${KIND_IDS.join(', ')})
  --value-stdin             use the value read from standard input (provider-issued tokens)
  --root DIR                workspace to scan for consumers (default: the git work tree)
  --reveal                  print the new value (never shown otherwise)

${LIVE_USAGE}

Exit code: 0 when planned (or applied), 1 when a live step failed (rolled back), 2 when the
rotation cannot be applied or on usage errors.`,
  options: {
    file: { type: 'string' },
    root: { type: 'string' },
    'dry-run': { type: 'boolean' },
    'keep-previous': { type: 'boolean' },
    'keep-previous-name': { type: 'string' },
    'apply-code': { type: 'boolean' },
    'logout-everyone': { type: 'boolean' },
    force: { type: 'boolean' },
    kind: { type: 'string' },
    'value-stdin': { type: 'boolean' },
    format: { type: 'string' },
    reveal: { type: 'boolean' },
    verbose: { type: 'boolean', short: 'v' },
    ...LIVE_OPTIONS,
  },
  async run(values, positionals, io) {
    const format = choice(values.format, 'format', ['text', 'json'] as const, 'text');
    if (positionals.length !== 1) throw new UsageError('rotate: expected exactly one KEY');
    const key = positionals[0] as string;
    const kind = kindOption(values.kind);
    const name = values['keep-previous-name'];
    if (name !== undefined && (typeof name !== 'string' || !/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(name))) {
      throw new UsageError('rotate: --keep-previous-name must be a key name (letters, digits, _ . -)');
    }
    const keepPrevious: string | true | undefined = typeof name === 'string' ? name : values['keep-previous'] === true ? true : undefined;
    const target = await resolveRotationTarget(values, io, 'rotate');
    const reveal = values.reveal === true;
    const dryRun = values['dry-run'] === true;
    const newValue = values['value-stdin'] === true ? await readStdinValue(io) : undefined;
    const logger = stderrLogger(io, values.verbose === true);

    let plan: RotationPlan;
    try {
      plan = await planRotation({
        workspaceRoot: target.root,
        file: target.file,
        key,
        options: {
          trusted: true, logger,
          ...(kind ? { kind } : {}),
          ...(keepPrevious !== undefined ? { keepPrevious } : {}),
          ...(values.force === true ? { force: true } : {}),
          ...(values['logout-everyone'] === true ? { zeroLogout: false } : {}),
          ...(newValue !== undefined ? { newValue } : {}),
        },
      });
    } catch (err) {
      if (err instanceof RotationError) throw new UsageError(`rotate: ${err.message}`);
      throw err;
    }

    const codeChanges = plan.zeroLogoutChosen ? plan.zeroLogout?.codeChanges ?? [] : [];
    const codeNeeded = codeChanges.length > 0 && values['apply-code'] !== true;
    const render = (applied?: ApplyResult, notApplied?: string): string =>
      format === 'json'
        ? rotationPlanJson(plan, io.cwd, { reveal, ...(applied ? { applied } : {}) })
        : rotationPlanText(plan, io.cwd, { reveal, patch: dryRun || codeNeeded, ...(applied ? { applied } : {}), ...(notApplied !== undefined ? { notApplied } : {}) });

    if (dryRun) {
      io.stdout(render() + '\n');
      return 0;
    }
    if (plan.blockers.length > 0) {
      io.stdout(render(undefined, plan.blockers[0]) + '\n');
      io.stderr(`rekey: rotate: not applied: ${plan.blockers[0] as string}\n`);
      return 2;
    }
    if (codeNeeded) {
      io.stdout(render() + '\n');
      io.stderr(`rekey: rotate: not applied: keeping sessions valid needs the code edit above; run again with --apply-code to write it with the rotation, or --logout-everyone to rotate without it\n`);
      return 2;
    }
    if (values.live === true) {
      const apply = async (p: RotationPlan): Promise<ApplyResult> => applyRotation(p, { trusted: true, logger, ...(await ledgerOption(io)) });
      return runLiveRotation(plan, values, io, { format, reveal, logger, apply, stdinUsed: newValue !== undefined });
    }
    let applied: ApplyResult;
    try {
      // The code edit first: it only adds a fallback that is harmless before the .env changes.
      const code = await applyCodeChanges(codeChanges, { trusted: true });
      for (const c of code) logger.info(`applied the code edit to ${displayPath(c.file, io.cwd)}; backup ${displayPath(c.backup, io.cwd)}`);
      try {
        applied = await applyRotation(plan, { trusted: true, logger, ...(await ledgerOption(io)) });
      } catch (err) {
        // The .env did not change: put the code back too, so nothing is half done.
        await restoreCodeChanges(code);
        throw err;
      }
      if (code.length) applied = { ...applied, files: [...code.map((c) => ({ file: c.file, backup: c.backup, keys: [] })), ...applied.files] };
    } catch (err) {
      if (!(err instanceof RotationError)) throw err;
      io.stdout(render(undefined, err.message) + '\n');
      const restored = err.restored.length ? ` (restored: ${err.restored.map((f) => displayPath(f, io.cwd)).join(', ')})` : '';
      io.stderr(`rekey: rotate: ${err.message}${restored}\n`);
      return 2;
    }
    io.stdout(render(applied) + '\n');
    return 0;
  },
};

async function ledgerOption(io: CliIo): Promise<{ ledger?: Ledger }> {
  const ledger = await openLedger(io);
  return ledger ? { ledger } : {};
}
