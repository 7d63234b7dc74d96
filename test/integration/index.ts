// The integration-test entry: build.mjs bundles this file and the suites into
// out/integration/tests.js; the extension host loads it (through the loader
// out/integration/index.js, its extensionTestsPath) and awaits run().
//
// Which suites run is chosen per launcher run through the environment:
//   REKEY_TEST_SUITES  comma-separated globs over paths relative to test/integration
//                      (default `**/*.test.ts`)
//   REKEY_TEST_GREP    only tests whose full title matches this regular expression
// The last line printed is always `REKEY_INTEGRATION_DONE passed=N failed=M`; the launchers
// treat a run without it (a crashed or hung host) as failed.
import Mocha from 'mocha';
import { findSourceMap } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { format } from 'node:util';

interface SuiteModule {
  readonly id: string;
  readonly load: () => unknown;
}

const registered: SuiteModule[] = [];

/** Called by the generated bundle entry once per suite file; `load` requires the suite lazily. */
export function registerSuite(id: string, load: () => unknown): void {
  registered.push({ id, load });
}

export function run(): Promise<void> {
  // The remote host may take PATH from a login shell (Debian's /etc/profile resets it), dropping
  // the recording git shim the launcher put first; put it back before any suite runs.
  const shim = process.env.REKEY_TEST_GIT_SHIM_DIR;
  if (shim && !(process.env.PATH ?? '').startsWith(shim + path.delimiter)) process.env.PATH = `${shim}${path.delimiter}${process.env.PATH ?? ''}`;
  // The host forwards console arguments without applying printf-style formats, and mocha's
  // reporters log with them ('%s passing'), so format before printing.
  Mocha.reporters.Base.consoleLog = (...args: unknown[]) => print(format(...args));
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: Mocha.reporters.Spec });
  const grep = process.env.REKEY_TEST_GREP;
  if (grep) {
    mocha.grep(new RegExp(grep));
  }
  const patterns = splitPatterns(process.env.REKEY_TEST_SUITES ?? '**/*.test.ts');
  const matchers = patterns.map(globToRegExp);
  const selected = registered.filter((s) => matchers.some((m) => m.test(s.id)));
  print(`[rekey-it] suites: ${selected.map((s) => s.id).join(', ') || '(none)'} (patterns: ${patterns.join(', ')}${grep ? `; grep: ${grep}` : ''})`);

  let loadFailures = 0;
  for (const suite of selected) {
    // What `mocha.addFile` + `loadFiles` would do, for a module that is already bundled.
    mocha.suite.emit('pre-require', globalThis, suite.id, mocha);
    try {
      mocha.suite.emit('require', suite.load(), suite.id, mocha);
    } catch (err) {
      loadFailures++;
      print(`[rekey-it] suite ${suite.id} failed to load: ${mapStack(describeError(err))}`);
    }
    mocha.suite.emit('post-require', globalThis, suite.id, mocha);
  }

  return new Promise<void>((resolve, reject) => {
    try {
      const runner = mocha.run((failures) => {
        const passed = runner.stats?.passes ?? 0;
        const failed = Math.max(failures, runner.stats?.failures ?? 0) + loadFailures;
        print(`REKEY_INTEGRATION_DONE passed=${passed} failed=${failed}`);
        if (failed > 0) {
          reject(new Error(`${failed} integration test(s) failed`));
        } else {
          resolve();
        }
      });
      // Before the reporter prints them at the end, point failure stacks at the .ts sources.
      runner.on('fail', (_test, err: unknown) => {
        if (err instanceof Error && err.stack) err.stack = mapStack(err.stack);
      });
    } catch (err) {
      print(`[rekey-it] mocha failed to start: ${describeError(err)}`);
      print(`REKEY_INTEGRATION_DONE passed=0 failed=${loadFailures + 1}`);
      reject(err instanceof Error ? err : new Error(String(err)));
    }
  });
}

/** Splits `a.test.ts,{b,c}/**` at the commas that are not inside braces. */
function splitPatterns(list: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let current = '';
  for (const c of list) {
    if (c === ',' && depth === 0) {
      out.push(current);
      current = '';
      continue;
    }
    if (c === '{') depth++;
    if (c === '}') depth = Math.max(0, depth - 1);
    current += c;
  }
  out.push(current);
  return out.map((p) => p.trim()).filter(Boolean);
}

/** A glob over `/`-separated paths: `**` spans folders, `*` and `?` stay inside one, `{a,b}` alternates. */
function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      const slash = glob[i + 2] === '/';
      re += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') {
      re += '[^/]*';
    } else if (c === '?') {
      re += '[^/]';
    } else if (c === '{') {
      re += '(?:';
    } else if (c === '}') {
      re += ')';
    } else if (c === ',') {
      re += '|';
    } else {
      re += c.replace(/[.+^$()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${re}$`);
}

/**
 * Rewrites `bundle.js:line:col` frames to the original sources. The extension host installs
 * its own Error.prepareStackTrace, which bypasses Node's source-map support, so do it by hand
 * with the map Node loaded for the bundle.
 */
function mapStack(stack: string): string {
  return stack.replace(/(\/[^\s():]+\.js):(\d+):(\d+)/g, (frame, file: string, line: string, column: string) => {
    const map = findSourceMap(file);
    const entry = map?.findEntry(Number(line) - 1, Number(column) - 1);
    if (!entry || !('originalSource' in entry) || !entry.originalSource) return frame;
    const source = entry.originalSource.startsWith('file:')
      ? fileURLToPath(entry.originalSource)
      : path.resolve(path.dirname(file), entry.originalSource);
    return `${source}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
  });
}

function describeError(err: unknown): string {
  return err instanceof Error ? (err.stack ?? err.message) : String(err);
}

/** The host forwards console output to the launcher; this is the one sanctioned use of it. */
function print(line: string): void {
  // eslint-disable-next-line no-console
  console.log(line);
}
