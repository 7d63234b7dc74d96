// In an untrusted workspace the live commands connect to nothing: they refuse with one message.
import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import * as vscode from 'vscode';
import { closeAll, fileUri, rekeyApi } from '../support/rekey';

describe('untrusted workspace: live commands', function () {
  this.timeout(60_000);
  afterEach(closeAll);

  it('Verify Secrets and Rotate Secret on the Server refuse and open no connection', async () => {
    let connections = 0;
    const server = net.createServer((s) => {
      connections++;
      s.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const api = await rekeyApi();
      const before = api.notifications().length;
      const verify = await vscode.commands.executeCommand('rekey.verifySecrets', { showReport: false });
      const rotate = await vscode.commands.executeCommand('rekey.rotateSecretLive', { uri: fileUri('.env'), key: 'API_TOKEN', confirm: true });
      assert.equal(verify, undefined);
      assert.equal(rotate, undefined);
      assert.equal(connections, 0);
      // Each command refuses once, with the reason, and shows no results.
      const shown = api.notifications().slice(before);
      assert.equal(shown.length, 2, shown.join(' | '));
      assert.match(shown[0] ?? '', /Verify Secrets .*trust this workspace first/);
      assert.match(shown[1] ?? '', /needs a trusted workspace/);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
