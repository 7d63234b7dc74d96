// The other side of the bench's parse rows: the same reader around `dotenv.parse`.
import { readFileSync } from 'node:fs';
import { parse } from 'dotenv';

process.stdout.write(`${Object.keys(parse(readFileSync(process.argv[2] as string, 'utf8'))).length}\n`);
