import { KINDS } from '../catalog/kinds';
import { isKindId } from '../catalog/types';
import type { HookFinding, HookReport } from './report';

/*
 * The text a hook prints (git shows it in the terminal, VS Code in its git output and error
 * dialog) and the JSON form. Both are built from findings only, so they hold no value.
 */

/** Most findings listed before "…and N more". */
const MAX_LISTED = 40;

export interface ReportTextOptions {
  /** The remote named on the command line (pre-push), for the headline. */
  remote?: string;
  /** Also print a line when nothing was found. */
  verbose?: boolean;
}

/** Human text for a hook report; empty when there is nothing to say. */
export function hookReportText(report: HookReport, options: ReportTextOptions = {}): string {
  const errors = report.findings.filter((f) => f.severity === 'error');
  const warnings = report.findings.filter((f) => f.severity === 'warning');
  const lines: string[] = [];
  for (const n of report.notes) lines.push(`rekey: note: ${n}`);
  if (report.findings.length === 0) {
    if (options.verbose) {
      lines.push(report.hook === 'pre-commit'
        ? `rekey: ${report.files} staged file(s) checked against ${report.knownSecrets} .env secret(s): nothing to stop`
        : `rekey: ${report.commits} outgoing commit(s) checked against ${report.knownSecrets} .env secret(s): nothing to stop`);
    }
    return lines.length ? lines.join('\n') + '\n' : '';
  }
  const where = report.hook === 'pre-commit' ? 'in the staged changes' : `in commits not yet on ${options.remote && !/[/:\\]/.test(options.remote) ? options.remote : 'the remote'}`;
  if (errors.length) lines.push(`rekey: ${report.hook === 'pre-commit' ? 'commit' : 'push'} blocked: ${count(errors.length, 'secret')} ${where}`);
  else lines.push(`rekey: ${count(warnings.length, 'possible secret')} ${where} (not blocking)`);
  lines.push('');

  let listed = 0;
  const byPath = new Map<string, HookFinding[]>();
  for (const f of report.findings) {
    const list = byPath.get(f.path) ?? [];
    list.push(f);
    byPath.set(f.path, list);
  }
  for (const [p, list] of byPath) {
    if (listed >= MAX_LISTED) break;
    const env = list.find((f) => f.type === 'env-file' || f.type === 'unchecked');
    lines.push(`  ${p}${env ? ` (${roleLabel(env, report.hook)})` : ''}`);
    for (const f of list) {
      if (listed++ >= MAX_LISTED) break;
      lines.push(`    ${f.severity.padEnd(7)}  ${position(f)}${describe(f)}${f.more ? ` (and ${f.more} more ${report.hook === 'pre-push' ? 'place(s)' : 'line(s)'})` : ''}`);
    }
  }
  if (report.findings.length > MAX_LISTED) lines.push(`  …and ${report.findings.length - MAX_LISTED} more`);
  lines.push('');
  lines.push(...fixes(report));
  return lines.join('\n') + '\n';
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function roleLabel(f: HookFinding, hook: HookReport['hook']): string {
  const what = f.role === 'template' ? '.env template' : f.role === 'backup' ? '.env backup' : '.env file';
  return `${hook === 'pre-commit' ? 'staged' : 'committed'} ${what}`;
}

function position(f: HookFinding): string {
  const parts: string[] = [];
  if (f.line !== undefined) parts.push(`line ${f.line}`);
  if (f.commit) parts.push(`commit ${f.commit.slice(0, 10)}`);
  return parts.length ? `${parts.join(', ')}: ` : '';
}

function describe(f: HookFinding): string {
  switch (f.type) {
    case 'env-file':
      return `${f.key ?? '?'} holds a secret (${f.kind === undefined ? 'secret' : isKindId(f.kind) ? KINDS[f.kind].name : f.kind})`;
    case 'known-value':
      return `the value of ${f.key ?? '?'} from ${f.source?.file ?? '.env'}${f.source ? ` (line ${f.source.line})` : ''} is about to be committed here`;
    case 'token-format':
      return `a token in ${f.label ?? 'a provider'} format (${f.provider ?? 'token'})${f.severity === 'warning' ? '; not blocking (--block-format-secrets or .rekey.json "hooks": {"blockOnFormat": true} to block)' : ''}`;
    case 'unchecked':
      return `not checked: ${f.reason ?? 'unreadable'}`;
  }
}

/** The exact commands that resolve what was found. */
function fixes(report: HookReport): string[] {
  const out: string[] = ['How to fix:'];
  const errors = report.findings.filter((f) => f.severity === 'error');
  const envFiles = unique(errors.filter((f) => f.type === 'env-file' && f.role !== 'template').map((f) => f.path));
  const templates = unique(errors.filter((f) => f.type === 'env-file' && f.role === 'template').map((f) => f.path));
  const valueFiles = unique(errors.filter((f) => f.type === 'known-value' || f.type === 'token-format').map((f) => f.path));
  const keys = unique(errors.filter((f) => f.key).map((f) => (f.type === 'known-value' && f.source ? `${f.key as string}\0${f.source.file}` : `${f.key as string}\0${f.path}`)));
  const tokenWarnings = report.findings.some((f) => f.type === 'token-format' && f.severity === 'warning');

  if (report.hook === 'pre-commit') {
    for (const p of envFiles) {
      out.push(`  - keep ${p} out of git: git restore --staged ${sh(p)}   then add it to .gitignore: echo ${sh('/' + p)} >> .gitignore`);
    }
    for (const p of templates) {
      out.push(`  - ${p} is a template: replace its real values with placeholders (KEY=changeme), then git add ${sh(p)}`);
    }
    for (const p of valueFiles) {
      out.push(`  - take the secret out of ${p} (read it from the environment at run time instead), then git add ${sh(p)}`);
    }
  } else {
    const commits = unique(errors.map((f) => f.commit).filter((c): c is string => c !== undefined));
    const oldest = commits[0];
    out.push('  - these commits are still only local: take the secret out of them before pushing');
    for (const p of envFiles) out.push(`      git rm --cached ${sh(p)} && echo ${sh('/' + p)} >> .gitignore`);
    if (oldest) {
      out.push(`      git commit --amend                      (when it is the last commit)`);
      out.push(`      git rebase -i ${oldest.slice(0, 10)}~1    (to edit the commit that added it; mark it "edit")`);
    }
  }
  for (const k of keys.slice(0, 10)) {
    const [key, file] = k.split('\0') as [string, string];
    out.push(`  - if ${key} was ever pushed or shared, rotate it: rekey rotate ${sh(key)}${file && file !== '.env' && !file.startsWith('/') ? ` --file ${sh(file)}` : ''}`);
  }
  if (report.findings.some((f) => f.type === 'unchecked')) {
    out.push('  - a .env file that could not be checked is being committed: check it by hand or keep it out of git');
  }
  if (tokenWarnings && !errors.length) {
    out.push('  - if the token is real, take it out of the file and rotate it with its provider');
  }
  const bypass = report.hook === 'pre-commit' ? 'git commit --no-verify' : 'git push --no-verify';
  out.push(`  - if this is deliberate: add a "rekey-ignore" comment on the line (# rekey-ignore in .env files), or skip the hook once with ${bypass}`);
  return out;
}

function unique<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}

/** A word for a POSIX shell: bare when safe, single-quoted otherwise. */
function sh(s: string): string {
  return /^[\w./@%+=:,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** `rekey hook run --format json`: value-free, `"version": 1` first. */
export function hookReportJson(report: HookReport): Record<string, unknown> {
  return {
    version: 1,
    hook: report.hook,
    blocked: report.blocked,
    files: report.files,
    commits: report.commits,
    knownSecrets: report.knownSecrets,
    findings: report.findings.map((f) => ({ ...f })),
    notes: report.notes,
  };
}
