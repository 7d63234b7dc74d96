import { databaseSteps, databaseVerify, retireAtDatabase } from './databasePassword';
import { code } from './sections';
import type { KindRunbook } from './types';

/** Connection URLs: the embedded password changes with the server credential and every copy. */
export const connectionUrlRunbook: KindRunbook = {
  kind: 'connection-url',
  intro: (ctx) =>
    `${code(ctx.key)} is a connection URL with a password inside${ctx.urlPassword ? ` (${ctx.urlPassword.scheme}://)` : ''}. Only the password changes: user, host, port and database stay as they are. The same password usually lives elsewhere too (a ${code('POSTGRES_PASSWORD')}-style variable for the server, other URLs for replicas or tools); rekey rewrites the ones it found in the workspace, listed below. rekey generates letters and digits only, so the new password needs no escaping inside the URL.`,
  steps: databaseSteps,
  verify: databaseVerify,
  revoke: (ctx) => [retireAtDatabase(ctx), `Delete ${code(ctx.backup)} once the old password is retired.`],
};
