// The measures and the trace as CSV (RFC 4180: comma-separated, fields with a comma, quote or
// line break in double quotes, CRLF line ends), for a spreadsheet or a notebook. A text cell that
// starts with = + - @ or a tab gets a leading apostrophe, so a spreadsheet shows it instead of
// running it as a formula (titles and labels can come from an imported file). Pure.
import type { SimEvent } from '../sim/types';
import type { MeasureRow, Side } from './compare';

export type Cell = string | number | null;

export function csvCell(value: Cell): string {
  if (value === null) return '';
  let text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : value;
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(rows: readonly (readonly Cell[])[]): string {
  return rows.map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/** The compare view's measures: one row each, both sides' text and raw numbers, which is better and why. */
export function measuresCsv(rows: readonly MeasureRow[], headings: Record<Side, string>): string {
  const better = (row: MeasureRow) => (row.better === null ? 'neither' : row.better.toUpperCase());
  return toCsv([
    [
      'group',
      'measure',
      headings.a,
      headings.b,
      `${headings.a} (number)`,
      `${headings.b} (number)`,
      'better',
      'which is better, and why',
      'difference',
    ],
    ...rows.map((row) => [row.group, row.label, row.a.text, row.b.text, row.a.raw, row.b.raw, better(row), row.why, row.words]),
  ]);
}

function causeText(event: SimEvent): string {
  const cause = event.cause;
  if (cause.kind === 'auto') return `automatic (${cause.who})`;
  if (cause.kind === 'step') return `script step ${cause.index + 1}`;
  return 'command';
}

/**
 * The trace: one row per event, in order: its position, the simulated instant (ISO 8601, UTC),
 * seconds since the start, its type, what caused it, and its other fields as JSON.
 */
export function traceCsv(events: readonly SimEvent[], epochSeconds: number): string {
  return toCsv([
    ['seq', 'time (UTC)', 'seconds since start', 'event', 'cause', 'details (JSON)'],
    ...events.map((event) => {
      const { seq, t, cause: _cause, type, ...details } = event;
      return [
        seq,
        new Date((epochSeconds + t) * 1000).toISOString().replace('.000Z', 'Z'),
        t,
        type,
        causeText(event),
        JSON.stringify(details),
      ];
    }),
  ]);
}
