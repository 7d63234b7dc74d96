import { parseEnv } from '../env/parse';
import type { ProblemCode } from '../env/types';
import { fixesFor, readValues } from './problemFixes';
import { applyChanges, diffAsChange, type TextChange } from './textChange';
import type { EnvFix } from './types';

export interface FixAllOptions {
  /** Also apply fixes that change what dotenv reads (quote a `#`, upper-case a key). Default false. */
  includeMeaningChanges?: boolean;
}

export interface FixAllResult {
  /** The fixed text (equal to the input when nothing applied). */
  text: string;
  /** What was fixed, in order, value-free. */
  applied: Array<{ code: ProblemCode; title: string; key?: string }>;
  /** One change turning the input into `text` (undefined when nothing changed). */
  change?: TextChange;
  /** Problems left that have no automatic fix, or whose fix changes meaning and was not asked for. */
  remaining: number;
}

const MAX_PASSES = 16;

/** Picks fixes whose changes do not overlap each other, first come first served. */
function disjoint(fixes: EnvFix[]): EnvFix[] {
  const taken: TextChange[] = [];
  const out: EnvFix[] = [];
  for (const f of fixes) {
    const clash = f.changes.some((c) => taken.some((t) => c.start < t.end && t.start < c.end || (c.start === c.end && c.start === t.start) || (t.start === t.end && t.start === c.start)));
    if (clash) continue;
    taken.push(...f.changes);
    out.push(f);
  }
  return out;
}

/**
 * Applies every fix for `text`'s parser problems, in passes (a fix can uncover another, e.g.
 * removing a duplicate), as `rekey fix` and the editor's Fix All do. Unless
 * `includeMeaningChanges` is set, the result reads exactly the same keys and values as the input
 * (checked after every pass; a pass that would break that is redone one fix at a time).
 */
export function fixAll(text: string, options: FixAllOptions = {}): FixAllResult {
  const applied: FixAllResult['applied'] = [];
  let current = text;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const parsed = parseEnv(current);
    const fixes = disjoint(fixesFor(current, parsed).filter((f) => options.includeMeaningChanges || !f.changesMeaning));
    if (fixes.length === 0) break;
    const before = readValues(parsed);
    let next = applyChanges(current, fixes.flatMap((f) => f.changes));
    let used = fixes;
    if (!options.includeMeaningChanges && !sameMap(before, readValues(parseEnv(next)))) {
      // Fixes that are safe alone but not together (rare): apply only the first this pass.
      used = fixes.slice(0, 1);
      next = applyChanges(current, used[0]!.changes);
    }
    for (const f of used) applied.push({ code: f.code, title: f.title, ...(f.key !== undefined ? { key: f.key } : {}) });
    current = next;
  }
  const after = parseEnv(current);
  const remaining = after.problems.length;
  const change = diffAsChange(text, current);
  return change ? { text: current, applied, change, remaining } : { text: current, applied, remaining };
}

function sameMap(a: Map<string, string>, b: Map<string, string>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}
