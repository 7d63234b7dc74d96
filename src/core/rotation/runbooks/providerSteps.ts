import { applyStep, code, logCheck, sourceOfTruthStep } from './sections';
import type { RunbookContext, RunbookStepSpec } from './types';

/*
 * The shape every provider-issued credential follows: create the new one at the provider while
 * the old one still works, deploy it, prove it with a real call, and only then revoke the old one.
 */

/** Ordered steps for a credential the provider issues. `create` says where and how. */
export function providerSteps(ctx: RunbookContext, create: string): RunbookStepSpec[] {
  return [
    create,
    applyStep(ctx),
    { restart: true },
    sourceOfTruthStep(ctx),
  ];
}

/** The verification every provider credential needs, plus a kind-specific real call. */
export function providerVerify(ctx: RunbookContext, realCall: string): string[] {
  return [
    realCall,
    `The provider's dashboard shows the new credential in use (most show a "last used" time), and the old one idle.`,
    logCheck(ctx),
  ];
}

/** The revoke step every provider credential ends with. */
export function providerRevoke(ctx: RunbookContext, where: string): string[] {
  return [
    `Only after the checks pass: revoke or delete the old credential in ${where}. Revoking first turns any consumer you missed into an outage; revoking last turns it into a log line.`,
    `Delete ${code(ctx.backup)} once the old credential is revoked.`,
  ];
}
