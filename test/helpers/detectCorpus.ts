/*
 * Scoring for the labelled detection corpus (test/fixtures/detect, see its README) and for
 * secretlint's public test cases (shared/corpus/detect/secretlint). Shared by the benchmark
 * (bench/detect.ts) and the unit test that guards the goals.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { isKindId } from '../../src/core/catalog/types';
import { detectEntry, detectSecrets, judgeValue } from '../../src/core/detect/detect';
import { parseEnv } from '../../src/core/env/parse';
import type { Confidence } from '../../src/core/findings/finding';
import { REPO_ROOT } from './shared';

export const LABELLED_ROOT = path.join(REPO_ROOT, 'test', 'fixtures', 'detect');

export interface Score {
  source: string;
  /** Labelled secrets and how many were detected. */
  secrets: number;
  found: number;
  /** The provider-format subset. */
  providerSecrets: number;
  providerFound: number;
  /** Labelled non-secrets and how many were (wrongly) detected. */
  nonSecrets: number;
  falsePositives: number;
  /** Detected secrets whose inferred kind equals the label's kind. */
  kindLabelled: number;
  kindCorrect: number;
  /** `file:KEY` (or `case:line`) of misses and false positives; never values. */
  misses: string[];
  falsePositiveKeys: string[];
  kindMismatches: string[];
}

export function emptyScore(source: string): Score {
  return { source, secrets: 0, found: 0, providerSecrets: 0, providerFound: 0, nonSecrets: 0, falsePositives: 0, kindLabelled: 0, kindCorrect: 0, misses: [], falsePositiveKeys: [], kindMismatches: [] };
}

export function addScores(into: Score, s: Score): Score {
  for (const k of ['secrets', 'found', 'providerSecrets', 'providerFound', 'nonSecrets', 'falsePositives', 'kindLabelled', 'kindCorrect'] as const) into[k] += s[k];
  into.misses.push(...s.misses);
  into.falsePositiveKeys.push(...s.falsePositiveKeys);
  into.kindMismatches.push(...s.kindMismatches);
  return into;
}

export const ratio = (n: number, d: number): number => (d === 0 ? 1 : n / d);

type Labels = Record<string, Record<string, string>>;

const RANK: Record<Confidence, number> = { low: 0, medium: 1, high: 2 };

/** Whether a detection counts at this minimum confidence. */
export function atLeast(confidence: Confidence, min: Confidence): boolean {
  return RANK[confidence] >= RANK[min];
}

/** What to score: findings at or above `min`, in files `files` accepts (default all). */
export interface ScoreOptions {
  min?: Confidence;
  files?: (name: string) => boolean;
}

/** Files of provider formats under neutral names (`VALUE_17`): the format alone must identify them. */
export const isNeutralFile = (name: string): boolean => name.startsWith('neutral');

/** Folders of the labelled corpus (each has a labels.json). */
export function labelledFolders(root = LABELLED_ROOT): string[] {
  return readdirSync(root)
    .map((n) => path.join(root, n))
    .filter((p) => statSync(p).isDirectory())
    .sort();
}

/**
 * Scores one folder: every entry of every labelled file must have a label (a missing label is
 * an error, so the corpus cannot silently shrink).
 */
export function scoreLabelledFolder(dir: string, options: ScoreOptions = {}): Score {
  const score = emptyScore(path.basename(dir));
  const labels = JSON.parse(readFileSync(path.join(dir, 'labels.json'), 'utf8')) as Labels;
  const min = options.min ?? 'low';
  for (const [name, fileLabels] of Object.entries(labels)) {
    if (options.files && !options.files(name)) continue;
    const text = readFileSync(path.join(dir, name), 'utf8');
    const parsed = parseEnv(text);
    const detected = new Map(detectSecrets(parsed, text, { relativePath: name }).filter((s) => !s.suppressed && atLeast(s.confidence, min)).map((s) => [s.entry.key, s]));
    for (const e of parsed.entries) {
      const label = fileLabels[e.key];
      if (label === undefined) throw new Error(`${dir}/${name}: no label for ${e.key}`);
      const id = `${score.source}/${name}:${e.key}`;
      const found = detected.get(e.key);
      if (label === 'not-secret') {
        score.nonSecrets++;
        if (found) {
          score.falsePositives++;
          score.falsePositiveKeys.push(`${id} (${found.confidence}, ${found.evidence[0]?.detail ?? ''})`);
        }
        continue;
      }
      const [category, kind] = label.split(':') as [string, string | undefined];
      score.secrets++;
      const provider = category === 'provider';
      if (provider) score.providerSecrets++;
      if (!found) {
        score.misses.push(id);
        continue;
      }
      score.found++;
      if (provider) score.providerFound++;
      if (kind && isKindId(kind)) {
        score.kindLabelled++;
        if (found.kind === kind) score.kindCorrect++;
        else score.kindMismatches.push(`${id}: ${found.kind} (label ${kind})`);
      }
    }
  }
  return score;
}

/** Scores the whole labelled corpus: one score per folder plus the total. */
export function scoreLabelledCorpus(options: ScoreOptions = {}, root = LABELLED_ROOT): { folders: Score[]; total: Score } {
  const folders = labelledFolders(root).map((d) => scoreLabelledFolder(d, options));
  return { folders, total: folders.reduce(addScores, emptyScore('labelled (all)')) };
}

// --- secretlint's snapshot cases --------------------------------------------------------------

/**
 * secretlint snapshot folders: `ng.*` cases list what must be found in output.json, `ok.*`
 * cases must produce nothing. Cases that depend on secretlint configuration (a
 * .secretlintrc.json `allows` list, a disabled rule), binary inputs (PKCS#12) and the
 * no-dotenv rule (it flags a file's presence, not a value) are skipped with a reason.
 */
export interface SecretlintCase {
  name: string;
  dir: string;
  input?: string;
  expectedLines: number[];
  ok: boolean;
  skip?: string;
}

export function secretlintCases(root: string): SecretlintCase[] {
  const out: SecretlintCase[] = [];
  const walk = (dir: string): void => {
    for (const n of readdirSync(dir).sort()) {
      const p = path.join(dir, n);
      if (!statSync(p).isDirectory()) continue;
      const outputFile = path.join(p, 'output.json');
      let hasOutput: boolean;
      try {
        hasOutput = statSync(outputFile).isFile();
      } catch {
        hasOutput = false;
      }
      if (!hasOutput) {
        walk(p);
        continue;
      }
      const name = path.relative(root, p);
      const files = readdirSync(p).filter((f) => f !== 'output.json' && f !== 'README.md' && f !== '.secretlintrc.json' && !f.endsWith('.crt') && !f.endsWith('.csr'));
      const input = files.find((f) => f.startsWith('input')) ?? files.find((f) => !f.startsWith('.git'));
      const output = JSON.parse(readFileSync(outputFile, 'utf8')) as { messages?: Array<{ loc: { start: { line: number } } }> };
      const expectedLines = [...new Set((output.messages ?? []).map((m) => m.loc.start.line))];
      const base = path.basename(p);
      const c: SecretlintCase = { name, dir: p, expectedLines, ok: base.startsWith('ok.') };
      if (input) c.input = path.join(p, input);
      const rc = readdirSync(p).includes('.secretlintrc.json');
      if (name.includes('secretlint-rule-no-dotenv')) c.skip = 'no-dotenv flags a file being present, not a value';
      else if (!input) c.skip = 'no input file';
      else if (input.endsWith('.p12')) c.skip = 'binary PKCS#12 input';
      else if (rc && c.ok) c.skip = 'outcome set by .secretlintrc.json (allows list or disabled rule)';
      else if (base.startsWith('options.')) c.skip = 'outcome set by .secretlintrc.json options';
      out.push(c);
    }
  };
  walk(root);
  return out;
}

/** A candidate value found on a line of a non-.env input, with the key it was assigned to (if any). */
interface Candidate {
  line: number;
  key: string;
  value: string;
}

const ASSIGNMENT = /^\s*(?:export\s+)?(?:(?:const|let|var)\s+)?["']?([A-Za-z_][\w.-]*)["']?\s*(?:=>|:=|[:=])\s*(.+?)\s*[;,]?\s*$/;
const URL_IN_TEXT = /[a-z][a-z0-9+.-]*:\/\/[^\s"'`<>()[\]]+/gi;
const TRIM_TOKEN = /^[("'`[{<]+|[)"'`\]}>,;.:]+$/g;

function unquote(v: string): string {
  const m = /^(["'`])(.*)\1$/.exec(v);
  return m ? m[2]! : v;
}

/**
 * Candidate values in arbitrary text, line by line: `KEY = value` / `key: value` assignments
 * (JS/YAML/INI-like), every URL, every whitespace-separated token (also split once at `=`/`:`
 * into key and value), PEM blocks (at their BEGIN line) and, for JSON documents, the whole
 * document (line 1). Keys come from the assignment; bare tokens have none.
 */
export function candidatesInText(text: string): Candidate[] {
  const out: Candidate[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = i + 1;
    const a = ASSIGNMENT.exec(raw);
    if (a) out.push({ line, key: a[1]!, value: unquote(a[2]!.trim()) });
    for (const m of raw.matchAll(URL_IN_TEXT)) out.push({ line, key: '', value: m[0].replace(/[.,;:]+$/, '') });
    for (const tok of raw.split(/\s+/)) {
      const t = tok.replace(TRIM_TOKEN, '');
      if (t.length < 8) continue;
      out.push({ line, key: '', value: t });
      const eq = t.search(/[=:]/);
      if (eq > 0 && t.slice(eq, eq + 3) !== '://') {
        const k = t.slice(0, eq).replace(/[^\w.-]/g, '');
        out.push({ line, key: /^[A-Za-z_][\w.-]*$/.test(k) ? k : '', value: unquote(t.slice(eq + 1).replace(/^[=:]+/, '')) });
      }
    }
  });
  // PEM blocks span lines: one candidate from BEGIN to END (or the end of the text).
  for (const m of text.matchAll(/-----BEGIN[^\n]*-----[\s\S]*?(?:-----END[^\n]*|$)/g)) {
    out.push({ line: text.slice(0, m.index).split('\n').length, key: '', value: m[0] });
  }
  if (/^\s*[{[]/.test(text)) out.push({ line: 1, key: '', value: text });
  return out;
}

export interface SecretlintResult {
  score: Score;
  skipped: Array<{ name: string; reason: string }>;
  /** ng cases with at least one expected line not found. */
  failedNg: string[];
  /** ok cases where something was found. */
  failedOk: string[];
}

/**
 * Runs detection over secretlint's cases. Each input is read two ways: as a .env file
 * (entries dotenv would read, judged with their comments) and as text candidates (see
 * candidatesInText). A line is detected when any candidate on it is. Recall is over the lines
 * secretlint expects in `ng.*` cases; the false-positive rate is over the non-blank lines of
 * `ok.*` cases.
 */
export function scoreSecretlint(root: string, min: Confidence = 'low'): SecretlintResult {
  const score = emptyScore('secretlint');
  const result: SecretlintResult = { score, skipped: [], failedNg: [], failedOk: [] };
  for (const c of secretlintCases(root)) {
    if (c.skip || !c.input) {
      result.skipped.push({ name: c.name, reason: c.skip ?? 'no input' });
      continue;
    }
    const text = readFileSync(c.input, 'utf8');
    const detectedLines = new Set<number>();
    const entryLines = new Set<number>();
    const parsed = parseEnv(text);
    for (const e of parsed.entries) {
      const d = detectEntry(e, text, {});
      const found = d !== undefined && atLeast(d.confidence, min);
      for (let l = e.range.start.line; l <= e.range.end.line; l++) {
        entryLines.add(l + 1);
        if (found) detectedLines.add(l + 1);
      }
    }
    // Lines dotenv reads as entries are judged as entries (with their comments); text
    // candidates only add key-less tokens there (a line such as `glc_…==` parses as a key).
    for (const cand of candidatesInText(text)) {
      if (detectedLines.has(cand.line) || (entryLines.has(cand.line) && cand.key !== '')) continue;
      const j = judgeValue(cand.key, cand.value);
      if (j.secret && atLeast(j.confidence, min)) detectedLines.add(cand.line);
    }
    if (c.ok) {
      const lines = text.split(/\r?\n/);
      lines.forEach((l, i) => {
        if (l.trim() === '') return;
        score.nonSecrets++;
        if (detectedLines.has(i + 1)) {
          score.falsePositives++;
          score.falsePositiveKeys.push(`${c.name}:${i + 1}`);
        }
      });
      if (lines.some((_, i) => detectedLines.has(i + 1))) result.failedOk.push(c.name);
      continue;
    }
    let failed = false;
    for (const line of c.expectedLines) {
      score.secrets++;
      score.providerSecrets++;
      if (detectedLines.has(line)) {
        score.found++;
        score.providerFound++;
      } else {
        failed = true;
        score.misses.push(`${c.name}:${line}`);
      }
    }
    if (failed) result.failedNg.push(c.name);
  }
  return result;
}

/** Kinds in labels must be valid ids (a typo would silently skip kind scoring). */
export function assertLabelKinds(root = LABELLED_ROOT): void {
  for (const dir of labelledFolders(root)) {
    const labels = JSON.parse(readFileSync(path.join(dir, 'labels.json'), 'utf8')) as Labels;
    for (const [file, entries] of Object.entries(labels)) {
      for (const [key, label] of Object.entries(entries)) {
        if (label === 'not-secret') continue;
        const [category, kind] = label.split(':');
        if ((category !== 'secret' && category !== 'provider') || !kind || !isKindId(kind)) {
          throw new Error(`${dir}/${file}: bad label for ${key}: ${label}`);
        }
      }
    }
  }
}
