import { applyStep, code, composeServices, fingerprintCheck, logCheck, sourceOfTruthStep } from './sections';
import type { KindRunbook } from './types';

/** Session-signing secrets: every session signed with the old value stops verifying. */
export const sessionSigningRunbook: KindRunbook = {
  kind: 'session-signing',
  intro: (ctx) =>
    `${code(ctx.key)} signs session cookies or tokens. When the running app gets a new value, every session signed with the old one fails verification and its user is sent back to the login page. That is the expected result of a rotation, not a bug; done by accident (a template regenerated, a deploy tool writing a fresh value), it is an outage that restoring the old value undoes.`,
  steps: (ctx) => [
    `Decide how users get through the switch. If the app can verify with a list of secrets (new first, old second), keep the old value: rotate with ${code('--keep-previous')} and point the app's list at ${code(ctx.keepPrevious ?? `${ctx.key}_PREVIOUS`)} so existing sessions stay valid. Otherwise every user signs in again once: tell them when.`,
    applyStep(ctx),
    { restart: true },
    `Optionally clear stored sessions (a sessions table or cache) so stale rows do not pile up; the app rejects their cookies anyway.`,
    sourceOfTruthStep(ctx),
  ],
  verify: (ctx) => [
    'Sign in with a fresh browser session and use the app for a few requests: no 401, no redirect loop.',
    `Every instance must sign with the same value, or sessions fail at random depending on which one answers:\n${fingerprintCheck(ctx, composeServices(ctx).slice(0, 4))}`,
    'If a login loops back to the login page: the cookie is probably not sent back (Secure cookie over plain HTTP, SameSite across a redirect, or a different hostname than the one the cookie was issued for), not a wrong secret.',
    logCheck(ctx),
  ],
  revoke: (ctx) => [
    ctx.keepPrevious
      ? `Remove ${code(ctx.keepPrevious)} and the app's fallback once the longest session lifetime has passed since the switch.`
      : 'Nothing to revoke at a provider: the old value stops working the moment every instance runs with the new one.',
    `Delete ${code(ctx.backup)} and any other copy of the old value (old backups, secret-manager versions you no longer need).`,
  ],
  record: () => ['Whether users were logged out, or how long the dual-secret window lasted.'],
};
