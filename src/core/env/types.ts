import type { Range } from '../text/lineIndex';

/** How a value was quoted, as dotenv read it. */
export type QuoteStyle = 'none' | 'single' | 'double' | 'backtick';

/** One `KEY=value` assignment that dotenv reads. */
export interface EnvEntry {
  key: string;
  /** The value exactly as `dotenv.parse` returns it. Secret: never print it unmasked. */
  value: string;
  /** The value's source text, quotes included (trimmed of surrounding blanks). */
  rawValue: string;
  quote: QuoteStyle;
  /** Written as `export KEY=...`. */
  exported: boolean;
  /** The raw value spans more than one line. */
  multiline: boolean;
  /** `=` normally; `:` for the YAML-like `KEY: value` form dotenv also accepts. */
  separator: '=' | ':';
  /** From `export`/key to the end of the raw value. */
  range: Range;
  keyRange: Range;
  /** Slicing the source by this range yields `rawValue`. Empty range where the value is empty. */
  valueRange: Range;
  /** Offsets into the original text (UTF-16), for edits. */
  start: number;
  end: number;
  keyStart: number;
  valueStart: number;
  valueEnd: number;
  /** A `# comment` on the line where the value ends. */
  readonly inlineComment?: { text: string; range: Range };
  /** Position of this entry among the file's entries. */
  index: number;
}

/** Stable ids for parser problems. Never rename: users and SARIF consumers key on them. */
export type ProblemCode =
  | 'no-equals'
  | 'invalid-key'
  | 'unterminated-quote'
  | 'text-after-quote'
  | 'duplicate-key'
  | 'spaces-around-equals'
  | 'unquoted-spaces'
  | 'lowercase-key'
  | 'hash-in-value'
  | 'entry-spans-lines'
  | 'colon-separator'
  | 'reserved-key'
  | 'bom'
  | 'crlf'
  | 'trailing-whitespace'
  | 'missing-final-newline';

export type ProblemSeverity = 'error' | 'warning' | 'info';

/** A line dotenv ignores, or reads in a way the author probably did not intend. */
export interface ParseProblem {
  code: ProblemCode;
  severity: ProblemSeverity;
  /** Human message. Never contains a value. */
  message: string;
  range: Range;
  /** Offsets into the original text. */
  start: number;
  end: number;
  /** The key concerned, when there is one. */
  key?: string;
}

export interface ParsedEnv {
  entries: EnvEntry[];
  problems: ParseProblem[];
  /** Number of lines in the text. */
  lineCount: number;
  /** Dominant line ending, for writers that must preserve it. */
  eol: '\n' | '\r\n';
  hasBom: boolean;
}
