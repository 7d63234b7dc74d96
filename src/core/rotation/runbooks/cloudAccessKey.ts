import { providerRevoke, providerSteps, providerVerify } from './providerSteps';
import { code } from './sections';
import type { KindRunbook } from './types';

/** Cloud / object-storage access keys: a second key pair, deploy, verify, delete the first. */
export const cloudAccessKeyRunbook: KindRunbook = {
  kind: 'cloud-access-key',
  intro: (ctx) =>
    `${code(ctx.key)} is part of an access key pair for a cloud or object-storage provider (S3, R2, MinIO, GCS). Providers allow two active pairs per user for exactly this: create the second pair, move every consumer to it, check, then delete the first. Done in that order there is no downtime.`,
  steps: (ctx) =>
    providerSteps(
      ctx,
      `Create a new access key pair for the same user or service account, with the same permissions, in the provider's console or CLI. rekey cannot generate it. The key ID and the secret belong together: update both entries (the ID is not secret, but a new secret with the old ID fails).`,
    ),
  verify: (ctx) => providerVerify(ctx, 'Upload a test object, download it again, and delete it, from the app and from any worker that touches storage.'),
  revoke: (ctx) => [
    'Deactivate the old key pair first where the provider allows it (AWS: make it inactive), wait a day for anything you missed to complain, then delete it.',
    ...providerRevoke(ctx, "the provider's console").slice(1),
  ],
};
