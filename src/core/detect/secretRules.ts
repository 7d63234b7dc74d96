import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { KINDS } from '../catalog/kinds';
import type { Finding } from '../findings/finding';
import { registerRules } from '../findings/ruleInfo';
import type { RuleProvider, ScanContext } from '../findings/scanContext';
import { CONFIG_FILE_NAME, configLookup, loadDetectConfig, mergeDetectConfigs } from './config';
import { kindHintsForScan } from './scanKindHints';
import { detectOptionsForScan, secretsForScanFile } from './scanSecrets';
import { detectCommentedSecrets, type CommentedSecret } from './commentedSecrets';
import { detectSecrets } from './detect';
import { PROVIDER_RULES } from './providers';
import type { DetectConfig, DetectedSecret, Evidence } from './types';

registerRules([
  {
    id: 'secret',
    name: 'Secret',
    description: 'An entry that holds a secret, with its kind, confidence and rotation interval: an inventory entry, not a problem.',
    severity: 'info',
    security: true,
  },
  {
    id: 'secret-in-template',
    name: 'SecretInTemplate',
    description: 'A real-looking secret in a template such as .env.example. Templates are committed and shared, so treat the value as leaked: rotate it and put a placeholder in the template.',
    severity: 'warning',
    security: true,
  },
  {
    id: 'secret-in-comment',
    name: 'SecretInComment',
    description: 'A commented-out assignment (`# KEY=value`) whose value is a secret. dotenv ignores the line, but it is committed and shared with the file like any other: delete the line, and rotate the secret if the file was ever committed or shared.',
    severity: 'warning',
    security: true,
  },
  {
    id: 'invalid-config',
    name: 'InvalidRekeyConfig',
    description: 'The workspace file .rekey.json could not be read or has invalid entries; those entries are ignored.',
    severity: 'warning',
  },
]);

const FILE_START = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
const PROVIDER_LABELS = new Map(PROVIDER_RULES.map((r) => [r.id, r.label]));

interface RootConfig {
  dir: string;
  config: DetectConfig;
}

/** One `.rekey.json` per scan root (the folder of a file root), read once per scan. */
async function loadRootConfigs(ctx: ScanContext, findings: Finding[]): Promise<RootConfig[]> {
  const settings = settingsConfig(ctx);
  const dirs = new Set<string>();
  for (const root of ctx.roots) {
    let dir = root;
    try {
      if (!(await fs.stat(root)).isDirectory()) dir = path.dirname(root);
    } catch {
      dir = path.dirname(root);
    }
    dirs.add(dir);
  }
  const out: RootConfig[] = [];
  for (const dir of dirs) {
    const loaded = await loadDetectConfig(dir);
    if (loaded.error) {
      const message = loaded.file ? loaded.error.replace(loaded.file, CONFIG_FILE_NAME) : loaded.error;
      ctx.logger.warn(`secrets: ${loaded.error}`);
      findings.push({ file: loaded.file ?? path.join(dir, CONFIG_FILE_NAME), range: FILE_START, rule: 'invalid-config', severity: 'warning', message: `Partly ignored: ${message}.` });
    }
    out.push({ dir, config: mergeDetectConfigs(loaded.config, settings) });
  }
  // Longest folder first, so a file belongs to the innermost root that contains it.
  return out.sort((a, b) => b.dir.length - a.dir.length);
}

declare module '../findings/scanContext' {
  interface ScanSettings {
    /** Detection settings of the caller (the editor's `rekey.kinds`...), validated; merged here with each root's `.rekey.json`. */
    secrets?: DetectConfig;
  }
}

/** Detection settings passed by the extension (`settings.secrets`), in the `.rekey.json` shape. */
function settingsConfig(ctx: ScanContext): DetectConfig | undefined {
  return ctx.options.settings?.secrets;
}

/** Whether `secretsForScanFile` detects `file` with this config and relative path. */
async function sameAsScanDetection(ctx: ScanContext, file: string, config: DetectConfig, relativePath: string): Promise<boolean> {
  const options = await detectOptionsForScan(ctx, file);
  return (options.relativePath ?? path.basename(file)) === relativePath && JSON.stringify(options.config ?? {}) === JSON.stringify(config);
}

function rootFor(file: string, roots: RootConfig[]): RootConfig | undefined {
  return roots.find((r) => file === r.dir || file.startsWith(r.dir.endsWith(path.sep) ? r.dir : r.dir + path.sep));
}

function lowerFirst(s: string): string {
  return /^[A-Z][a-z]/.test(s) ? s[0]!.toLowerCase() + s.slice(1) : s;
}

function describe(s: DetectedSecret): string {
  const kindName = lowerFirst(KINDS[s.kind].name);
  const label = s.provider ? PROVIDER_LABELS.get(s.provider) : undefined;
  return label ? `${kindName} (${label})` : kindName;
}

/** A detection a reviewer would take for a real value: a token format, a URL credential or a random-looking value. */
function realLooking(s: DetectedSecret): boolean {
  return s.confidence !== 'low' && s.evidence.some((e) => e.source === 'provider' || e.source === 'url' || e.source === 'entropy');
}

/**
 * Text shared by many findings of one scan, made once: a big file's secrets have a few dozen
 * distinct evidence lines and message endings between them, and each finding keeps only the
 * key-specific part of its message.
 */
class SharedText {
  private readonly evidence = new Map<string, Map<string, string>>();
  private readonly tails = new Map<string, string>();

  evidenceLine(e: Evidence): string {
    let bySource = this.evidence.get(e.source);
    if (!bySource) {
      bySource = new Map<string, string>();
      this.evidence.set(e.source, bySource);
    }
    let line = bySource.get(e.detail);
    if (line === undefined) bySource.set(e.detail, (line = `${e.source}: ${e.detail}`));
    return line;
  }

  /** The message after the key's code span. */
  tail(s: DetectedSecret, template: boolean): string {
    const what = describe(s);
    const id = `${template ? 't' : 's'}\0${what}\0${s.confidence}\0${s.intervalDays}`;
    let tail = this.tails.get(id);
    if (tail === undefined) {
      tail = template
        ? `: a real-looking ${what} in a template; templates are shared, so rotate it and replace it with a placeholder`
        : `: ${what} (${s.confidence} confidence, rotate every ${s.intervalDays} days)`;
      this.tails.set(id, tail);
    }
    return tail;
  }
}

function finding(file: string, s: DetectedSecret, template: boolean, shared: SharedText): Finding {
  const f: Finding = {
    file,
    range: s.entry.keyRange,
    key: s.entry.key,
    rule: template ? 'secret-in-template' : 'secret',
    severity: template ? 'warning' : 'info',
    message: `\`${s.entry.key}\`${shared.tail(s, template)}`,
    kind: s.kind,
    confidence: s.confidence,
    intervalDays: s.intervalDays,
    data: { evidence: s.evidence.map((e) => shared.evidenceLine(e)) },
  };
  if (s.provider) f.data = { provider: s.provider, ...f.data };
  return f;
}

function commentFinding(file: string, c: CommentedSecret): Finding {
  const label = c.provider ? PROVIDER_LABELS.get(c.provider) : undefined;
  const what = label ? `${lowerFirst(KINDS[c.kind].name)} (${label})` : lowerFirst(KINDS[c.kind].name);
  const f: Finding = {
    file,
    range: c.keyRange,
    key: c.key,
    rule: 'secret-in-comment',
    severity: 'warning',
    message: `\`${c.key}\` (commented out): a ${what} in a comment; comments are committed with the file, so delete the line and rotate the secret if it was shared`,
    kind: c.kind,
    confidence: c.confidence,
    data: { evidence: c.evidence.map((e) => `${e.source}: ${e.detail}`) },
  };
  if (c.provider) f.data = { provider: c.provider, ...f.data };
  return f;
}

/**
 * One finding per detected, unsuppressed secret: rule `secret` (info) in `.env` files and
 * backups, `secret-in-template` (warning) for real-looking values in templates,
 * `secret-in-comment` (warning) for secrets in commented-out assignments (low confidence ones
 * are masked in the editor but not reported). Reads the
 * workspace `.rekey.json` of each scan root once.
 */
export const secretRules: RuleProvider = {
  id: 'secrets',
  async run(ctx) {
    const findings: Finding[] = [];
    const roots = await loadRootConfigs(ctx, findings);
    // The same code-derived kinds (a key handed to an auth library's secret option) the backup
    // and age rules use, so every finding about a key names the same kind. Memoised per scan.
    const kindHints = await kindHintsForScan(ctx);
    const shared = new SharedText();
    for (const file of ctx.files) {
      ctx.signal?.throwIfAborted();
      if (!file.parsed || file.text === undefined) continue;
      const root = rootFor(file.path, roots);
      const relativePath = root ? path.relative(root.dir, file.path).split(path.sep).join('/') : path.basename(file.path);
      const config = root?.config ?? {};
      // The scan's own detection of the file (shared with the age and backup rules, and cached
      // by the editor's fast pass) when it ran with the same options; detect here otherwise.
      const secrets = (await sameAsScanDetection(ctx, file.path, config, relativePath))
        ? await secretsForScanFile(ctx, file)
        : detectSecrets(file.parsed, file.text, { config, relativePath, kindHints });
      const template = file.role === 'template';
      for (const s of secrets) {
        if (s.suppressed) continue;
        if (template && !realLooking(s)) continue;
        findings.push(finding(file.path, s, template, shared));
      }
      const notSecret = root?.config.notSecret ?? [];
      for (const c of detectCommentedSecrets(file.text)) {
        if (c.confidence === 'low' || configLookup(notSecret, relativePath, c.key) !== undefined) continue;
        findings.push(commentFinding(file.path, c));
      }
    }
    return findings;
  },
};
