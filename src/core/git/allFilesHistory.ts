import { ALL_FILES_LOG_ARGS, PatchScanner, scanAllFiles, type AllFilesHit, type AllFilesOptions } from './allFilesScan';
import { EnvBlobCollector, isEnvHistoryPath, type DiscoverOptions, type EnvHistory } from './envHistory';
import type { GitRunner } from './gitRunner';
import { parseMeta, RAW_LOG_FORMAT, readRawLog } from './rawLog';

/*
 * `--all-files` reads history once. The all-files search needs every commit's patch (`git log
 * -p`); the `.env` history needs every commit's changed paths with their blob ids (`--raw`), and
 * for merges the paths that differ from every parent (`-c`). One `git log -p --raw` gives both for
 * every commit that is not a merge; merges, whose patches the search does not read, get their
 * combined raw diff from a second, cheap `git log --merges -c --raw`, which computes no patch and
 * no diff of any other commit. The answers are those of `discoverEnvHistory` and `scanAllFiles`
 * run separately.
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
  const patches = git.stream([...ALL_FILES_LOG_ARGS, '--raw', '--no-abbrev', '--format=%x00C%H %P %ct'], { signal, bulk: true });
  const merges = git.stream(['log', '--all', '--merges', '-c', '--raw', '--no-renames', '--no-abbrev', '-z', '--no-color', '--no-ext-diff', '--no-textconv', RAW_LOG_FORMAT], { signal, bulk: true });
  try {
    await Promise.all([
      scanner.read(patches, options),
      readRawLog(merges.stdout, (rec) => collector.onRecord(rec), { pathFilter: isEnvHistoryPath, signal }).then(() => merges.done),
    ]);
  } catch (err) {
    patches.kill();
    merges.kill();
    collector.failed(err);
  }
  options.onProgress?.({ phase: 'commits', done: scanner.commits, total: scanner.commits });
  return { history: await collector.finish(scanner.commits), hits: scanner.hits() };
}
