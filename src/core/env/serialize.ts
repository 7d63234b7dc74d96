import { parseEnv } from './parse';
import type { QuoteStyle } from './types';

/** No quoting style makes dotenv read this value back exactly (e.g. it holds every quote and a newline). */
export class UnwritableValueError extends Error {
  override name = 'UnwritableValueError';
}

const QUOTE_CHAR: Record<Exclude<QuoteStyle, 'none'>, string> = { single: "'", double: '"', backtick: '`' };

function candidate(value: string, style: QuoteStyle): string | undefined {
  if (style === 'none') return value;
  if (style === 'double') {
    // dotenv turns `\n` and `\r` inside double quotes into line breaks: write breaks that way.
    if (/\\[nr]/.test(value)) return undefined;
    return `"${value.replace(/\r/g, '\\r').replace(/\n/g, '\\n')}"`;
  }
  const q = QUOTE_CHAR[style];
  if (value.includes(q) || /[\r\n\u2028\u2029]/.test(value)) return undefined;
  return `${q}${value}${q}`;
}

/** Whether `raw` written as `KEY=raw` on its own line reads back as `value`. */
function readsBack(raw: string, value: string): boolean {
  const parsed = parseEnv(`K=${raw}\n`);
  return parsed.entries.length === 1 && parsed.entries[0]?.key === 'K' && parsed.entries[0].value === value;
}

/**
 * The source text for `value` in a `.env` entry: in the entry's current quoting when dotenv reads
 * that back exactly, otherwise the first of unquoted, single, double, backtick that does. Every
 * candidate is checked with the dotenv-exact parser rather than by rules, so the corners of
 * dotenv's expression (a `#` ending an unquoted value, `\n` expansion in double quotes) are
 * honoured by construction.
 * @throws UnwritableValueError when no quoting reads back exactly (the message has no value).
 */
export function serializeEnvValue(value: string, preferred: QuoteStyle = 'none'): string {
  const order: QuoteStyle[] = [preferred, 'none', 'single', 'double', 'backtick'];
  for (const style of order) {
    const raw = candidate(value, style);
    if (raw !== undefined && readsBack(raw, value)) return raw;
  }
  throw new UnwritableValueError('the value cannot be written so that dotenv reads it back exactly (it mixes every quote character with line breaks)');
}
