import { applyStep, code, logCheck, servicesInRole, shell, sourceOfTruthStep } from './sections';
import { NEW_VALUE, OLD_VALUE, type KindRunbook } from './types';

/** Cache / queue passwords (Redis and the like): set on the server first, then clients reconnect. */
export const cachePasswordRunbook: KindRunbook = {
  kind: 'cache-password',
  intro: (ctx) =>
    `${code(ctx.key)} protects a cache or queue. The app and its workers reconnect briefly when it changes; set the new password on the server first, then move the clients, workers included (queues are where a forgotten client shows up).`,
  steps: (ctx) => {
    const svc = ctx.source?.service ?? 'redis';
    return [
      { needsNewValue: true, text: `Set the new password on the server. Redis 6 and later can hold two passwords for a user at once, which avoids a hard cut-over; keep ${code(NEW_VALUE)} off the command line by passing the current password through ${code('REDISCLI_AUTH')} rather than ${code('-a')}:\n\n${shell(
        `docker compose exec ${svc} redis-cli`,
        `# then, inside redis-cli (after AUTH with the current password):`,
        `ACL SETUSER default >${NEW_VALUE}`,
      )}\n\nOlder servers only have ${code('requirepass')}: ${code(`CONFIG SET requirepass ${NEW_VALUE}`)} switches at once (persist it with ${code('CONFIG REWRITE')} or in the server's command/config, or a restart brings the old one back).` },
      applyStep(ctx),
      { restart: true },
      sourceOfTruthStep(ctx),
    ];
  },
  verify: (ctx) => [
    'The app performs an action that uses the cache or queue (a login that stores a session, a page that reads cached data).',
    servicesInRole(ctx, 'worker').length ? `A job goes through the queue on ${servicesInRole(ctx, 'worker').map(code).join(', ')}.` : 'Queued jobs (if any) are picked up.',
    logCheck(ctx),
  ],
  revoke: (ctx) => [
    `Remove the old password from the server: ${code(`ACL SETUSER default <${OLD_VALUE}`)} (with ACLs), or nothing more with ${code('requirepass')}.`,
    `Delete ${code(ctx.backup)} afterwards.`,
  ],
};
