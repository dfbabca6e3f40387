// The sequence diagram: the messages between the four parties over simulated time, drawn as
// SVG from the rows diagram-model.ts computes. Presentational: props in, clicks out.
import { memo, useCallback, useId, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent, type RefObject } from 'react';
import type { Party, SimEvent, TokenLabel } from '../../sim/types';
import { PARTY_NAMES } from '../format';
import { ExportMenu, type ExportItem } from './ExportMenu';
import { pictureSaves } from './export-items';
import {
  LANES,
  SEQ,
  createSequenceGrouper,
  createSequenceItemsReader,
  createSequenceRowsReader,
  layoutSequence,
  type MarkerTone,
  type PlacedPart,
  type PlacedRow,
  type SequenceGroups,
  type SequenceLayout,
} from '../diagram-model';

export interface SequenceDiagramProps {
  events: readonly SimEvent[];
  /** The trace's items, grouped, as the store read them (WorldView.reading); null: read them here. */
  groups?: SequenceGroups | null | undefined;
  epochSeconds: number;
  /** The current simulated time: a "now" line closes the diagram. */
  now: number;
  selectedToken: string | null;
  onSelectToken: (label: string) => void;
  /** The scenario's title, for exported pictures and files. */
  title?: string | undefined;
}

/** Lane colours: the brand colour on light, a lighter tint on dark (both ≥ 4.5:1 for text). */
export const LANE_STYLE: Record<Party, { text: string; stroke: string; fill: string }> = {
  client: { text: 'fill-client dark:fill-blue-400', stroke: 'stroke-client dark:stroke-blue-400', fill: 'fill-client dark:fill-blue-400' },
  attacker: {
    text: 'fill-attacker dark:fill-red-400',
    stroke: 'stroke-attacker dark:stroke-red-400',
    fill: 'fill-attacker dark:fill-red-400',
  },
  authServer: {
    text: 'fill-authserver dark:fill-violet-400',
    stroke: 'stroke-authserver dark:stroke-violet-400',
    fill: 'fill-authserver dark:fill-violet-400',
  },
  resourceServer: {
    text: 'fill-resource dark:fill-teal-400',
    stroke: 'stroke-resource dark:stroke-teal-400',
    fill: 'fill-resource dark:fill-teal-400',
  },
};

/** A text halo in the background colour, so labels stay readable where they cross lifelines. */
export const HALO = '[paint-order:stroke] stroke-white dark:stroke-slate-900 [stroke-linejoin:round]';

const TONE_TEXT: Record<MarkerTone, string> = {
  danger: 'fill-red-700 dark:fill-red-300',
  notice: 'fill-amber-800 dark:fill-amber-300',
  neutral: 'fill-slate-700 dark:fill-slate-300',
};

function prefersReducedMotion(): boolean {
  return (
    typeof window !== 'undefined' &&
    typeof window.matchMedia === 'function' &&
    window.matchMedia('(prefers-reduced-motion: reduce)').matches
  );
}

/**
 * Keeps a scroll container at its bottom when `latest` changes (new rows arrived), and keeps the
 * visible rows in place when rows are added above them (`prepended` changes). Layout is read only
 * when one of those changes, and then in the next animation frame (where the browser lays out
 * anyway), never during the commit: reading `scrollHeight` there would force a synchronous layout
 * of the whole list after every render.
 */
export function useStickToBottom(ref: RefObject<HTMLElement | null>, latest: string | number | null, prepended: number) {
  /** Content height and scroll position when the last prepend was committed, kept for the next one. */
  const heightBefore = useRef<number | null>(null);
  const lastPrepended = useRef(prepended);
  const lastLatest = useRef<string | number | null | undefined>(undefined);
  const mounted = useRef(false);
  const frame = useRef(0);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const prependedNow = lastPrepended.current !== prepended;
    const latestNow = lastLatest.current !== latest;
    lastPrepended.current = prepended;
    lastLatest.current = latest;
    if (!prependedNow && !latestNow) return;
    // Jump on first show; glide afterwards, unless the user asked for reduced motion.
    const behavior: ScrollBehavior = mounted.current && !prefersReducedMotion() ? 'smooth' : 'auto';
    const first = !mounted.current;
    mounted.current = true;
    const before = prependedNow ? heightBefore.current : null;
    heightBefore.current = null;
    const apply = () => {
      frame.current = 0;
      // Rows added above: keep the rows the reader was looking at where they were.
      if (before !== null) el.scrollTop += el.scrollHeight - before;
      if (!latestNow) return;
      if (typeof el.scrollTo === 'function') el.scrollTo({ top: el.scrollHeight, behavior });
      else el.scrollTop = el.scrollHeight;
    };
    if (first || typeof requestAnimationFrame !== 'function') apply();
    else {
      if (frame.current) cancelAnimationFrame(frame.current);
      frame.current = requestAnimationFrame(apply);
    }
  }, [ref, latest, prepended]);
  useLayoutEffect(
    () => () => {
      if (frame.current && typeof cancelAnimationFrame === 'function') cancelAnimationFrame(frame.current);
    },
    [],
  );
  /** Call just before rows are added above or removed (e.g. in the "show earlier" handler), so what is in view stays there. */
  return useCallback(() => {
    heightBefore.current = ref.current?.scrollHeight ?? null;
  }, [ref]);
}

/** The scrolled-to part of the drawing, in its own units, and what it was measured against. */
interface Viewport {
  top: number;
  bottom: number;
  latest: string;
  limit: number;
}
/** Rows drawn beyond each edge of the visible part (drawing units; a row is 24–30). */
const OVERSCAN = 480;
/** Visible height assumed before the first measure (the box is at most 22rem tall). */
const DEFAULT_VIEW = 800;

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

type RowShapeProps = {
  placed: PlacedRow;
  selectedToken: string | null;
  onSelectToken: (label: TokenLabel) => void;
  onToggle: (key: string) => void;
};

function samePlacedParts(a: readonly PlacedPart[], b: readonly PlacedPart[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const p = a[i]!;
    const q = b[i]!;
    if (p.x !== q.x || p.width !== q.width || p.part.kind !== q.part.kind) return false;
    if (p.part.kind === 'text' ? p.part.text !== (q.part as typeof p.part).text : p.part.label !== (q.part as typeof p.part).label)
      return false;
  }
  return true;
}

/**
 * Whether a row draws the same thing relative to its top (layouts are recomputed for every view,
 * so the objects are new each time; rows that only moved down or up must not re-render).
 */
function sameRowProps(a: RowShapeProps, b: RowShapeProps): boolean {
  if (a.selectedToken !== b.selectedToken || a.onSelectToken !== b.onSelectToken || a.onToggle !== b.onToggle) return false;
  const p = a.placed;
  const q = b.placed;
  if (p === q) return true;
  if (
    p.kind !== q.kind ||
    p.height !== q.height ||
    p.labelY - p.y !== q.labelY - q.y ||
    p.row.key !== q.row.key ||
    p.row.text !== q.row.text
  )
    return false;
  switch (p.kind) {
    case 'arrow': {
      const o = q as typeof p;
      return (
        p.x1 === o.x1 &&
        p.x2 === o.x2 &&
        p.lineY - p.y === o.lineY - o.y &&
        p.row.response === o.row.response &&
        p.row.verdict === o.row.verdict &&
        p.row.from === o.row.from &&
        samePlacedParts(p.label, o.label)
      );
    }
    case 'marker': {
      const o = q as typeof p;
      return (
        p.x === o.x &&
        p.linkX === o.linkX &&
        p.dotY - p.y === o.dotY - o.y &&
        p.row.tone === o.row.tone &&
        p.row.lane === o.row.lane &&
        samePlacedParts(p.label, o.label)
      );
    }
    case 'gap':
      return true;
    case 'repeat': {
      const o = q as typeof p;
      return (
        p.labelX === o.labelX &&
        p.buttonX === o.buttonX &&
        p.row.count === o.row.count &&
        p.row.every === o.row.every &&
        p.row.who === o.row.who &&
        p.row.expanded === o.row.expanded
      );
    }
  }
}

/**
 * One row, drawn in its own coordinates (the caller moves it into place with a transform, so rows
 * that only moved keep their DOM untouched); memoised with a comparison of what it draws, and given
 * the selection only when it names the selected token, so a new view or a selection re-renders
 * just the rows that changed.
 */
const RowShape = memo(function RowShape({ placed, selectedToken, onSelectToken, onToggle }: RowShapeProps) {
  // Local coordinates: the row's top is 0.
  const { y: top, height } = placed;
  const y = 0;
  const highlighted = selectedToken !== null && placed.kind !== 'gap' && placed.row.tokens.includes(selectedToken);
  const band = highlighted ? (
    <rect
      x={SEQ.timeRight + 4}
      y={y + 1}
      width={SEQ.width - SEQ.timeRight - 10}
      height={height - 2}
      rx={4}
      className="fill-amber-100 dark:fill-amber-900/40"
    />
  ) : null;

  switch (placed.kind) {
    case 'arrow': {
      const { row, x1, x2 } = placed;
      const lineY = placed.lineY - top;
      const direction = Math.sign(x2 - x1) || 1;
      const tip = x2 - 2 * direction;
      const rejected = row.verdict === 'rejected';
      const lineClass = !row.response
        ? LANE_STYLE[row.from].stroke
        : rejected
          ? 'stroke-red-600 dark:stroke-red-400'
          : 'stroke-slate-500 dark:stroke-slate-400';
      const headClass = !row.response
        ? LANE_STYLE[row.from].fill
        : rejected
          ? 'fill-red-600 dark:fill-red-400'
          : 'fill-slate-500 dark:fill-slate-400';
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
          <Parts
            parts={placed.label}
            y={placed.labelY - top}
            className={textClass}
            selectedToken={selectedToken}
            onSelectToken={onSelectToken}
          />
        </g>
      );
    }
    case 'marker': {
      const { row, x, linkX } = placed;
      const dotY = placed.dotY - top;
      const shape =
        row.tone === 'danger' ? (
          <path
            d={`M${x},${dotY - 6} L${x + 6},${dotY} L${x},${dotY + 6} L${x - 6},${dotY} Z`}
            className="fill-red-600 stroke-white dark:fill-red-400 dark:stroke-slate-900"
          />
        ) : (
          <circle cx={x} cy={dotY} r={4.5} className={`${LANE_STYLE[row.lane].fill} stroke-white dark:stroke-slate-900`} />
        );
      return (
        <g>
          {band}
          {linkX !== null && (
            <line
              x1={linkX}
              y1={dotY}
              x2={x}
              y2={dotY}
              className="stroke-red-600 dark:stroke-red-400"
              strokeWidth={1.5}
              strokeDasharray="1 3"
              strokeLinecap="round"
            />
          )}
          {shape}
          <Parts
            parts={placed.label}
            y={placed.labelY - top}
            className={TONE_TEXT[row.tone]}
            selectedToken={selectedToken}
            onSelectToken={onSelectToken}
          />
        </g>
      );
    }
    case 'gap':
      return (
        <g>
          <rect
            x={SEQ.timeRight + 4}
            y={y + 3}
            width={SEQ.width - SEQ.timeRight - 10}
            height={height - 6}
            rx={4}
            className="fill-slate-100 dark:fill-slate-800"
          />
          <text
            x={(SEQ.timeRight + SEQ.width) / 2}
            y={placed.labelY - top}
            textAnchor="middle"
            className="fill-slate-700 italic dark:fill-slate-300"
          >
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
          <text
            x={placed.labelX}
            y={placed.labelY - top}
            className={`fill-slate-800 font-semibold dark:fill-slate-100 ${HALO}`}
            strokeWidth={4}
          >
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
}, sameRowProps);

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

/** The diagram's exports: the rows it shows as SVG, PNG and Mermaid, and the whole trace as CSV. */
function sequenceExports(
  layout: SequenceLayout,
  events: readonly SimEvent[],
  epochSeconds: number,
  title: string | undefined,
): ExportItem[] {
  const name = title ?? 'Untitled';
  const picture = async () => {
    const [{ sequenceSvg }, { pictureFileName }] = await Promise.all([import('../sequence-svg'), import('../export-svg')]);
    return {
      svg: sequenceSvg(layout, `Sequence diagram: ${name}`),
      width: layout.width,
      height: layout.height + 34,
      file: (ext: string) => pictureFileName('sequence', title, ext),
    };
  };
  return [
    ...pictureSaves(picture),
    {
      label: 'Copy as Mermaid',
      run: async () => {
        const [{ sequenceMermaid }, { copyToClipboard, download }, { pictureFileName }] = await Promise.all([
          import('../mermaid'),
          import('../export-dom'),
          import('../export-svg'),
        ]);
        const text = sequenceMermaid(layout, name);
        if (await copyToClipboard(text)) return '✓ Copied the diagram as Mermaid text';
        const file = pictureFileName('sequence', title, 'mmd');
        download(text, file, 'text/plain');
        return `Your browser did not allow copying, so the Mermaid text was saved as ${file}`;
      },
    },
    {
      label: 'Save the trace as CSV',
      run: async () => {
        const [{ traceCsv }, { download }, { pictureFileName }] = await Promise.all([
          import('../csv'),
          import('../export-dom'),
          import('../export-svg'),
        ]);
        const file = pictureFileName('trace', title, 'csv');
        download(traceCsv(events, epochSeconds), file, 'text/csv');
        return `✓ Saved ${file} (${events.length} events)`;
      },
    },
  ];
}

export function SequenceDiagram({ events, groups: read, epochSeconds, now, selectedToken, onSelectToken, title }: SequenceDiagramProps) {
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(() => new Set());
  const [limit, setLimit] = useState<number>(SEQ.window);
  const captionId = useId();
  const scroller = useRef<HTMLDivElement>(null);

  // The store's reading of the trace; before its code has loaded, read here (just the new events each time).
  const [readItems] = useState(createSequenceItemsReader);
  const [groupItems] = useState(createSequenceGrouper);
  const groups = useMemo(() => read ?? groupItems(readItems(events)), [read, readItems, groupItems, events]);
  const [readRows] = useState(createSequenceRowsReader);
  const rows = useMemo(() => readRows(groups, expanded), [readRows, groups, expanded]);
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
  const beforePrepend = useStickToBottom(scroller, latest, limit);

  // Only the rows in and near the scrolled-to part are drawn (the drawing keeps its full height, so
  // the scroll bar and what shows are the same): a new day replaces the whole window of rows, and
  // creating and laying out hundreds of SVG rows nobody can see was most of a step's cost.
  const svgRef = useRef<SVGSVGElement>(null);
  const [viewport, setViewport] = useState<Viewport | null>(null);
  const [focusedKey, setFocusedKey] = useState<string | null>(null);
  const measureFrame = useRef(0);
  const drawnFor = useRef<Viewport | null>(null);
  const measure = useCallback(() => {
    if (measureFrame.current || typeof requestAnimationFrame !== 'function') return;
    measureFrame.current = requestAnimationFrame(() => {
      measureFrame.current = 0;
      const el = scroller.current;
      const svg = svgRef.current;
      if (!el || !svg) return;
      const box = svg.getBoundingClientRect();
      const outer = el.getBoundingClientRect();
      const scale = box.width / SEQ.width || 1;
      const top = (outer.top - box.top) / scale;
      const next = { top, bottom: top + el.clientHeight / scale, latest: latestRef.current, limit: limitRef.current };
      // Re-render only when the view moved well into the overscan (not on every frame of a glide).
      const last = drawnFor.current;
      if (
        last &&
        last.limit === next.limit &&
        Math.abs(last.top - next.top) < OVERSCAN / 2 &&
        Math.abs(last.bottom - next.bottom) < OVERSCAN / 2
      )
        return;
      drawnFor.current = next;
      setViewport(next);
    });
  }, []);
  const latestRef = useRef(latest);
  const limitRef = useRef(limit);
  useLayoutEffect(() => {
    latestRef.current = latest;
    limitRef.current = limit;
  });
  useLayoutEffect(() => {
    window.addEventListener('resize', measure);
    return () => {
      window.removeEventListener('resize', measure);
      if (measureFrame.current) cancelAnimationFrame(measureFrame.current);
    };
  }, [measure]);
  const drawn = useMemo(() => {
    // Before the first measure, after "show earlier" (everything moved), or without a browser: all rows.
    if (viewport && viewport.limit !== limit) return layout.rows;
    const span = viewport ? viewport.bottom - viewport.top : DEFAULT_VIEW;
    // New rows scroll to the bottom: draw the bottom, and the part the scroll glides from.
    let lo = viewport ? viewport.top - OVERSCAN : Infinity;
    let hi = viewport ? viewport.bottom + OVERSCAN : -Infinity;
    if (!viewport || viewport.latest !== latest) {
      lo = Math.min(lo, layout.height - span - OVERSCAN);
      hi = Math.max(hi, layout.height);
    }
    return layout.rows.filter(({ placed }) => (placed.y + placed.height >= lo && placed.y <= hi) || placed.row.key === focusedKey);
  }, [layout, viewport, latest, limit, focusedKey]);

  return (
    <figure className="m-0 rounded-lg border border-slate-300 bg-white text-slate-900 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100">
      <div className="flex flex-wrap items-center justify-between gap-2 px-3 pt-2">
        <figcaption id={captionId} className="text-sm font-semibold">
          Sequence diagram
        </figcaption>
        <ExportMenu what="the sequence diagram" items={sequenceExports(layout, events, epochSeconds, title)} />
      </div>
      {/* Focusable so keyboard users can scroll it even when it holds no token buttons. */}
      <div ref={scroller} className="max-h-[22rem] overflow-auto" tabIndex={0} onScroll={measure}>
        <div className="min-w-[640px]">
          <div className="sticky top-0 z-10 border-b border-slate-200 bg-white dark:border-slate-700 dark:bg-slate-900">
            <LaneHeader />
          </div>
          {layout.hidden > 0 && (
            <div className="px-3 py-2 text-center">
              <button
                type="button"
                className="rounded border border-slate-400 px-3 py-1 text-sm hover:bg-slate-100 dark:border-slate-500 dark:hover:bg-slate-800"
                onClick={() => {
                  beforePrepend();
                  setLimit((n) => n + SEQ.window);
                }}
              >
                Show earlier ({layout.hidden} {layout.hidden === 1 ? 'row' : 'rows'} hidden)
              </button>
            </div>
          )}
          <svg
            ref={svgRef}
            onFocus={(e) => setFocusedKey(e.target.closest('[data-row]')?.getAttribute('data-row') ?? null)}
            onBlur={() => setFocusedKey(null)}
            viewBox={`0 0 ${layout.width} ${layout.height}`}
            className="block h-auto w-full font-mono text-[13px]"
            aria-labelledby={captionId}
            role="group"
          >
            {layout.repeats.map((box) => (
              <rect
                key={box.key}
                x={SEQ.timeRight + 2}
                y={box.y1}
                width={SEQ.width - SEQ.timeRight - 8}
                height={box.y2 - box.y1}
                rx={6}
                className="fill-slate-50 stroke-slate-300 dark:fill-slate-800/60 dark:stroke-slate-600"
              />
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
            {drawn.map(({ placed, timeLabel }) => (
              <g key={placed.row.key} data-row={placed.row.key} transform={`translate(0 ${placed.y})`}>
                <RowShape
                  placed={placed}
                  selectedToken={
                    selectedToken !== null && placed.kind !== 'gap' && placed.row.tokens.includes(selectedToken) ? selectedToken : null
                  }
                  onSelectToken={onSelectToken}
                  onToggle={toggle}
                />
                {timeLabel !== null && (
                  <text
                    x={SEQ.timeRight}
                    y={(placed.kind === 'arrow' ? placed.lineY + 4 : placed.labelY) - placed.y}
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
                <line
                  x1={SEQ.timeRight + 6}
                  x2={SEQ.width - 4}
                  y1={layout.now.y}
                  y2={layout.now.y}
                  className="stroke-amber-600 dark:stroke-amber-400"
                  strokeWidth={2}
                  strokeDasharray="8 4"
                />
                <text
                  x={SEQ.timeRight}
                  y={layout.now.y + 4}
                  textAnchor="end"
                  className="fill-amber-800 text-[12px] font-bold dark:fill-amber-300"
                >
                  {layout.now.label}
                </text>
                <text
                  x={SEQ.timeRight + 10}
                  y={layout.now.y - 5}
                  className={`fill-amber-800 text-[12px] font-bold dark:fill-amber-300 ${HALO}`}
                  strokeWidth={4}
                >
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
