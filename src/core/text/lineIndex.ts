/**
 * Maps UTF-16 offsets in a text to 0-based line/character positions (the convention VS Code and
 * LSP use). Line breaks are `\r\n`, `\r` and `\n`, as in VS Code's own text model.
 */
export interface Position {
  /** 0-based line. */
  line: number;
  /** 0-based UTF-16 code unit within the line. */
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export class LineIndex {
  /** Offset at which each line starts; `lineStarts[0]` is 0. */
  readonly lineStarts: number[];
  private cursor = 0;

  constructor(readonly text: string) {
    const starts = [0];
    if (text.indexOf('\r') === -1) {
      // Fast path: native indexOf beats a charCode loop by a wide margin on large files.
      let i = text.indexOf('\n');
      while (i !== -1) {
        starts.push(i + 1);
        i = text.indexOf('\n', i + 1);
      }
    } else {
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c === 10) starts.push(i + 1);
        else if (c === 13) {
          if (text.charCodeAt(i + 1) === 10) i++;
          starts.push(i + 1);
        }
      }
    }
    this.lineStarts = starts;
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  /** Line containing `offset`. Amortised O(1) for increasing offsets, O(log n) otherwise. */
  lineAt(offset: number): number {
    const starts = this.lineStarts;
    let l = this.cursor;
    if ((starts[l] as number) <= offset) {
      // Walk forward a few lines before falling back to binary search.
      for (let steps = 0; steps < 8; steps++) {
        const next = starts[l + 1];
        if (next === undefined || next > offset) {
          this.cursor = l;
          return l;
        }
        l++;
      }
    }
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    this.cursor = lo;
    return lo;
  }

  positionAt(offset: number): Position {
    const line = this.lineAt(offset);
    return { line, character: offset - (this.lineStarts[line] as number) };
  }

  rangeOf(start: number, end: number): Range {
    return { start: this.positionAt(start), end: this.positionAt(end) };
  }

  /** Offset of the start of `line`, or the text length past the end. */
  offsetOfLine(line: number): number {
    return this.lineStarts[line] ?? this.text.length;
  }

  /** Offset just past the content of `line`, before its line break. */
  lineContentEnd(line: number): number {
    const next = this.lineStarts[line + 1];
    if (next === undefined) return this.text.length;
    let end = next - 1;
    if (this.text.charCodeAt(end) === 10 && this.text.charCodeAt(end - 1) === 13) end--;
    return end;
  }

  offsetAt(pos: Position): number {
    return this.offsetOfLine(pos.line) + pos.character;
  }
}
