import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Ecosystem } from '../../catalog/sessionFrameworks';
import { lowestInRange } from './versions';

/*
 * Which version of a package a project uses, from the files a package manager writes. Lockfiles
 * give the installed version; manifests only a range, reduced to its lowest version. Each file is
 * read with small, format-specific patterns rather than full parsers: only one package's version
 * is wanted, and a file that does not match simply says nothing.
 */

/** A version found for a package, and where. */
export interface PackageVersion {
  name: string;
  /** Installed version (lockfile) or the lowest the manifest allows. */
  version: string;
  /** `lockfile` when exact, `manifest` when from a range. */
  exactness: 'lockfile' | 'manifest';
  /** Absolute path of the file read. */
  file: string;
  /** The range as written, for manifests. */
  range?: string;
}

const FILES: Record<Ecosystem, Array<{ name: string | RegExp; exactness: 'lockfile' | 'manifest' }>> = {
  npm: [
    { name: 'package-lock.json', exactness: 'lockfile' },
    { name: 'pnpm-lock.yaml', exactness: 'lockfile' },
    { name: 'yarn.lock', exactness: 'lockfile' },
    { name: 'package.json', exactness: 'manifest' },
  ],
  pypi: [
    { name: 'poetry.lock', exactness: 'lockfile' },
    { name: 'uv.lock', exactness: 'lockfile' },
    { name: /^requirements[\w.-]*\.txt$/, exactness: 'manifest' },
    { name: 'pyproject.toml', exactness: 'manifest' },
  ],
  composer: [
    { name: 'composer.lock', exactness: 'lockfile' },
    { name: 'composer.json', exactness: 'manifest' },
  ],
  rubygems: [
    { name: 'Gemfile.lock', exactness: 'lockfile' },
  ],
};

const MAX_BYTES = 8 * 1024 * 1024;

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** The version of `name` in one file's text, by file name. Exported for tests. */
export function versionInText(fileName: string, text: string, name: string): { version: string; range?: string } | undefined {
  const n = escapeRe(name);
  if (fileName === 'package-lock.json') {
    try {
      const j = JSON.parse(text) as { packages?: Record<string, { version?: string }>; dependencies?: Record<string, { version?: string }> };
      const v = j.packages?.[`node_modules/${name}`]?.version ?? j.dependencies?.[name]?.version;
      return v ? { version: v } : undefined;
    } catch {
      return undefined;
    }
  }
  if (fileName === 'package.json' || fileName === 'composer.json') {
    try {
      const j = JSON.parse(text) as Record<string, Record<string, string> | undefined>;
      for (const section of ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies', 'require', 'require-dev']) {
        const range = j[section]?.[name];
        if (typeof range === 'string') {
          const version = lowestInRange(range);
          return version ? { version, range } : undefined;
        }
      }
    } catch {
      return undefined;
    }
    return undefined;
  }
  if (fileName === 'pnpm-lock.yaml') {
    // v9: `  next-auth@5.0.0-beta.25:` / `/next-auth@5.0.0(...)`; v5/v6: `  /next-auth/4.24.7:`.
    const m = new RegExp(String.raw`^\s+['"]?/?${n}[@/](\d[^:('"\s]*)`, 'm').exec(text);
    return m ? { version: m[1] as string } : undefined;
  }
  if (fileName === 'yarn.lock') {
    const m = new RegExp(String.raw`^"?${n}@[^\n]*:\n\s+version:?\s+"?([^"\n]+)"?`, 'm').exec(text);
    return m ? { version: (m[1] as string).trim() } : undefined;
  }
  if (fileName === 'composer.lock') {
    try {
      const j = JSON.parse(text) as { packages?: Array<{ name?: string; version?: string }>; 'packages-dev'?: Array<{ name?: string; version?: string }> };
      const p = [...(j.packages ?? []), ...(j['packages-dev'] ?? [])].find((x) => x.name === name);
      return p?.version ? { version: p.version.replace(/^v/, '') } : undefined;
    } catch {
      return undefined;
    }
  }
  if (fileName === 'Gemfile.lock') {
    const m = new RegExp(String.raw`^ {4}${n} \(([^)\s]+)\)`, 'm').exec(text);
    return m ? { version: m[1] as string } : undefined;
  }
  if (fileName === 'poetry.lock' || fileName === 'uv.lock') {
    const m = new RegExp(String.raw`^name\s*=\s*"${n}"\s*\nversion\s*=\s*"([^"]+)"`, 'mi').exec(text);
    return m ? { version: m[1] as string } : undefined;
  }
  if (/^requirements[\w.-]*\.txt$/.test(fileName)) {
    const m = new RegExp(String.raw`^\s*${n}(?:\[[^\]]*\])?\s*((?:[<>=!~]=?|===)\s*[^#;\n]+)`, 'mi').exec(text);
    if (!m) return undefined;
    const range = (m[1] as string).trim();
    const version = lowestInRange(range);
    return version ? { version, range } : undefined;
  }
  if (fileName === 'pyproject.toml') {
    // PEP 621 `"django>=4.2"` in a list, or Poetry `django = "^4.2"` / `django = { version = "^4.2" }`.
    const pep = new RegExp(String.raw`["']${n}(?:\[[^\]]*\])?\s*((?:[<>=!~]=?|===)[^"';]+)`, 'i').exec(text);
    const poetry = new RegExp(String.raw`^\s*${n}\s*=\s*(?:"([^"]+)"|\{[^}\n]*version\s*=\s*"([^"]+)")`, 'mi').exec(text);
    const range = (pep?.[1] ?? poetry?.[1] ?? poetry?.[2])?.trim();
    if (!range) return undefined;
    const version = lowestInRange(range);
    return version ? { version, range } : undefined;
  }
  return undefined;
}

/** Folders from `start` up to `root` (both included), nearest first. */
function foldersUp(start: string, root: string): string[] {
  const out: string[] = [];
  let dir = path.resolve(start);
  const top = path.resolve(root);
  for (;;) {
    out.push(dir);
    if (dir === top || !dir.startsWith(top)) break;
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return out;
}

/**
 * The version of the first of `names` found in the package files of `ecosystem`, looking in
 * `start` and each folder above it up to `root` (monorepos keep the lockfile at the top).
 * Lockfiles win over manifests in the same folder. Never throws.
 */
export async function findPackageVersion(ecosystem: Ecosystem, names: readonly string[], start: string, root: string): Promise<PackageVersion | undefined> {
  for (const dir of foldersUp(start, root)) {
    let listing: string[];
    try {
      listing = await fs.readdir(dir);
    } catch {
      continue;
    }
    let fromManifest: PackageVersion | undefined;
    for (const spec of FILES[ecosystem]) {
      const matches = listing.filter((f) => (typeof spec.name === 'string' ? f === spec.name : spec.name.test(f))).sort();
      for (const f of matches) {
        const file = path.join(dir, f);
        const st = await fs.stat(file).catch(() => undefined);
        if (!st?.isFile() || st.size > MAX_BYTES) continue;
        const text = await fs.readFile(file, 'utf8').catch(() => '');
        for (const name of names) {
          const found = versionInText(f, text, name);
          if (!found) continue;
          const pv: PackageVersion = { name, version: found.version, exactness: spec.exactness, file, ...(found.range ? { range: found.range } : {}) };
          if (spec.exactness === 'lockfile') return pv;
          fromManifest ??= pv;
        }
      }
    }
    if (fromManifest) return fromManifest;
  }
  return undefined;
}
