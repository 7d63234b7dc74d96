import * as path from 'node:path';
import type { Document, Node, YAMLMap } from 'yaml';
import { yaml } from '../vendor/lazy';

/*
 * Docker Compose files, read per service: which services receive a key through `environment:`,
 * through an `env_file:` that is the rotated `.env`, or through `${KEY}` interpolation. YAML
 * anchors and `<<` merges are followed, since stacks commonly share one environment block
 * between app and worker.
 */

/** A service of a compose file, with what restart ordering and code attribution need. */
export interface ComposeService {
  name: string;
  /** Absolute path of the compose file. */
  file: string;
  /** Offset of the service's name in the compose file. */
  offset: number;
  image?: string;
  /** `entrypoint` and `command`, joined with spaces. */
  command?: string;
  /** Absolute build context folder and Dockerfile, when the service is built. */
  buildContext?: string;
  dockerfile?: string;
  dependsOn: string[];
  /** Absolute paths of its `env_file:` entries. */
  envFiles: string[];
  /** Absolute host paths it bind-mounts (`./scripts:/scripts`), to tell which service runs a script or crontab. */
  mounts: string[];
}

export type ComposeVia = 'compose-environment' | 'compose-env-file' | 'compose-interpolation' | 'compose-container-shell';

/** One place a compose file hands the key to a service (or interpolates it outside any service). */
export interface ComposeReference {
  offset: number;
  service?: string;
  via: ComposeVia;
  detail: string;
}

export interface ComposeScan {
  services: ComposeService[];
  references: ComposeReference[];
  /** Set when the YAML could not be parsed; references then come from a plain text search. */
  parseError?: string;
}

/** Compose file names: `compose.yaml`, `docker-compose.yml`, `docker-compose.prod.yml`, ... */
export function isComposeFileName(name: string): boolean {
  return /^(docker-)?compose([.-][\w.-]+)?\.ya?ml$/i.test(name);
}

type AnyNode = Node | null | undefined;

function deref(doc: Document, node: unknown): AnyNode {
  let n = node as AnyNode;
  for (let guard = 0; n && yaml().isAlias(n) && guard < 32; guard++) n = n.resolve(doc);
  return n;
}

function scalarString(doc: Document, node: unknown): string | undefined {
  const n = deref(doc, node);
  if (yaml().isScalar(n) && (typeof n.value === 'string' || typeof n.value === 'number')) return String(n.value);
  return undefined;
}

/** A field of a service map, looking through `<<: *anchor` merges (own keys win). */
function field(doc: Document, map: YAMLMap, name: string, depth = 0): AnyNode {
  for (const pair of map.items) {
    if (yaml().isPair(pair) && scalarString(doc, pair.key) === name) return pair.value as AnyNode;
  }
  if (depth > 8) return undefined;
  for (const pair of map.items) {
    if (!yaml().isPair(pair) || scalarString(doc, pair.key) !== '<<') continue;
    const v = deref(doc, pair.value);
    const sources = yaml().isSeq(v) ? v.items.map((i) => deref(doc, i)) : [v];
    for (const s of sources) {
      if (yaml().isMap(s)) {
        const found = field(doc, s, name, depth + 1);
        if (found !== undefined) return found;
      }
    }
  }
  return undefined;
}

function joinCommand(doc: Document, node: AnyNode): string | undefined {
  const n = deref(doc, node);
  if (yaml().isSeq(n)) return n.items.map((i) => scalarString(doc, i) ?? '').join(' ');
  return scalarString(doc, n);
}

/** Text ranges that make up a service, including anchors it pulls in through aliases. */
function serviceRanges(doc: Document, root: AnyNode): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const seen = new Set<unknown>();
  const visit = (node: unknown): void => {
    if (!node || seen.has(node)) return;
    seen.add(node);
    if (yaml().isAlias(node)) {
      const target = node.resolve(doc);
      if (target?.range) out.push([target.range[0], target.range[1]]);
      visit(target);
      return;
    }
    if (yaml().isMap(node) || yaml().isSeq(node)) {
      for (const item of node.items as unknown[]) {
        if (yaml().isPair(item)) {
          visit(item.key);
          visit(item.value);
        } else {
          visit(item);
        }
      }
    }
  };
  const r = (root as Node | undefined)?.range;
  if (r) out.push([r[0], r[1]]);
  visit(root);
  return out;
}

/** Whether the text before `at` on its line makes it a YAML comment. */
function inComment(text: string, at: number): boolean {
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  return /(^|\s)#/.test(text.slice(lineStart, at));
}

/** `${KEY}`-style interpolations of `key` in `text`, with Compose's `$$` escape. */
export function composeInterpolations(text: string, key: string): Array<{ offset: number; escaped: boolean; detail: string }> {
  const out: Array<{ offset: number; escaped: boolean; detail: string }> = [];
  for (let at = text.indexOf(key); at !== -1; at = text.indexOf(key, at + 1)) {
    const after = text[at + key.length];
    if (after !== undefined && /[A-Za-z0-9_]/.test(after)) continue;
    let dollar = at - 1;
    let braced = false;
    if (text[dollar] === '{') {
      braced = true;
      dollar--;
      if (after === undefined || !/[}:\-?+]/.test(after)) continue;
    }
    if (text[dollar] !== '$') continue;
    let count = 0;
    while (text[dollar - count] === '$') count++;
    if (inComment(text, at)) continue;
    const escaped = count % 2 === 0;
    out.push({ offset: at, escaped, detail: escaped ? `$$${braced ? `{${key}}` : key} (read by the container's shell)` : braced ? `\${${key}}` : `$${key}` });
  }
  return out;
}

function within(ranges: Array<[number, number]>, at: number): boolean {
  return ranges.some(([a, b]) => at >= a && at < b);
}

/** A compose file's YAML document, parsed once for every key scanned in it. */
export function parseComposeText(text: string): Document {
  return yaml().parseDocument(text, { uniqueKeys: false, prettyErrors: false });
}

/**
 * Reads a compose file and finds where `key` reaches each service. `envFile` is the absolute path
 * of the `.env` being rotated: an `env_file:` naming it hands every key in it to the service.
 * `doc` is `text` parsed by {@link parseComposeText} (read, never changed), when the caller scans
 * several keys.
 */
export function scanComposeFile(file: string, text: string, key: string, envFile: string, doc: Document = parseComposeText(text)): ComposeScan {
  const dir = path.dirname(file);
  const envAbs = path.resolve(envFile);
  const interpolations = text.includes(key) ? composeInterpolations(text, key) : [];
  const asRef = (i: { offset: number; escaped: boolean; detail: string }, service?: string): ComposeReference => ({
    offset: i.offset,
    ...(service !== undefined ? { service } : {}),
    via: i.escaped ? 'compose-container-shell' : 'compose-interpolation',
    detail: i.detail,
  });
  if (doc.errors.length > 0 || !yaml().isMap(doc.contents)) {
    return {
      services: [],
      references: interpolations.map((i) => asRef(i)),
      ...(doc.errors.length > 0 ? { parseError: `YAML error: ${doc.errors[0]?.code ?? 'invalid'}` } : {}),
    };
  }
  const services: ComposeService[] = [];
  const references: ComposeReference[] = [];
  const claimed = new Set<number>();
  const servicesNode = deref(doc, field(doc, doc.contents, 'services'));
  if (yaml().isMap(servicesNode)) {
    for (const pair of servicesNode.items) {
      const name = scalarString(doc, pair.key);
      const body = deref(doc, pair.value);
      if (name === undefined || !yaml().isMap(body)) continue;
      const keyNode = pair.key as Node;
      const service: ComposeService = { name, file, offset: keyNode.range?.[0] ?? 0, dependsOn: [], envFiles: [], mounts: [] };
      const image = scalarString(doc, field(doc, body, 'image'));
      if (image !== undefined) service.image = image;
      const command = [joinCommand(doc, field(doc, body, 'entrypoint')), joinCommand(doc, field(doc, body, 'command'))].filter(Boolean).join(' ');
      if (command) service.command = command;

      const build = deref(doc, field(doc, body, 'build'));
      if (build !== undefined && build !== null) {
        const ctx = yaml().isMap(build) ? scalarString(doc, field(doc, build, 'context')) ?? '.' : scalarString(doc, build);
        if (ctx !== undefined && !/^[a-z][a-z0-9+.-]*:\/\//i.test(ctx)) {
          service.buildContext = path.resolve(dir, ctx);
          const df = yaml().isMap(build) ? scalarString(doc, field(doc, build, 'dockerfile')) : undefined;
          service.dockerfile = path.resolve(service.buildContext, df ?? 'Dockerfile');
        }
      }

      const deps = deref(doc, field(doc, body, 'depends_on'));
      const depNodes = yaml().isSeq(deps) ? deps.items : yaml().isMap(deps) ? deps.items.map((d) => d.key) : [];
      for (const d of depNodes) {
        const s = scalarString(doc, d);
        if (s !== undefined) service.dependsOn.push(s);
      }

      const volumes = deref(doc, field(doc, body, 'volumes'));
      for (const v of yaml().isSeq(volumes) ? volumes.items : []) {
        const n = deref(doc, v);
        const source = yaml().isMap(n) ? scalarString(doc, field(doc, n, 'source')) : scalarString(doc, n)?.split(':')[0];
        if (source !== undefined && /^(\.|\/|~)/.test(source)) service.mounts.push(path.resolve(dir, source));
      }

      const env = deref(doc, field(doc, body, 'environment'));
      if (yaml().isMap(env)) {
        for (const item of env.items) {
          const k = deref(doc, item.key);
          if (scalarString(doc, k) === key && k?.range) references.push({ offset: k.range[0], service: name, via: 'compose-environment', detail: `environment: ${key}` });
        }
      } else if (yaml().isSeq(env)) {
        for (const item of env.items) {
          const s = scalarString(doc, item);
          const n = deref(doc, item);
          if (s === undefined || !n?.range) continue;
          if (s === key || s.startsWith(`${key}=`)) {
            const at = text.indexOf(key, n.range[0]);
            references.push({ offset: at === -1 ? n.range[0] : at, service: name, via: 'compose-environment', detail: `environment: - ${key}${s === key ? '' : '=…'}` });
          }
        }
      }

      const envFileNode = deref(doc, field(doc, body, 'env_file'));
      const envFileItems = yaml().isSeq(envFileNode) ? envFileNode.items.map((i) => deref(doc, i)) : [envFileNode];
      for (const item of envFileItems) {
        const pathNode = yaml().isMap(item) ? deref(doc, field(doc, item, 'path')) : item;
        const p = scalarString(doc, pathNode);
        if (p === undefined) continue;
        const abs = path.resolve(dir, p);
        service.envFiles.push(abs);
        if (abs === envAbs && pathNode?.range) {
          references.push({ offset: pathNode.range[0], service: name, via: 'compose-env-file', detail: `env_file: ${p}` });
        }
      }

      const ranges = serviceRanges(doc, body);
      for (const i of interpolations) {
        if (!within(ranges, i.offset)) continue;
        claimed.add(i.offset);
        references.push(asRef(i, name));
      }
      services.push(service);
    }
  }
  for (const i of interpolations) if (!claimed.has(i.offset)) references.push(asRef(i));
  return { services, references };
}
