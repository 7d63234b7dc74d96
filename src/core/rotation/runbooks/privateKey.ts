import { applyStep, code, logCheck, sourceOfTruthStep } from './sections';
import type { KindRunbook } from './types';

/** Private keys: publish the new public half first, switch, then retire the old pair. */
export const privateKeyRunbook: KindRunbook = {
  kind: 'private-key',
  intro: (ctx) =>
    `${code(ctx.key)} is a private key. Everything that trusts its public half (peers, certificates, ${code('authorized_keys')}, JWT verifiers through a JWKS) must learn the new public key before the switch, or it rejects what the new key signs.`,
  steps: (ctx) => [
    'Generate a new key pair with the tool the consumer expects (same algorithm and size), or have the certificate authority issue one. rekey cannot generate key pairs.',
    'Publish the new public key next to the old one everywhere it is trusted (a JWKS with both keys, both entries in authorized_keys, the new certificate deployed alongside).',
    applyStep(ctx),
    { restart: true },
    sourceOfTruthStep(ctx),
  ],
  verify: (ctx) => ['A signature or connection made with the new key is accepted by every peer.', logCheck(ctx)],
  revoke: (ctx) => [
    'Remove the old public key from every place that trusts it, and revoke its certificate if it had one, once nothing signs with the old key (wait for tokens it signed to expire).',
    `Delete ${code(ctx.backup)} and destroy every other copy of the old private key.`,
  ],
};
