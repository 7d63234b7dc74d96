import * as path from 'node:path';
import { parseEnv } from '../../core/env/parse';
import { DEFAULT_MAX_BYTES, readEnvFile } from '../../core/fs/readTextFile';
import { choice, positiveInt, UsageError, type CliCommand } from '../command';
import { entryJson } from '../format/findings';
import { displayPath } from '../paths';

export const parseCommand: CliCommand = {
  name: 'parse',
  summary: 'Show how dotenv reads a .env file: entries with positions, and problem lines',
  usage: `rekey parse FILE [--format text|json] [--reveal] [--max-bytes N]

Prints every entry dotenv reads from FILE (key, 1-based line/column range, quote style, export)
and every problem line (ignored by dotenv or read surprisingly). Values are shown only with
--reveal.`,
  options: {
    format: { type: 'string' },
    reveal: { type: 'boolean' },
    'max-bytes': { type: 'string' },
  },
  async run(values, positionals, io) {
    const format = choice(values.format, 'format', ['text', 'json'] as const, 'text');
    const reveal = values.reveal === true;
    if (positionals.length !== 1) throw new UsageError('parse: expected exactly one FILE');
    const abs = path.resolve(io.cwd, positionals[0] as string);
    const read = await readEnvFile(abs, positiveInt(values['max-bytes'], 'max-bytes', DEFAULT_MAX_BYTES));
    if (!read.ok) {
      io.stderr(`rekey: ${displayPath(abs, io.cwd)}: ${read.message}\n`);
      return 2;
    }
    const parsed = parseEnv(read.text);
    if (format === 'json') {
      io.stdout(
        JSON.stringify(
          {
            file: displayPath(abs, io.cwd),
            entries: parsed.entries.map((e) => entryJson(e, reveal)),
            problems: parsed.problems.map((p) => ({
              code: p.code,
              severity: p.severity,
              line: p.range.start.line + 1,
              column: p.range.start.character + 1,
              ...(p.key !== undefined ? { key: p.key } : {}),
              message: p.message,
            })),
          },
          null,
          2,
        ) + '\n',
      );
      return 0;
    }
    const out: string[] = [];
    for (const e of parsed.entries) {
      const pos = `${e.range.start.line + 1}:${e.range.start.character + 1}`;
      const flags = [e.quote !== 'none' ? `${e.quote}-quoted` : '', e.exported ? 'export' : '', e.multiline ? 'multiline' : '']
        .filter(Boolean)
        .join(', ');
      const shown = reveal ? ` = ${JSON.stringify(e.value)}` : ` (${e.value.length} chars)`;
      out.push(`${pos.padEnd(8)} ${e.key}${shown}${flags ? `  [${flags}]` : ''}`);
    }
    for (const p of parsed.problems) {
      out.push(`${`${p.range.start.line + 1}:${p.range.start.character + 1}`.padEnd(8)} ${p.severity} ${p.code}: ${p.message}`);
    }
    out.push(`${parsed.entries.length} entries, ${parsed.problems.length} problems`);
    io.stdout(out.join('\n') + '\n');
    return 0;
  },
};
