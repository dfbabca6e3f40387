// The sequence diagram: the messages between the four parties over simulated time, drawn as
// SVG from the rows diagram-model.ts computes. Presentational: props in, clicks out.
import { memo, useCallback, useId, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent, type RefObject } from 'react';
import type { Party, SimEvent, TokenLabel } from '../../sim/types';
import { PARTY_NAMES } from '../format';
import { LANES, SEQ, createSequenceItemsReader, layoutSequence, sequenceRows, type MarkerTone, type PlacedPart, type PlacedRow } from '../diagram-model';

export interface SequenceDiagramProps {
  events: readonly SimEvent[];
  epochSeconds: number;
  /** The current simulated time: a "now" line closes the diagram. */
  now: number;
  selectedToken: string | null;
  onSelectToken: (label: string) => void;
}

/** Lane colours: the brand colour on light, a lighter tint on dark (both ≥ 4.5:1 for text). */
export const LANE_STYLE: Record<Party, { text: string; stroke: string; fill: string }> = {
  client: { text: 'fill-client dark:fill-blue-400', stroke: 'stroke-client dark:stroke-blue-400', fill: 'fill-client dark:fill-blue-400' },
  attacker: { text: 'fill-attacker dark:fill-red-400', stroke: 'stroke-attacker dark:stroke-red-400', fill: 'fill-attacker dark:fill-red-400' },
  authServer: { text: 'fill-authserver dark:fill-violet-400', stroke: 'stroke-authserver dark:stroke-violet-400', fill: 'fill-authserver dark:fill-violet-400' },
  resourceServer: { text: 'fill-resource dark:fill-teal-400', stroke: 'stroke-resource dark:stroke-teal-400', fill: 'fill-resource dark:fill-teal-400' },
};

/** A text halo in the background colour, so labels stay readable where they cross lifelines. */
export const HALO = '[paint-order:stroke] stroke-white dark:stroke-slate-900 [stroke-linejoin:round]';

const TONE_TEXT: Record<MarkerTone, string> = {
  danger: 'fill-red-700 dark:fill-red-300',
  notice: 'fill-amber-800 dark:fill-amber-300',
  neutral: 'fill-slate-700 dark:fill-slate-300',
};

function prefersReducedMotion(): boolean {
  return typeof window !== 'undefined' && typeof window.matchMedia === 'function' && window.matchMedia('(prefers-reduced-motion: reduce)').matches;
}

/**
 * Keeps a scroll container at its bottom when `latest` changes (new rows arrived), and keeps the
 * visible rows in place when rows are added above them (`prepended` changes).
 */
export function useStickToBottom(ref: RefObject<HTMLElement | null>, latest: string | number | null, prepended: number) {
  // The content height after the previous commit (effects run in order: this one is read first).
  const heightBefore = useRef(0);
  const lastPrepended = useRef(prepended);
  const mounted = useRef(false);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el || lastPrepended.current === prepended) return;
    el.scrollTop += el.scrollHeight - heightBefore.current;
    lastPrepended.current = prepended;
  }, [ref, prepended]);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    // Jump on first show; glide afterwards, unless the user asked for reduced motion.
    const behavior = mounted.current && !prefersReducedMotion() ? 'smooth' : 'auto';
    mounted.current = true;
    if (typeof el.scrollTo === 'function') el.scrollTo({ top: el.scrollHeight, behavior });
    else el.scrollTop = el.scrollHeight;
  }, [ref, latest]);
  useLayoutEffect(() => {
    heightBefore.current = ref.current?.scrollHeight ?? 0;
  });
}

/** Enter or Space activates an SVG element with role="button", as it would a <button>. */
export function activateOnKey(action: () => void) {
  return (event: KeyboardEvent) => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      action();
    }
  };
}

function Parts({
  parts,
  y,
  className,
  selectedToken,
  onSelectToken,
}: {
  parts: readonly PlacedPart[];
  y: number;
  className: string;
  selectedToken: string | null;
  onSelectToken: (label: TokenLabel) => void;
}) {
  return (
    <>
      {parts.map((p, i) => {
        if (p.part.kind === 'text') {
          return (
            <text key={i} x={p.x} y={y} className={`${className} ${HALO}`} strokeWidth={4} xmlSpace="preserve">
              {p.part.text}
            </text>
          );
        }
        const label = p.part.label;
        const selected = label === selectedToken;
        return (
          <g
            key={i}
            role="button"
            tabIndex={0}
            aria-pressed={selected}
            aria-label={`Token ${label}`}
            className="group cursor-pointer outline-none"
            onClick={() => onSelectToken(label)}
            onKeyDown={activateOnKey(() => onSelectToken(label))}
          >
            <rect
              x={p.x - 3}
              y={y - 12}
              width={p.width + 6}
              height={17}
              rx={3}
              className={
                selected
                  ? 'fill-amber-200 stroke-amber-700 dark:fill-amber-300 dark:stroke-amber-200'
                  : 'fill-white stroke-slate-400 group-hover:fill-slate-100 dark:fill-slate-900 dark:stroke-slate-500 dark:group-hover:fill-slate-800'
              }
              strokeWidth={selected ? 2 : 1}
            />
            <rect
              x={p.x - 6}
              y={y - 15}
              width={p.width + 12}
              height={23}
              rx={5}
              className="fill-none stroke-transparent group-focus-visible:stroke-amber-500"
              strokeWidth={3}
            />
            <text
              x={p.x}
              y={y}
              className={selected ? 'fill-slate-950 font-bold underline' : 'fill-slate-900 underline decoration-dotted dark:fill-slate-100'}
            >
              {label}
            </text>
          </g>
        );
      })}
    </>
  );
}

function Arrowhead({ x, y, direction, className }: { x: number; y: number; direction: number; className: string }) {
  return <path d={`M${x},${y} L${x - 9 * direction},${y - 4.5} L${x - 9 * direction},${y + 4.5} Z`} className={className} />;
}

/** One row; memoised, and given the selection only when it names the selected token, so selecting re-renders just those rows. */
const RowShape = memo(function RowShape({
  placed,
  selectedToken,
  onSelectToken,
  onToggle,
}: {
  placed: PlacedRow;
  selectedToken: string | null;
  onSelectToken: (label: TokenLabel) => void;
  onToggle: (key: string) => void;
}) {
  const { y, height } = placed;
  const highlighted = selectedToken !== null && placed.kind !== 'gap' && placed.row.tokens.includes(selectedToken);
  const band = highlighted ? <rect x={SEQ.timeRight + 4} y={y + 1} width={SEQ.width - SEQ.timeRight - 10} height={height - 2} rx={4} className="fill-amber-100 dark:fill-amber-900/40" /> : null;

  switch (placed.kind) {
    case 'arrow': {
      const { row, x1, x2, lineY } = placed;
      const direction = Math.sign(x2 - x1) || 1;
      const tip = x2 - 2 * direction;
      const rejected = row.verdict === 'rejected';
      const lineClass = !row.response
        ? LANE_STYLE[row.from].stroke
        : rejected
          ? 'stroke-red-600 dark:stroke-red-400'
          : 'stroke-slate-500 dark:stroke-slate-400';
      const headClass = !row.response ? LANE_STYLE[row.from].fill : rejected ? 'fill-red-600 dark:fill-red-400' : 'fill-slate-500 dark:fill-slate-400';
      const textClass = !row.response
        ? 'fill-slate-800 dark:fill-slate-100'
        : rejected
          ? 'fill-red-700 font-semibold dark:fill-red-300'
          : 'fill-green-800 dark:fill-green-300';
      return (
        <g>
          {band}
          <line
            x1={x1 + direction * 2}
            y1={lineY}
            x2={tip - 7 * direction}
            y2={lineY}
            className={lineClass}
            strokeWidth={rejected ? 2 : 1.5}
            strokeDasharray={row.response ? (rejected ? '3 3' : '7 4') : undefined}
          />
          <Arrowhead x={tip} y={lineY} direction={direction} className={headClass} />
          <Parts parts={placed.label} y={placed.labelY} className={textClass} selectedToken={selectedToken} onSelectToken={onSelectToken} />
        </g>
      );
    }
    case 'marker': {
      const { row, x, dotY, linkX } = placed;
      const shape =
        row.tone === 'danger' ? (
          <path d={`M${x},${dotY - 6} L${x + 6},${dotY} L${x},${dotY + 6} L${x - 6},${dotY} Z`} className="fill-red-600 stroke-white dark:fill-red-400 dark:stroke-slate-900" />
        ) : (
          <circle cx={x} cy={dotY} r={4.5} className={`${LANE_STYLE[row.lane].fill} stroke-white dark:stroke-slate-900`} />
        );
      return (
        <g>
          {band}
          {linkX !== null && (
            <line x1={linkX} y1={dotY} x2={x} y2={dotY} className="stroke-red-600 dark:stroke-red-400" strokeWidth={1.5} strokeDasharray="1 3" strokeLinecap="round" />
          )}
          {shape}
          <Parts parts={placed.label} y={placed.labelY} className={TONE_TEXT[row.tone]} selectedToken={selectedToken} onSelectToken={onSelectToken} />
        </g>
      );
    }
    case 'gap':
      return (
        <g>
          <rect x={SEQ.timeRight + 4} y={y + 3} width={SEQ.width - SEQ.timeRight - 10} height={height - 6} rx={4} className="fill-slate-100 dark:fill-slate-800" />
          <text x={(SEQ.timeRight + SEQ.width) / 2} y={placed.labelY} textAnchor="middle" className="fill-slate-700 italic dark:fill-slate-300">
            {placed.row.text}
          </text>
        </g>
      );
    case 'repeat': {
      const { row } = placed;
      const action = row.expanded ? 'Collapse' : `Show all ${row.count}`;
      const buttonWidth = 88;
      return (
        <g>
          {band}
          <text x={placed.labelX} y={placed.labelY} className={`fill-slate-800 font-semibold dark:fill-slate-100 ${HALO}`} strokeWidth={4}>
            {`↻ × ${row.count} (${row.every}) · ${row.who}${row.expanded ? '' : ', latest shown'}`}
          </text>
          <g
            role="button"
            tabIndex={0}
            aria-expanded={row.expanded}
            aria-label={row.expanded ? `Collapse the ${row.count} repeated exchanges` : `Show all ${row.count} repeated exchanges`}
            className="group cursor-pointer outline-none"
            onClick={() => onToggle(row.key)}
            onKeyDown={activateOnKey(() => onToggle(row.key))}
          >
            <rect
              x={placed.buttonX}
              y={y + 5}
              width={buttonWidth}
              height={20}
              rx={4}
              className="fill-white stroke-slate-500 group-hover:fill-slate-100 group-focus-visible:stroke-amber-500 dark:fill-slate-900 dark:stroke-slate-400 dark:group-hover:fill-slate-800"
              strokeWidth={1.5}
            />
            <text x={placed.buttonX + buttonWidth / 2} y={y + 19} textAnchor="middle" className="fill-slate-900 dark:fill-slate-100">
              {action}
            </text>
          </g>
        </g>
      );
    }
  }
});

function LaneHeader() {
  return (
    <svg viewBox={`0 0 ${SEQ.width} 34`} className="block h-auto w-full" aria-hidden="true" focusable="false">
      <text x={SEQ.timeRight} y={22} textAnchor="end" className="fill-slate-600 text-xs dark:fill-slate-400">
        time
      </text>
      {LANES.map((lane) => (
        <g key={lane}>
          <text x={SEQ.laneX[lane]} y={20} textAnchor="middle" className={`${LANE_STYLE[lane].text} text-[14px] font-semibold`}>
            {PARTY_NAMES[lane]}
          </text>
          <line x1={SEQ.laneX[lane] - 40} x2={SEQ.laneX[lane] + 40} y1={29} y2={29} className={LANE_STYLE[lane].stroke} strokeWidth={3} />
        </g>
      ))}
    </svg>
  );
}

export function SequenceDiagram({ events, epochSeconds, now, selectedToken, onSelectToken }: SequenceDiagramProps) {
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(() => new Set());
  const [limit, setLimit] = useState<number>(SEQ.window);
  const captionId = useId();
  const scroller = useRef<HTMLDivElement>(null);

  // The trace only grows between steps back: read just the new events each time.
  const [readItems] = useState(createSequenceItemsReader);
  const items = useMemo(() => readItems(events), [readItems, events]);
  const rows = useMemo(() => sequenceRows(events, expanded, items), [events, expanded, items]);
  const layout = useMemo(() => layoutSequence(rows, { epochSeconds, limit, now }), [rows, epochSeconds, limit, now]);
  const toggle = useCallback((key: string) => {
    setExpanded((previous) => {
      const next = new Set(previous);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });
  }, []);

  // New rows or a moving clock scroll to the bottom; expanding a repeat does not.
  const latest = `${rows[rows.length - 1]?.key ?? ''}|${layout.now?.label ?? ''}`;
  useStickToBottom(scroller, latest, limit);

  return (
    <figure className="m-0 rounded-lg border border-slate-300 bg-white text-slate-900 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100">
      <figcaption id={captionId} className="px-3 pt-2 text-sm font-semibold">
        Sequence diagram
      </figcaption>
      {/* Focusable so keyboard users can scroll it even when it holds no token buttons. */}
      <div ref={scroller} className="max-h-[22rem] overflow-auto" tabIndex={0}>
        <div className="min-w-[640px]">
          <div className="sticky top-0 z-10 border-b border-slate-200 bg-white dark:border-slate-700 dark:bg-slate-900">
            <LaneHeader />
          </div>
          {layout.hidden > 0 && (
            <div className="px-3 py-2 text-center">
              <button
                type="button"
                className="rounded border border-slate-400 px-3 py-1 text-sm hover:bg-slate-100 dark:border-slate-500 dark:hover:bg-slate-800"
                onClick={() => setLimit((n) => n + SEQ.window)}
              >
                Show earlier ({layout.hidden} {layout.hidden === 1 ? 'row' : 'rows'} hidden)
              </button>
            </div>
          )}
          <svg
            viewBox={`0 0 ${layout.width} ${layout.height}`}
            className="block h-auto w-full font-mono text-[13px]"
            aria-labelledby={captionId}
            role="group"
          >
            {layout.repeats.map((box) => (
              <rect key={box.key} x={SEQ.timeRight + 2} y={box.y1} width={SEQ.width - SEQ.timeRight - 8} height={box.y2 - box.y1} rx={6} className="fill-slate-50 stroke-slate-300 dark:fill-slate-800/60 dark:stroke-slate-600" />
            ))}
            {LANES.map((lane) =>
              layout.lifelines.map((segment, i) => (
                <line
                  key={`${lane}-${i}`}
                  x1={SEQ.laneX[lane]}
                  x2={SEQ.laneX[lane]}
                  y1={segment.y1}
                  y2={segment.y2}
                  className={`${LANE_STYLE[lane].stroke} opacity-40`}
                  strokeWidth={2}
                  strokeDasharray={segment.broken ? '2 5' : undefined}
                />
              )),
            )}
            {layout.rows.map(({ placed, timeLabel }) => (
              <g key={placed.row.key}>
                <RowShape
                  placed={placed}
                  selectedToken={selectedToken !== null && placed.kind !== 'gap' && placed.row.tokens.includes(selectedToken) ? selectedToken : null}
                  onSelectToken={onSelectToken}
                  onToggle={toggle}
                />
                {timeLabel !== null && (
                  <text
                    x={SEQ.timeRight}
                    y={placed.kind === 'arrow' ? placed.lineY + 4 : placed.labelY}
                    textAnchor="end"
                    className="fill-slate-600 text-[12px] dark:fill-slate-400"
                  >
                    {timeLabel}
                  </text>
                )}
              </g>
            ))}
            {layout.rows.length === 0 && (
              <text x={(SEQ.timeRight + SEQ.width) / 2} y={22} textAnchor="middle" className="fill-slate-600 dark:fill-slate-400">
                No messages yet.
              </text>
            )}
            {layout.now && (
              <g>
                <line x1={SEQ.timeRight + 6} x2={SEQ.width - 4} y1={layout.now.y} y2={layout.now.y} className="stroke-amber-600 dark:stroke-amber-400" strokeWidth={2} strokeDasharray="8 4" />
                <text x={SEQ.timeRight} y={layout.now.y + 4} textAnchor="end" className="fill-amber-800 text-[12px] font-bold dark:fill-amber-300">
                  {layout.now.label}
                </text>
                <text x={SEQ.timeRight + 10} y={layout.now.y - 5} className={`fill-amber-800 text-[12px] font-bold dark:fill-amber-300 ${HALO}`} strokeWidth={4}>
                  now
                </text>
              </g>
            )}
          </svg>
        </div>
      </div>
      <ol className="sr-only" aria-label="Sequence diagram as text">
        {layout.rows.map(({ placed, srText }) => (
          <li key={placed.row.key}>{srText}</li>
        ))}
        {layout.now && <li>{layout.now.text}</li>}
      </ol>
    </figure>
  );
}
