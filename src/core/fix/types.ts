import type { ProblemCode } from '../env/types';
import type { TextChange } from './textChange';

/** One way to resolve one parser problem, as text changes. Value-free: titles name keys only. */
export interface EnvFix {
  code: ProblemCode;
  /** What the fix does, for a quick fix title or a CLI line. */
  title: string;
  /** Disjoint changes, offsets into the text the fix was computed on. */
  changes: TextChange[];
  /**
   * False for fixes that keep every key and value as dotenv reads them (whitespace, line ends,
   * quoting, removing a shadowed definition). True where the fix is the point of changing what
   * dotenv reads (keeping a `#` in a value, renaming a key): never applied without asking.
   */
  changesMeaning: boolean;
  /** The problem it resolves (offsets of the problem), so editors can attach it to a diagnostic. */
  problemStart: number;
  problemEnd: number;
  key?: string;
}
