import * as assert from 'node:assert/strict';
import { COMMAND_LOADERS, loadCommands } from '../../../src/cli/main';

describe('cli command table', () => {
  it('names each lazily loaded command by the name the command itself declares', () => {
    const commands = loadCommands();
    assert.deepEqual(commands.map((c) => c.name), COMMAND_LOADERS.map(([n]) => n));
    assert.equal(new Set(commands.map((c) => c.name)).size, commands.length, 'no name twice');
  });
});
