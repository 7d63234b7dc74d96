import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { KINDS, aKindName } from '../catalog/kinds';
import type { KindId, RotationPattern } from '../catalog/types';
import { detectEntry } from '../detect/detect';
import type { DetectOptions } from '../detect/types';
import { parseEnv } from '../env/parse';
import type { EnvEntry, ParsedEnv, QuoteStyle } from '../env/types';
import { DEFAULT_MAX_BYTES, readEnvFile } from '../fs/readTextFile';
import type { Logger } from '../log';
import type { Range } from '../text/lineIndex';
import { classifyEnvFileName } from '../workspace/envFileNames';
import { findEnvFiles } from '../workspace/findEnvFiles';
import { findConsumers, prefetchConsumerScan, type ComposeService, type Consumer } from './consumers';
import { RotationError } from './errors';
import {
  describeFormat,
  formatLength,
  formatSpec,
  generateValue,
  inferFormat,
  shapeOf,
  type InferredFormat,
  type TargetFormat,
  type ValueFormat,
} from './generate';
import { findLinkedEntries, referencesKey, type LinkedEntry, type LinkSearchFile } from './linked';
import { buildRestartOrder, type RestartStep } from './restartOrder';
import { renderRunbook } from './runbooks/renderRunbook';
import type { RunbookContext } from './runbooks/types';
import { datastoreOf } from './serviceRoles';
import { findUrlPassword } from './urlPassword';
import { planZeroLogout, type ZeroLogoutPlan } from './zeroLogout/strategy';

/** Default backup name suffix: `.env` → `.env.before-secret-rotation`. */
export const BACKUP_SUFFIX = '.before-secret-rotation';

export interface PlanOptions {
  /** Treat the key as this kind whatever detection says. */
  kind?: KindId;
  /** Generate in this format instead of the inferred one. */
  format?: ValueFormat;
  /** Use this value instead of generating one (provider-issued credentials). Secret. */
  newValue?: string;
  /** Keep the old value under `KEY_PREVIOUS` (`true`) or this name. */
  keepPrevious?: string | true;
  /** Replace an encryption key in place instead of adding `KEY_NEW` next to it. */
  force?: boolean;
  /**
   * Rotate without logging anyone out when the session framework allows it (default true): the
   * old value moves to the name the framework reads. `false` plans a plain replacement.
   */
  zeroLogout?: boolean;
  /** Where the backup goes (default: next to the file, `<name>.before-secret-rotation`). */
  backupPath?: string;
  /** "Today", for the annotation and the runbook. */
  now?: Date;
  /** Whether git may run (file listing, ignore checks). The CLI passes true, VS Code its workspace trust. */
  trusted?: boolean;
  /** Current text of `file` (an editor's unsaved buffer) instead of reading it from disk. Secret. */
  text?: string;
  /** Detection configuration and extra kind hints. */
  detect?: DetectOptions;
  /** Skip the workspace scan for consumers (linked entries are still searched). */
  skipConsumers?: boolean;
  /** Workspace files to scan (absolute), instead of listing them. */
  files?: string[];
  maxBytes?: number;
  logger?: Logger;
  signal?: AbortSignal;
}

export interface PlanRotationRequest {
  /** Root of the workspace: consumers and other `.env` files are searched below it. */
  workspaceRoot: string;
  /** The `.env`-family file holding the key (absolute, or relative to `workspaceRoot`). */
  file: string;
  key: string;
  options?: PlanOptions;
}

/** Where the generated value comes from and what it looks like; never the value. */
export interface GeneratedInfo {
  format: TargetFormat;
  /** `hex:32`, `alnum:32`, `uuid`, `provider`, or `user` for a value supplied by the caller. */
  spec: string;
  /** Characters in the new value (0 when the provider issues it and none was supplied). */
  length: number;
  description: string;
  from: 'current-value' | 'kind-default' | 'user' | 'provider';
  reason: string;
}

/**
 * Everything a rotation will do, as data; nothing has been written. Value-free when serialised:
 * the generated value and the file snapshots are non-enumerable properties, so `JSON.stringify`,
 * `util.inspect` and structured logging never see them. Read `newValue` explicitly, and only to
 * show it on request (`--reveal`) or to write it.
 */
export interface RotationPlan {
  workspaceRoot: string;
  /** Absolute path of the `.env` file. */
  file: string;
  key: string;
  kind: KindId;
  kindName: string;
  /** Why this kind: detection, an auth library's `secret` option, or an override. */
  kindReason: string;
  impact: string;
  pattern: RotationPattern;
  dualWindow: boolean;
  /** `replace` the value, or `add-new`: the new value goes next to it as `newKey` (encryption keys). */
  mode: 'replace' | 'add-new';
  newKey?: string;
  /** Name the old value will be kept under. */
  keepPrevious?: string;
  /** The session framework that signs with the key and how a rotation can keep its sessions, when one was found. */
  zeroLogout?: ZeroLogoutPlan;
  /** Whether the edits follow `zeroLogout` (it is available and was not declined). */
  zeroLogoutChosen: boolean;
  force: boolean;
  target: {
    /** 0-based line of the entry and range of its raw value. */
    line: number;
    range: Range;
    entryIndex: number;
    /** The whole value, or the password inside a connection URL. */
    part: 'value' | 'url-password';
    scheme?: string;
    quote: QuoteStyle;
  };
  generated: GeneratedInfo;
  linked: LinkedEntry[];
  consumers: Consumer[];
  services: ComposeService[];
  restartOrder: RestartStep[];
  /** Where the backup of `file` will be written (another free name if taken at apply time). */
  backupPath: string;
  runbook: string;
  /** What the runbook was filled with (value-free): `buildRunbook` makes it again, e.g. marked as applied. */
  runbookContext: RunbookContext;
  /** Things to know; applying is still possible. Value-free. */
  warnings: string[];
  /** Reasons applying is refused; empty when it can go ahead. Value-free. */
  blockers: string[];
  /** With `force` on an encryption key: what stops working. */
  breaks: string[];
  /** YYYY-MM-DD used for the annotation. */
  date: string;
  /** The replacement value (non-enumerable). Secret. */
  readonly newValue: string | undefined;
  /** Text of every file the rotation edits, as planned (non-enumerable). Secret. */
  readonly sources: ReadonlyMap<string, string>;
}

const KEY_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const PASSWORD_LIKE: ReadonlySet<KindId> = new Set(['database-password', 'connection-url', 'cache-password']);

/** Local calendar date as `YYYY-MM-DD`. */
export function isoDate(d: Date): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

function lastEntry(parsed: ParsedEnv, key: string): EnvEntry | undefined {
  let found: EnvEntry | undefined;
  for (const e of parsed.entries) if (e.key === key) found = e;
  return found;
}

async function exists(p: string): Promise<boolean> {
  return fs.lstat(p).then(
    () => true,
    () => false,
  );
}

/** The name `backupFile` will pick: `base`, else `base-2`, `base-3`, ... */
async function freeBackupName(base: string): Promise<string> {
  if (!(await exists(base))) return base;
  for (let n = 2; n < 1000; n++) if (!(await exists(`${base}-${n}`))) return `${base}-${n}`;
  return base;
}

/** Host of a `scheme://user:pass@host:port/...` URL, lower-cased; `undefined` otherwise. */
function urlHost(value: string): string | undefined {
  const m = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*@([^:/?#,]+)/.exec(value);
  return m ? (m[1] as string).toLowerCase() : undefined;
}

function rel(root: string, abs: string): string {
  const r = path.relative(root, abs);
  return r === '' || r.startsWith('..') || path.isAbsolute(r) ? abs : r.split(path.sep).join('/');
}

/** Reads every live/template `.env`-family file under the root (plus the target) for the link search. */
async function loadEnvFamily(root: string, target: string, targetText: string, maxBytes: number, trusted: boolean, signal?: AbortSignal): Promise<LinkSearchFile[]> {
  // Trusted, the names come from git's index rather than a walk of every source folder.
  const found = await findEnvFiles(root, { trusted, ...(signal ? { signal } : {}) }).catch(() => [] as string[]);
  const paths = [...new Set([...found.map((f) => path.resolve(f)), target])];
  const out: LinkSearchFile[] = [];
  for (const p of paths) {
    const role = classifyEnvFileName(p) ?? 'env';
    if (role === 'backup') continue;
    let text: string;
    if (p === target) {
      text = targetText;
    } else {
      const r = await readEnvFile(p, maxBytes);
      if (!r.ok) continue;
      text = r.text;
    }
    out.push({ path: p, role, text, parsed: parseEnv(text) });
  }
  return out;
}

/**
 * Plans the rotation of `key` in `file`: kind, impact and pattern; a replacement generated with
 * `node:crypto` in the format the kind and the current value call for; the linked entries that
 * change with it; the consumers found in the workspace and the order to restart them; the backup
 * path; and the Markdown runbook. Reads files, writes nothing.
 * @throws RotationError `file-unreadable` or `key-not-found`; everything else that would stop
 * the rotation is reported in `blockers`.
 */
export async function planRotation(request: PlanRotationRequest): Promise<RotationPlan> {
  const options = request.options ?? {};
  const root = path.resolve(request.workspaceRoot);
  const file = path.resolve(root, request.file);
  const key = request.key;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const now = options.now ?? new Date();
  const warnings: string[] = [];
  const blockers: string[] = [];
  const shown = rel(root, file);

  let text = options.text;
  if (text === undefined) {
    const r = await readEnvFile(file, maxBytes);
    if (!r.ok) throw new RotationError(`${shown}: ${r.message}`, 'file-unreadable');
    text = r.text;
  }
  const parsed = parseEnv(text);
  const entry = lastEntry(parsed, key);
  if (!entry) throw new RotationError(`${key} is not defined in ${shown}; check the key name and --file`, 'key-not-found');
  const duplicates = parsed.entries.filter((e) => e.key === key).length;
  if (duplicates > 1) warnings.push(`${key} is defined ${duplicates} times in ${shown}; dotenv uses the last one (line ${entry.range.start.line + 1}), which is the one rotated. Remove the others.`);

  // The secret: the whole value, or the password inside a connection URL.
  const url = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(entry.value) ? findUrlPassword(entry.value) : undefined;
  const secret = url ? url.decoded : entry.value;
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(entry.value) && !url) {
    blockers.push(`${key} is a URL without a password: there is no credential in it to rotate.`);
  }
  const refMatch = /\$\{?([A-Za-z_][A-Za-z0-9_]*)/.exec(url ? entry.value.slice(url.start, url.end) : entry.value);
  if (refMatch && referencesKey(url ? entry.value.slice(url.start, url.end) : entry.value, refMatch[1] as string)) {
    blockers.push(`${key} takes its ${url ? 'password' : 'value'} from \${${refMatch[1] as string}}: rotate ${refMatch[1] as string} instead, and ${key} follows.`);
  }
  if (entry.value === '') blockers.push(`${key} is empty in ${shown}: there is no secret to rotate. Set a value instead.`);

  // The consumer scan's git processes (listing, key search) run while the `.env` files are read.
  const prefetched = options.skipConsumers || options.files
    ? undefined
    : prefetchConsumerScan(root, [key], { trusted: options.trusted === true, ...(options.signal ? { signal: options.signal } : {}) });
  // Linked entries across the workspace's `.env` files: their consumers must restart too.
  const envFiles = await loadEnvFamily(root, file, text, maxBytes, options.trusted === true, options.signal);
  let linked = secret === '' ? [] : findLinkedEntries({ file, entry, secret }, envFiles);

  // Consumers: an auth library's `secret` option also decides the kind.
  const linkedKeys = linked.filter((l) => l.action !== 'review' && l.key !== key).map((l) => ({ key: l.key, envFile: l.file }));
  const scan = options.skipConsumers
    ? { consumers: [], services: [], authUses: [], filesListed: 0, filesRead: 0, warnings: [] }
    : await findConsumers({
        workspaceRoot: root, key, linkedKeys, envFile: file, trusted: options.trusted === true, maxBytes,
        ...(options.files ? { files: options.files } : {}),
        ...(prefetched ? { prefetched } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.logger ? { logger: options.logger } : {}),
      });
  warnings.push(...scan.warnings);

  const hints = new Map(options.detect?.kindHints ?? []);
  const auth = scan.authUses.find((u) => u.key === key);
  if (auth && !hints.has(key)) hints.set(key, { kind: 'session-signing', detail: `handed to ${auth.library} as its signing secret (${rel(root, auth.file)}:${auth.line + 1})` });
  let kind: KindId;
  let kindReason: string;
  if (options.kind) {
    kind = options.kind;
    kindReason = 'set explicitly';
  } else {
    const detected = detectEntry(entry, text, { ...options.detect, kindHints: hints, relativePath: options.detect?.relativePath ?? rel(root, file) });
    const hint = hints.get(key);
    if (hint && (!detected || detected.kind === hint.kind)) {
      kind = hint.kind;
      kindReason = hint.detail;
    } else if (detected) {
      kind = detected.kind;
      kindReason = detected.evidence[0] ? `recognised by its ${detected.evidence[0].source === 'url' ? 'URL' : detected.evidence[0].source}` : 'recognised by detection';
    } else {
      kind = url ? 'connection-url' : 'generic-secret';
      kindReason = 'not recognised as a secret by detection';
      warnings.push(`rekey does not recognise ${key} as a secret; it is treated as ${aKindName(kind)}. Pass a kind if you know better.`);
    }
  }
  const kindInfo = KINDS[kind];

  // Session frameworks that verify with previous secrets: plan a rotation that logs nobody out.
  const zeroLogout = kind === 'session-signing' || kind === 'encryption-key'
    ? await planZeroLogout({ workspaceRoot: root, envFile: file, key, parsed, uses: scan.authUses, now })
    : undefined;
  const zeroLogoutChosen = zeroLogout?.available === true && options.zeroLogout !== false && options.keepPrevious === undefined;
  if (zeroLogout && !zeroLogout.available) warnings.push(zeroLogout.summary);
  if (zeroLogoutChosen && zeroLogout && zeroLogout.codeChanges.length > 0) {
    warnings.push(`This rotation needs a code change (${zeroLogout.codeChanges.map((c) => rel(root, c.file)).join(', ')}) so ${zeroLogout.frameworkName} reads ${zeroLogout.previousKey ?? ''}; it is applied only when you confirm it.`);
  }

  // Mode: encryption keys are never replaced in place unless forced.
  const force = options.force === true;
  let mode: 'replace' | 'add-new' = 'replace';
  let newKey: string | undefined;
  const breaks: string[] = [];
  if (kind === 'encryption-key' && zeroLogoutChosen) {
    // Laravel decrypts with APP_PREVIOUS_KEYS: replacing APP_KEY keeps stored data readable.
  } else if (kind === 'encryption-key') {
    if (force) {
      breaks.push(`Everything encrypted with the current ${key} becomes unreadable to the application until it is re-encrypted with the new key.`);
      breaks.push('Encrypted credentials, tokens and MFA secrets stored with the old key fail to decrypt: integrations break and users with MFA are locked out.');
      breaks.push(`The old key survives only in the backup: keep it, the re-encryption needs it.`);
      warnings.push(`--force: ${key} is replaced in place. ${breaks[0] as string}`);
    } else {
      mode = 'add-new';
      newKey = `${key}_NEW`;
      warnings.push(`${key} is a data encryption key: the new key will be added as ${newKey}, not replaced. Re-encrypt the data with both keys, then switch (see the runbook). Use --force to replace it in place.`);
      if (parsed.entries.some((e) => e.key === newKey)) {
        blockers.push(`${newKey} already exists in ${shown}: a rotation seems to be in progress. Finish it (runbook) or remove ${newKey} first.`);
      }
    }
  } else if (force) {
    warnings.push(`--force has no effect for ${aKindName(kindInfo.id)}.`);
  }

  // keep-previous.
  let keepPrevious: string | undefined;
  if (options.keepPrevious !== undefined) {
    const name = options.keepPrevious === true ? `${key}_PREVIOUS` : options.keepPrevious;
    if (!KEY_NAME.test(name) || name === key || name === newKey) {
      blockers.push(`--keep-previous: ${JSON.stringify(name)} cannot be used as a key name here; use letters, digits and underscores, and a name other than ${key}.`);
    } else if (mode === 'add-new') {
      warnings.push(`--keep-previous is not needed: ${key} keeps the old key until the switch.`);
    } else {
      keepPrevious = name;
      if (!kindInfo.dualWindow) warnings.push(`${aKindName(kindInfo.id).replace(/^a/, 'A')} has no dual window: nothing reads ${name} unless you make it. It is kept as asked; remove it once the rotation is done.`);
      if (parsed.entries.some((e) => e.key === name)) warnings.push(`${name} already exists in ${shown}; it will hold the value being replaced.`);
    }
  }

  // The replacement.
  let generated: GeneratedInfo;
  let newValue: string | undefined;
  const inferKind: KindId = url && !PASSWORD_LIKE.has(kind) && kindInfo.generator.type !== 'provider' ? 'connection-url' : kind;
  if (options.newValue !== undefined) {
    newValue = options.newValue;
    const shape = shapeOf(newValue);
    generated = {
      format: shape ?? { type: 'provider' }, spec: 'user', length: newValue.length,
      description: `supplied by you (${newValue.length} characters)`, from: 'user', reason: 'value given to rekey',
    };
    if (newValue === '') blockers.push('The supplied value is empty.');
    if (newValue === secret) blockers.push(`The supplied value is the same as the current one: nothing would change.`);
    if (url && /[\r\n]/.test(newValue)) blockers.push('A password inside a URL cannot contain line breaks.');
  } else {
    const inferred: InferredFormat = options.format
      ? { format: options.format, from: 'current-value', reason: 'format given explicitly' }
      : inferFormat(secret, inferKind);
    const format = inferred.format;
    if (format.type === 'provider') {
      generated = { format, spec: 'provider', length: 0, description: describeFormat(format), from: 'provider', reason: inferred.reason };
      blockers.push(`${key} is ${aKindName(kindInfo.id)}: its provider issues new values. Create the new one there, then give it to rekey (CLI: --value-stdin).`);
    } else {
      newValue = generateValue(format);
      generated = {
        format, spec: formatSpec(format), length: formatLength(format), description: describeFormat(format),
        from: options.format ? 'user' : inferred.from, reason: inferred.reason,
      };
    }
  }

  let consumers = scan.consumers;
  if (mode === 'add-new') {
    linked = linked.map((l) =>
      l.action === 'rewrite' ? { ...l, action: 'review' as const, description: `${l.description.replace(/; gets the new value too$/, '')}; stays on the old key until the switch, then gets the new one` } : l,
    );
    const moving = new Set([key, ...linked.filter((l) => l.action === 'follows').map((l) => l.key)]);
    consumers = consumers.filter((c) => moving.has(c.key));
  }
  if (keepPrevious) linked = linked.filter((l) => !(l.file === file && l.key === keepPrevious));
  if (zeroLogoutChosen && zeroLogout?.previousKey) {
    const prev = zeroLogout.previousKey;
    linked = linked.filter((l) => !(l.file === file && (l.key === prev || /^AUTH_SECRET_\d$/.test(l.key))));
  }
  for (const l of linked) {
    if (l.action === 'review' && /template/.test(l.description)) warnings.push(`${rel(root, l.file)}:${l.line + 1} ${l.key}: ${l.description}.`);
  }
  const snapshots = new Map<string, string>([[file, text]]);
  for (const l of linked) {
    if (l.action !== 'rewrite' || snapshots.has(l.file)) continue;
    const f = envFiles.find((x) => x.path === l.file);
    if (f) snapshots.set(l.file, f.text);
  }

  // Consumers that hold their own copy do not follow the file.
  for (const c of consumers.filter((x) => x.copy)) {
    warnings.push(`${rel(root, c.file)}:${c.line + 1} sets ${c.key} itself (${c.detail}); it will not follow ${shown}: change it by hand.`);
  }
  // The server a connection URL points at is the credential's source, even if it reads no key.
  const hosts = [entry.value, ...linked.filter((l) => l.relation === 'url-password').map((l) => envFiles.find((f) => f.path === l.file)?.parsed.entries[l.entryIndex]?.value ?? '')]
    .map(urlHost)
    .filter((h): h is string => h !== undefined);
  const sources = scan.services.filter((s) => hosts.includes(s.name)).map((s) => s.name);
  const restartOrder = buildRestartOrder(consumers, scan.services, root, key, { sources });

  const backupPath = options.backupPath ? path.resolve(root, options.backupPath) : await freeBackupName(file + BACKUP_SUFFIX);
  const date = isoDate(now);

  const source = restartOrder.find((s) => s.role === 'source');
  const sourceService = source ? scan.services.find((s) => s.name === source.name) : undefined;
  const ctx: RunbookContext = {
    key, file: shown, line: entry.range.start.line + 1, kind: kindInfo, kindReason, pattern: kindInfo.pattern, mode,
    ...(newKey ? { newKey } : {}),
    ...(keepPrevious ? { keepPrevious } : {}),
    ...(zeroLogout ? { zeroLogout: { plan: zeroLogout, chosen: zeroLogoutChosen } } : {}),
    ...(url ? { urlPassword: { scheme: url.scheme } } : {}),
    generated: { spec: generated.spec, description: generated.description, from: generated.from, reason: generated.reason },
    linked: linked.map((l) => ({ file: rel(root, l.file), key: l.key, line: l.line + 1, relation: l.relation, action: l.action, description: l.description })),
    consumers: consumers.map((c) => ({
      key: c.key, file: rel(root, c.file), line: c.line + 1, role: c.role, via: c.via,
      detail: c.authLibrary ? `${c.detail} → ${c.authLibrary} secret` : c.detail,
      ...(c.service !== undefined ? { service: c.service } : {}),
      ...(c.copy ? { copy: true } : {}),
    })),
    restartOrder: restartOrder.map((s) => ({ ...s, files: s.files.map((f) => rel(root, f)) })),
    ...(source ? { source: { service: source.name, ...(datastoreOf(sourceService?.image) ? { datastore: datastoreOf(sourceService?.image)?.name } : {}) } } : {}),
    usesCompose: scan.services.length > 0,
    backup: rel(root, backupPath),
    date,
    ...(force && kind === 'encryption-key' ? { forced: true } : {}),
  };
  const detected = options.kind ? undefined : detectEntry(entry, text, { kindHints: hints });
  if (detected?.provider) ctx.provider = detected.provider;
  const runbook = renderRunbook(ctx);

  const plan = {
    workspaceRoot: root, file, key, kind, kindName: kindInfo.name, kindReason, impact: kindInfo.impact, pattern: kindInfo.pattern,
    dualWindow: kindInfo.dualWindow, mode, ...(newKey ? { newKey } : {}), ...(keepPrevious ? { keepPrevious } : {}), force,
    ...(zeroLogout ? { zeroLogout } : {}), zeroLogoutChosen,
    target: {
      line: entry.range.start.line, range: entry.valueRange, entryIndex: entry.index, part: url ? ('url-password' as const) : ('value' as const),
      ...(url ? { scheme: url.scheme } : {}), quote: entry.quote,
    },
    generated, linked, consumers, services: scan.services, restartOrder, backupPath, runbook, runbookContext: ctx, warnings, blockers, breaks, date,
  };
  Object.defineProperty(plan, 'newValue', { value: newValue, enumerable: false, writable: false });
  Object.defineProperty(plan, 'sources', { value: snapshots, enumerable: false, writable: false });
  return plan as RotationPlan;
}
