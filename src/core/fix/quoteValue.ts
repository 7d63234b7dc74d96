/*
 * Writing a value back in quotes so that dotenv reads exactly that value. dotenv's rule
 * (lib/main.js): a value wrapped in matching quotes loses the outer pair; inside double quotes
 * `\n` and `\r` become line breaks; nothing else is unescaped.
 */

/**
 * `value` wrapped in quotes dotenv reads back as `value`, or undefined when no quote style can
 * hold it on one line: single quotes first (nothing is interpreted), then double quotes (only
 * when the value has no `\n`/`\r` escape that dotenv would expand), then backticks.
 */
export function quoteForDotenv(value: string): string | undefined {
  if (/[\r\n\u2028\u2029]/.test(value)) return undefined;
  // A backslash right before the closing quote makes dotenv's pattern read it as escaped.
  if (value.endsWith('\\')) return undefined;
  if (!value.includes("'")) return `'${value}'`;
  if (!value.includes('"') && !/\\[nr]/.test(value)) return `"${value}"`;
  if (!value.includes('`')) return `\`${value}\``;
  return undefined;
}
