import { providerRevoke, providerSteps, providerVerify } from './providerSteps';
import { code, servicesInRole } from './sections';
import type { KindRunbook } from './types';

/** SMTP / e-mail provider credentials: rotate at the provider, update every sender, test, revoke. */
export const smtpPasswordRunbook: KindRunbook = {
  kind: 'smtp-password',
  intro: (ctx) =>
    `${code(ctx.key)} lets the stack send e-mail. Notification mail pauses briefly while it changes; the main app is rarely the only sender (notification workers, alerting, password-reset flows in a separate service).`,
  steps: (ctx) =>
    providerSteps(
      ctx,
      `Create a new SMTP credential or API key in the mail provider's dashboard (or change the relay's password), keeping the old one active if the provider allows two.${servicesInRole(ctx, 'worker').length ? ` Senders found: ${[...servicesInRole(ctx, 'app'), ...servicesInRole(ctx, 'worker')].map(code).join(', ')}.` : ''}`,
    ),
  verify: (ctx) => providerVerify(ctx, 'Send a real message through the app (a password reset to yourself) and through every worker that sends mail; check it arrives.'),
  revoke: (ctx) => providerRevoke(ctx, "the mail provider's dashboard"),
};
