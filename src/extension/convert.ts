import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Finding, RelatedInfo, Severity } from '../core/findings/finding';
import { findRepoRoot } from '../core/git/repoRoot';
import { plain, splitMessage } from '../core/findings/messageParts';
import type { Range } from '../core/text/lineIndex';

/*
 * Core data to VS Code objects. Core findings are value-free, so what they carry can be shown
 * as is; this module only changes shapes.
 */

export const DIAGNOSTIC_SOURCE = 'rekey';

/**
 * The inventory rule: "this entry is a secret" is not a problem, so it is a hint (three dots
 * under the key, no entry in the Problems panel) that still carries the quick fixes (set the
 * kind, ignore, rotate) and says what rekey thinks the value is.
 */
export const INVENTORY_RULE = 'secret';

export function toRange(r: Range): vscode.Range {
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}

export function fromRange(r: vscode.Range): Range {
  return { start: { line: r.start.line, character: r.start.character }, end: { line: r.end.line, character: r.end.character } };
}

export function toSeverity(rule: string, severity: Severity): vscode.DiagnosticSeverity {
  if (rule === INVENTORY_RULE) return vscode.DiagnosticSeverity.Hint;
  switch (severity) {
    case 'error':
      return vscode.DiagnosticSeverity.Error;
    case 'warning':
      return vscode.DiagnosticSeverity.Warning;
    default:
      return vscode.DiagnosticSeverity.Information;
  }
}

const GIT_REF = /^git:([0-9a-f]{4,64}):(.+)$/;

/**
 * Where a related item points. `git:<commit>:<path>` (a committed version, repository-relative)
 * becomes a `git:` URI the built-in git extension opens at that commit; other items are files.
 */
export function relatedLocation(finding: Finding, related: RelatedInfo): vscode.Location {
  const range = toRange(related.range ?? finding.range);
  const m = GIT_REF.exec(related.file);
  if (m) {
    const repo = findRepoRoot(finding.file) ?? path.dirname(finding.file);
    const abs = path.join(repo, ...(m[2] as string).split('/'));
    const uri = vscode.Uri.file(abs).with({ scheme: 'git', query: JSON.stringify({ path: abs, ref: m[1] }) });
    return new vscode.Location(uri, new vscode.Range(0, 0, 0, 0));
  }
  return new vscode.Location(vscode.Uri.file(related.file), range);
}

/** A finding as a diagnostic: `source` rekey, `code` the rule id, related information kept. */
export function toDiagnostic(finding: Finding): vscode.Diagnostic {
  // Low confidence (entropy or weak evidence only) is inventory, never a problem.
  const severity = finding.confidence === 'low' ? vscode.DiagnosticSeverity.Hint : toSeverity(finding.rule, finding.severity);
  // The Problems panel shows one line and no markdown: the first sentence is the message, the
  // advice that follows goes to the related information, pointing at the finding itself.
  const { summary, detail } = splitMessage(finding.message);
  const d = new vscode.Diagnostic(toRange(finding.range), summary, severity);
  d.source = DIAGNOSTIC_SOURCE;
  d.code = finding.rule;
  const related: vscode.DiagnosticRelatedInformation[] = [];
  for (const r of finding.related ?? []) related.push(new vscode.DiagnosticRelatedInformation(relatedLocation(finding, r), plain(r.message)));
  if (detail) related.push(new vscode.DiagnosticRelatedInformation(new vscode.Location(vscode.Uri.file(finding.file), toRange(finding.range)), detail));
  if (related.length) d.relatedInformation = related;
  return d;
}

/** Whether a diagnostic stands for `finding` (same rule and start; code actions map back this way). */
export function sameFinding(d: vscode.Diagnostic, finding: Finding): boolean {
  const code = typeof d.code === 'object' ? d.code.value : d.code;
  return (
    d.source === DIAGNOSTIC_SOURCE &&
    code === finding.rule &&
    d.range.start.line === finding.range.start.line &&
    d.range.start.character === finding.range.start.character &&
    d.message === splitMessage(finding.message).summary
  );
}
