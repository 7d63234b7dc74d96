// A small ESLint rule that keeps the folders of src/core a DAG: every folder has a layer, and a
// file may import only from its own folder or from folders of strictly lower layers. Folders of
// the same layer are peers and may not import each other, so no cycle can form.
//
// Why not `import/no-cycle`: it is file-level (a folder cycle made of two unrelated file edges,
// `age/a -> backup/b` and `backup/c -> age/d`, is no file cycle) and it walks the whole module
// graph per file, which costs seconds on every lint. This rule looks at one import at a time.
import * as path from 'node:path';

/** Lowest first. A folder missing here is an error, so a new folder must be placed on purpose. */
export const CORE_LAYERS = [
  ['text', 'log', 'vendor', 'schedule'],
  ['fs', 'state'],
  ['env', 'catalog'],
  // Fixes for parse problems: text edits that dotenv reads back the same.
  ['fix'],
  // The process layer of core/git (see GIT_RUNNER_FILES): below everything that lists files.
  ['git-runner'],
  ['workspace'],
  ['consumers'],
  ['findings'],
  ['detect'],
  // History analysis, tracking and ignore checks: the rest of core/git.
  ['git'],
  // Ages and the ledger; backups use both (a restore puts a value's `# rotated:` line back).
  ['age'],
  ['backup'],
  ['rotation', 'hook'],
  // Live verification and rotation drivers: may use rotation, detect, env, fs, state.
  ['live'],
  // The pipelines (scan, ages, git pass) that the CLI, the hook and the editor run.
  ['analysis'],
];

/**
 * Files of core/git that start git or shape how it starts. They form their own layer so that the
 * workspace file lister and the consumer scan can run git while git's history rules use detection.
 */
export const GIT_RUNNER_FILES = new Set(['gitRunner', 'gitStream', 'catFileBatch', 'safeConfig', 'gitErrors', 'repoRoot']);

const rank = new Map(CORE_LAYERS.flatMap((names, i) => names.map((n) => [n, i])));

/** The layer name of a file under src/core, or undefined outside it. */
export function coreUnitOf(file) {
  const parts = file.split(path.sep).join('/').split('/');
  const i = parts.lastIndexOf('core');
  if (i < 1 || parts[i - 1] !== 'src' || i + 1 >= parts.length) return undefined;
  const rest = parts.slice(i + 1);
  if (rest.length === 1) return rest[0].replace(/\.ts$/, '');
  const folder = rest[0];
  if (folder === 'git' && GIT_RUNNER_FILES.has(rest[rest.length - 1].replace(/\.ts$/, ''))) return 'git-runner';
  return folder;
}

export const coreLayersRule = {
  meta: {
    type: 'problem',
    docs: { description: 'Keep src/core folder dependencies a DAG (see ARCHITECTURE.md)' },
    schema: [],
    messages: {
      upward: "core/{{from}} (layer {{fromRank}}) may not import core/{{to}} (layer {{toRank}}): move the shared code down to a folder both can use, or pass it in as a parameter.",
      unknown: "core/{{name}} has no layer: add it to CORE_LAYERS in eslint/coreLayers.mjs.",
    },
  },
  create(context) {
    const file = context.filename;
    const from = coreUnitOf(file);
    if (from === undefined) return {};
    const check = (node) => {
      const spec = node.source?.value;
      if (typeof spec !== 'string' || !spec.startsWith('.')) return;
      const to = coreUnitOf(path.resolve(path.dirname(file), spec) + '.ts');
      if (to === undefined || to === from) return;
      for (const name of [from, to]) {
        if (!rank.has(name)) {
          context.report({ node: node.source, messageId: 'unknown', data: { name } });
          return;
        }
      }
      if (rank.get(to) >= rank.get(from)) {
        context.report({ node: node.source, messageId: 'upward', data: { from, to, fromRank: rank.get(from), toRank: rank.get(to) } });
      }
    };
    return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check, ImportExpression: check };
  },
};

export default { rules: { 'core-layers': coreLayersRule } };
