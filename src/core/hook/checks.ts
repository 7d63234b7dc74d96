import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { isNullOid } from '../git/rawLog';
import { listEnvFiles } from './envFileList';
import { PATCH_ARGS, STAGED_DIFF_ARGS } from './hookCommands';
import { loadHookConfig, type LoadedHookConfig } from './hookConfig';
import type { HookGit } from './hookGit';
import { PatchInspector } from './inspect';
import { loadKnownSecrets, type KnownSecrets } from './knownSecrets';
import { readPatch } from './patch';
import { sortFindings, type HookName, type HookReport } from './report';

/*
 * The two hook checks. Each reads one patch from one git command, started first so git works
 * while the work tree's `.env` files are read and judged, plus one `cat-file --batch` only when
 * a `.env`-family or binary file needs reading whole.
 */

export interface HookCheckOptions {
  /** Block on secrets recognised only by token format (ORed with `.rekey.json` `hooks.blockOnFormat`). */
  blockOnFormat?: boolean;
  maxBytes?: number;
  signal?: AbortSignal;
  /** Called as each phase ends, for `--verbose` timings. */
  onPhase?: (phase: string) => void;
}

export { PATCH_ARGS } from './hookCommands';

/**
 * The pre-commit check: what the index (the hook's `GIT_INDEX_FILE`) adds relative to HEAD, or
 * to nothing before the first commit. Deleted files are fine; a renamed file is checked under its
 * new name, and a partially staged file by its staged content only.
 * @throws NotARepositoryError, GitNotFoundError, GitCommandError
 */
export async function checkStaged(git: HookGit, options: HookCheckOptions = {}): Promise<HookReport> {
  // `diff --cached` without a commit compares with the empty tree on an unborn branch.
  const diff = git.stream(STAGED_DIFF_ARGS);
  return inspect('pre-commit', git, diff, options);
}

/** One line of what git gives a pre-push hook on stdin. */
export interface PushUpdate {
  localRef: string;
  localSha: string;
  remoteRef: string;
  remoteSha: string;
}

/**
 * Parses the pre-push hook's stdin (`<local ref> <local sha> <remote ref> <remote sha>` per
 * line). Blank lines are skipped; `invalid` counts lines of any other shape.
 */
export function parsePushUpdates(text: string): { updates: PushUpdate[]; invalid: number } {
  const updates: PushUpdate[] = [];
  let invalid = 0;
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    const parts = line.trim().split(/\s+/);
    const [localRef, localSha, remoteRef, remoteSha] = parts;
    if (parts.length !== 4 || !isOid(localSha) || !isOid(remoteSha)) {
      invalid++;
      continue;
    }
    updates.push({ localRef: localRef as string, localSha, remoteRef: remoteRef as string, remoteSha });
  }
  return { updates, invalid };
}

/**
 * The push described by the pre-commit framework's variables (`PRE_COMMIT_TO_REF`...), which it
 * sets instead of passing git's lines on stdin.
 */
export function pushUpdatesFromEnv(env: NodeJS.ProcessEnv): { updates: PushUpdate[]; remote?: string } {
  const to = env.PRE_COMMIT_TO_REF;
  if (!isOid(to)) return { updates: [] };
  const from = isOid(env.PRE_COMMIT_FROM_REF) ? (env.PRE_COMMIT_FROM_REF) : '0'.repeat(to.length);
  const update: PushUpdate = { localRef: env.PRE_COMMIT_LOCAL_BRANCH ?? '', localSha: to, remoteRef: env.PRE_COMMIT_REMOTE_BRANCH ?? '', remoteSha: from };
  return env.PRE_COMMIT_REMOTE_NAME ? { updates: [update], remote: env.PRE_COMMIT_REMOTE_NAME } : { updates: [update] };
}

export interface PushCheckOptions extends HookCheckOptions {
  /** The remote's name as git passes it (`$1`); a URL or nothing compares with every remote. */
  remote?: string;
}

/**
 * The pre-push check: the commits the push would send that the remote does not have yet — those
 * reachable from the pushed local commits but not from the remote's old tips nor from any of the
 * remote's tracking refs. Deleting a remote branch, or pushing commits the remote already has,
 * reads nothing (no git command runs when there is nothing new).
 * @throws NotARepositoryError, GitNotFoundError, GitCommandError
 */
export async function checkPush(git: HookGit, updates: PushUpdate[], options: PushCheckOptions = {}): Promise<HookReport> {
  const tips = [...new Set(updates.filter((u) => !isNullOid(u.localSha)).map((u) => u.localSha))];
  if (tips.length === 0) return emptyReport('pre-push');
  const old = [...new Set(updates.filter((u) => !isNullOid(u.remoteSha)).map((u) => u.remoteSha))];
  const remote = options.remote && /^[\w][\w.-]*$/.test(options.remote) ? `--remotes=${options.remote}` : '--remotes';
  // `--ignore-missing`: the remote's old tip may be a commit this repository never fetched.
  // `git log -p` prints no diff for a merge; a merge whose resolution adds a secret would pass.
  // Each outgoing merge is diffed against its first parent: what the merge brings to the branch.
  const log = git.stream(['log', '--reverse', ...PATCH_ARGS, '--diff-merges=first-parent', '--format=%x00%H', '--ignore-missing', ...tips, '--not', ...old, remote, '--']);
  return inspect('pre-push', git, log, options);
}

async function inspect(hook: HookName, git: HookGit, proc: ReturnType<HookGit['stream']>, options: HookCheckOptions): Promise<HookReport> {
  let inspector: PatchInspector | undefined;
  const phase = (name: string) => options.onPhase?.(name);
  // The patch is read only once the work tree's secrets are known. Until then it waits in a
  // pipe: a child's stdout left unread when the child exits is drained and lost by Node.
  const patch = proc.stdout.pipe(new PassThrough({ highWaterMark: 1 << 20 }));
  const load = async (root: string): Promise<{ config: LoadedHookConfig; known: KnownSecrets }> => {
    const [config, files] = await Promise.all([loadHookConfig(root), listEnvFiles(git.at(root), root)]);
    phase(`listed ${files.length} .env file(s)`);
    const known = await loadKnownSecrets(root, { detect: config.detect, minLength: config.hooks.minValueLength, maxBytes: options.maxBytes, signal: options.signal, files });
    phase(`read ${known.secrets.length} secret(s)`);
    return { config, known };
  };
  // git runs hooks at the top of the work tree: start reading the `.env` files there while
  // `rev-parse` confirms it, rather than after.
  const speculative = existsSync(path.join(git.cwd, '.git')) ? load(git.cwd) : undefined;
  speculative?.catch(() => undefined);
  try {
    const plain = git.plainWorkTree();
    const repo = plain ?? (await git.repository());
    phase(plain ? 'work tree top (no rev-parse)' : 'rev-parse');
    const { config, known } = repo.bare
      ? { config: await loadHookConfig(repo.root), known: { secrets: [], files: [] } }
      : speculative && samePath(repo.root, git.cwd) ? await speculative : await load(repo.root);
    inspector = new PatchInspector(git, {
      known: known.secrets,
      detect: config.detect,
      blockOnFormat: options.blockOnFormat === true || config.hooks.blockOnFormat,
      maxBytes: options.maxBytes,
      ...(repo.bare ? {} : { workTree: repo.root }),
    });
    // Whichever fails first wins: git's own error explains a truncated patch better.
    await Promise.all([readPatch(patch, inspector.visitor, { signal: options.signal }), proc.done]);
    phase(`patch read (${inspector.files} file(s))`);
    const findings = sortFindings(await inspector.finish());
    phase('blobs checked');
    return {
      hook,
      blocked: findings.some((f) => f.severity === 'error'),
      findings,
      files: inspector.files,
      commits: inspector.commits.size,
      knownSecrets: known.secrets.length,
      notes: config.error ? [config.error] : [],
    };
  } catch (err) {
    proc.kill();
    inspector?.abort();
    throw err;
  }
}

function samePath(a: string, b: string): boolean {
  return process.platform === 'win32' || process.platform === 'darwin' ? a.toLowerCase() === b.toLowerCase() : a === b;
}

function emptyReport(hook: HookName): HookReport {
  return { hook, blocked: false, findings: [], files: 0, commits: 0, knownSecrets: 0, notes: [] };
}

function isOid(s: string | undefined): s is string {
  return s !== undefined && /^[0-9a-f]{40}$|^[0-9a-f]{64}$/.test(s);
}
