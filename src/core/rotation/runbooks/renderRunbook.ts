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
import type { KindRunbook, RunbookContext } from './types';
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

function inventory(ctx: RunbookContext): string[] {
  const out = ['## 1. Inventory', ''];
  out.push(`${code(ctx.key)} is defined in ${code(`${ctx.file}:${ctx.line}`)}.${ctx.urlPassword ? ` The secret is the password inside its ${ctx.urlPassword.scheme}:// URL.` : ''}`);
  out.push('');
  if (ctx.linked.length) {
    out.push('Entries that hold the same secret:', '');
    for (const l of ctx.linked) {
      const what = l.action === 'rewrite' ? 'rewritten by rekey' : l.action === 'follows' ? 'follows automatically' : 'check by hand';
      out.push(`- ${code(`${l.file}:${l.line}`)} ${code(l.key)}: ${l.description} (${what}).`);
    }
    out.push('');
  } else {
    out.push('No other `.env` entry in the workspace holds the same secret.', '');
  }
  if (ctx.consumers.length) {
    out.push(`Where it is read${ctx.consumers.some((c) => c.key !== ctx.key) ? ', directly or through the linked entries' : ''} (found by scanning the workspace, honouring .gitignore):`, '');
    const multi = ctx.consumers.some((c) => c.key !== ctx.key);
    out.push(`| Place | Service | Role |${multi ? ' Key |' : ''} How |`, `|---|---|---|${multi ? '---|' : ''}---|`);
    for (const c of ctx.consumers) {
      out.push(`| ${code(`${c.file}:${c.line}`)} | ${c.service ? cell(c.service) : '—'} | ${c.role} |${multi ? ` ${code(c.key)} |` : ''} ${cell(c.detail)}${c.copy ? ' — holds its own copy' : ''} |`);
    }
    out.push('');
  } else {
    out.push(`The scan found no file in the workspace that reads ${code(ctx.key)}: whatever loads ${code(ctx.file)} reads it.`, '');
  }
  out.push(
    'The scan cannot see everything. Add what applies before you start: secrets managers, hosting provider settings, CI secret stores, other servers and their copies of the file, mounted secret files, external automation, and people or partners who hold the value.',
  );
  const copies = ctx.consumers.filter((c) => c.copy);
  if (copies.length) {
    out.push('', `**Copies:** ${copies.map((c) => code(`${c.file}:${c.line}`)).join(', ')} set ${code(ctx.key)} themselves; they do not follow ${code(ctx.file)} and must be changed by hand (better: make them read it).`);
  }
  return out;
}

function rollback(ctx: RunbookContext): string[] {
  const out = ['## 3. Rollback point', ''];
  out.push(`- rekey saves ${code(ctx.file)} as ${code(ctx.backup)} before writing anything (mode 600, ignored by git). Restoring it is the way back: ${code(`cp ${ctx.backup} ${ctx.file}`)}, then restart only the consumer you changed last.`);
  if (ctx.kind.dualWindow) out.push(`- Keep the old value valid until the verification below passes; the rollback only works while it is.`);
  if (ctx.usesCompose) out.push(`- Save what Compose renders today, to compare after the change: ${code('docker compose config > /tmp/compose-before-rotation.yaml')} (the file contains values: delete it afterwards).`);
  out.push(`- The backup holds the old value: delete it once the old value is retired.`);
  return out;
}

/**
 * The Markdown runbook for one rotation: inventory, pattern, rollback point, ordered steps,
 * verification, revocation and what to record, filled with this workspace's names. Never contains
 * a value: `<new value from rekey>` and `<old value>` stand in for them.
 */
export function renderRunbook(ctx: RunbookContext): string {
  // A zero-logout rotation of an encryption key (Laravel's APP_KEY) follows the session runbook: the framework keeps decrypting with the old key.
  const kb = ctx.zeroLogout?.chosen ? RUNBOOKS['session-signing'] : RUNBOOKS[ctx.kind.id];
  const pattern = PATTERN_TEXT[ctx.pattern];
  const out: string[] = [];
  out.push(`# Rotate ${code(ctx.key)}: ${ctx.kind.name.toLowerCase()}`, '');
  out.push(`Prepared by rekey on ${ctx.date} for ${code(ctx.file)}. This runbook never contains a value: ${code('<new value from rekey>')} and ${code('<old value>')} stand in for them.`, '');
  out.push(`- **Kind:** ${ctx.kind.name}${ctx.kindReason ? ` (${ctx.kindReason})` : ''}`);
  out.push(`- **Impact:** ${ctx.kind.impact}`);
  out.push(`- **Pattern:** ${pattern.title}`);
  out.push(`- **Replacement:** ${ctx.generated.description}${ctx.generated.reason ? `; ${ctx.generated.reason}` : ''}`);
  if (ctx.mode === 'add-new' && ctx.newKey) out.push(`- **Change:** the new key is added as ${code(ctx.newKey)}; ${code(ctx.key)} keeps the old key until the switch.`);
  if (ctx.forced) out.push(`- **Forced:** ${code(ctx.key)} is replaced in place. Anything still encrypted or signed with the old value breaks until it is re-encrypted or reissued.`);
  out.push('', kb.intro(ctx), '');
  out.push(...inventory(ctx), '');
  out.push('## 2. Pattern', '', `**${pattern.title}.** ${pattern.text}`, '');
  out.push(...rollback(ctx), '');
  out.push('## 4. Steps', '');
  let n = 1;
  for (const step of kb.steps(ctx)) {
    const text = typeof step === 'string' ? step : restartList(ctx);
    const [first, ...rest] = text.split('\n');
    out.push(`${n}. ${first ?? ''}`);
    for (const line of rest) out.push(line === '' ? '' : `   ${line}`);
    n++;
  }
  out.push('', '## 5. Verify', '');
  for (const v of kb.verify(ctx)) {
    const [first, ...rest] = v.split('\n');
    out.push(`- [ ] ${first ?? ''}`);
    for (const line of rest) out.push(line === '' ? '' : `      ${line}`);
  }
  out.push('', '## 6. Retire the old value', '');
  for (const r of kb.revoke(ctx)) out.push(`- ${r}`);
  out.push('', '## 7. Write down', '');
  const record = [
    `Date and reason (scheduled rotation, leak, staff change). rekey marks the entry ${code(`# rotated: ${ctx.date}`)}.`,
    'Every system you touched and the restart order that worked, including consumers the scan missed.',
    'Where the new value is stored (secrets manager, hosting settings), so the next deploy does not bring back the old one.',
    'When the old value was retired, and who checked it.',
    ...(kb.record?.(ctx) ?? []),
  ];
  for (const r of record) out.push(`- ${r}`);
  out.push(
    '',
    '> If you rotate because the value leaked: rotate now rather than on schedule, look for use of the old value in access logs for the whole time it was exposed, rotate the secrets that share its fate (a leaked signing secret: also the other signing secrets; leaked database credentials: also the data encryption key), and write down the timeline.',
  );
  return out.join('\n') + '\n';
}
