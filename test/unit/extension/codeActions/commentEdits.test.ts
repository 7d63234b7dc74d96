import * as assert from 'node:assert/strict';
import { detectSecrets } from '../../../../src/core/detect/detect';
import { parseEnv } from '../../../../src/core/env/parse';
import { ignoreEdit, setKindEdit, type LineEdit } from '../../../../src/extension/codeActions/commentEdits';

/** Applies a line edit to a text (what the WorkspaceEdit does in the editor). */
function apply(text: string, e: LineEdit): string {
  const lines = text.split('\n');
  const line = lines[e.line] ?? '';
  lines[e.line] = line.slice(0, e.character) + e.newText + line.slice(e.character + e.length);
  return lines.join('\n');
}

function entry(text: string, key: string) {
  const e = parseEnv(text).entries.filter((x) => x.key === key).at(-1);
  assert.ok(e, key);
  return e;
}

const CANARY = 'REKEY_CANARY_7f3a9c1e5b_Zk3p9QmV7yXc2LrT8bNw';

describe('extension/codeActions/commentEdits', () => {
  it('ignoreEdit puts # rekey-ignore directly above the entry, keeping its indentation, and detection honours it', () => {
    const text = `A=1\n  API_TOKEN=${CANARY}\n`;
    const out = apply(text, ignoreEdit(text, entry(text, 'API_TOKEN'), '\n'));
    assert.equal(out, `A=1\n  # rekey-ignore\n  API_TOKEN=${CANARY}\n`);
    const s = detectSecrets(parseEnv(out), out).find((x) => x.entry.key === 'API_TOKEN');
    assert.equal(s?.suppressed?.by, 'rekey-ignore');
  });

  it('ignoreEdit keeps CRLF files CRLF', () => {
    const text = `API_TOKEN=${CANARY}\r\n`;
    assert.equal(apply(text, ignoreEdit(text, entry(text, 'API_TOKEN'), '\r\n')), `# rekey-ignore\r\nAPI_TOKEN=${CANARY}\r\n`);
  });

  it('setKindEdit adds an annotation line that detection reads', () => {
    const text = `# some note\nPROXYOS_SECRET=${CANARY}\n`;
    const out = apply(text, setKindEdit(text, entry(text, 'PROXYOS_SECRET'), 'session-signing', '\n'));
    assert.equal(out, `# some note\n# rekey: kind=session-signing\nPROXYOS_SECRET=${CANARY}\n`);
    assert.equal(detectSecrets(parseEnv(out), out)[0]?.kind, 'session-signing');
  });

  it('setKindEdit replaces an existing kind= and extends an existing # rekey: line', () => {
    const a = `# rekey: rotate=30d kind=api-token\nX_SECRET=${CANARY}\n`;
    assert.equal(apply(a, setKindEdit(a, entry(a, 'X_SECRET'), 'webhook-secret', '\n')), `# rekey: rotate=30d kind=webhook-secret\nX_SECRET=${CANARY}\n`);
    const b = `# rekey: rotate=30d   \nX_SECRET=${CANARY}\n`;
    assert.equal(apply(b, setKindEdit(b, entry(b, 'X_SECRET'), 'pepper', '\n')), `# rekey: rotate=30d kind=pepper   \nX_SECRET=${CANARY}\n`);
  });

  it('setKindEdit goes above a suppression marker so the marker still applies', () => {
    const text = `# rekey-ignore\nX_SECRET=${CANARY}\n`;
    const out = apply(text, setKindEdit(text, entry(text, 'X_SECRET'), 'pepper', '\n'));
    assert.equal(out, `# rekey: kind=pepper\n# rekey-ignore\nX_SECRET=${CANARY}\n`);
    const s = detectSecrets(parseEnv(out), out)[0];
    assert.equal(s?.kind, 'pepper');
    assert.ok(s?.suppressed);
  });

  it('targets the last definition of a duplicated key (the one dotenv uses)', () => {
    const text = `K_SECRET=${CANARY}\nK_SECRET=${CANARY}x\n`;
    const e = ignoreEdit(text, entry(text, 'K_SECRET'), '\n');
    assert.equal(e.line, 1);
  });
});
