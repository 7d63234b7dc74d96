// The bench's one table (work | rekey | floor/peer | ratio | goal | met) and its JSON form.

/** `123 ms (110–140)`: median and range of a stats object, in ms or s. */
export function timeCell(st) {
  if (!st || !Number.isFinite(st.median)) return '—';
  const unit = st.median >= 1000 ? 's' : 'ms';
  const f = (x) => (unit === 's' ? (x / 1000).toFixed(2) : x >= 100 ? x.toFixed(0) : x.toFixed(1));
  return `${f(st.median)} ${unit} (${f(st.min)}–${f(st.max)})`;
}

/** A row that could not be measured: every column says why. */
export function skippedRow(group, work, reason, goal = '') {
  return { group, work, rekey: null, reference: null, ratio: null, goal, met: null, skipped: reason };
}

const HEADERS = ['work', 'rekey', 'floor / peer', 'ratio', 'goal', 'met'];

function cells(row) {
  if (row.skipped) return [row.work, `skipped: ${row.skipped}`, '', '', row.goal ?? '', ''];
  const ratio = row.ratio === null || row.ratio === undefined || !Number.isFinite(row.ratio) ? '—' : `${row.ratio.toFixed(2)}×`;
  const met = row.met === null || row.met === undefined ? '—' : row.met ? 'yes' : 'NO';
  return [row.work, row.rekey?.text ?? '—', row.reference?.text ?? '—', ratio, row.goal ?? '', met];
}

/** The table as Markdown (readable in a terminal and pasteable into the README). */
export function renderTable(rows) {
  const body = rows.map(cells).map((c) => c.map((x) => String(x).replace(/\|/g, '\\|')));
  const widths = HEADERS.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const line = (r) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(HEADERS), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)].join('\n');
}

/** The machine line printed above the table: cpus, memory, load at start and end. */
export function renderMachine(m) {
  const load = (l) => (l ? l.map((x) => x.toFixed(2)).join(' ') : '?');
  return `machine: ${m.cpus} × ${m.cpuModel}, ${m.memGiB} GiB, ${m.platform}, node ${m.node}, ${m.git}; load average (1/5/15 min) at start ${load(m.loadStart)}, at end ${load(m.loadEnd)}; ${m.runs} runs per side after a warm-up${m.quick ? ' (--quick)' : ''}`;
}

/** The JSON written next to the table. */
export function resultsJson(machine, rows) {
  return {
    version: 1,
    machine,
    rows: rows.map((r) => ({
      group: r.group,
      work: r.work,
      rekey: r.rekey ?? null,
      reference: r.reference ?? null,
      ratio: r.ratio ?? null,
      goal: r.goal ?? '',
      met: r.met ?? null,
      ...(r.skipped ? { skipped: r.skipped } : {}),
      ...(r.note ? { note: r.note } : {}),
    })),
  };
}
