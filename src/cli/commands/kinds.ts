import { KINDS } from '../../core/catalog/kinds';
import type { GeneratorFormat, SecretKind } from '../../core/catalog/types';
import { choice, UsageError, type CliCommand } from '../command';

/** `base64, 64 bytes` — how a replacement value is made. */
function describeGenerator(g: GeneratorFormat): string {
  switch (g.type) {
    case 'base64':
    case 'base64url':
    case 'hex':
      return `${g.type}, ${g.bytes} bytes`;
    case 'alnum':
      return `alphanumeric, ${g.length} characters`;
    case 'uuid':
      return 'UUID';
    case 'provider':
      return 'issued by the provider';
  }
}

function kindJson(k: SecretKind): Record<string, unknown> {
  return {
    id: k.id,
    name: k.name,
    intervalDays: k.intervalDays,
    impact: k.impact,
    pattern: k.pattern,
    generator: k.generator,
    dualWindow: k.dualWindow,
    examples: k.examples,
  };
}

function kindText(k: SecretKind): string {
  return [
    `${k.id} — ${k.name}`,
    `  rotate every ${k.intervalDays} days; pattern: ${k.pattern}; generator: ${describeGenerator(k.generator)}`,
    `  impact: ${k.impact}`,
    `  e.g. ${k.examples.join(', ')}`,
  ].join('\n');
}

export const kindsCommand: CliCommand = {
  name: 'kinds',
  summary: 'List the kinds of secret rekey knows: rotation interval, impact, pattern, generator',
  usage: `rekey kinds [--format text|json]

Prints the catalog of secret kinds. Each kind has a stable id (the \`kind\` field of \`secret\`
findings), a default rotation interval in days, the impact of rotating it, the rotation pattern
and how a replacement value is generated. Override the kind or interval of one key with a
comment above it (\`# rekey: kind=session-signing rotate=30d\`) or in .rekey.json.`,
  options: {
    format: { type: 'string' },
  },
  run(values, positionals, io) {
    const format = choice(values.format, 'format', ['text', 'json'] as const, 'text');
    if (positionals.length) throw new UsageError('kinds: takes no arguments');
    const kinds = Object.values(KINDS);
    if (format === 'json') io.stdout(JSON.stringify({ version: 1, kinds: kinds.map(kindJson) }, null, 2) + '\n');
    else io.stdout(kinds.map(kindText).join('\n\n') + '\n');
    return Promise.resolve(0);
  },
};
