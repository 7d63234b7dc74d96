import { providerRevoke, providerSteps, providerVerify } from './providerSteps';
import { code } from './sections';
import type { KindRunbook } from './types';

/** Third-party API tokens: create the new one at the provider, deploy, verify, revoke the old. */
export const apiTokenRunbook: KindRunbook = {
  kind: 'api-token',
  intro: (ctx) =>
    `${code(ctx.key)} is a token issued by a third party${ctx.provider ? ` (detected as ${code(ctx.provider)})` : ''}. Only the provider can mint a new one. Almost every provider lets several tokens be valid at once, so the safe order is: create, deploy, verify, and revoke the old token last.`,
  steps: (ctx) =>
    providerSteps(
      ctx,
      `Create a new token at the provider with the same scopes and permissions as the current one (check them in the provider's console: a narrower token fails on the rare code path, a wider one is a risk). Give it a name that says where it is used and when it was made.`,
    ),
  verify: (ctx) =>
    providerVerify(ctx, 'Trigger one real call that uses the token (the feature that talks to the provider: a certificate renewal, a payment in test mode, an AI request, a notification).'),
  revoke: (ctx) => providerRevoke(ctx, "the provider's console"),
};
