/** Stable kind ids; they appear in JSON output as `kind`. Never rename one. */
export const KIND_IDS = [
  'session-signing',
  'encryption-key',
  'pepper',
  'database-password',
  'connection-url',
  'cache-password',
  'cloud-access-key',
  'api-token',
  'webhook-secret',
  'shared-secret',
  'smtp-password',
  'private-key',
  'generic-secret',
] as const;

export type KindId = (typeof KIND_IDS)[number];

export function isKindId(s: string): s is KindId {
  return (KIND_IDS as readonly string[]).includes(s);
}

/** How a replacement value is generated (see rotation/generate). */
export type GeneratorFormat =
  | { type: 'base64'; bytes: number }
  | { type: 'base64url'; bytes: number }
  | { type: 'hex'; bytes: number }
  | { type: 'alnum'; length: number }
  | { type: 'uuid' }
  /** Issued by a provider: rekey cannot mint it, the runbook says where to create it. */
  | { type: 'provider' };

/** The rotation strategies from the source runbooks. */
export type RotationPattern =
  | 'dual-credential-window'
  | 'maintenance-window-swap'
  | 'side-by-side-rollout'
  | 're-encrypt-then-switch';

export interface SecretKind {
  id: KindId;
  /**
   * The kind in a word or two, spelled the same in every view, report and message ("connection
   * URL", "API token"); lower-case unless it starts with an acronym, so it reads inside a sentence.
   */
  name: string;
  /** Default rotation interval in days. */
  intervalDays: number;
  /** What breaks when the value changes (one or two sentences, user-facing). */
  impact: string;
  /** What changing it by accident does and how to undo it (backup comparison). */
  changeImpact: string;
  pattern: RotationPattern;
  generator: GeneratorFormat;
  /** Whether the old value can be kept valid next to the new one during rotation. */
  dualWindow: boolean;
  /** Typical key names of this kind (documentation, `rekey kinds`); detection rules live in detect/names.ts. */
  examples: string[];
}
