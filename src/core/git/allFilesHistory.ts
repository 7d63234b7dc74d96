import { ALL_FILES_LOG_ARGS, PatchScanner, scanAllFiles, type AllFilesHit, type AllFilesOptions } from './allFilesScan';
import { EnvBlobCollector, isEnvHistoryPath, type DiscoverOptions, type EnvHistory } from './envHistory';
import type { GitRunner } from './gitRunner';
import { parseMeta } from './rawLog';

/*
 * `--all-files` reads history once. The all-files search needs every commit's patch (`git log
 * -p`); the `.env` history needs every commit's changed paths with their blob ids (`--raw`), and
 * for merges the paths that differ from every parent (`-c`). One `git log -p --raw -c` gives all
 * of it in one revision walk: a merge's combined raw lines (`::`) feed the history, and its
 * combined patch (`diff --combined`, never `diff --git`) is passed over by the search, which reads
 * no merge's patch. The answers are those of `discoverEnvHistory` and `scanAllFiles` run
 * separately.
 */

export interface HistoryAndAllFiles {
  history: EnvHistory;
  hits: AllFilesHit[];
}

/**
 * `discoverEnvHistory` and `scanAllFiles(needles)` from one walk of history. Not for partial clones
 * (the all-files search would fetch every missing blob): callers check first.
 */
export async function readHistoryAndAllFiles(git: GitRunner, needles: string[], options: DiscoverOptions & AllFilesOptions = {}): Promise<HistoryAndAllFiles> {
  const { signal } = options;
  const collector = await EnvBlobCollector.start(git, options);
  if (collector.done) {
    // History is known for these refs already (or the repository is empty): search alone.
    return { history: collector.done, hits: collector.done.state.empty ? [] : await scanAllFiles(git, needles, options) };
  }
  const scanner = new PatchScanner(needles, {
    mustContain: '.env',
    onLine: (commit, time, meta, path) => {
      if (isEnvHistoryPath(path)) collector.onRecord({ commit, time, changes: [parseMeta(meta, path)] });
    },
  });
  const patches = git.stream([...ALL_FILES_LOG_ARGS, '-c', '--raw', '--no-abbrev', '--format=%x00C%H %P %ct'], { signal, bulk: true });
  try {
    await scanner.read(patches, options);
  } catch (err) {
    patches.kill();
    collector.failed(err);
  }
  options.onProgress?.({ phase: 'commits', done: scanner.commits, total: scanner.commits });
  return { history: await collector.finish(scanner.commits), hits: scanner.hits() };
}
