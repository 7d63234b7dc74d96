import type { KindId, RotationPattern, SecretKind } from '../../catalog/types';
import type { LinkAction, LinkRelation } from '../linked';
import type { ConsumerRole, ConsumerVia } from '../consumers';
import type { RestartStep } from '../restartOrder';
import type { ZeroLogoutPlan } from '../zeroLogout/strategy';

/**
 * Everything a runbook template is filled with: names, places and formats of this workspace,
 * never a value. Paths are relative to the workspace root, lines 1-based (as people read them).
 */
export interface RunbookContext {
  key: string;
  /** The `.env` file, relative to the workspace root. */
  file: string;
  /** 1-based line of the entry. */
  line: number;
  kind: SecretKind;
  /** Why rekey chose this kind (value-free), e.g. "handed to better-auth as `secret`". */
  kindReason?: string;
  pattern: RotationPattern;
  /** `replace`: the value is replaced; `add-new`: the new value goes next to it as `newKey`. */
  mode: 'replace' | 'add-new';
  newKey?: string;
  /** Name the previous value is kept under, when it is. */
  keepPrevious?: string;
  /** The session framework's zero-logout plan, and whether this rotation follows it. */
  zeroLogout?: { plan: ZeroLogoutPlan; chosen: boolean };
  /** The secret is the password part of a connection URL. */
  urlPassword?: { scheme: string };
  generated: { spec: string; description: string; from: 'current-value' | 'kind-default' | 'user' | 'provider'; reason: string };
  linked: Array<{ file: string; key: string; line: number; relation: LinkRelation; action: LinkAction; description: string }>;
  consumers: Array<{ key: string; file: string; line: number; service?: string; role: ConsumerRole; via: ConsumerVia; detail: string; copy?: boolean }>;
  restartOrder: Array<Omit<RestartStep, 'files'> & { files: string[] }>;
  /** The datastore that checks the credential, when a source service was found. */
  source?: { service: string; datastore?: string };
  /** Whether a compose file takes part (for `docker compose config` checks). */
  usesCompose: boolean;
  /** Backup path relative to the workspace root. */
  backup: string;
  /** YYYY-MM-DD the runbook was made. */
  date: string;
  /** Provider rule id from detection (`stripe-secret-key`), when the value matched one. */
  provider?: string;
  /** Applying without `force` would leave data unreadable / the plan was forced. */
  forced?: boolean;
}

/**
 * One item of a runbook (a step, a check, a paragraph of the inventory) as a template writes it.
 * Plain strings are items with nothing more to say.
 */
export interface RunbookItemSpec {
  /** Markdown, as the item reads before rekey has written anything. */
  text: string;
  /**
   * What rekey's own rotation (Rotate Secret in the editor) does of this item, and how the item
   * reads once it ran: `complete` when nothing is left for the user, else `text` says what is.
   */
  byRotation?: { text: string; complete: boolean };
  /** The item needs the new value somewhere outside the `.env` file (a database prompt, a secrets manager). */
  needsNewValue?: boolean;
}

/** A step of a kind's runbook; `{ restart: true }` stands for the restart order. */
export type RunbookStepSpec = string | RunbookItemSpec | { restart: true };

/** One kind's part of a runbook; the shared sections come from `sections.ts`. */
export interface KindRunbook {
  kind: KindId;
  /** Why this kind needs care, in a few sentences. */
  intro(ctx: RunbookContext): string;
  /** Ordered steps (Markdown; may contain fenced code). The restart order is inserted where a step returns `{restart}`. */
  steps(ctx: RunbookContext): RunbookStepSpec[];
  /** Checks that prove the new value works everywhere. */
  verify(ctx: RunbookContext): string[];
  /** How to retire the old value once verified. */
  revoke(ctx: RunbookContext): string[];
  /** Extra items for the "write down" section. */
  record?(ctx: RunbookContext): string[];
}

/** Placeholders used wherever a value would go. Runbooks never contain a real value. */
export const NEW_VALUE = '<new value from rekey>';
export const OLD_VALUE = '<old value>';
