import type { GitRunner } from './gitRunner';

/** Answers "does any remote-tracking ref contain this commit?" for many commits at once. */
export interface PushedOracle {
  /** Whether any `refs/remotes/*` ref contains `commit`. */
  isPushed(commit: string): boolean;
  /** Whether the repository has any remote-tracking ref at all. */
  hasRemotes: boolean;
}

/**
 * Builds a {@link PushedOracle} with one command: `git rev-list --all --not --remotes` lists the
 * commits reachable from some ref but from no remote-tracking ref — the unpushed ones, usually a
 * handful — so every commit found on a ref is pushed exactly when it is not in that list. A
 * repository without remote-tracking refs needs no command at all.
 *
 * "Pushed" means a remote-tracking ref contains the commit as of the last fetch or push; rekey
 * never contacts the remote.
 */
export async function pushedOracle(git: GitRunner, hasRemoteRefs: boolean, signal?: AbortSignal): Promise<PushedOracle> {
  if (!hasRemoteRefs) return { isPushed: () => false, hasRemotes: false };
  const unpushed = new Set<string>();
  const proc = git.stream(['rev-list', '--all', '--not', '--remotes'], { signal, bulk: true });
  let rest = '';
  for await (const chunk of proc.stdout as AsyncIterable<Buffer>) {
    const lines = (rest + chunk.toString('latin1')).split('\n');
    rest = lines.pop() ?? '';
    for (const l of lines) if (l) unpushed.add(l);
  }
  if (rest) unpushed.add(rest);
  await proc.done;
  return { isPushed: (c) => !unpushed.has(c), hasRemotes: true };
}
