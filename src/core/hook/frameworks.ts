import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Document, YAMLSeq } from 'yaml';
import { yaml } from '../vendor/lazy';
import { writeFileAtomic } from '../fs/atomicWrite';
import type { HookName } from './report';

/*
 * Hook managers that own a repository's hooks. rekey does not fight them (husky points
 * `core.hooksPath` at its own folder, lefthook and the pre-commit framework rewrite
 * `.git/hooks/*` on install): it gives each the snippet it expects, and with `--write` adds it to
 * their configuration, where `uninstall` takes it out again.
 */

export type FrameworkId = 'husky' | 'lefthook' | 'pre-commit';

export interface DetectedFramework {
  id: FrameworkId;
  /** The configuration rekey's snippet goes into: `.husky/` (a folder) or the YAML file. */
  config: string;
  /** husky 9 puts `node_modules/.bin` on PATH; older husky needs `npx`. */
  huskyModern?: boolean;
}

const LEFTHOOK_FILES = ['lefthook.yml', '.lefthook.yml', 'lefthook.yaml', '.lefthook.yaml', '.config/lefthook.yml', '.config/lefthook.yaml'];
const PRE_COMMIT_FILE = '.pre-commit-config.yaml';

/** The command a hook manager runs; `npx --no-install` finds a project-local rekey without fetching one. */
export function frameworkCommand(fw: DetectedFramework, hook: HookName): string {
  const base = fw.id === 'husky' && fw.huskyModern ? 'rekey' : 'npx --no-install rekey';
  if (hook === 'pre-commit') return `${base} hook run pre-commit`;
  if (fw.id === 'husky') return `${base} hook run pre-push "$@"`;
  if (fw.id === 'lefthook') return `${base} hook run pre-push {1}`;
  return `${base} hook run pre-push`;
}

/** Hook managers configured in the repository at `root`. */
export async function detectFrameworks(root: string, hooksPath: string | undefined): Promise<DetectedFramework[]> {
  const out: DetectedFramework[] = [];
  const husky = path.join(root, '.husky');
  const huskyActive = hooksPath !== undefined && /(^|[\\/])\.husky([\\/]_)?[\\/]?$/.test(hooksPath);
  if ((await isDir(husky)) || huskyActive) {
    out.push({ id: 'husky', config: husky, huskyModern: (await exists(path.join(husky, '_', 'h'))) || hooksPath?.replace(/\\/g, '/').replace(/\/$/, '').endsWith('.husky/_') === true });
  }
  for (const name of LEFTHOOK_FILES) {
    const f = path.join(root, name);
    if (await exists(f)) {
      out.push({ id: 'lefthook', config: f });
      break;
    }
  }
  const pc = path.join(root, PRE_COMMIT_FILE);
  if (await exists(pc)) out.push({ id: 'pre-commit', config: pc });
  return out;
}

/** The text to add to the framework's configuration for `hooks`. */
export function frameworkSnippet(fw: DetectedFramework, hooks: HookName[]): string {
  if (fw.id === 'husky') {
    return hooks.map((h) => `# ${path.join('.husky', h)}\n${huskyBlock(fw, h)}`).join('\n');
  }
  if (fw.id === 'lefthook') {
    return hooks
      .map((h) => [
        `${h}:`,
        '  commands:',
        '    rekey:',
        `      run: ${frameworkCommand(fw, h)}`,
        ...(h === 'pre-push' ? ['      use_stdin: true'] : []),
      ].join('\n'))
      .join('\n') + '\n';
  }
  return [
    'repos:',
    '  - repo: local',
    '    hooks:',
    ...hooks.flatMap((h) => preCommitHook(fw, h).map((l, i) => (i === 0 ? `      - ${l}` : `        ${l}`))),
  ].join('\n') + '\n';
}

/** Whether the framework's configuration already runs rekey for `hook`. */
export async function frameworkHasHook(fw: DetectedFramework, hook: HookName): Promise<boolean> {
  const file = fw.id === 'husky' ? path.join(fw.config, hook) : fw.config;
  const text = await fs.readFile(file, 'utf8').catch(() => '');
  if (text.includes(`rekey hook run ${hook}`)) return true;
  // The pre-commit framework can also use rekey's own `.pre-commit-hooks.yaml` ids.
  return fw.id === 'pre-commit' && new RegExp(`id:\\s*${hook === 'pre-commit' ? 'rekey' : 'rekey-pre-push'}\\s*$`, 'm').test(text);
}

/** Adds rekey to the framework's configuration; returns whether anything changed. */
export async function writeFrameworkHook(fw: DetectedFramework, hook: HookName): Promise<boolean> {
  if (await frameworkHasHook(fw, hook)) return false;
  if (fw.id === 'husky') {
    const file = path.join(fw.config, hook);
    const before = await fs.readFile(file, 'utf8').catch(() => undefined);
    let text: string;
    if (before === undefined) text = (fw.huskyModern ? '' : HUSKY_LEGACY_HEADER) + huskyBlock(fw, hook);
    else text = before + (before === '' || before.endsWith('\n') ? '' : '\n') + huskyBlock(fw, hook);
    await fs.mkdir(fw.config, { recursive: true });
    await writeFileAtomic(file, text, { mode: before === undefined ? 0o755 : undefined });
    return true;
  }
  const doc = await readYaml(fw.config);
  if (fw.id === 'lefthook') {
    const command = new (yaml().YAMLMap)<string, unknown>();
    command.set('run', frameworkCommand(fw, hook));
    if (hook === 'pre-push') command.set('use_stdin', true);
    const section = doc.get(hook, true);
    const jobs = yaml().isMap(section) ? section.get('jobs', true) : undefined;
    if (yaml().isSeq(jobs)) {
      const job = new (yaml().YAMLMap)<string, unknown>();
      job.set('name', 'rekey');
      for (const [k, v] of [['run', command.get('run')], ['use_stdin', command.get('use_stdin')]] as const) if (v !== undefined) job.set(k, v);
      jobs.add(job);
    } else {
      doc.setIn([hook, 'commands', 'rekey'], command);
    }
  } else {
    let repos = doc.get('repos', true);
    if (!yaml().isSeq(repos)) {
      repos = new (yaml().YAMLSeq)();
      doc.set('repos', repos);
    }
    const h = new (yaml().YAMLMap)<string, unknown>();
    for (const line of preCommitHook(fw, hook)) {
      const i = line.indexOf(': ');
      const key = line.slice(0, i);
      const value = line.slice(i + 2);
      h.set(key, key === 'stages' ? doc.createNode([hook]) : value === 'false' ? false : value === 'true' ? true : value);
    }
    // Join an existing `repo: local` entry rather than adding a second one.
    const local = (repos as YAMLSeq).items.find((r) => yaml().isMap(r) && r.get('repo') === 'local' && yaml().isSeq(r.get('hooks', true)));
    const localHooks = yaml().isMap(local) ? local.get('hooks', true) : undefined;
    if (yaml().isSeq(localHooks)) {
      localHooks.add(h);
    } else {
      const entry = new (yaml().YAMLMap)<string, unknown>();
      entry.set('repo', 'local');
      const hooks = new (yaml().YAMLSeq)();
      hooks.add(h);
      entry.set('hooks', hooks);
      (repos as YAMLSeq).add(entry);
    }
  }
  await writeFileAtomic(fw.config, doc.toString());
  return true;
}

/** Takes rekey out of the framework's configuration; returns whether anything changed. */
export async function removeFrameworkHook(fw: DetectedFramework, hook: HookName): Promise<boolean> {
  if (fw.id === 'husky') {
    const file = path.join(fw.config, hook);
    const before = await fs.readFile(file, 'utf8').catch(() => undefined);
    if (before === undefined) return false;
    const block = huskyBlock(fw, hook);
    const other = huskyBlock({ ...fw, huskyModern: !fw.huskyModern }, hook);
    const used = before.includes(block) ? block : before.includes(other) ? other : undefined;
    if (!used) return false;
    const after = before.replace(used, '');
    if (after.trim() === '' || after === HUSKY_LEGACY_HEADER) await fs.unlink(file);
    else await writeFileAtomic(file, after);
    return true;
  }
  if (!(await exists(fw.config))) return false;
  const doc = await readYaml(fw.config);
  let changed = false;
  if (fw.id === 'lefthook') {
    const section = doc.get(hook, true);
    if (yaml().isMap(section)) {
      const commands = section.get('commands', true);
      if (yaml().isMap(commands) && commands.has('rekey')) {
        commands.delete('rekey');
        if (commands.items.length === 0) section.delete('commands');
        changed = true;
      }
      const jobs = section.get('jobs', true);
      if (yaml().isSeq(jobs)) {
        const keep = jobs.items.filter((j) => !(yaml().isMap(j) && j.get('name') === 'rekey'));
        if (keep.length !== jobs.items.length) {
          jobs.items = keep;
          changed = true;
        }
      }
      if (section.items.length === 0) doc.delete(hook);
    }
  } else {
    const repos = doc.get('repos', true);
    const id = hook === 'pre-commit' ? 'rekey' : 'rekey-pre-push';
    if (yaml().isSeq(repos)) {
      for (const repo of [...repos.items]) {
        if (!yaml().isMap(repo)) continue;
        const hooks = repo.get('hooks', true);
        if (!yaml().isSeq(hooks)) continue;
        const keep = hooks.items.filter((h) => !(yaml().isMap(h) && h.get('id') === id && isRekeyEntry(h.get('entry'))));
        if (keep.length === hooks.items.length) continue;
        hooks.items = keep;
        changed = true;
        if (keep.length === 0 && repo.get('repo') === 'local') repos.items = repos.items.filter((r) => r !== repo);
      }
    }
  }
  if (changed) await writeFileAtomic(fw.config, doc.toString());
  return changed;
}

function isRekeyEntry(entry: unknown): boolean {
  return typeof entry === 'string' && entry.includes('rekey hook run');
}

const HUSKY_LEGACY_HEADER = '#!/usr/bin/env sh\n. "$(dirname -- "$0")/_/husky.sh"\n\n';

function huskyBlock(fw: DetectedFramework, hook: HookName): string {
  return `# rekey: stop .env secrets (\`rekey hook uninstall\` removes these two lines)\n${frameworkCommand(fw, hook)}\n`;
}

function preCommitHook(fw: DetectedFramework, hook: HookName): string[] {
  return [
    `id: ${hook === 'pre-commit' ? 'rekey' : 'rekey-pre-push'}`,
    `name: rekey (.env secrets, ${hook})`,
    `entry: ${frameworkCommand(fw, hook)}`,
    'language: system',
    'pass_filenames: false',
    'always_run: true',
    `stages: [${hook}]`,
  ];
}

async function readYaml(file: string): Promise<Document> {
  const text = await fs.readFile(file, 'utf8').catch(() => '');
  const doc = yaml().parseDocument(text);
  if (doc.errors.length) throw new Error(`${file} is not valid YAML (${doc.errors[0]?.code ?? 'parse error'}); add the snippet by hand`);
  if (doc.contents === null) doc.contents = doc.createNode({}) as unknown as typeof doc.contents;
  return doc;
}

async function exists(p: string): Promise<boolean> {
  return fs.stat(p).then(() => true, () => false);
}

async function isDir(p: string): Promise<boolean> {
  return fs.stat(p).then((s) => s.isDirectory(), () => false);
}
