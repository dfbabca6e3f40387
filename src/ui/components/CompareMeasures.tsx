// The measures table of a comparison (SEMANTICS.md §9): one row per measure, the better value
// marked with a tick and the word "better" (never colour alone), which direction is better and
// why, and the difference in words. Presentational: rows in, markup out.
import type { MeasureGroup, MeasureRow, MeasureValue, Side } from '../compare';

export interface CompareMeasuresProps {
  rows: readonly MeasureRow[];
  caption: string;
  /** Column headings for the two sides, e.g. "A · Long-lived access token only". */
  headings: Record<Side, string>;
}

const GROUP_TITLE: Record<MeasureGroup, string> = {
  Attacker: 'The attacker',
  User: 'The real user',
  Load: 'Load on the servers',
};

function ValueCell({ value, better, side }: { value: MeasureValue; better: boolean; side: Side }) {
  return (
    <td
      data-side={side}
      data-raw={value.raw === null ? 'null' : String(value.raw)}
      className={`border-t border-slate-200 px-2 py-1.5 align-top dark:border-slate-700 ${
        better ? 'bg-emerald-50 font-semibold text-emerald-950 dark:bg-emerald-950 dark:text-emerald-50' : ''
      }`}
    >
      <span className="flex flex-wrap items-baseline gap-x-2">
        <span data-value className="tabular-nums">
          {value.text}
        </span>
        {better && (
          <span className="rounded bg-emerald-800 px-1.5 text-xs font-bold text-white dark:bg-emerald-200 dark:text-emerald-950">
            ✓ better
          </span>
        )}
      </span>
      {value.detail && (
        <span data-detail className="block text-xs font-normal text-slate-700 tabular-nums dark:text-slate-300">
          {value.detail}
        </span>
      )}
    </td>
  );
}

export function CompareMeasures({ rows, caption, headings }: CompareMeasuresProps) {
  const groups = [...new Set(rows.map((r) => r.group))];
  return (
    <div className="overflow-x-auto">
      <table className="w-full min-w-[720px] border-collapse text-left text-sm">
        <caption className="mb-1 text-left text-sm text-slate-700 dark:text-slate-300">{caption}</caption>
        <colgroup>
          <col className="w-[28%]" />
          <col className="w-[18%]" />
          <col className="w-[18%]" />
          <col className="w-[36%]" />
        </colgroup>
        <thead>
          <tr className="text-slate-900 dark:text-slate-50">
            <th scope="col" className="px-2 py-1.5 font-semibold">
              Measure
            </th>
            <th scope="col" className="px-2 py-1.5 font-semibold">
              {headings.a}
            </th>
            <th scope="col" className="px-2 py-1.5 font-semibold">
              {headings.b}
            </th>
            <th scope="col" className="px-2 py-1.5 font-semibold">
              The difference in words
            </th>
          </tr>
        </thead>
        {groups.map((group) => (
          <tbody key={group}>
            <tr>
              <th
                scope="rowgroup"
                colSpan={4}
                className="bg-slate-100 px-2 pt-2 pb-1 text-xs font-bold tracking-wide text-slate-800 uppercase dark:bg-slate-800 dark:text-slate-100"
              >
                {GROUP_TITLE[group]}
              </th>
            </tr>
            {rows
              .filter((r) => r.group === group)
              .map((row) => (
                <tr key={row.id} data-measure={row.id}>
                  <th scope="row" className="border-t border-slate-200 px-2 py-1.5 text-left align-top font-semibold dark:border-slate-700">
                    {row.label}
                    <span className="block text-xs font-normal text-slate-700 dark:text-slate-300">{row.why}</span>
                  </th>
                  <ValueCell value={row.a} better={row.better === 'a'} side="a" />
                  <ValueCell value={row.b} better={row.better === 'b'} side="b" />
                  <td data-words className="border-t border-slate-200 px-2 py-1.5 align-top dark:border-slate-700">
                    {row.words}
                  </td>
                </tr>
              ))}
          </tbody>
        ))}
      </table>
    </div>
  );
}
