import * as path from 'node:path';
import { KINDS } from '../../core/catalog/kinds';
import { detectEntry } from '../../core/detect/detect';
import { parseEnv } from '../../core/env/parse';
import { readEnvFile } from '../../core/fs/readTextFile';
import { defaultFormat, FormatSpecError, generateValue, inferFormat, parseFormatSpec, type TargetFormat } from '../../core/rotation/generate';
import { findUrlPassword } from '../../core/rotation/urlPassword';
import { UsageError, type CliCommand } from '../command';
import { displayPath } from '../paths';
import { kindOption } from './rotate';

export const generateCommand: CliCommand = {
  name: 'generate',
  summary: 'Print one fresh random secret (by kind, like an existing key, or in a given format)',
  usage: `rekey generate [--kind KIND | --like KEY [--file FILE] | --format FORMAT]

Prints one new random value from node:crypto, followed by a line break. This is the one rekey
command whose purpose is to print a secret.

  --kind KIND     the catalog's default format for a kind (session-signing: 64 bytes base64, ...)
  --like KEY      same encoding and length as KEY's current value in FILE (default .env)
  --format SPEC   hex:BYTES, base64:BYTES, base64url:BYTES, alnum:LENGTH or uuid
                  (e.g. hex:32, base64:64, base64url:48, alnum:24)

Without an option: base64url:32.`,
  options: {
    kind: { type: 'string' },
    like: { type: 'string' },
    file: { type: 'string' },
    format: { type: 'string' },
  },
  async run(values, positionals, io) {
    if (positionals.length > 0) throw new UsageError('generate: takes no positional arguments (use --like KEY)');
    const chosen = ['kind', 'like', 'format'].filter((k) => values[k] !== undefined);
    if (chosen.length > 1) throw new UsageError(`generate: use only one of --kind, --like and --format (got ${chosen.map((c) => `--${c}`).join(', ')})`);
    if (values.file !== undefined && values.like === undefined) throw new UsageError('generate: --file only goes with --like KEY');

    let format: TargetFormat = { type: 'base64url', bytes: 32 };
    if (typeof values.format === 'string') {
      try {
        format = parseFormatSpec(values.format);
      } catch (err) {
        if (err instanceof FormatSpecError) throw new UsageError(`generate: ${err.message}`);
        throw err;
      }
    } else if (values.kind !== undefined) {
      const kind = kindOption(values.kind);
      if (kind) format = defaultFormat(kind);
    } else if (typeof values.like === 'string') {
      const key = values.like;
      const file = path.resolve(io.cwd, typeof values.file === 'string' ? values.file : '.env');
      const read = await readEnvFile(file);
      if (!read.ok) throw new UsageError(`generate: ${displayPath(file, io.cwd)}: ${read.message}`);
      const entry = parseEnv(read.text).entries.filter((e) => e.key === key).pop();
      if (!entry) throw new UsageError(`generate: ${key} is not defined in ${displayPath(file, io.cwd)}`);
      const url = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(entry.value) ? findUrlPassword(entry.value) : undefined;
      const kind = detectEntry(entry, read.text)?.kind ?? (url ? 'connection-url' : 'generic-secret');
      format = inferFormat(url ? url.decoded : entry.value, url && KINDS[kind].generator.type !== 'provider' ? 'connection-url' : kind).format;
    }
    if (format.type === 'provider') {
      throw new UsageError('generate: this kind of credential is issued by its provider; create it in the provider\'s console');
    }
    io.stdout(generateValue(format) + '\n');
    return 0;
  },
};
