import { applyStep, code, logCheck, sourceOfTruthStep } from './sections';
import type { KindRunbook } from './types';

/** Shared secrets between services: every party changes together. */
export const sharedSecretRunbook: KindRunbook = {
  kind: 'shared-secret',
  intro: (ctx) =>
    `${code(ctx.key)} is shared between parties (a TURN server and the app, agents and their enrollment endpoint, a metrics scraper and the exporter). Each holds its own copy, so the rotation is done when every party has the new value; connections in progress may drop.`,
  steps: (ctx) => [
    `List every party that holds the value: the services below, and outside the workspace the other server's configuration, token files, deployment scripts, MDM policies and agents.`,
    applyStep(ctx),
    { text: `Update the other parties' copies. Token files keep restrictive permissions (${code('chmod 600')}).`, needsNewValue: true },
    { restart: true },
    sourceOfTruthStep(ctx),
  ],
  verify: (ctx) => [
    'Exercise each party once: a call or session between the two sides succeeds (a TURN relay, an agent enrollment, a metrics scrape).',
    logCheck(ctx),
  ],
  revoke: (ctx) => [
    'The old value stops working once every party has the new one; check that none still accepts it.',
    `Delete ${code(ctx.backup)} afterwards.`,
  ],
  record: () => ['Every party that holds the secret, including those outside this workspace.'],
};
