import { applyStep, code, logCheck, sourceOfTruthStep } from './sections';
import type { KindRunbook } from './types';

/** Secrets of unknown purpose: find out what the value does before rotating it. */
export const genericSecretRunbook: KindRunbook = {
  kind: 'generic-secret',
  intro: (ctx) =>
    `rekey does not know what ${code(ctx.key)} protects. Before rotating, find out: if it signs sessions or tokens, rotate it as a session-signing secret; if it encrypts stored data, as an encryption key (re-encrypt first); if a third party issued it, as an API token. The places below are where it is read.`,
  steps: (ctx) => [
    `Read the code at each place listed in the inventory to see what the value does, and rerun with ${code(`rekey rotate ${ctx.key} --kind KIND`)} if it is one of the kinds above.`,
    applyStep(ctx),
    { restart: true },
    sourceOfTruthStep(ctx),
  ],
  verify: (ctx) => ['Exercise the feature that uses the value, from every service listed above.', logCheck(ctx)],
  revoke: (ctx) => ['Make sure nothing accepts the old value any more.', `Delete ${code(ctx.backup)} afterwards.`],
};
