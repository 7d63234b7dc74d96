import type { Severity } from './finding';

/** What a rule id means, for SARIF rule metadata and docs. */
export interface RuleInfo {
  id: string;
  /** Short PascalCase-ish name (SARIF `name`). */
  name: string;
  description: string;
  severity: Severity;
  /** Security rules get the `security` tag in SARIF so code scanning files them as such. */
  security?: boolean;
}

const PARSE_RULES: RuleInfo[] = [
  { id: 'no-equals', name: 'LineWithoutEquals', description: 'A line dotenv ignores because it has no `=`.', severity: 'warning' },
  { id: 'invalid-key', name: 'InvalidKey', description: 'A line dotenv ignores because its key has characters other than letters, digits, `_`, `.`, `-`.', severity: 'warning' },
  { id: 'unterminated-quote', name: 'UnterminatedQuote', description: 'A value opens a quote that is never closed; dotenv keeps the quote character.', severity: 'warning' },
  { id: 'text-after-quote', name: 'TextAfterQuote', description: 'Text after a closing quote makes dotenv read the value literally, quotes included.', severity: 'warning' },
  { id: 'duplicate-key', name: 'DuplicateKey', description: 'A key defined more than once; dotenv uses the last definition.', severity: 'warning' },
  { id: 'spaces-around-equals', name: 'SpacesAroundEquals', description: 'Spaces around `=`, which shells and Compose env files do not accept.', severity: 'info' },
  { id: 'unquoted-spaces', name: 'UnquotedSpaces', description: 'An unquoted value with spaces, which a shell would split.', severity: 'info' },
  { id: 'lowercase-key', name: 'LowercaseKey', description: 'A key with lowercase letters.', severity: 'info' },
  { id: 'hash-in-value', name: 'HashInValue', description: 'A `#` that dotenv reads as the start of a comment, cutting the value.', severity: 'warning' },
  { id: 'entry-spans-lines', name: 'EntrySpansLines', description: 'An entry whose key, `=` or value are on different lines.', severity: 'warning' },
  { id: 'colon-separator', name: 'ColonSeparator', description: 'The `KEY: value` form, which most loaders other than dotenv reject.', severity: 'info' },
  { id: 'reserved-key', name: 'ReservedKey', description: '`__proto__`, which dotenv silently drops.', severity: 'error' },
  { id: 'bom', name: 'ByteOrderMark', description: 'A byte order mark at the start of the file.', severity: 'info' },
  { id: 'crlf', name: 'CrlfLineEndings', description: 'Windows line endings.', severity: 'info' },
  { id: 'trailing-whitespace', name: 'TrailingWhitespace', description: 'Whitespace at the end of a line.', severity: 'info' },
  { id: 'missing-final-newline', name: 'MissingFinalNewline', description: 'No newline at the end of the file.', severity: 'info' },
  { id: 'unreadable-file', name: 'UnreadableFile', description: 'A file that could not be scanned (binary, too large, invalid UTF-8, unreadable).', severity: 'warning' },
];

const registry = new Map<string, RuleInfo>();

/** Adds rule descriptions; each rule module registers its own ids. */
export function registerRules(rules: RuleInfo[]): void {
  for (const r of rules) registry.set(r.id, r);
}

registerRules(PARSE_RULES);

/** Description of a rule id (a generic one for ids nobody registered). */
export function ruleInfo(id: string): RuleInfo {
  return registry.get(id) ?? { id, name: id, description: id, severity: 'warning' };
}

