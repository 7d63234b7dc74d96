import { statSync } from 'node:fs';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { CatFileBatch } from '../git/catFileBatch';
import { GitCommandError, NotARepositoryError } from '../git/gitErrors';
import type { GitStream } from '../git/gitRunner';
import { runGitCommand, spawnGitStream } from '../git/gitStream';

/*
 * The git runner for code that git itself started (the hooks).
 *
 * `GitRunner` removes every `GIT_*` variable from its children's environment, so a stray
 * `GIT_DIR` cannot redirect a scan. Inside a hook that is exactly wrong: `git commit -a` and
 * `git commit <path>` build the snapshot being committed in a temporary index and name it in
 * `GIT_INDEX_FILE` (`.git/index.lock`, `.git/next-index-*.lock`); reading `.git/index` instead
 * would check the wrong content and let `git commit -a` through unchecked. A linked worktree or
 * `git --git-dir=... commit` likewise passes `GIT_DIR` / `GIT_WORK_TREE`. This runner keeps those
 * few variables (made absolute) and otherwise starts git through the same spawn point as
 * `GitRunner` (`gitStream.ts`), with the same overrides and environment (`safeConfig.ts`).
 *
 * It also stays off the hook's critical path costs: no `git --version` probe; every command is
 * one `spawn`.
 */

/** Variables git sets (or a user set) that name the repository and snapshot a hook must read. */
export const HOOK_GIT_VARIABLES = ['GIT_INDEX_FILE', 'GIT_DIR', 'GIT_WORK_TREE', 'GIT_COMMON_DIR', 'GIT_OBJECT_DIRECTORY', 'GIT_ALTERNATE_OBJECT_DIRECTORIES'] as const;

/** Variables whose value is a list of paths (kept as is apart from resolving each entry). */
const PATH_LISTS = new Set<string>(['GIT_ALTERNATE_OBJECT_DIRECTORIES']);

/** Configuration that pins the diff output the hook parses, whatever the user's settings. */
const DIFF_CONFIG = ['diff.relative=false', 'diff.noprefix=false', 'diff.mnemonicPrefix=false', 'diff.interHunkContext=0', 'diff.suppressBlankEmpty=false'];

export interface HookGitOptions {
  /** Folder git runs in (the hook's working directory: the top of the work tree). */
  cwd: string;
  /** Environment to start from (default `process.env`); see {@link HOOK_GIT_VARIABLES}. */
  env?: NodeJS.ProcessEnv;
  /** git executable (default `git`). */
  binary?: string;
  signal?: AbortSignal;
}

/** What git says about the repository a hook runs in. */
export interface HookRepository {
  /** Absolute top of the work tree; the git dir for a bare repository. */
  root: string;
  gitDir: string;
  bare: boolean;
}

/**
 * Runs git the way a hook needs it: the hook's index and git dir, read-only commands, the
 * overrides of `safeConfig.ts`. Structurally compatible with the parts of `GitRunner` the hook
 * checks use (`run`, `stream`, `catFile`), so tests may pass either.
 */
export class HookGit {
  readonly cwd: string;
  private readonly env: NodeJS.ProcessEnv;
  /** The hook's own `GIT_*` variables, made absolute, kept for every child. */
  private readonly gitVariables: Record<string, string>;
  private readonly binary: string;
  private readonly signal?: AbortSignal;
  /** Commands started before they were asked for (see {@link startEarly}), by folder and argv; shared with {@link at}. */
  private readonly early = new Map<string, { stream?: GitStream; output?: Promise<string> }>();

  constructor(options: HookGitOptions) {
    this.cwd = path.resolve(options.cwd);
    const base = options.env ?? process.env;
    const kept: Record<string, string> = {};
    for (const name of HOOK_GIT_VARIABLES) {
      const v = base[name];
      if (v === undefined || v === '') continue;
      kept[name] = PATH_LISTS.has(name)
        ? v.split(path.delimiter).map((p) => (p ? path.resolve(this.cwd, p) : p)).join(path.delimiter)
        : path.resolve(this.cwd, v);
    }
    // Frozen snapshots: every git this runner starts gets the same environment, computed once
    // (gitEnvironment keeps the result for frozen input).
    this.env = Object.freeze({ ...base });
    this.gitVariables = Object.freeze(kept);
    this.binary = options.binary ?? 'git';
    this.signal = options.signal;
  }

  /** A runner for another folder of the same repository, with the same environment. */
  at(dir: string): HookGit {
    const other = Object.create(HookGit.prototype) as HookGit;
    Object.assign(other, this, { cwd: path.resolve(dir) });
    return other;
  }

  /** Whether the hook was given its own index (`git commit -a`, `git commit <path>`). */
  get indexFile(): string | undefined {
    return this.gitVariables.GIT_INDEX_FILE;
  }

  /**
   * The repository's root and git dir.
   * @throws NotARepositoryError, GitNotFoundError
   */
  async repository(): Promise<HookRepository> {
    let out: string;
    try {
      out = await this.run(['rev-parse', '--is-bare-repository', '--is-inside-work-tree', '--absolute-git-dir', '--show-cdup']);
    } catch (err) {
      if (err instanceof GitCommandError) throw new NotARepositoryError(this.cwd, /not a git repository/i.test(err.stderrLine) ? undefined : err.stderrLine.replace(/^fatal:\s*/, ''));
      throw err;
    }
    const [bareLine, inside, gitDir = '', cdup = ''] = out.split('\n');
    const bare = bareLine === 'true';
    if (!bare && inside !== 'true') throw new NotARepositoryError(this.cwd, 'inside a git dir, not a work tree');
    return { root: bare ? path.resolve(gitDir) : path.resolve(this.cwd, cdup), gitDir: path.resolve(gitDir), bare };
  }

  /**
   * The repository without asking git, when the folder is plainly the top of an ordinary work
   * tree: it holds a `.git` folder and nothing (`GIT_DIR`, `GIT_WORK_TREE`) points git
   * elsewhere. That is where git runs a pre-commit hook of a repository that is not a linked
   * worktree, so the hook saves a `rev-parse`. Otherwise `undefined`: ask {@link repository}.
   */
  plainWorkTree(): HookRepository | undefined {
    if (this.gitVariables.GIT_DIR !== undefined || this.gitVariables.GIT_WORK_TREE !== undefined) return undefined;
    const gitDir = path.join(this.cwd, '.git');
    try {
      if (!statSync(gitDir).isDirectory()) return undefined;
    } catch {
      return undefined;
    }
    return { root: this.cwd, gitDir, bare: false };
  }

  /**
   * Starts commands now that a check will ask for later with the same arguments and no options
   * (`run` for `runs`, `stream` for `streams`), so git works while the caller loads and sets up
   * the rest. A stream's output is buffered from the start: Node discards what a child wrote
   * when it exits with nobody reading. Every early stream must then be asked for, or killed.
   */
  startEarly(commands: { streams?: string[][]; runs?: string[][] }): void {
    for (const args of commands.streams ?? []) {
      const s = spawnGitStream(args, this.spawnOptions());
      this.early.set(this.earlyKey(args), { stream: { ...s, stdout: s.stdout.pipe(new PassThrough({ highWaterMark: 1 << 20 })) } });
    }
    for (const args of commands.runs ?? []) {
      const output = runGitCommand(args, this.spawnOptions());
      output.catch(() => undefined);
      this.early.set(this.earlyKey(args), { output });
    }
  }

  /** Runs a short command and returns its stdout as UTF-8. Rejects with GitCommandError. */
  async run(args: string[], options: { input?: string; okCodes?: number[]; keepHooksPath?: boolean } = {}): Promise<string> {
    const early = Object.keys(options).length === 0 ? this.takeEarly(args)?.output : undefined;
    return early ?? runGitCommand(args, { ...this.spawnOptions(), ...options });
  }

  /** Starts a streaming command; the caller reads `stdout` and awaits `done`. */
  stream(args: string[], options: { stdin?: boolean; okCodes?: number[] } = {}): GitStream {
    const early = Object.keys(options).length === 0 ? this.takeEarly(args)?.stream : undefined;
    return early ?? spawnGitStream(args, { ...this.spawnOptions(), ...options });
  }

  /** Kills the early streams nobody asked for (a check that stopped before reading them). */
  discardEarly(): void {
    for (const e of this.early.values()) e.stream?.kill();
    this.early.clear();
  }

  private earlyKey(args: string[]): string {
    return [this.cwd, ...args].join('\0');
  }

  private takeEarly(args: string[]): { stream?: GitStream; output?: Promise<string> } | undefined {
    const key = this.earlyKey(args);
    const found = this.early.get(key);
    this.early.delete(key);
    return found;
  }

  private spawnOptions() {
    return {
      cwd: this.cwd,
      env: this.env,
      gitVariables: this.gitVariables,
      binary: this.binary,
      config: DIFF_CONFIG,
      ...(this.signal ? { signal: this.signal } : {}),
    };
  }

  /** One `git cat-file --batch` process (close it when done). */
  catFile(): CatFileBatch {
    return new CatFileBatch(this.stream(['cat-file', '--batch'], { stdin: true }));
  }
}
