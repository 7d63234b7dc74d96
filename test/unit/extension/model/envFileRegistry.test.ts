import * as assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import { EnvFileRegistry } from '../../../../src/extension/model/envFileRegistry';
import { fileUri, folder } from './fakeVscode';

describe('extension/model/envFileRegistry', () => {
  const api = folder('/w/api');
  const web = folder('/w/web', 1);
  const folderOf = (uri: vscode.Uri) => [api, web].find((f) => uri.fsPath.startsWith(f.uri.fsPath + '/'));

  it('groups files by workspace folder, with their role from the name', () => {
    const r = new EnvFileRegistry(folderOf);
    const g = r.ensureTracked(fileUri('/w/api/.env'))!;
    r.ensureTracked(fileUri('/w/api/.env.example'));
    r.ensureTracked(fileUri('/w/web/.env'));
    assert.equal(g.key, api.uri.toString());
    assert.equal(g.root, '/w/api');
    assert.deepEqual([...g.files.values()].map((f) => `${f.path}:${f.role}`), ['/w/api/.env:env', '/w/api/.env.example:template']);
    assert.equal(r.groupOfTracked(fileUri('/w/web/.env'))?.folder, web);
    assert.equal(r.size(), 3);
  });

  it('follows a file outside every folder while open, in a loose group that goes with its last file', () => {
    const r = new EnvFileRegistry(folderOf);
    assert.equal(r.ensureTracked(fileUri('/tmp/x/.env'), true), undefined, 'not from disk events');
    const loose = r.ensureTracked(fileUri('/tmp/x/.env'))!;
    assert.equal(loose.folder, undefined);
    assert.equal(loose.root, '/tmp/x');
    r.untrack(loose, fileUri('/tmp/x/.env'));
    assert.equal(r.all().length, 0);
    assert.equal(r.isCurrent(loose), false);
  });

  it('keeps open files that discovery no longer finds, and reports the others as gone', () => {
    const r = new EnvFileRegistry(folderOf);
    r.setDiscovered(api, [fileUri('/w/api/.env'), fileUri('/w/api/.env.local'), fileUri('/w/api/.env.test')], () => false);
    const { group, gone } = r.setDiscovered(api, [fileUri('/w/api/.env')], (u) => u.fsPath.endsWith('.local'));
    assert.deepEqual(gone.map((f) => f.path), ['/w/api/.env.test']);
    assert.deepEqual([...group.files.values()].map((f) => f.path), ['/w/api/.env', '/w/api/.env.local']);
  });

  it('stops following every file under a deleted folder, and only those', () => {
    const r = new EnvFileRegistry(folderOf);
    r.ensureTracked(fileUri('/w/api/svc/.env'));
    r.ensureTracked(fileUri('/w/api/svc2/.env'));
    const [removed] = r.untrackUnder('/w/api/svc');
    assert.deepEqual(removed?.gone.map((f) => f.path), ['/w/api/svc/.env']);
    assert.ok(r.tracked(fileUri('/w/api/svc2/.env')), 'a sibling whose name starts the same stays');
  });

  it('a removed folder\'s group is no longer current; a new group for the folder starts empty', () => {
    const r = new EnvFileRegistry(folderOf);
    const g = r.ensureTracked(fileUri('/w/api/.env'))!;
    assert.equal(r.remove(g.key), g);
    assert.equal(r.isCurrent(g), false);
    assert.equal(r.ensureGroup(api).files.size, 0);
  });
});
