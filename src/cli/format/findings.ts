import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { EnvEntry } from '../../core/env/types';
import type { Finding, Severity } from '../../core/findings/finding';
import { ruleInfo } from '../../core/findings/ruleInfo';
import type { ScanFile } from '../../core/findings/scanContext';
import { displayPath, relativeUri, textPath } from '../paths';
import { jsonChunks, jsonList } from './jsonChunks';

export const REKEY_VERSION = '0.1.0';

/** An entry as JSON: 1-based lines and columns; `endColumn` is exclusive, as in SARIF. */
export function entryJson(e: EnvEntry, reveal: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {
    key: e.key,
    line: e.range.start.line + 1,
    column: e.range.start.character + 1,
    endLine: e.range.end.line + 1,
    endColumn: e.range.end.character + 1,
    quote: e.quote,
    exported: e.exported,
  };
  if (reveal) out.value = e.value;
  return out;
}

export function findingJson(f: Finding, cwd: string): Record<string, unknown> {
  const out: Record<string, unknown> = {
    file: displayPath(f.file, cwd),
    line: f.range.start.line + 1,
    column: f.range.start.character + 1,
    endLine: f.range.end.line + 1,
    endColumn: f.range.end.character + 1,
    key: f.key ?? null,
    rule: f.rule,
    severity: f.severity,
    message: f.message,
  };
  if (f.kind !== undefined) out.kind = f.kind;
  if (f.confidence !== undefined) out.confidence = f.confidence;
  if (f.intervalDays !== undefined) out.intervalDays = f.intervalDays;
  if (f.related?.length) out.related = f.related.map((r) => ({ file: r.file.startsWith('/') ? displayPath(r.file, cwd) : r.file, message: r.message }));
  if (f.data) Object.assign(out, f.data);
  return out;
}

/** `rekey scan --format json`. */
export function scanJson(files: ScanFile[], findings: Finding[], cwd: string, reveal: boolean): string {
  return [...scanJsonChunks(files, findings, cwd, reveal)].join('');
}

/**
 * `scanJson` in pieces, each entry and finding turned into JSON only as the output reaches it
 * (a 1 MiB `.env` makes some 16 MB of JSON).
 */
export function scanJsonChunks(files: ScanFile[], findings: Finding[], cwd: string, reveal: boolean): Iterable<string> {
  return jsonChunks({
    version: 1,
    files: jsonList(files, (f) => ({
      path: displayPath(f.path, cwd),
      entries: jsonList(f.parsed?.entries ?? [], (e) => entryJson(e, reveal)),
    })),
    findings: jsonList(findings, (f) => findingJson(f, cwd)),
  });
}

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };
const SECURITY_SEVERITY: Record<Severity, string> = { error: '8.0', warning: '5.0', info: '2.0' };

/**
 * SARIF 2.1.0 for GitHub code scanning: artifact URIs relative to `%SRCROOT%` (the working
 * directory), rule metadata with `security` tags, and a value-free partial fingerprint.
 */
export function scanSarif(findings: Finding[], cwd: string): string {
  return [...scanSarifChunks(findings, cwd)].join('');
}

/** `scanSarif` in pieces, each result made only as the output reaches it. */
export function scanSarifChunks(findings: Finding[], cwd: string): Iterable<string> {
  const ruleIds = [...new Set(findings.map((f) => f.rule))].sort();
  const ruleIndex = new Map(ruleIds.map((id, i) => [id, i]));
  const rules = ruleIds.map((id) => {
    const info = ruleInfo(id);
    return {
      id,
      name: info.name,
      shortDescription: { text: info.description },
      fullDescription: { text: info.description },
      help: { text: info.description, markdown: info.description },
      defaultConfiguration: { level: LEVEL[info.severity] },
      properties: {
        tags: info.security ? ['security', 'secrets'] : ['dotenv'],
        ...(info.security ? { 'security-severity': SECURITY_SEVERITY[info.severity] } : {}),
      },
    };
  });
  const srcRoot = pathToFileURL(cwd.endsWith(path.sep) ? cwd : cwd + path.sep).href;
  const results = jsonList(findings, (f) => {
    const shown = displayPath(f.file, cwd);
    const inside = !path.isAbsolute(shown);
    const artifactLocation = inside ? { uri: relativeUri(shown), uriBaseId: '%SRCROOT%' } : { uri: pathToFileURL(f.file).href };
    const fingerprint = createHash('sha256').update(`${f.rule}\0${shown}\0${f.key ?? ''}`).digest('hex').slice(0, 32);
    const result: Record<string, unknown> = {
      ruleId: f.rule,
      ruleIndex: ruleIndex.get(f.rule),
      level: LEVEL[f.severity],
      message: { text: f.message },
      locations: [
        {
          physicalLocation: {
            artifactLocation,
            region: {
              startLine: f.range.start.line + 1,
              startColumn: f.range.start.character + 1,
              endLine: f.range.end.line + 1,
              endColumn: f.range.end.character + 1,
            },
          },
        },
      ],
      partialFingerprints: { 'rekeyFinding/v1': fingerprint },
    };
    const props: Record<string, unknown> = {};
    if (f.key !== undefined) props.key = f.key;
    if (f.kind !== undefined) props.kind = f.kind;
    if (f.confidence !== undefined) props.confidence = f.confidence;
    if (Object.keys(props).length) result.properties = props;
    return result;
  });
  return jsonChunks({
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'rekey', version: REKEY_VERSION, semanticVersion: REKEY_VERSION, informationUri: 'https://github.com/rekey-dev/rekey', rules } },
        originalUriBaseIds: { '%SRCROOT%': { uri: srcRoot } },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  });
}

/** Human text: one line per finding, `path:line:col  severity  rule  message`, then a summary. */
export function scanText(files: ScanFile[], findings: Finding[], cwd: string, color: boolean): string {
  return [...scanTextChunks(files, findings, cwd, color)].join('');
}

/** `scanText` in pieces: each line (with the newline between lines) as the output reaches it. */
export function* scanTextChunks(files: ScanFile[], findings: Finding[], cwd: string, color: boolean): Generator<string> {
  const paint = (code: number, s: string): string => (color ? `\u001b[${code}m${s}\u001b[0m` : s);
  const sevColor: Record<Severity, number> = { error: 31, warning: 33, info: 36 };
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of findings) {
    counts[f.severity]++;
    const where = `${textPath(f.file, cwd)}:${f.range.start.line + 1}:${f.range.start.character + 1}`;
    const extra = f.kind ? ` [${f.kind}${f.confidence ? `, ${f.confidence}` : ''}]` : '';
    yield `${where}  ${paint(sevColor[f.severity], f.severity.padEnd(7))} ${paint(2, f.rule)}  ${f.message}${extra}\n`;
  }
  yield `${files.length} file${files.length === 1 ? '' : 's'} scanned: ${counts.error} error(s), ${counts.warning} warning(s), ${counts.info} info`;
}
