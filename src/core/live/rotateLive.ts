import { parseEnv } from '../env/parse';
import type { ApplyResult } from '../rotation/apply';
import { RotationError } from '../rotation/errors';
import type { LinkSearchFile } from '../rotation/linked';
import type { RotationPlan } from '../rotation/plan';
import { encodeUrlPassword, findUrlPassword } from '../rotation/urlPassword';
import { DRIVERS } from './drivers';
import { deriveTargets, makeTarget } from './targets';
import { LiveError, type AdminSession, type ConnectionTarget, type LiveDriver, type ServiceKind } from './types';

/*
 * Changing a credential on the server itself, in the order that keeps a way back at every step:
 * connect (current credential or admin), change the password (hashed client-side for
 * PostgreSQL), prove a NEW connection with the new password, and only then write `.env` through
 * the normal rotation apply path. Any failure after the change puts the old password back and
 * leaves `.env` untouched. Restarting consumers and revoking the previous role stay with the user:
 * rekey prints them as remaining steps.
 */

export type LiveStepId = 'connect' | 'change' | 'verify-new' | 'write-env' | 'restore';

/** One step as it happened. Value-free. */
export interface LiveStep {
  id: LiveStepId;
  status: 'done' | 'failed' | 'skipped';
  detail: string;
}

export interface LiveRotationResult {
  ok: boolean;
  service: ServiceKind;
  /** `user@host:port` the change was made for (value-free). */
  server: string;
  /** The role whose password changed (the inactive one in dual-phase mode). */
  role: string;
  steps: LiveStep[];
  failedStep?: LiveStepId;
  /** After a failure past `change`: whether the server has the old password again. */
  restored?: boolean;
  /** The `.env` write, when it happened. */
  applied?: ApplyResult;
  /** What rekey did not do and the user must (restart consumers, revoke, persist). Value-free. */
  remaining: string[];
}

export interface LiveRotationRequest {
  plan: RotationPlan;
  /** The `.env` files the plan was made from (for the connection target). */
  files: LinkSearchFile[];
  /** Writes `.env`: the existing apply path with the caller's ledger and logger. */
  apply: (plan: RotationPlan) => Promise<ApplyResult>;
  /** Connect as this instead of the current credential to make the change. */
  admin?: ConnectionTarget;
  /** Two roles that take turns: rotate the one the URL does not use, then switch the URL to it. */
  dualPhase?: { roles: [string, string] };
  timeoutMs?: number;
  /** How long to keep trying to put the old password back when the server went away. Default 20 s. */
  restoreWindowMs?: number;
  drivers?: Partial<Record<ServiceKind, LiveDriver>>;
  /** Test hook, called right after the server accepted the new password. */
  afterChange?: () => Promise<void>;
}

/** Parses an admin URL (from an env key or standard input) into a target. */
export function adminTarget(url: string): ConnectionTarget {
  const parsed = deriveTargets([adminFile(url)])[0];
  const t = parsed?.targets[0];
  if (!parsed || !t || parsed.skipped) throw new LiveError(`the admin URL is not a PostgreSQL or Redis URL with a host${parsed?.skipped ? ` (${parsed.skipped})` : ''}`, 'error');
  return t;
}

function adminFile(url: string): LinkSearchFile {
  const entry = {
    key: 'ADMIN_URL', value: url, rawValue: url, quote: 'none' as const, exported: false, multiline: false, separator: '=' as const,
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    keyRange: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    valueRange: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    start: 0, end: 0, keyStart: 0, valueStart: 0, valueEnd: 0, index: 0,
  };
  return { path: '(admin url)', role: 'env', text: '', parsed: { entries: [entry], problems: [], lineCount: 1, eol: '\n', hasBom: false } };
}

function label(t: ConnectionTarget, user = t.user): string {
  return `${user || 'default'}@${t.host}:${t.port}`;
}

function withPassword(t: ConnectionTarget, password: string, user = t.user): ConnectionTarget {
  return makeTarget({ service: t.service, scheme: t.scheme, host: t.host, port: t.port, user, database: t.database, tls: t.tls, ...(t.timeoutMs ? { timeoutMs: t.timeoutMs } : {}) }, password);
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The server the plan's key opens: its URL, the URL embedding the same password, or sibling keys. */
export function targetsForPlan(plan: RotationPlan, files: LinkSearchFile[]): ConnectionTarget[] {
  const own = files.filter((f) => f.path === plan.file);
  const item = deriveTargets(own.length ? own : files, [plan.key]).find((i) => i.file === plan.file) ?? deriveTargets(files, [plan.key])[0];
  if (!item) throw new LiveError(`${plan.key} does not lead to a server rekey can reach: it needs a postgres:// or redis:// URL with the same password, or HOST/PORT/USER keys beside it`, 'skipped');
  if (item.skipped) throw new LiveError(`${plan.key}: ${item.skipped}`, 'skipped');
  if (item.service !== 'postgres' && item.service !== 'redis') throw new LiveError(`${plan.key}: live rotation changes PostgreSQL and Redis passwords; ${item.service ?? item.scheme} passwords are changed at the provider`, 'skipped');
  return item.targets;
}

/** The plan that switches the URL to the other role: the whole URL is the new value, nothing else changes. */
function dualPhasePlan(plan: RotationPlan, newUrl: string): RotationPlan {
  const p = { ...plan, target: { ...plan.target, part: 'value' as const }, linked: plan.linked.filter((l) => l.action !== 'rewrite') };
  Object.defineProperty(p, 'newValue', { value: newUrl, enumerable: false, writable: false });
  Object.defineProperty(p, 'sources', { value: plan.sources, enumerable: false, writable: false });
  return p;
}

function remainingSteps(plan: RotationPlan, service: ServiceKind, dual: { active: string; inactive: string } | undefined, persisted: boolean): string[] {
  const out: string[] = [];
  if (service === 'redis' && !persisted) out.push('Make the new Redis password survive a restart: put it in redis.conf (requirepass / ACL file) or the server\'s command line');
  const consumers = plan.restartOrder.filter((s) => s.role !== 'source');
  if (consumers.length === 0) out.push('Restart every process that reads the credential so it picks up the new value (rekey found none in the workspace)');
  for (const s of consumers) out.push(`Restart ${s.name}: ${s.action}${s.note ? ` (${s.note})` : ''}`);
  if (dual) {
    out.push(`Keep ${dual.active} valid until every consumer runs on ${dual.inactive}; then retire it (e.g. ALTER ROLE ${dual.active} PASSWORD NULL, or rotate it next time with --dual-phase)`);
  } else {
    out.push('The old password no longer works on the server: consumers not yet restarted fail to reconnect until they are');
  }
  out.push('Check the logs for authentication failures, then delete the backup once nothing needs the old value');
  return out;
}

/**
 * Rotates the plan's password on the server, then in `.env`. Never throws for a server problem:
 * the result says which step failed and whether the old password was put back.
 * @throws LiveError when the plan's key does not lead to a PostgreSQL or Redis server, or the
 * plan has no new value.
 */
export async function rotateLive(req: LiveRotationRequest): Promise<LiveRotationResult> {
  const { plan } = req;
  const newPassword = plan.newValue;
  if (newPassword === undefined || plan.blockers.length > 0) throw new LiveError(plan.blockers[0] ?? `no new value for ${plan.key}`, 'error');
  const targets = targetsForPlan(plan, req.files);
  const primary = targets[0] as ConnectionTarget;
  const service = primary.service;
  const driver = (req.drivers ?? DRIVERS)[service];
  if (!driver?.openAdmin) throw new LiveError(`no driver can change ${service} passwords`, 'skipped');
  const timeout = req.timeoutMs ?? 5000;
  const oldPassword = primary.password;

  let role = primary.user;
  let dual: { active: string; inactive: string } | undefined;
  if (req.dualPhase) {
    const [a, b] = req.dualPhase.roles;
    if (primary.user !== a && primary.user !== b) throw new LiveError(`--dual-phase: the URL uses ${primary.user || 'the default user'}, which is neither ${a} nor ${b}`, 'error');
    if (plan.target.part !== 'url-password') throw new LiveError(`--dual-phase switches the user inside a connection URL: rotate the URL key (${plan.key} is not a URL)`, 'error');
    dual = { active: primary.user, inactive: primary.user === a ? b : a };
    role = dual.inactive;
  }

  const steps: LiveStep[] = [];
  const result = (extra: Partial<LiveRotationResult>, persisted = true): LiveRotationResult => ({
    ok: false, service, server: label(primary, role), role, steps, remaining: remainingSteps(plan, service, dual, persisted), ...extra,
  });
  const secretsFree = (e: unknown): string => (e instanceof LiveError ? e.message : 'unexpected error');

  // 1. Connect with the credential that will make the change.
  const via = req.admin ?? primary;
  let session: AdminSession;
  try {
    session = await driver.openAdmin(via, timeout);
    steps.push({ id: 'connect', status: 'done', detail: `connected as ${label(via)}${req.admin ? ' (admin URL)' : ' with the current credentials'}` });
  } catch (err) {
    steps.push({ id: 'connect', status: 'failed', detail: `${label(via)}: ${secretsFree(err)}; nothing was changed` });
    return result({ failedStep: 'connect' });
  }

  const restore = async (): Promise<boolean> => {
    if (dual) return false; // the inactive role's previous password is unknown, and nothing uses it
    const deadline = Date.now() + (req.restoreWindowMs ?? 20_000);
    let s: AdminSession | undefined = session;
    for (;;) {
      try {
        if (!s) s = await driver.openAdmin?.(req.admin ?? withPassword(primary, newPassword), timeout);
        if (s) {
          await s.changePassword(role, oldPassword);
          if (s !== session) await s.close();
          const check = await driver.verify(primary, timeout);
          if (check.status === 'ok') return true;
        }
      } catch {
        if (s && s !== session) await s.close();
      }
      s = undefined;
      if (Date.now() >= deadline) return false;
      await sleep(500);
    }
  };

  try {
    // 2. The change.
    let how: string;
    try {
      how = await session.changePassword(role, newPassword);
      steps.push({ id: 'change', status: 'done', detail: `password of ${role || 'default'} changed on ${primary.host}:${primary.port} (${how})` });
    } catch (err) {
      steps.push({ id: 'change', status: 'failed', detail: `${secretsFree(err)}; the server kept the old password` });
      return result({ failedStep: 'change' });
    }
    const persisted = !/NOT persisted/.test(how);
    await req.afterChange?.();

    const undo = async (id: LiveStepId, detail: string): Promise<LiveRotationResult> => {
      steps.push({ id, status: 'failed', detail });
      if (dual) {
        steps.push({ id: 'restore', status: 'skipped', detail: `${role} keeps the new password, which is not in .env; it was the inactive role, so nothing used it` });
        return result({ failedStep: id, restored: false }, persisted);
      }
      const restored = await restore();
      steps.push({
        id: 'restore', status: restored ? 'done' : 'failed',
        detail: restored ? `the old password of ${role || 'default'} is back on the server and works` : `could NOT put the old password back: the server now has the new password, which .env does not hold`,
      });
      return result({ failedStep: id, restored }, persisted);
    };

    // 3. A new connection with the new password, on every host.
    for (const t of targets) {
      const check = await driver.verify(withPassword(t, newPassword, role), timeout);
      if (check.status !== 'ok') return await undo('verify-new', `new connection to ${label(t, role)} with the new password: ${check.status === 'auth-failed' ? 'auth failed' : check.status} (${check.detail}); .env left untouched`);
    }
    steps.push({ id: 'verify-new', status: 'done', detail: `a new connection with the new password works on ${targets.map((t) => `${t.host}:${t.port}`).join(', ')}` });

    // 4. `.env`, through the rotation apply path (backup, atomic write, read-back check).
    let toApply = plan;
    if (dual) {
      const entryValue = currentUrl(plan);
      if (!entryValue) return await undo('write-env', 'cannot find the URL in the planned text');
      toApply = dualPhasePlan(plan, switchUrlUser(entryValue, dual.inactive, newPassword));
    }
    let applied: ApplyResult;
    try {
      applied = await req.apply(toApply);
    } catch (err) {
      const why = err instanceof RotationError ? err.message : 'unexpected error while writing';
      return await undo('write-env', `${why}; .env left as it was`);
    }
    const keys = applied.files.flatMap((f) => f.keys);
    steps.push({ id: 'write-env', status: 'done', detail: `wrote ${keys.join(', ')} (backup first, atomic, read back)${dual ? `; the URL now uses ${dual.inactive}` : ''}` });
    return { ...result({}, persisted), ok: true, applied };
  } finally {
    await session.close();
  }
}

function currentUrl(plan: RotationPlan): string | undefined {
  const text = plan.sources.get(plan.file);
  if (text === undefined) return undefined;
  const entry = parseEnv(text).entries[plan.target.entryIndex];
  return entry?.key === plan.key ? entry.value : undefined;
}

/** The URL with its user and password replaced (both percent-encoded as needed). */
export function switchUrlUser(url: string, user: string, password: string): string {
  const pw = findUrlPassword(url);
  if (!pw) throw new LiveError('the URL has no password to switch', 'error');
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.exec(url)?.[0] ?? '';
  return `${scheme}${encodeUrlPassword(user)}:${encodeUrlPassword(password)}${url.slice(pw.end)}`;
}

/**
 * Whether `rotateLive` can change the plan's secret on a server, read from the planned file
 * texts: `postgres` or `redis`, else `undefined`. Cheap; connects to nothing.
 */
export function liveServiceOf(plan: RotationPlan): ServiceKind | undefined {
  const files: LinkSearchFile[] = [...plan.sources].map(([p, text]) => ({ path: p, role: 'env', text, parsed: parseEnv(text) }));
  try {
    const t = targetsForPlan(plan, files)[0];
    return t?.service;
  } catch {
    return undefined;
  }
}
