import * as path from 'node:path';
import { frameworkForConsumer, sessionFramework, type SessionFramework } from '../../catalog/sessionFrameworks';
import { findPackageVersion, type PackageVersion } from './manifests';

/*
 * Which session framework signs with a key, and which version of it the project uses. The
 * consumer scan says which library the code hands the key to; frameworks that read their secret
 * from the environment themselves (Auth.js's AUTH_SECRET, Laravel's APP_KEY, Flask's prefixed
 * env) leave no such trace in code, so the key's name plus the package in the manifest decides.
 */

/** Code that hands the key to a library (the consumer scan's `authUses`). */
export interface FrameworkUse {
  key: string;
  /** Absolute path. */
  file: string;
  /** 0-based line. */
  line: number;
  library: string;
}

export interface DetectedFramework {
  framework: SessionFramework;
  /** Version and the file it came from, when a manifest or lockfile names the package. */
  version?: PackageVersion;
  /** The code use that named the library, when there is one. */
  use?: FrameworkUse;
  /** Value-free: why this framework (`next-auth in package.json`, `src/app.ts:12 passes it to express-session`). */
  evidence: string;
}

/** Keys a framework reads from the environment by itself, without a trace in code. */
const ENV_NATIVE: Array<{ key: RegExp; id: SessionFramework['id'] }> = [
  { key: /^AUTH_SECRET$/, id: 'authjs' },
  { key: /^BETTER_AUTH_SECRET$/, id: 'better-auth' },
  { key: /^APP_KEY$/, id: 'laravel' },
  { key: /^FLASK_SECRET_KEY$/, id: 'flask' },
  { key: /^(DJANGO_)?SECRET_KEY$/, id: 'django' },
  { key: /^SECRET_KEY_BASE$/, id: 'rails' },
];

function rel(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join('/') || path.basename(file);
}

/**
 * The framework that signs sessions with `key`, from the code uses found for it and the package
 * files between `envFile`'s folder and `root`. Undefined when nothing points at a framework in
 * the table. Never throws.
 */
export async function detectSessionFramework(key: string, uses: readonly FrameworkUse[], envFile: string, root: string): Promise<DetectedFramework | undefined> {
  const start = path.dirname(envFile);
  const use = uses.find((u) => u.key === key && frameworkForConsumer(u.library) !== undefined);
  if (use) {
    let framework = frameworkForConsumer(use.library) as SessionFramework;
    const useDir = path.dirname(use.file);
    // `SECRET_KEY = os.environ[...]` reads the same in Django and Flask settings: the manifest decides.
    if (use.library === 'Django/Flask') {
      const django = await findPackageVersion('pypi', ['django'], useDir, root);
      const flask = django ? undefined : await findPackageVersion('pypi', ['flask'], useDir, root);
      framework = sessionFramework(flask ? 'flask' : 'django');
    }
    const version = await findPackageVersion(framework.ecosystem, framework.packages, useDir, root) ?? await findPackageVersion(framework.ecosystem, framework.packages, start, root);
    return { framework, ...(version ? { version } : {}), use, evidence: `${rel(root, use.file)}:${use.line + 1} hands ${key} to ${use.library}` };
  }
  for (const native of ENV_NATIVE) {
    if (!native.key.test(key)) continue;
    const framework = sessionFramework(native.id);
    const version = await findPackageVersion(framework.ecosystem, framework.packages, start, root);
    if (!version) continue;
    return { framework, version, evidence: `${framework.name} reads ${key} from the environment (${version.name} in ${rel(root, version.file)})` };
  }
  return undefined;
}
