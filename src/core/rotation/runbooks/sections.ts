import type { RotationPattern } from '../../catalog/types';
import type { RunbookContext, RunbookItemSpec } from './types';

/*
 * Building blocks shared by the per-kind runbooks: the rekey command that applies the change,
 * the restart list, and checks that compare values without printing them.
 */

/** `code` span, escaping backticks. */
export function code(s: string): string {
  return s.includes('`') ? `\`\` ${s} \`\`` : `\`${s}\``;
}

/** Fenced shell block. */
export function shell(...lines: string[]): string {
  return ['```sh', ...lines, '```'].join('\n');
}

/** How each rotation pattern works, in rekey's words. */
export const PATTERN_TEXT: Record<RotationPattern, { title: string; text: string }> = {
  'dual-credential-window': {
    title: 'Dual-credential window',
    text: 'Make the new credential valid while the old one still works, move every consumer to the new one, prove it, and only then retire the old one. Nothing has to switch at the same instant, so a forgotten consumer shows up as a log line instead of an outage.',
  },
  'maintenance-window-swap': {
    title: 'Maintenance-window swap',
    text: 'The old and new values cannot both be valid, so the change is a cut-over: pause writes or background work briefly, change the value everywhere, start consumers again in order, and test before reopening.',
  },
  'side-by-side-rollout': {
    title: 'Side-by-side rollout',
    text: 'Put the new value in place next to the old configuration, then move one party or service at a time and check each before moving the next. Every party that holds the secret must end up with the same value.',
  },
  're-encrypt-then-switch': {
    title: 'Re-encrypt, then switch',
    text: 'Data written with the old key can only be read with the old key. Keep it, re-encrypt the stored data with both keys available, check that the new key reads everything, and switch the application only after that. Switching first leaves stored data unreadable.',
  },
};

/** Text around the apply step, for kinds that frame it. */
export interface ApplyStepFrame {
  prefix?: string;
  suffix?: string;
}

/**
 * The step that writes the new value with rekey (backup, linked entries, annotation): the CLI
 * command to run, or, once the editor's Rotate Secret ran, what it did.
 */
export function applyStep(ctx: RunbookContext, frame: ApplyStepFrame = {}): RunbookItemSpec {
  const opts: string[] = [];
  if (ctx.keepPrevious) opts.push(ctx.keepPrevious === `${ctx.key}_PREVIOUS` ? '--keep-previous' : `--keep-previous --keep-previous-name ${ctx.keepPrevious}`);
  if (ctx.forced) opts.push('--force');
  const provider = ctx.generated.from === 'provider' || ctx.generated.from === 'user';
  const cmd = `rekey rotate ${ctx.key} --file ${ctx.file}${opts.length ? ` ${opts.join(' ')}` : ''}`;
  const lines: string[] = [];
  if (provider) {
    lines.push(`Write the new value into ${code(ctx.file)} with rekey, reading it from standard input so it never lands in your shell history:`);
    lines.push(shell(`${cmd} --value-stdin < /path/to/file-holding-the-new-value`));
  } else {
    lines.push(`Apply the change with rekey (${ctx.generated.description}):`);
    lines.push(shell(`${cmd} --dry-run   # review the plan`, cmd));
  }
  const what: string[] = [`saves ${code(ctx.backup)} first (mode 600, ignored by git)`];
  const did: string[] = [`saved ${code(ctx.backup)} first (mode 600, ignored by git)`];
  if (ctx.mode === 'add-new' && ctx.newKey) {
    what.push(`adds ${code(ctx.newKey)} next to ${code(ctx.key)} without touching the old key`);
    did.push(`added ${code(ctx.newKey)} next to ${code(ctx.key)} without touching the old key`);
  } else {
    what.push(`replaces ${code(ctx.key)}${ctx.urlPassword ? ' (only the password inside the URL)' : ''}`);
    did.push(`replaced ${code(ctx.key)}${ctx.urlPassword ? ' (only the password inside the URL)' : ''}${provider ? ' with the value you gave' : ` with a new value of ${ctx.generated.description}`}`);
  }
  const rewritten = ctx.linked.filter((l) => l.action === 'rewrite');
  if (rewritten.length) {
    what.push(`rewrites ${rewritten.map((l) => code(l.key)).join(', ')} with it`);
    did.push(`rewrote ${rewritten.map((l) => code(l.key)).join(', ')} with it`);
  }
  if (ctx.keepPrevious && ctx.mode === 'replace') {
    what.push(`keeps the old value as ${code(ctx.keepPrevious)}`);
    did.push(`kept the old value as ${code(ctx.keepPrevious)}`);
  }
  what.push(ctx.mode === 'add-new'
    ? 'explains it in a comment above it and checks that dotenv reads back exactly the new value, restoring the backup if not'
    : 'marks the entry `# rotated: YYYY-MM-DD` and checks that dotenv reads back exactly the new value, restoring the backup if not');
  did.push(ctx.mode === 'add-new'
    ? 'explained it in a comment above it and checked that dotenv reads back exactly the new value'
    : `marked the entry ${code(`# rotated: ${ctx.date}`)} and checked that dotenv reads back exactly the new value`);
  lines.push(`It ${what.join(', ')}.`);
  const frameText = (t: string): string => `${frame.prefix ?? ''}${t}${frame.suffix ?? ''}`;
  return {
    text: frameText(lines.join('\n\n')),
    byRotation: { text: frameText(`rekey ${did.join(', ')}. Undo in the editor reverts it.`), complete: true },
  };
}

/** The restart order as a nested numbered list. */
export function restartList(ctx: RunbookContext): string {
  if (ctx.restartOrder.length === 0) {
    return `rekey found no consumer of ${code(ctx.key)} in this workspace. Restart whatever loads ${code(ctx.file)}, one process at a time, and add it to the inventory above.`;
  }
  const lines = [`Restart the consumers one at a time, in this order, checking each before the next:`, ''];
  for (const s of ctx.restartOrder) {
    const action = /^(docker|kubectl|sudo) /.test(s.action) ? code(s.action) : s.action;
    lines.push(`${s.order}. **${s.name}** (${s.role}): ${action}.${s.note ? ` ${s.note.replace(/\.?$/, '.')}` : ''}`);
  }
  return lines.join('\n');
}

/**
 * A check that running containers hold the same value, comparing SHA-256 fingerprints so the
 * value itself never reaches the terminal or its scrollback: every consumer must print the same
 * fingerprint, and it must differ from the one noted before the rotation.
 */
export function fingerprintCheck(ctx: RunbookContext, services: string[]): string {
  const names = services.length ? services : ['app'];
  return shell(...names.map((s) => `docker compose exec ${s} sh -c 'printf %s "$${ctx.key}" | sha256sum'`));
}

/** Services that read the key, in restart order (compose only). */
export function composeServices(ctx: RunbookContext): string[] {
  return ctx.restartOrder.filter((s) => s.target === 'compose-service').map((s) => s.name);
}

/** Services in a role, in restart order. */
export function servicesInRole(ctx: RunbookContext, role: string): string[] {
  return ctx.restartOrder.filter((s) => s.role === role).map((s) => s.name);
}

/** Where the new value must also go outside the workspace (the source of truth). */
export function sourceOfTruthStep(ctx: RunbookContext): RunbookItemSpec {
  return { needsNewValue: true, text: `Store the new value wherever ${code(ctx.key)} is kept outside this workspace (secrets manager, hosting provider settings such as Fly.io or Heroku secrets, the CI secret store, other hosts' copies of ${code(ctx.file)}). A live fix that never reaches the source of truth comes back with the next deploy.` };
}

/** Log check over the consumers that restarted. */
export function logCheck(ctx: RunbookContext): string {
  const services = composeServices(ctx).filter((s) => !servicesInRole(ctx, 'source').includes(s));
  if (services.length === 0) return 'Watch the logs of every consumer for authentication errors for a while after the restart.';
  return `Watch the logs for repeated authentication failures: ${services.map((s) => code(`docker compose logs --since 10m ${s}`)).join(', ')}.`;
}

