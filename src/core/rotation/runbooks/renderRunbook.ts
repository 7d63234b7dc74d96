import type { KindId } from '../../catalog/types';
import { apiTokenRunbook } from './apiToken';
import { cachePasswordRunbook } from './cachePassword';
import { cloudAccessKeyRunbook } from './cloudAccessKey';
import { connectionUrlRunbook } from './connectionUrl';
import { databasePasswordRunbook } from './databasePassword';
import { encryptionKeyRunbook } from './encryptionKey';
import { genericSecretRunbook } from './genericSecret';
import { pepperRunbook } from './pepper';
import { privateKeyRunbook } from './privateKey';
import { code, PATTERN_TEXT, restartList } from './sections';
import { sessionSigningRunbook } from './sessionSigning';
import { sharedSecretRunbook } from './sharedSecret';
import { smtpPasswordRunbook } from './smtpPassword';
import type { KindRunbook, RunbookContext, RunbookItemSpec, RunbookStepSpec } from './types';
import { webhookSecretRunbook } from './webhookSecret';

/** One template per kind of secret. */
export const RUNBOOKS: Record<KindId, KindRunbook> = {
  'session-signing': sessionSigningRunbook,
  'encryption-key': encryptionKeyRunbook,
  pepper: pepperRunbook,
  'database-password': databasePasswordRunbook,
  'connection-url': connectionUrlRunbook,
  'cache-password': cachePasswordRunbook,
  'cloud-access-key': cloudAccessKeyRunbook,
  'api-token': apiTokenRunbook,
  'webhook-secret': webhookSecretRunbook,
  'shared-secret': sharedSecretRunbook,
  'smtp-password': smtpPasswordRunbook,
  'private-key': privateKeyRunbook,
  'generic-secret': genericSecretRunbook,
};

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** One item of a built runbook: its Markdown, whether rekey already did it, whether it needs the new value. */
export interface RunbookItem {
  text: string;
  /** rekey's rotation did this (only when the runbook was built for an applied rotation). */
  done: boolean;
  /** Needs the new value outside the `.env` file: the editor offers Copy New Value there. */
  needsNewValue: boolean;
}

/** How a section lays out its items: paragraphs, a numbered list, bullets or checkboxes. */
export type RunbookSectionStyle = 'blocks' | 'numbered' | 'bullets' | 'checklist';

export type RunbookSectionId = 'inventory' | 'pattern' | 'rollback' | 'steps' | 'verify' | 'retire' | 'record';

export interface RunbookSection {
  id: RunbookSectionId;
  /** The heading without its number ("Inventory"). */
  title: string;
  style: RunbookSectionStyle;
  items: RunbookItem[];
}

/** A runbook as data: renderers (the CLI's Markdown, the editor's) lay it out. Holds no value. */
export interface Runbook {
  key: string;
  /** Markdown blocks above the sections: title, provenance, facts, the kind's intro. */
  header: string[];
  sections: RunbookSection[];
  /** The closing note (a Markdown block). */
  closing: string;
}

export interface BuildRunbookOptions {
  /**
   * Build it for a rotation rekey has just applied (Rotate Secret in the editor): the items its
   * write did are marked done and say what was done instead of how to do it.
   */
  applied?: boolean;
}

function item(spec: string | RunbookItemSpec, applied: boolean): RunbookItem {
  if (typeof spec === 'string') return { text: spec, done: false, needsNewValue: false };
  const after = applied ? spec.byRotation : undefined;
  return { text: after ? after.text : spec.text, done: after?.complete === true, needsNewValue: spec.needsNewValue === true };
}

function inventory(ctx: RunbookContext): RunbookItemSpec[] {
  const out: RunbookItemSpec[] = [];
  out.push({ text: `${code(ctx.key)} is defined in ${code(`${ctx.file}:${ctx.line}`)}.${ctx.urlPassword ? ` The secret is the password inside its ${ctx.urlPassword.scheme}:// URL.` : ''}` });
  if (ctx.linked.length) {
    const list = (rewritten: string): string =>
      ['Entries that hold the same secret:', '', ...ctx.linked.map((l) => {
        const what = l.action === 'rewrite' ? rewritten : l.action === 'follows' ? 'follows automatically' : 'check by hand';
        return `- ${code(`${l.file}:${l.line}`)} ${code(l.key)}: ${l.description} (${what}).`;
      })].join('\n');
    out.push({ text: list('rewritten by rekey'), byRotation: { text: list('rekey rewrote it'), complete: ctx.linked.every((l) => l.action !== 'review') } });
  } else {
    out.push({ text: 'No other `.env` entry in the workspace holds the same secret.' });
  }
  if (ctx.consumers.length) {
    const multi = ctx.consumers.some((c) => c.key !== ctx.key);
    const table = [
      `| Place | Service | Role |${multi ? ' Key |' : ''} How |`, `|---|---|---|${multi ? '---|' : ''}---|`,
      ...ctx.consumers.map((c) => `| ${code(`${c.file}:${c.line}`)} | ${c.service ? cell(c.service) : '—'} | ${c.role} |${multi ? ` ${code(c.key)} |` : ''} ${cell(c.detail)}${c.copy ? ' — holds its own copy' : ''} |`),
    ].join('\n');
    const where = `Where it is read${multi ? ', directly or through the linked entries' : ''}`;
    out.push({
      text: `${where} (found by scanning the workspace, honouring .gitignore):\n\n${table}`,
      byRotation: { text: `${where}: rekey listed every consumer it found by scanning the workspace (honouring .gitignore):\n\n${table}`, complete: true },
    });
  } else {
    out.push({ text: `The scan found no file in the workspace that reads ${code(ctx.key)}: whatever loads ${code(ctx.file)} reads it.` });
  }
  out.push({ text: 'The scan cannot see everything. Add what applies before you start: secrets managers, hosting provider settings, CI secret stores, other servers and their copies of the file, mounted secret files, external automation, and people or partners who hold the value.' });
  const copies = ctx.consumers.filter((c) => c.copy);
  if (copies.length) {
    out.push({ text: `**Copies:** ${copies.map((c) => code(`${c.file}:${c.line}`)).join(', ')} set ${code(ctx.key)} themselves; they do not follow ${code(ctx.file)} and must be changed by hand (better: make them read it).`, needsNewValue: true });
  }
  return out;
}

function rollback(ctx: RunbookContext): RunbookItemSpec[] {
  const out: RunbookItemSpec[] = [];
  out.push({
    text: `rekey saves ${code(ctx.file)} as ${code(ctx.backup)} before writing anything (mode 600, ignored by git). Restoring it is the way back: ${code(`cp ${ctx.backup} ${ctx.file}`)}, then restart only the consumer you changed last.`,
    byRotation: { text: `rekey saved ${code(ctx.file)} as ${code(ctx.backup)} before writing anything (mode 600, ignored by git). The way back: Undo in ${code(ctx.file)} reverts the whole rotation while the editor keeps its history; after that, restore the backup (${code(`cp ${ctx.backup} ${ctx.file}`)}). Then restart only the consumer you changed last.`, complete: true },
  });
  if (ctx.kind.dualWindow) out.push({ text: `Keep the old value valid until the verification below passes; the rollback only works while it is.` });
  if (ctx.usesCompose) out.push({ text: `Save what Compose renders today, to compare after the change: ${code('docker compose config > /tmp/compose-before-rotation.yaml')} (the file contains values: delete it afterwards).` });
  out.push({ text: `The backup holds the old value: delete it once the old value is retired.` });
  return out;
}

function steps(ctx: RunbookContext, specs: RunbookStepSpec[]): Array<string | RunbookItemSpec> {
  return specs.map((s) => (typeof s === 'object' && 'restart' in s ? restartList(ctx) : s));
}

/**
 * The runbook for one rotation as data: inventory, pattern, rollback point, ordered steps,
 * verification, revocation and what to record, filled with this workspace's names, each item
 * marked when rekey's rotation did it (`applied`) or when it needs the new value elsewhere. Never
 * contains a value: `<new value from rekey>` and `<old value>` stand in for them.
 */
export function buildRunbook(ctx: RunbookContext, options: BuildRunbookOptions = {}): Runbook {
  const applied = options.applied === true;
  // A zero-logout rotation of an encryption key (Laravel's APP_KEY) follows the session runbook: the framework keeps decrypting with the old key.
  const kb: KindRunbook = ctx.zeroLogout?.chosen ? RUNBOOKS['session-signing'] : RUNBOOKS[ctx.kind.id];
  const pattern = PATTERN_TEXT[ctx.pattern];
  const facts = [
    `- **Kind:** ${ctx.kind.name}${ctx.kindReason ? ` (${ctx.kindReason})` : ''}`,
    `- **Impact:** ${ctx.kind.impact}`,
    `- **Pattern:** ${pattern.title}`,
    `- **Replacement:** ${ctx.generated.description}${ctx.generated.reason ? `; ${ctx.generated.reason}` : ''}`,
  ];
  if (ctx.mode === 'add-new' && ctx.newKey) facts.push(`- **Change:** the new key is added as ${code(ctx.newKey)}; ${code(ctx.key)} keeps the old key until the switch.`);
  if (ctx.forced) facts.push(`- **Forced:** ${code(ctx.key)} is replaced in place. Anything still encrypted or signed with the old value breaks until it is re-encrypted or reissued.`);
  const header = [
    `# Rotate ${code(ctx.key)}: ${ctx.kind.name}`,
    `Prepared by rekey on ${ctx.date} for ${code(ctx.file)}. This runbook never contains a value: ${code('<new value from rekey>')} and ${code('<old value>')} stand in for them.`,
    facts.join('\n'),
    kb.intro(ctx),
  ];
  const record: string[] = [
    `Date and reason (scheduled rotation, leak, staff change). rekey marks the entry ${code(`# rotated: ${ctx.date}`)}.`,
    'Every system you touched and the restart order that worked, including consumers the scan missed.',
    'Where the new value is stored (secrets manager, hosting settings), so the next deploy does not bring back the old one.',
    'When the old value was retired, and who checked it.',
    ...(kb.record?.(ctx) ?? []),
  ];
  const section = (id: RunbookSectionId, title: string, style: RunbookSectionStyle, items: Array<string | RunbookItemSpec>): RunbookSection => ({ id, title, style, items: items.map((i) => item(i, applied)) });
  return {
    key: ctx.key,
    header,
    sections: [
      section('inventory', 'Inventory', 'blocks', inventory(ctx)),
      section('pattern', 'Pattern', 'blocks', [`**${pattern.title}.** ${pattern.text}`]),
      section('rollback', 'Rollback point', 'bullets', rollback(ctx)),
      section('steps', 'Steps', 'numbered', steps(ctx, kb.steps(ctx))),
      section('verify', 'Verify', 'checklist', kb.verify(ctx)),
      section('retire', 'Retire the old value', 'bullets', kb.revoke(ctx)),
      section('record', 'Write down', 'bullets', record),
    ],
    closing: '> If you rotate because the value leaked: rotate now rather than on schedule, look for use of the old value in access logs for the whole time it was exposed, rotate the secrets that share its fate (a leaked signing secret: also the other signing secrets; leaked database credentials: also the data encryption key), and write down the timeline.',
  };
}

/** `first` on the marker's line, the rest indented under it (blank lines stay blank). */
function listItem(marker: string, indent: string, text: string): string {
  const [first, ...rest] = text.split('\n');
  return [`${marker}${first ?? ''}`, ...rest.map((l) => (l === '' ? '' : `${indent}${l}`))].join('\n');
}

/** Lays out one section's items as Markdown; `decorate` may prefix an item (done marks). */
export function sectionBody(section: RunbookSection, decorate: (item: RunbookItem) => string = (i) => i.text): string {
  const texts = section.items.map(decorate);
  switch (section.style) {
    case 'blocks':
      return texts.join('\n\n');
    case 'numbered':
      return texts.map((t, i) => listItem(`${i + 1}. `, '   ', t)).join('\n');
    case 'checklist':
      return texts.map((t) => listItem('- [ ] ', '      ', t)).join('\n');
    case 'bullets':
      return texts.map((t) => `- ${t}`).join('\n');
  }
}

/** The runbook as plain Markdown (the CLI's `rekey runbook`, Insert Runbook Snippet). */
export function runbookMarkdown(rb: Runbook): string {
  const sections = rb.sections.map((s, i) => `## ${i + 1}. ${s.title}\n\n${sectionBody(s)}\n\n`).join('');
  return `${rb.header.join('\n\n')}\n\n${sections}${rb.closing}\n`;
}

/** The Markdown runbook for one rotation, before anything was applied (see {@link buildRunbook}). */
export function renderRunbook(ctx: RunbookContext): string {
  return runbookMarkdown(buildRunbook(ctx));
}
