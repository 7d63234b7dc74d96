import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { shellQuote, shellSingleQuote } from '../../../../src/core/text/shellQuote';

// The judge is a real POSIX shell: each quoted word must come back as exactly one argument.
function throughShell(word: string): string[] {
  const out = execFileSync('/bin/sh', ['-c', `for a in ${word}; do printf '%s\\0' "$a"; done`], { encoding: 'utf8' });
  return out.split('\0').slice(0, -1);
}

describe('shellQuote', () => {
  const samples = ['.env', 'config/.env.local', "it's here", 'a b', '$HOME', '`id`', 'x;rm -rf', 'name@host:1,2+3=%', '*.bak', 'new\nline', ''];

  it('survives a real shell as one unchanged word', () => {
    for (const s of samples) {
      assert.deepEqual(throughShell(shellQuote(s)), [s], JSON.stringify(s));
      assert.deepEqual(throughShell(shellSingleQuote(s)), [s], JSON.stringify(s));
    }
  });

  it('leaves plain paths bare and always quotes in single-quote mode', () => {
    assert.equal(shellQuote('config/.env.local'), 'config/.env.local');
    assert.equal(shellQuote('a b'), "'a b'");
    assert.equal(shellSingleQuote('.env'), "'.env'");
  });
});
