// The token timeline: every token as a bar from issue to expiry on one time axis, grouped by
// family, with thefts, uses, rotations, revocations and the attacker's holding marked. Drawn as
// SVG from diagram-model.ts; presentational: props in, clicks out.
import { ExportMenu } from './ExportMenu';
import { pictureExports } from './export-items';
import { memo, useId, useMemo, useRef, useState, type ReactNode } from 'react';
import { formatClock } from '../format';
import type { WorldView } from '../view';
import {
  MARKER_GLYPH,
  MARKER_MEANING,
  TIMELINE,
  timelineModel,
  type BarEnd,
  type PlacedMarker,
  type Span,
  type TimelineMarkerKind,
  type TimelineRow,
} from '../diagram-model';
import { HALO, LANE_STYLE, activateOnKey, useStickToBottom } from './SequenceDiagram';

export interface TokenTimelineProps {
  view: WorldView;
  selectedToken: string | null;
  onSelectToken: (label: string) => void;
}

// Class names are spelled out in full (fill- for SVG, text- for the HTML legend) so Tailwind sees them.
const GLYPH_CLASS: Record<TimelineMarkerKind, { svg: string; html: string }> = {
  stolen: { svg: 'fill-red-700 dark:fill-red-300', html: 'text-red-700 dark:text-red-300' },
  accepted: { svg: 'fill-green-800 dark:fill-green-300', html: 'text-green-800 dark:text-green-300' },
  rejected: { svg: 'fill-red-700 dark:fill-red-300', html: 'text-red-700 dark:text-red-300' },
  rotated: { svg: 'fill-violet-800 dark:fill-violet-300', html: 'text-violet-800 dark:text-violet-300' },
  revoked: { svg: 'fill-red-800 dark:fill-red-300', html: 'text-red-800 dark:text-red-300' },
  reused: { svg: 'fill-red-700 dark:fill-red-300', html: 'text-red-700 dark:text-red-300' },
  wiped: { svg: 'fill-red-700 dark:fill-red-300', html: 'text-red-700 dark:text-red-300' },
  grace: { svg: 'fill-amber-800 dark:fill-amber-300', html: 'text-amber-800 dark:text-amber-300' },
};

const BAR_CLASS = {
  access: 'fill-blue-500 dark:fill-blue-400',
  refresh: 'fill-violet-500 dark:fill-violet-400',
  forged: 'fill-transparent stroke-red-600 dark:stroke-red-400',
} as const;

const END_WORDS: Record<BarEnd, string> = {
  expiry: 'expiry',
  consumed: 'rotated',
  revoked: 'revoked',
  idle: 'idle lifetime',
  absolute: 'absolute lifetime',
  open: 'open',
};

const LEGEND_ORDER: TimelineMarkerKind[] = ['stolen', 'accepted', 'rejected', 'rotated', 'reused', 'revoked', 'wiped', 'grace'];

/** Ids from useId may hold characters that break url(#…) references. */
function cssId(id: string): string {
  return id.replace(/[^A-Za-z0-9_-]/g, '');
}

function SpanRect({
  span,
  y,
  height,
  className,
  fadeMask,
  opacity,
}: {
  span: Span;
  y: number;
  height: number;
  className: string;
  fadeMask: string;
  opacity?: number;
}) {
  return (
    <rect
      x={span.x1}
      y={y}
      width={Math.max(2, span.x2 - span.x1)}
      height={height}
      rx={2}
      className={className}
      opacity={opacity}
      mask={span.fade ? `url(#${fadeMask})` : undefined}
    />
  );
}

function Marker({ marker, cy }: { marker: PlacedMarker; cy: number }) {
  return (
    <g>
      <title>{marker.text}</title>
      {marker.x !== marker.anchorX && (
        <path
          d={`M${marker.anchorX},${cy - 8} V${cy + 8} M${marker.anchorX},${cy + 8} L${marker.x},${cy + 4}`}
          className="fill-none stroke-slate-600 dark:stroke-slate-300"
          strokeWidth={1}
        />
      )}
      {/* The attacker's markers are ringed; the client's are bare glyphs with a halo. */}
      {marker.byAttacker && (
        <circle
          cx={marker.x}
          cy={cy}
          r={7.5}
          className="fill-white stroke-red-600 dark:fill-slate-900 dark:stroke-red-400"
          strokeWidth={2}
        />
      )}
      <text
        x={marker.x}
        y={cy + 4.5}
        textAnchor="middle"
        className={`${GLYPH_CLASS[marker.kind].svg} text-[13px] font-bold ${marker.byAttacker ? '' : HALO}`}
        strokeWidth={marker.byAttacker ? undefined : 3.5}
      >
        {MARKER_GLYPH[marker.kind]}
      </text>
      {marker.count > 1 && (
        <text x={marker.x + 9} y={cy - 6} className={`fill-slate-800 text-[12px] dark:fill-slate-200 ${HALO}`} strokeWidth={3}>
          {`×${marker.count}`}
        </text>
      )}
    </g>
  );
}

/** One token's row; memoised so that selecting a token re-renders only the rows it changes. */
const TokenRow = memo(function TokenRow({
  row,
  selected,
  onSelect,
  hatch,
  fade,
}: {
  row: Extract<TimelineRow, { kind: 'token' }>;
  selected: boolean;
  onSelect: (label: string) => void;
  hatch: string;
  fade: string;
}) {
  const { bar, y, height, barY } = row;
  const barClass = bar.forged ? BAR_CLASS.forged : BAR_CLASS[bar.kind];
  const barH = TIMELINE.barHeight;
  const mid = barY + barH / 2;
  return (
    <g
      role="button"
      tabIndex={0}
      aria-pressed={selected}
      aria-label={row.text}
      className="group cursor-pointer outline-none"
      onClick={() => onSelect(bar.label)}
      onKeyDown={activateOnKey(() => onSelect(bar.label))}
    >
      <title>{row.text}</title>
      <rect
        x={2}
        y={y + 1}
        width={TIMELINE.width - 4}
        height={height - 2}
        rx={4}
        className={
          selected
            ? 'fill-amber-100 stroke-amber-600 dark:fill-amber-900/40 dark:stroke-amber-400'
            : 'fill-transparent stroke-transparent group-hover:fill-slate-100 group-focus-visible:stroke-amber-500 dark:group-hover:fill-slate-800'
        }
        strokeWidth={selected ? 1.5 : 3}
      />
      <text
        x={14}
        y={mid + 4.5}
        className={`text-[13px] ${selected ? 'fill-slate-950 font-bold dark:fill-amber-100' : 'fill-slate-800 dark:fill-slate-100'}`}
      >
        {bar.label}
      </text>
      {row.clippedBefore && (
        <text x={TIMELINE.plotX0 - 4} y={mid + 4.5} textAnchor="end" className="fill-slate-700 dark:fill-slate-300">
          ◂
        </text>
      )}
      {row.endedBefore && (
        <text x={TIMELINE.plotX0 + 4} y={mid + 4.5} className="fill-slate-700 font-sans italic dark:fill-slate-300">
          {row.endedBefore}
        </text>
      )}
      {row.after && (
        <line
          x1={row.after.x1}
          x2={row.after.x2}
          y1={mid}
          y2={mid}
          className="stroke-slate-500 dark:stroke-slate-400"
          strokeWidth={1.5}
          strokeDasharray="2 3"
        />
      )}
      {row.past && <SpanRect span={row.past} y={barY} height={barH} className={barClass} fadeMask={fade} />}
      {row.future && <SpanRect span={row.future} y={barY} height={barH} className={barClass} fadeMask={fade} opacity={0.4} />}
      {bar.forged && (row.past || row.future) && (
        <rect
          x={(row.past ?? row.future)!.x1}
          y={barY}
          width={Math.max(2, (row.future ?? row.past)!.x2 - (row.past ?? row.future)!.x1)}
          height={barH}
          rx={2}
          className="fill-none stroke-red-600 dark:stroke-red-400"
          strokeDasharray="4 3"
          strokeWidth={1.5}
          mask={row.future?.fade ? `url(#${fade})` : undefined}
        />
      )}
      {row.held.map((span, i) => (
        <g key={i}>
          <rect
            x={span.x1}
            y={barY - 4}
            width={Math.max(2, span.x2 - span.x1)}
            height={barH + 8}
            fill={`url(#${hatch})`}
            className="stroke-red-600 dark:stroke-red-400"
            strokeWidth={1}
            mask={span.fade ? `url(#${fade})` : undefined}
          />
        </g>
      ))}
      {row.markers.map((marker) => (
        <Marker key={marker.key} marker={marker} cy={mid} />
      ))}
    </g>
  );
});

function Defs({ hatch, fade, fadeGradient }: { hatch: string; fade: string; fadeGradient: string }) {
  return (
    <defs>
      <pattern id={hatch} patternUnits="userSpaceOnUse" width={6} height={6} patternTransform="rotate(45)">
        <rect width={6} height={6} className="fill-red-600/15 dark:fill-red-400/20" />
        <line x1={0} y1={0} x2={0} y2={6} className="stroke-red-600 dark:stroke-red-400" strokeWidth={2.5} />
      </pattern>
      <linearGradient id={fadeGradient} x1={0} x2={1} y1={0} y2={0}>
        <stop offset={0} stopColor="white" stopOpacity={1} />
        <stop offset={0.55} stopColor="white" stopOpacity={0.8} />
        <stop offset={1} stopColor="white" stopOpacity={0} />
      </linearGradient>
      <mask id={fade} maskContentUnits="objectBoundingBox">
        <rect width={1} height={1} fill={`url(#${fadeGradient})`} />
      </mask>
    </defs>
  );
}

function Legend({ hatch, fade }: { hatch: string; fade: string }) {
  const swatch = (content: ReactNode) => (
    <svg width={30} height={16} viewBox="0 0 30 16" aria-hidden="true" focusable="false" className="shrink-0">
      {content}
    </svg>
  );
  return (
    <details open className="border-t border-slate-200 px-3 py-1.5 text-xs dark:border-slate-700">
      <summary className="cursor-pointer py-0.5 text-sm font-semibold">Legend</summary>
      <ul className="m-0 flex list-none flex-wrap gap-x-4 gap-y-1 p-0 pt-1">
        <li className="flex items-center gap-1.5">
          {swatch(<rect x={1} y={3} width={28} height={10} rx={2} className={BAR_CLASS.access} />)}
          access token (AT): issue → expiry
        </li>
        <li className="flex items-center gap-1.5">
          {swatch(<rect x={1} y={3} width={28} height={10} rx={2} className={BAR_CLASS.refresh} />)}
          refresh token (RT): issue → rotation, revocation or end of lifetime
        </li>
        <li className="flex items-center gap-1.5">
          {swatch(<rect x={1} y={3} width={28} height={10} rx={2} className={BAR_CLASS.access} opacity={0.4} />)}
          lighter: still ahead, after now
        </li>
        <li className="flex items-center gap-1.5">
          {swatch(<rect x={1} y={3} width={28} height={10} rx={2} className={BAR_CLASS.refresh} mask={`url(#${fade})`} />)}
          fading out: no end yet, or it ends past the right edge
        </li>
        <li className="flex items-center gap-1.5">
          {swatch(<rect x={1} y={1} width={28} height={14} fill={`url(#${hatch})`} className="stroke-red-600 dark:stroke-red-400" />)}
          red hatching: the attacker holds it
        </li>
        <li className="flex items-center gap-1.5">
          {swatch(<rect x={1} y={3} width={28} height={10} rx={2} className={BAR_CLASS.forged} strokeDasharray="4 3" strokeWidth={1.5} />)}
          dashed outline: forged by the attacker
        </li>
        <li className="flex items-center gap-1.5">
          {swatch(
            <circle cx={15} cy={8} r={6.5} className="fill-white stroke-red-600 dark:fill-slate-900 dark:stroke-red-400" strokeWidth={2} />,
          )}
          ringed symbol: done by the attacker
        </li>
        <li className="flex items-center gap-1.5">
          {swatch(
            <line
              x1={15}
              x2={15}
              y1={0}
              y2={16}
              className="stroke-amber-600 dark:stroke-amber-400"
              strokeWidth={2}
              strokeDasharray="4 2"
            />,
          )}
          now
        </li>
        <li className="flex items-center gap-1.5">
          {swatch(
            <line
              x1={1}
              x2={29}
              y1={8}
              y2={8}
              className="stroke-slate-500 dark:stroke-slate-400"
              strokeWidth={1.5}
              strokeDasharray="2 3"
            />,
          )}
          dotted line: presented again after it ended
        </li>
        <li className="flex items-center gap-1.5">
          <span aria-hidden="true" className="inline-block w-4 text-center">
            ◂
          </span>
          began before the start of the axis
        </li>
        {LEGEND_ORDER.map((kind) => (
          <li key={kind} className="flex items-center gap-1.5">
            <span aria-hidden="true" className={`inline-block w-4 text-center font-bold ${GLYPH_CLASS[kind].html}`}>
              {MARKER_GLYPH[kind]}
            </span>
            {MARKER_MEANING[kind]}
          </li>
        ))}
      </ul>
    </details>
  );
}

export function TokenTimeline({ view, selectedToken, onSelectToken }: TokenTimelineProps) {
  const [showAll, setShowAll] = useState(false);
  const base = cssId(useId());
  const captionId = `${base}-caption`;
  const hatch = `${base}-hatch`;
  const fade = `${base}-fade`;
  const fadeGradient = `${base}-fade-gradient`;
  const scroller = useRef<HTMLDivElement>(null);
  const figure = useRef<HTMLElement>(null);

  const { events, t, config, epochSeconds } = view;
  const projection = view.reading?.projection;
  const layout = useMemo(
    () => timelineModel({ events, projection, t, config, epochSeconds }, { showAll }),
    [events, projection, t, config, epochSeconds, showAll],
  );
  const latest = layout.shown.length ? layout.shown[layout.shown.length - 1]!.label : null;
  const beforePrepend = useStickToBottom(scroller, latest, showAll ? 1 : 0);

  const when = (s: number) => formatClock(epochSeconds + s, epochSeconds);
  const nowX = layout.nowX;

  return (
    <figure
      ref={figure}
      className="m-0 rounded-lg border border-slate-300 bg-white text-slate-900 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100"
    >
      <div className="flex flex-wrap items-center justify-between gap-2 px-3 pt-2">
        <figcaption id={captionId} className="text-sm font-semibold">
          Token timeline
        </figcaption>
        <div className="ml-auto">
          <ExportMenu
            what="the token timeline"
            items={pictureExports(
              () => [...(figure.current?.querySelectorAll<SVGSVGElement>('svg[data-export]') ?? [])],
              'timeline',
              `Token timeline: ${view.scenario.title ?? 'Untitled'}`,
              view.scenario.title,
            )}
          />
        </div>
        {(layout.hidden > 0 || showAll) && (
          <button
            type="button"
            aria-pressed={showAll}
            className="rounded border border-slate-400 px-2 py-0.5 text-sm hover:bg-slate-100 dark:border-slate-500 dark:hover:bg-slate-800"
            onClick={() => {
              beforePrepend();
              setShowAll((v) => !v);
            }}
          >
            {showAll ? 'Show recent tokens only' : `Show all ${layout.shown.length + layout.hidden} tokens (${layout.hidden} hidden)`}
          </button>
        )}
      </div>
      {/* Focusable so keyboard users can scroll it. */}
      <div ref={scroller} className="max-h-[24rem] overflow-auto" tabIndex={0}>
        <div className="min-w-[640px]">
          <div className="sticky top-0 z-10 border-b border-slate-200 bg-white dark:border-slate-700 dark:bg-slate-900">
            <svg
              data-export
              viewBox={`0 0 ${TIMELINE.width} 34`}
              className="block h-auto w-full font-mono text-[12px]"
              aria-hidden="true"
              focusable="false"
            >
              <line
                x1={nowX}
                x2={nowX}
                y1={12}
                y2={34}
                className="stroke-amber-600 dark:stroke-amber-400"
                strokeWidth={2}
                strokeDasharray="4 3"
              />
              {layout.ticks.map((tick) => (
                <g key={tick.t}>
                  <line x1={tick.x} x2={tick.x} y1={26} y2={34} className="stroke-slate-400 dark:stroke-slate-500" />
                  <text
                    x={Math.min(Math.max(tick.x, TIMELINE.plotX0 + 20), TIMELINE.plotX1 - 20)}
                    y={22}
                    textAnchor="middle"
                    className={`fill-slate-700 dark:fill-slate-300 ${HALO}`}
                    strokeWidth={4}
                  >
                    {tick.label}
                  </text>
                </g>
              ))}
              <text x={8} y={22} className="fill-slate-600 font-sans dark:fill-slate-400">
                token
              </text>
              <text
                x={nowX}
                y={9}
                textAnchor={nowX > TIMELINE.plotX1 - 30 ? 'end' : 'middle'}
                className={`fill-amber-800 font-bold dark:fill-amber-300 ${HALO}`}
                strokeWidth={4}
              >
                now
              </text>
            </svg>
          </div>
          <svg
            data-export
            viewBox={`0 0 ${layout.width} ${layout.height}`}
            className="block h-auto w-full font-mono text-[12px]"
            role="group"
            aria-labelledby={captionId}
          >
            <Defs hatch={hatch} fade={fade} fadeGradient={fadeGradient} />
            {layout.ticks.map((tick) => (
              <line key={tick.t} x1={tick.x} x2={tick.x} y1={0} y2={layout.height} className="stroke-slate-200 dark:stroke-slate-700" />
            ))}
            {layout.rows.map((row) =>
              row.kind === 'family' ? (
                <g key={row.key}>
                  <line x1={4} x2={TIMELINE.width - 4} y1={row.y + 2} y2={row.y + 2} className="stroke-slate-300 dark:stroke-slate-600" />
                  {row.owner && <rect x={4} y={row.y + 8} width={4} height={14} className={LANE_STYLE[row.owner].fill} />}
                  <text
                    x={14}
                    y={row.y + 19}
                    className={`fill-slate-800 font-sans text-[13px] font-semibold dark:fill-slate-100 ${HALO}`}
                    strokeWidth={4}
                  >
                    {row.title}
                  </text>
                </g>
              ) : (
                <TokenRow
                  key={row.key}
                  row={row}
                  selected={row.bar.label === selectedToken}
                  onSelect={onSelectToken}
                  hatch={hatch}
                  fade={fade}
                />
              ),
            )}
            {layout.rows.length === 0 && (
              <text x={TIMELINE.width / 2} y={24} textAnchor="middle" className="fill-slate-600 font-sans dark:fill-slate-400">
                No tokens yet.
              </text>
            )}
            <line
              x1={nowX}
              x2={nowX}
              y1={0}
              y2={layout.height}
              className="pointer-events-none stroke-amber-600 dark:stroke-amber-400"
              strokeWidth={2}
              strokeDasharray="4 3"
            />
          </svg>
        </div>
      </div>
      <Legend hatch={hatch} fade={fade} />
      <table className="sr-only">
        <caption>
          Tokens{layout.hidden > 0 ? ` (the ${layout.shown.length} shown; ${layout.hidden} older ones hidden)` : ''}, at {when(t)}
        </caption>
        <thead>
          <tr>
            <th scope="col">Token</th>
            <th scope="col">Family</th>
            <th scope="col">Issued</th>
            <th scope="col">Ends</th>
            <th scope="col">Status now</th>
            <th scope="col">Attacker</th>
          </tr>
        </thead>
        <tbody>
          {layout.shown.map((bar) => (
            <tr key={bar.label}>
              <th scope="row">{bar.label}</th>
              <td>{bar.grantId ?? 'none (forged)'}</td>
              <td>{when(bar.issuedAt)}</td>
              <td>
                {bar.openEnded
                  ? bar.deadline !== null
                    ? `open; ${when(bar.deadline)} at the latest`
                    : 'no end yet'
                  : `${when(bar.end)} (${END_WORDS[bar.endReason]})`}
              </td>
              <td>{bar.status}</td>
              <td>
                {bar.held.length ? `holds it from ${when(bar.held[0]!.from)}` : bar.attacker ? 'used it' : '—'}
                {bar.events.some((m) => m.kind === 'stolen') ? ', stolen' : ''}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
