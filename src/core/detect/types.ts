import type { KindId } from '../catalog/types';
import type { EnvEntry } from '../env/types';
import type { Confidence } from '../findings/finding';

/** Why an entry is (or is not) considered a secret; value-free, for hovers and --verbose. */
export interface Evidence {
  source: 'provider' | 'url' | 'name' | 'entropy' | 'annotation' | 'config' | 'consumer' | 'placeholder';
  /** e.g. provider id `stripe-secret-key`, keyword `SECRET`, `entropy 4.9 bits/char (base64)` */
  detail: string;
  confidence: Confidence;
}

/** A `.env` entry judged to hold a secret. */
export interface DetectedSecret {
  entry: EnvEntry;
  kind: KindId;
  confidence: Confidence;
  /** Rotation interval: the kind's default unless overridden by annotation or settings. */
  intervalDays: number;
  /** Provider rule id when the value matched a known token format. */
  provider?: string;
  evidence: Evidence[];
  /** Set when a suppression comment or config marks the entry; such entries raise no warnings. */
  suppressed?: { by: string; reason?: string };
}

/** User configuration that shapes detection (from `.rekey.json` or VS Code settings). */
export interface DetectConfig {
  /** Keys (or `relative/path:KEY`) that are never secrets. */
  notSecret?: string[];
  /** Kind override per key (or `relative/path:KEY`). */
  kinds?: Record<string, KindId>;
  /** Interval override in days per key (or `relative/path:KEY`), or per kind id. */
  intervals?: Record<string, number>;
}

export interface DetectOptions {
  config?: DetectConfig;
  /** Path of the file relative to the workspace root, for `path:KEY` config entries. */
  relativePath?: string;
  /**
   * Kind hints from outside the file, e.g. the consumer scan saw `KEY` handed to an auth
   * library's `secret` option, so it is `session-signing` whatever its name says.
   */
  kindHints?: Map<string, { kind: KindId; detail: string }>;
}
