import * as assert from 'node:assert/strict';
import { promises as fs, realpathSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type * as vscode from 'vscode';
import { silentLogger } from '../../../../src/core/log';
import { PassScheduler } from '../../../../src/core/schedule/passScheduler';
import { CodeHints } from '../../../../src/extension/model/codeHints';
import type { OpenDocument } from '../../../../src/extension/model/documentReader';
import { EnvFileRegistry } from '../../../../src/extension/model/envFileRegistry';
import { HistoryTracker } from '../../../../src/extension/model/historyTracker';
import { PassRunner } from '../../../../src/extension/model/passRunner';
import { PassTimings } from '../../../../src/extension/model/passTimings';
import { RepositoryWatcher } from '../../../../src/extension/model/repositoryWatcher';
import type { RekeySettings } from '../../../../src/extension/settings';
import { fileUri, folder } from './fakeVscode';

const TOKEN = 'ghp_' + 'a8Kq2Zr7Xw4Lm9Np3Tv6Yb1Cd5Fg0Hj2Qs'; // GitHub token format, random body

const SETTINGS: RekeySettings = {
  maskEnabled: true, revealTimeoutSeconds: 30, clipboardClearSeconds: 30, debounceMs: 200, maxFileSizeKB: 1024, historyEnabled: true, historyAllFiles: false,
  backupFolder: '', backupGlobs: [], dueSoonDays: 14, kinds: {}, intervals: {}, notSecret: [], offerHookInstall: false, reportUndefinedKeys: false,
};

/**
 * The model's units wired as the extension wires them, with VS Code's parts replaced by plain
 * values: real files in a temporary folder (no repository), open documents from a map.
 */
describe('extension/model/passRunner', () => {
  let root: string;
  let stateDir: string;
  beforeEach(async () => {
    root = realpathSync(await fs.mkdtemp(path.join(os.tmpdir(), 'rekey-passes-')));
    stateDir = await fs.mkdtemp(path.join(os.tmpdir(), 'rekey-passes-state-'));
  });
  afterEach(async () => {
    await fs.rm(root, { recursive: true, force: true });
    await fs.rm(stateDir, { recursive: true, force: true });
  });

  function setup(options: { trusted?: boolean; settings?: Partial<RekeySettings> } = {}) {
    const ws = folder(root);
    const registry = new EnvFileRegistry((uri) => (uri.fsPath.startsWith(root + path.sep) ? ws : undefined));
    const scheduler = new PassScheduler();
    const fired: Array<string[] | undefined> = [];
    const historyChanges: string[] = [];
    const history = new HistoryTracker({ logger: silentLogger, onDidChange: () => historyChanges.push('h'), memento: { get: () => undefined, update: () => Promise.resolve() } as never, notifyOnce: () => Promise.resolve(undefined), manageTrust: () => undefined });
    const docs = new Map<string, OpenDocument>();
    const passTimings = new PassTimings();
    const passes: PassRunner = new PassRunner({
      registry,
      hints: new CodeHints({ logger: silentLogger, trusted: () => options.trusted ?? false, onHintsChanged: () => undefined, findHints: () => Promise.resolve(new Map()) }),
      history,
      repositories: new RepositoryWatcher({ createWatcher: () => assert.fail('no repository here'), scheduler, onRepositoryChanged: () => undefined, logger: silentLogger }),
      timings: passTimings,
      scheduler,
      logger: silentLogger,
      stateDir,
      settingsOf: () => ({ settings: { ...SETTINGS, ...options.settings }, detect: {} }),
      trusted: () => options.trusted ?? false,
      openDocument: (uri: vscode.Uri) => docs.get(uri.fsPath),
      fire: (uris) => fired.push(uris?.map((u) => path.basename(u.fsPath))),
    });
    const timings = () => passTimings.list();
    return { ws, registry, scheduler, passes, fired, history, historyChanges, docs, timings };
  }

  it('an edit re-analyses the edited file and tells listeners about it alone', async () => {
    await fs.writeFile(path.join(root, '.env'), `GITHUB_TOKEN=${TOKEN}\nPORT=1\n`);
    await fs.writeFile(path.join(root, '.env.local'), 'DEBUG=1\n');
    const { ws, registry, scheduler, passes, fired, docs, timings } = setup();
    const { group } = registry.setDiscovered(ws, [fileUri(path.join(root, '.env')), fileUri(path.join(root, '.env.local'))], () => false);
    await passes.runNow(group, 'fast', 'discovery', false);
    assert.deepEqual(fired.at(-1), ['.env', '.env.local']);
    const env = registry.tracked(fileUri(path.join(root, '.env')))!;
    assert.deepEqual(env.analysis?.secrets.map((s) => s.entry.key), ['GITHUB_TOKEN']);

    docs.set(env.path, { version: 2, isDirty: true, getText: () => `GITHUB_TOKEN=${TOKEN}\nPORT 1\n` });
    passes.noteEdit(group);
    passes.schedule(group, 'fast', 0, 'edit');
    await scheduler.whenIdle();
    assert.deepEqual(fired.at(-1), ['.env']);
    assert.ok(env.analysis?.findings.some((f) => f.rule === 'no-equals' && f.range.start.line === 1));
    const last = timings().at(-1)!;
    assert.equal(last.reason, 'edit');
    assert.equal(last.analysed, 1);
    assert.equal(last.files, 2);
    assert.ok(last.requestedAt !== undefined && last.debounceMs === 200);
  });

  it('in an untrusted workspace, runs no git pass and says why', async () => {
    await fs.writeFile(path.join(root, '.env'), 'A=1\n');
    const { ws, registry, scheduler, passes, history } = setup({ trusted: false });
    const { group } = registry.setDiscovered(ws, [fileUri(path.join(root, '.env'))], () => false);
    passes.scheduleGit(group, 0, 'discovery');
    await passes.runNow(group, 'git', 'scan history', true);
    await scheduler.whenIdle();
    assert.equal(history.get(group.key)?.status, 'untrusted');
  });

  it('with history turned off, drops git results and shows the setting', async () => {
    await fs.writeFile(path.join(root, '.env'), 'A=1\n');
    const { ws, registry, scheduler, passes, history } = setup({ trusted: true, settings: { historyEnabled: false } });
    const { group } = registry.setDiscovered(ws, [fileUri(path.join(root, '.env'))], () => false);
    group.gitFindings = [{ file: path.join(root, '.env'), range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, rule: 'env-tracked', severity: 'error', message: 'tracked' }];
    passes.scheduleGit(group, 0, 'settings changed');
    await scheduler.whenIdle();
    assert.equal(history.get(group.key)?.status, 'disabled');
    assert.deepEqual(group.gitFindings, []);
    assert.ok(!registry.tracked(fileUri(path.join(root, '.env')))!.analysis!.findings.some((f) => f.rule === 'env-tracked'));
  });

  it('in a trusted folder outside any repository, the git pass says history is unavailable', async () => {
    await fs.writeFile(path.join(root, '.env'), 'A=1\n');
    const { ws, registry, scheduler, passes, history } = setup({ trusted: true });
    const { group } = registry.setDiscovered(ws, [fileUri(path.join(root, '.env'))], () => false);
    await passes.runNow(group, 'git', 'scan history', true);
    await scheduler.whenIdle();
    assert.equal(history.get(group.key)?.status, 'unavailable');
  });

  it('drops the results of a folder removed while its pass ran', async () => {
    await fs.writeFile(path.join(root, '.env'), 'A=1\n');
    const { ws, registry, passes, fired } = setup();
    const { group } = registry.setDiscovered(ws, [fileUri(path.join(root, '.env'))], () => false);
    registry.remove(group.key);
    await passes.runNow(group, 'fast', 'discovery', false);
    assert.deepEqual(fired, []);
  });
});
