/**
 * Typed failures of running git. Each message says what to do; none ever contains file content
 * or a value (git's own stderr is reduced to its first line and never holds blob content for the
 * read-only commands rekey runs).
 */

/** git is not installed or not on PATH. */
export class GitNotFoundError extends Error {
  override name = 'GitNotFoundError';
  constructor(readonly binary = 'git') {
    super(`git was not found (looked for '${binary}' on PATH); install git or add it to PATH to check history`);
  }
}

/** The folder is not inside a git work tree (or git refuses to treat it as one). */
export class NotARepositoryError extends Error {
  override name = 'NotARepositoryError';
  constructor(
    readonly dir: string,
    /** Why, when git said more than "not a git repository" (e.g. dubious ownership). */
    readonly reason?: string,
  ) {
    super(reason ? `${dir} cannot be read as a git repository: ${reason}` : `${dir} is not inside a git repository`);
  }
}

/** A git command exited with an unexpected status. */
export class GitCommandError extends Error {
  override name = 'GitCommandError';
  constructor(
    /** The git subcommand (`log`, `cat-file`...), never its arguments, which may hold paths only but stay out of messages. */
    readonly command: string,
    readonly exitCode: number | null,
    /** First line of git's stderr. */
    readonly stderrLine: string,
  ) {
    super(`git ${command} failed${exitCode === null ? '' : ` (exit ${exitCode})`}${stderrLine ? `: ${stderrLine}` : ''}`);
  }
}

/** True when `err` is the abort of `signal` (so callers rethrow it rather than log it). */
export function isAbortError(err: unknown, signal?: AbortSignal): boolean {
  if (signal?.aborted && err === signal.reason) return true;
  return err instanceof Error && (err.name === 'AbortError' || (err as NodeJS.ErrnoException).code === 'ABORT_ERR');
}

/** The error to throw when `signal` aborted: its reason, or a standard AbortError. */
export function abortReason(signal: AbortSignal): Error {
  const r: unknown = signal.reason;
  if (r instanceof Error) return r;
  const e = new Error('the operation was aborted');
  e.name = 'AbortError';
  return e;
}
