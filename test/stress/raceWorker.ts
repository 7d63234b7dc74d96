import { appendFileSync } from 'node:fs';
import { restoreKeyInFile } from '../../src/core/backup/restore';
import { writeFileAtomic } from '../../src/core/fs/atomicWrite';

/*
 * The processes of the write-race trials (runWriteRaces.mjs), bundled once and started many
 * times. Each prints one JSON line saying what it did, so the parent can check that nothing it
 * reported as done was lost.
 *   restore LIVE BACKUP KEY     rekey's restore of one key (backup + checked atomic write)
 *   append FILE ID COUNT        a concurrent editor: appends COUNT lines with O_APPEND
 *   rewrite FILE A B            rewrites FILE between the contents of files A and B until killed
 */

function out(x: unknown): void {
  process.stdout.write(JSON.stringify(x) + '\n');
}

async function main(): Promise<void> {
  const [mode, ...args] = process.argv.slice(2);
  if (mode === 'restore') {
    const [live, backup, key] = args as [string, string, string];
    try {
      const r = await restoreKeyInFile(live, backup, key);
      out({ ok: true, action: r.change.action, ...(r.savedAs ? { savedAs: r.savedAs } : {}) });
    } catch (err) {
      out({ ok: false, code: (err as { code?: string }).code ?? 'error', message: (err as Error).message });
    }
  } else if (mode === 'append') {
    const [file, id, count] = args as [string, string, string];
    for (let i = 0; i < Number(count); i++) {
      await new Promise((r) => setTimeout(r, Math.random() * 4));
      appendFileSync(file, `EDIT_${id}_${i}=1\n`);
      out({ appended: `EDIT_${id}_${i}` });
    }
  } else if (mode === 'rewrite') {
    const { readFileSync } = await import('node:fs');
    const [file, a, b] = args as [string, string, string];
    const texts = [readFileSync(a, 'utf8'), readFileSync(b, 'utf8')];
    for (let i = 0; ; i++) {
      const current = readFileSync(file, 'utf8');
      await writeFileAtomic(file, current === texts[0] ? (texts[1] as string) : (texts[0] as string), { expected: current });
      if (i === 0) out({ started: true });
    }
  } else {
    throw new Error(`unknown mode ${String(mode)}`);
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  },
);
