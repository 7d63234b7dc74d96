import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AuthSecretHint } from '../../../../src/core/consumers/authSecretHints';
import { kindHintsForScan } from '../../../../src/core/detect/scanKindHints';
import { silentLogger } from '../../../../src/core/log';
import type { ScanContext } from '../../../../src/core/findings/scanContext';

describe('core/consumers/scanKindHints', () => {
  it('uses precomputed hints from the scan options instead of reading the code', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'rekey-hints-'));
    try {
      // The code says PROXYOS_SECRET is a session secret; the precomputed hints say otherwise.
      await fs.writeFile(path.join(dir, 'auth.ts'), "import { betterAuth } from 'better-auth';\nexport const auth = betterAuth({ secret: process.env.PROXYOS_SECRET });\n");
      const given = new Map<string, AuthSecretHint>([['OTHER_KEY', { kind: 'session-signing', detail: 'x.ts:1', consumer: 'better-auth', file: '/x.ts', line: 1 }]]);
      const ctx: ScanContext = { files: [], roots: [dir], options: { kindHints: given }, logger: silentLogger };
      const hints = await kindHintsForScan(ctx);
      assert.deepEqual([...hints.keys()], ['OTHER_KEY']);
      const fresh: ScanContext = { files: [], roots: [dir], options: {}, logger: silentLogger };
      assert.deepEqual([...(await kindHintsForScan(fresh)).keys()], ['PROXYOS_SECRET']);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
