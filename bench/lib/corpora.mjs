// Inputs of `npm run bench`, made once into bench/.cache/ (git-ignored) and reused: each folder's
// name holds what it was made from (generator arguments, a hash of the generator), and a marker
// file written last tells a complete corpus from an interrupted one.
import { createHash } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

const DONE = '.rekey-bench-complete';

/** A git process for the bench's own corpora: no hooks, no config from the user. */
function git(cwd, args, input) {
  return execFileSync('git', ['-c', 'core.hooksPath=/dev/null', '-c', 'user.name=bench', '-c', 'user.email=bench@example.com', '-c', 'commit.gpgsign=false', ...args], {
    cwd,
    input,
    stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' },
  }).toString();
}

export class Corpora {
  /** @param {string} root the repository root; @param {(msg: string) => void} log */
  constructor(root, log) {
    this.root = root;
    this.log = log;
    this.cache = path.join(root, 'bench', '.cache');
    mkdirSync(this.cache, { recursive: true });
    this.tools = process.env.REKEY_BENCH_TOOLS ? path.resolve(process.env.REKEY_BENCH_TOOLS) : path.resolve(root, '..', 'shared', 'tools');
  }

  /** A generator of ../shared/tools, or a clear error naming where it was looked for. */
  tool(name) {
    const file = path.join(this.tools, name);
    if (!existsSync(file)) {
      throw new Error(`bench: ${name} not found in ${this.tools} (the corpus generators live in ../shared/tools next to the repository; set REKEY_BENCH_TOOLS to another folder)`);
    }
    return file;
  }

  toolHash(name) {
    return createHash('sha256').update(readFileSync(this.tool(name))).digest('hex').slice(0, 8);
  }

  /** Makes `dir` with `make(dir)` unless a complete copy is cached. */
  once(name, make) {
    const dir = path.join(this.cache, name);
    if (existsSync(path.join(dir, DONE))) return dir;
    rmSync(dir, { recursive: true, force: true });
    this.log(`making ${name} (cached in bench/.cache for later runs)…`);
    const t0 = Date.now();
    make(dir);
    writeFileSync(path.join(dir, DONE), new Date().toISOString() + '\n');
    this.log(`  done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    return dir;
  }

  /** A synthetic history of `commits` commits from gen-synth-history.mjs (its defaults otherwise). */
  synthHistory(commits) {
    const gen = this.tool('gen-synth-history.mjs');
    return this.once(`synth-${commits}-seed42-${this.toolHash('gen-synth-history.mjs')}`, (dir) => {
      const r = spawnSync(process.execPath, [gen, dir, '--commits', String(commits), '--seed', '42'], { stdio: ['ignore', 'inherit', 'inherit'] });
      if (r.status !== 0) throw new Error(`bench: gen-synth-history.mjs failed for ${commits} commits`);
      // The marker must not show up as an untracked file next to the corpus' .env files.
      writeFileSync(path.join(dir, '.git', 'info', 'exclude'), `${DONE}\n`, { flag: 'a' });
    });
  }

  /** A clone of this repository (every branch, as remote-tracking refs), at its current HEAD. */
  ownHistory() {
    const head = git(this.root, ['rev-parse', 'HEAD']).trim().slice(0, 12);
    for (const old of readdirSync(this.cache).filter((n) => n.startsWith('rekey-repo-') && n !== `rekey-repo-${head}`)) {
      rmSync(path.join(this.cache, old), { recursive: true, force: true });
    }
    return this.once(`rekey-repo-${head}`, (dir) => {
      git(this.cache, ['clone', '--quiet', '--no-local', this.root, dir]);
      writeFileSync(path.join(dir, '.git', 'info', 'exclude'), `${DONE}\n`, { flag: 'a' });
    });
  }

  /**
   * A tree of `files` files in `packages` packages, committed to git, with an ignored `.env` per
   * package (secret-shaped values made here, at run time) and source files that read its keys.
   */
  workspace(name, { files, packages, envPerPackage, rootEnv }) {
    return this.once(`${name}-${files}-${packages}-v1`, (dir) => {
      mkdirSync(dir, { recursive: true });
      const rnd = prng(7);
      const perPackage = Math.floor(files / packages) - (envPerPackage ? 1 : 0);
      const keys = ['DATABASE_URL', 'SESSION_SECRET', 'STRIPE_SECRET_KEY', 'GITHUB_TOKEN', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'REDIS_PASSWORD', 'SMTP_PASSWORD', 'JWT_SECRET', 'API_TOKEN'];
      writeFileSync(path.join(dir, '.gitignore'), '.env\n.env.*\n!.env.example\nnode_modules/\n' + DONE + '\n');
      writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name, private: true }, null, 2) + '\n');
      if (rootEnv) writeFileSync(path.join(dir, '.env'), envText(rnd, keys));
      for (let p = 0; p < packages; p++) {
        const pkg = path.join(dir, 'packages', `p${String(p).padStart(3, '0')}`);
        mkdirSync(path.join(pkg, 'src'), { recursive: true });
        if (envPerPackage) writeFileSync(path.join(pkg, '.env'), envText(rnd, keys));
        for (let f = 0; f < perPackage; f++) {
          const key = keys[Math.floor(rnd() * keys.length)];
          const reads = rnd() < 0.05 ? `export const setting = process.env.${key};\n` : '';
          writeFileSync(path.join(pkg, 'src', `m${f}.ts`), `// module ${p}/${f}\n${reads}${filler(rnd)}`);
        }
      }
      git(dir, ['init', '-q', '-b', 'main']);
      git(dir, ['add', '-A']);
      git(dir, ['commit', '-q', '-m', 'workspace']);
    });
  }

  /** A repository whose index holds one staged `.env` (a pre-commit hook's input). */
  hookRepo() {
    return this.once('hook-repo-v1', (dir) => {
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, 'README.md'), '# app\n');
      writeFileSync(path.join(dir, 'index.js'), 'console.log(process.env.SESSION_SECRET);\n');
      git(dir, ['init', '-q', '-b', 'main']);
      git(dir, ['add', '-A']);
      git(dir, ['commit', '-q', '-m', 'app']);
      writeFileSync(path.join(dir, '.env'), envText(prng(11), ['SESSION_SECRET', 'DATABASE_URL', 'STRIPE_SECRET_KEY']));
      git(dir, ['add', '.env']);
      writeFileSync(path.join(dir, '.git', 'info', 'exclude'), `${DONE}\n`, { flag: 'a' });
    });
  }

  /** `.env` files from mk-big-env.mjs: `{ keys }` keys, or the largest at most `{ maxBytes }`. */
  bigEnv({ keys, maxBytes }) {
    const gen = this.tool('mk-big-env.mjs');
    const name = keys ? `${keys}-keys` : `max-${maxBytes}-bytes`;
    const dir = this.once(`big-env-${name}-${this.toolHash('mk-big-env.mjs')}`, (d) => {
      mkdirSync(d, { recursive: true });
      const out = path.join(d, '.env');
      const make = (n) => {
        const r = spawnSync(process.execPath, [gen, out, String(n)], { stdio: 'inherit' });
        if (r.status !== 0) throw new Error('bench: mk-big-env.mjs failed');
        return statSync(out).size;
      };
      if (keys) {
        make(keys);
        return;
      }
      // The generator is deterministic: find the key count whose file fits under maxBytes.
      let lo = 1;
      let hi = 1;
      while (make(hi) <= maxBytes) {
        lo = hi;
        hi *= 2;
      }
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2);
        if (make(mid) <= maxBytes) lo = mid;
        else hi = mid;
      }
      make(lo);
    });
    return path.join(dir, '.env');
  }
}

/** mulberry32: the same corpus on every machine. */
function prng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const B62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
function rs(rnd, n, alphabet = B62) {
  let o = '';
  for (let i = 0; i < n; i++) o += alphabet[Math.floor(rnd() * alphabet.length)];
  return o;
}

/** Secret-shaped values built from parts, so this file holds none. */
function envText(rnd, keys) {
  const value = {
    DATABASE_URL: () => `postgres://app:${rs(rnd, 20)}@db.internal:5432/app`,
    SESSION_SECRET: () => rs(rnd, 48),
    STRIPE_SECRET_KEY: () => ['sk', 'live', rs(rnd, 24)].join('_'),
    GITHUB_TOKEN: () => ['gh', 'p_'].join('') + rs(rnd, 36),
    AWS_ACCESS_KEY_ID: () => 'AK' + 'IA' + rs(rnd, 16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'),
    AWS_SECRET_ACCESS_KEY: () => rs(rnd, 40, B62 + '+/'),
    REDIS_PASSWORD: () => rs(rnd, 24),
    SMTP_PASSWORD: () => rs(rnd, 16),
    JWT_SECRET: () => rs(rnd, 64, '0123456789abcdef'),
    API_TOKEN: () => rs(rnd, 32),
  };
  const lines = ['# app settings', 'NODE_ENV=production', 'PORT=3000', 'LOG_LEVEL=info'];
  for (const k of keys) lines.push(`${k}=${(value[k] ?? (() => rs(rnd, 24)))()}`);
  for (let i = 0; i < 6; i++) lines.push(`FEATURE_${i}=${rnd() < 0.5 ? 'true' : 'false'}`);
  return lines.join('\n') + '\n';
}

function filler(rnd) {
  const n = 20 + Math.floor(rnd() * 40);
  const out = [];
  for (let i = 0; i < n; i++) out.push(`export function f${i}(x: number): number { return x * ${Math.floor(rnd() * 1000)} + ${i}; }`);
  return out.join('\n') + '\n';
}
