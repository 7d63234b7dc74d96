// One side of the bench's parse rows: read a file, parse it with rekey's parser, print the count.
// Bundled by bench/run.mjs with the same esbuild options as its dotenv counterpart.
import { readFileSync } from 'node:fs';
import { parseEnv } from '../../src/core/env/parse';

process.stdout.write(`${parseEnv(readFileSync(process.argv[2] as string, 'utf8')).entries.length}\n`);
