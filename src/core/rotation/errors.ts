/** Why a rotation could not be planned or applied. Stable: callers branch on it. */
export type RotationErrorCode =
  | 'file-unreadable'
  | 'key-not-found'
  | 'blocked'
  | 'file-changed'
  | 'write-failed'
  | 'verification-failed'
  | 'invalid-option';

/**
 * A rotation that could not be planned or applied. The message names keys, files and kinds,
 * never a value, and says what to do; after `verification-failed` and `write-failed` the files
 * have been restored from the backup (`restored`).
 */
export class RotationError extends Error {
  override name = 'RotationError';
  constructor(
    message: string,
    readonly code: RotationErrorCode,
    /** Files put back to their content before the rotation, when a write had to be undone. */
    readonly restored: string[] = [],
  ) {
    super(message);
  }
}
