import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Logger } from '../../core/log';
import { writeFileAtomic } from '../../core/fs/atomicWrite';
import { loadEnvFiles } from '../../core/live/loadEnvFiles';
import { adminTarget, rotateLive, type LiveRotationResult } from '../../core/live/rotateLive';
import { LiveError } from '../../core/live/types';
import type { ApplyResult } from '../../core/rotation/apply';
import type { RotationPlan } from '../../core/rotation/plan';
import { stateDir } from '../../core/state/stateDir';
import { positiveInt, UsageError, type CliIo } from '../command';
import { rotationPlanJson, rotationPlanText } from '../format/rotation';
import { displayPath } from '../paths';

/** The options `rekey rotate` adds for live rotation. */
export const LIVE_OPTIONS = {
  live: { type: 'boolean' },
  'admin-url': { type: 'string' },
  'dual-phase': { type: 'string' },
  timeout: { type: 'string' },
} as const;

export const LIVE_USAGE = `Live rotation (PostgreSQL and Redis):
  --live                    also change the password on the server: connect with the current
                            credentials, change it (PostgreSQL: ALTER ROLE with a SCRAM-SHA-256
                            verifier computed by rekey, so the plaintext never reaches the server;
                            Redis: CONFIG SET requirepass or ACL SETUSER, then CONFIG REWRITE),
                            check a NEW connection with the new password, then write .env. If a
                            step fails, the old password is put back and .env is left untouched.
  --admin-url KEY|-         make the change as this admin: the URL in env key KEY (.env files or
                            the environment), or read from standard input with "-"
  --dual-phase ROLE_A,ROLE_B  two roles that take turns: change the one the URL does not use,
                            check it, switch the URL to it; the other stays valid until retired
  --timeout MS              per connection (default 5000)
rekey never restarts anything: the remaining steps (restart order, revoke) are printed.`;

async function readStdin(io: CliIo): Promise<string> {
  if (!io.stdin) throw new UsageError('rotate: --admin-url - needs standard input');
  const chunks: Buffer[] = [];
  for await (const chunk of io.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk));
  return Buffer.concat(chunks).toString('utf8').trim();
}

/** Where a new password goes when the server has it but `.env` does not (restore failed). Mode 600, outside the repository. */
async function savePending(io: CliIo, plan: RotationPlan): Promise<string | undefined> {
  if (plan.newValue === undefined) return undefined;
  const dir = path.join(stateDir(io.env), 'pending');
  try {
    await fs.mkdir(dir, { recursive: true, mode: 0o700 });
    const file = path.join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${plan.key}`);
    await writeFileAtomic(file, plan.newValue + '\n', { mode: 0o600 });
    await fs.chmod(file, 0o600);
    return file;
  } catch {
    return undefined;
  }
}

/** Text lines for a live rotation: each step, then what remains for the user. */
export function liveResultText(r: LiveRotationResult): string {
  const out = ['', `Live rotation on ${r.service} ${r.server}:`];
  for (const s of r.steps) out.push(`  ${s.status === 'done' ? 'done  ' : s.status === 'failed' ? 'FAILED' : 'skip  '} ${s.id}: ${s.detail}`);
  if (r.ok) {
    out.push('', 'Remaining (rekey does not do these):');
    r.remaining.forEach((x, i) => out.push(`  ${i + 1}. ${x}`));
  } else {
    out.push('', `Not rotated: the ${r.failedStep ?? 'connect'} step failed.${r.restored === false ? '' : ' .env is unchanged.'}`);
  }
  return out.join('\n');
}

/**
 * `rekey rotate KEY --live`: runs the live rotation for an already planned, unblocked rotation.
 * Returns the exit code: 0 rotated, 1 a live step failed (rolled back), 2 usage.
 */
export async function runLiveRotation(
  plan: RotationPlan,
  values: Record<string, unknown>,
  io: CliIo,
  options: { format: 'text' | 'json'; reveal: boolean; logger: Logger; apply: (plan: RotationPlan) => Promise<ApplyResult>; stdinUsed: boolean },
): Promise<number> {
  const timeoutMs = positiveInt(values.timeout, 'timeout', 5000);
  const { files } = await loadEnvFiles(plan.workspaceRoot, [plan.file]);
  let admin;
  const adminArg = values['admin-url'];
  if (typeof adminArg === 'string') {
    let url: string | undefined;
    if (adminArg === '-') {
      if (options.stdinUsed) throw new UsageError('rotate: --value-stdin and --admin-url - cannot both read standard input');
      url = await readStdin(io);
    } else {
      const all = await loadEnvFiles(plan.workspaceRoot);
      url = all.files.flatMap((f) => f.parsed.entries).filter((e) => e.key === adminArg).pop()?.value ?? io.env[adminArg];
      if (url === undefined) throw new UsageError(`rotate: --admin-url: ${adminArg} is not set in the .env files or the environment (give a key name, or - to read the URL from standard input)`);
    }
    try {
      admin = adminTarget(url);
    } catch (err) {
      throw new UsageError(`rotate: --admin-url: ${(err as Error).message}`);
    }
  }
  let dualPhase: { roles: [string, string] } | undefined;
  if (typeof values['dual-phase'] === 'string') {
    const roles = values['dual-phase'].split(',').map((s) => s.trim());
    if (roles.length !== 2 || !roles[0] || !roles[1] || roles[0] === roles[1]) throw new UsageError('rotate: --dual-phase takes two different role names: --dual-phase app_blue,app_green');
    dualPhase = { roles: [roles[0], roles[1]] };
  }

  let result: LiveRotationResult;
  try {
    result = await rotateLive({ plan, files, apply: options.apply, timeoutMs, ...(admin ? { admin } : {}), ...(dualPhase ? { dualPhase } : {}) });
  } catch (err) {
    if (err instanceof LiveError) throw new UsageError(`rotate --live: ${err.message}`);
    throw err;
  }
  let pending: string | undefined;
  if (!result.ok && result.restored === false && result.steps.some((s) => s.id === 'change' && s.status === 'done') && !dualPhase) {
    pending = await savePending(io, plan);
  }
  if (options.format === 'json') {
    const base = JSON.parse(rotationPlanJson(plan, io.cwd, { reveal: options.reveal, ...(result.applied ? { applied: result.applied } : {}) })) as Record<string, unknown>;
    const { applied: _applied, ...live } = result;
    void _applied;
    io.stdout(JSON.stringify({ ...base, live: { ...live, ...(pending ? { pendingValueFile: pending } : {}) } }, null, 2) + '\n');
  } else {
    io.stdout(rotationPlanText(plan, io.cwd, { reveal: options.reveal, ...(result.applied ? { applied: result.applied } : {}) }) + '\n');
    io.stdout(liveResultText(result) + '\n');
  }
  if (!result.ok) {
    const failed = result.steps.find((s) => s.status === 'failed');
    io.stderr(`rekey: rotate --live: step ${result.failedStep ?? '?'} failed: ${failed?.detail ?? ''}\n`);
    if (pending) io.stderr(`rekey: the new password the server now has is saved in ${displayPath(pending, io.cwd)} (mode 600): log in with it and set the password back, then delete the file\n`);
    return 1;
  }
  return 0;
}
