import { applyStep, code, logCheck, sourceOfTruthStep } from './sections';
import type { KindRunbook } from './types';

/** Webhook signing secrets: sender and receiver must agree; accept both during the switch. */
export const webhookSecretRunbook: KindRunbook = {
  kind: 'webhook-secret',
  intro: (ctx) =>
    `${code(ctx.key)} verifies the signature on incoming webhooks (or signs outgoing ones). Sender and receiver must hold the same value; deliveries signed with the other value are rejected until both sides match. Many providers can roll a signing secret with the old one still valid for a while; if yours does, use that and copy the value it gives you instead of generating one.`,
  steps: (ctx) => [
    `Find the other side: the provider's webhook settings, or the service that sends or receives these deliveries.`,
    `If the receiver can check a signature against two secrets, rotate with ${code('--keep-previous')} and accept both ${code(ctx.key)} and ${code(ctx.keepPrevious ?? `${ctx.key}_PREVIOUS`)} during the switch.`,
    applyStep(ctx),
    { restart: true },
    'Update the secret on the sending side to the same value.',
    sourceOfTruthStep(ctx),
  ],
  verify: (ctx) => [
    "Send a test delivery from the provider's dashboard (or trigger a real event) and see it accepted.",
    "Check the provider's delivery log for failures since the change; redeliver what failed.",
    logCheck(ctx),
  ],
  revoke: (ctx) => [
    ctx.keepPrevious ? `Remove ${code(ctx.keepPrevious)} and the fallback check once deliveries verify with the new secret.` : 'The old secret stops working as soon as both sides have the new one; end any provider-side overlap.',
    `Delete ${code(ctx.backup)} afterwards.`,
  ],
};
