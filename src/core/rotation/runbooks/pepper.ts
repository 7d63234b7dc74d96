import { applyStep, code, logCheck, sourceOfTruthStep } from './sections';
import type { KindRunbook } from './types';

/** Peppers: every hash derived from the old value stops matching; reissue what was derived. */
export const pepperRunbook: KindRunbook = {
  kind: 'pepper',
  intro: (ctx) =>
    `${code(ctx.key)} is mixed into hashes (enrollment keys, recovery codes, hashed API keys). A hash cannot be recomputed without the original input, so after the change every value derived from the old pepper stops matching and has to be issued again. There is no overlap window: plan the reissue before you rotate.`,
  steps: (ctx) => [
    'List what is derived from the pepper (enrollment keys, MFA recovery codes, hashed tokens) and who holds those codes today.',
    'Announce the change to the people who will have to regenerate codes, and pick a quiet time.',
    applyStep(ctx),
    { restart: true },
    'Reissue what was derived: regenerate enrollment keys and hand them to whoever deploys new agents; ask users to regenerate MFA recovery codes in their settings, or regenerate them in bulk as an administrator.',
    sourceOfTruthStep(ctx),
  ],
  verify: (ctx) => [
    'A code issued after the rotation is accepted.',
    'A code issued before the rotation is rejected (proof that the new pepper is live everywhere).',
    logCheck(ctx),
  ],
  revoke: (ctx) => [
    'Nothing to revoke at a provider. Make sure no instance still runs with the old pepper, or old codes keep working there.',
    `Delete ${code(ctx.backup)} once the new codes are out.`,
  ],
  record: () => ['Which derived codes were reissued and to whom.'],
};
