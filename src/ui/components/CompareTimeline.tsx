// The comparison picture: one time axis for both configurations, each configuration's attacker
// exposure drawn as bars, and the events that matter (theft, password change, suspension,
// revoke-all, logout, reuse detection) marked — the ones both runs share across the whole
// picture, the others on their own lane. A visually hidden text twin says the same in words.
// Presentational: props in, SVG out. The drawing is as wide as its box, with labels at the page's
// text size, so it reads the same on a laptop, a wide screen and in a larger presenter font.
import { useId, useLayoutEffect, useRef, useState, type RefObject } from 'react';
import { textWidth } from '../diagram-model';
import { formatElapsed, formatInstant, formatSpan } from '../format';
import {
  axisTicks,
  axisUnit,
  clusterMarkers,
  formatExactSpan,
  markerInWords,
  stackLabels,
  totalLength,
  windowsInWords,
  type AxisMarker,
  type Interval,
  type MarkerKind,
  type Side,
} from '../compare';

export interface TimelineLane {
  side: Side;
  /** "A" or "B". */
  letter: string;
  name: string;
  windows: readonly Interval[];
  /** Markers of this run only (the shared ones are passed separately). */
  markers: readonly AxisMarker[];
}

export interface CompareTimelineProps {
  end: number;
  epochSeconds: number;
  lanes: readonly [TimelineLane, TimelineLane];
  shared: readonly AxisMarker[];
  /** A moment to mark (the shared clock), or null. */
  moment?: number | null;
}

const LEFT = 40;
const RIGHT = 16;
const LABEL_SIZE = 12;
/** CSS pixels per drawing unit (at a 16 px root font): 12-unit labels come out a little above 13 px. */
const TEXT_SCALE = 1.1;
const MIN_WIDTH = 640;
const LABEL_ROW = 16;
const BAR = 26;

// Class names spelled out in full so Tailwind sees them.
const MARKER_CLASS: Record<MarkerKind, { text: string; stroke: string }> = {
  theft: { text: 'fill-red-800 dark:fill-red-300', stroke: 'stroke-red-800 dark:stroke-red-300' },
  passwordChange: { text: 'fill-blue-800 dark:fill-blue-300', stroke: 'stroke-blue-800 dark:stroke-blue-300' },
  suspension: { text: 'fill-amber-900 dark:fill-amber-300', stroke: 'stroke-amber-800 dark:stroke-amber-300' },
  reinstatement: { text: 'fill-amber-900 dark:fill-amber-300', stroke: 'stroke-amber-800 dark:stroke-amber-300' },
  revokeAll: { text: 'fill-slate-800 dark:fill-slate-200', stroke: 'stroke-slate-700 dark:stroke-slate-300' },
  logout: { text: 'fill-slate-800 dark:fill-slate-200', stroke: 'stroke-slate-700 dark:stroke-slate-300' },
  reuse: { text: 'fill-violet-800 dark:fill-violet-300', stroke: 'stroke-violet-800 dark:stroke-violet-300' },
};

const HALO = '[paint-order:stroke] stroke-white dark:stroke-slate-900 [stroke-linejoin:round]';

/**
 * The drawing's width in SVG units: the box's width at the page's text size, so labels read like
 * the text around them on a laptop and on a projector (a larger root font scales them too).
 */
function useDrawingWidth(): [RefObject<HTMLDivElement | null>, number] {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(1000);
  useLayoutEffect(() => {
    const box = ref.current;
    if (!box || typeof ResizeObserver === 'undefined') return;
    const measure = () => {
      const rootPx = parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
      const unitsPerPixel = 1 / (TEXT_SCALE * (rootPx / 16));
      setWidth(Math.max(MIN_WIDTH, Math.round(box.clientWidth * unitsPerPixel)));
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(box);
    // A theme or presenter mode may change the root font size through <html>'s class or style.
    const root = new MutationObserver(measure);
    root.observe(document.documentElement, { attributes: true, attributeFilter: ['class', 'style'] });
    return () => {
      observer.disconnect();
      root.disconnect();
    };
  }, []);
  return [ref, width];
}

/** The parts of [from, to] outside the given bands (sorted, disjoint), as [y1, y2] segments. */
function gaps(from: number, to: number, bands: readonly [number, number][]): [number, number][] {
  const out: [number, number][] = [];
  let y = from;
  for (const [b1, b2] of bands) {
    if (b2 <= y || b1 >= to) continue;
    if (b1 > y) out.push([y, b1]);
    y = Math.max(y, b2);
  }
  if (y < to) out.push([y, to]);
  return out;
}

/** Markers with their labels stacked into rows; `extra` is one more label to place among them (the moment's). */
function placed<M extends AxisMarker>(
  markers: readonly M[],
  xOf: (t: number) => number,
  width: number,
  extra?: { x: number; width: number },
) {
  const items = markers.map((m) => ({ x: xOf(m.t), width: textWidth(m.label, LABEL_SIZE) }));
  const labels = stackLabels(extra ? [...items, extra] : items, width - 4);
  const rows = labels.reduce((n, l) => Math.max(n, l.row + 1), 0);
  return {
    markers: markers.map((m, i) => ({ marker: m, x: items[i]!.x, ...labels[i]! })),
    extra: extra ? labels[items.length]! : null,
    rows,
  };
}

export function CompareTimeline({ end, epochSeconds, lanes, shared, moment = null }: CompareTimelineProps) {
  const titleId = useId();
  const summaryId = useId();
  const [boxRef, width] = useDrawingWidth();
  const plot = width - LEFT - RIGHT;
  const xOf = (t: number) => LEFT + (Math.min(Math.max(t, 0), end) / Math.max(1, end)) * plot;
  // Repeats closer than a few units apart (a theft every 5 minutes) are drawn, and said, once.
  const within = (Math.max(1, end) / plot) * 12;
  const sharedMarkers = clusterMarkers(shared, within);
  const laneMarkers = lanes.map((lane) => clusterMarkers(lane.markers, within));
  // The moment's label joins the shared markers' labels on top, so the two never collide.
  const momentLabel = moment === null ? null : `shown below: ${formatElapsed(moment)}`;
  const top = placed(
    sharedMarkers,
    xOf,
    width,
    momentLabel === null ? undefined : { x: xOf(moment!), width: textWidth(momentLabel, LABEL_SIZE) },
  );
  const topHeight = top.rows * LABEL_ROW + (top.rows ? 6 : 0);

  // Vertical layout: shared labels, then per lane a title, its bar and its own labels, then the axis.
  let y = topHeight + 4;
  const laneLayout = lanes.map((lane, i) => {
    const own = placed(laneMarkers[i]!, xOf, width);
    const titleY = y + 14;
    const barY = titleY + 6;
    const ownY = barY + BAR + 4;
    y = ownY + own.rows * LABEL_ROW + 14;
    const exposed = totalLength(lane.windows);
    const share = end > 0 ? (exposed / end) * 100 : 0;
    const percent = share >= 1 ? String(Math.round(share)) : share >= 0.001 ? share.toPrecision(1) : '< 0.001';
    const shareText = exposed === 0 ? 'never exposed' : `exposed ${formatSpan(exposed)} (${percent} % of the run)`;
    return { lane, own, titleY, barY, ownY, shareText };
  });
  const plotBottom = y - 8;
  const axisY = y;
  const height = axisY + 44;
  const ticks = axisTicks(end, Math.max(4, Math.floor(plot / 110)));
  const unit = axisUnit(end);
  const topLabelY = (row: number) => topHeight - 6 - row * LABEL_ROW;
  // Lines that cross the picture leave the lane titles free.
  const titleBands = laneLayout.map(({ titleY }): [number, number] => [titleY - 13, titleY + 4]);
  const momentX = moment === null ? null : xOf(moment);

  // Drawn in layers: grid, bars, every marker line, then every text on top with a halo, so no
  // line ever crosses a word.
  return (
    <figure className="m-0">
      <div ref={boxRef} className="overflow-x-auto">
        <svg
          viewBox={`0 0 ${width} ${height}`}
          className="block w-full text-slate-900 dark:text-slate-50"
          style={{ minWidth: `${MIN_WIDTH * TEXT_SCALE}px` }}
          role="img"
          aria-labelledby={titleId}
          aria-describedby={summaryId}
        >
          <title
            id={titleId}
          >{`The attacker's exposure over ${formatSpan(end)} under ${lanes[0].letter} and ${lanes[1].letter}, with the key events marked`}</title>

          {ticks.map((tick) => (
            <line
              key={tick.t}
              x1={xOf(tick.t)}
              x2={xOf(tick.t)}
              y1={topHeight}
              y2={axisY}
              className="stroke-slate-200 dark:stroke-slate-700"
              strokeWidth={1}
            />
          ))}

          {/* Lanes: a track for the whole run, and the exposure windows on it. */}
          {laneLayout.map(({ lane, barY }) => (
            <g key={lane.side} data-lane={lane.side}>
              <circle cx={18} cy={barY + BAR / 2} r={13} className="fill-slate-800 dark:fill-slate-100" />
              <text x={18} y={barY + BAR / 2 + 5} textAnchor="middle" className="fill-white text-[15px] font-bold dark:fill-slate-900">
                {lane.letter}
              </text>
              <rect
                x={LEFT}
                y={barY}
                width={plot}
                height={BAR}
                rx={3}
                className="fill-slate-100 stroke-slate-400 dark:fill-slate-800 dark:stroke-slate-500"
                strokeWidth={1}
              />
              {lane.windows.map((w) => {
                const x1 = xOf(w.from);
                const barWidth = Math.max(4, xOf(w.to) - x1);
                return (
                  <rect
                    key={w.from}
                    x={Math.min(x1, LEFT + plot - barWidth)}
                    y={barY + 2}
                    width={barWidth}
                    height={BAR - 4}
                    rx={2}
                    className="fill-red-600 dark:fill-red-400"
                  >
                    <title>{`Exposed from ${formatInstant(epochSeconds + w.from)} for ${formatExactSpan(w.to - w.from)}`}</title>
                  </rect>
                );
              })}
            </g>
          ))}

          {/* Marker lines: dashed across the whole picture for events both runs share, solid on a lane for one run's own. */}
          {top.markers.map(({ marker, x, row }) => (
            <path
              key={`${marker.kind}@${marker.t}`}
              d={gaps(topLabelY(row) - 10, plotBottom, titleBands)
                .map(([y1, y2]) => `M${x},${y1} V${y2}`)
                .join(' ')}
              className={`fill-none ${MARKER_CLASS[marker.kind].stroke}`}
              strokeWidth={2}
              strokeDasharray="5 3"
            >
              <title>{markerInWords(marker, epochSeconds)}</title>
            </path>
          ))}
          {laneLayout.flatMap(({ lane, own, barY, ownY }) =>
            own.markers.map(({ marker, x, row }) => (
              <line
                key={`${lane.side}-${marker.kind}@${marker.t}`}
                x1={x}
                x2={x}
                y1={barY - 4}
                y2={ownY + row * LABEL_ROW + 4}
                className={MARKER_CLASS[marker.kind].stroke}
                strokeWidth={2}
              >
                <title>{markerInWords(marker, epochSeconds)}</title>
              </line>
            )),
          )}
          {momentX !== null && top.extra && (
            <path
              d={gaps(topLabelY(top.extra.row) - 10, axisY, titleBands)
                .map(([y1, y2]) => `M${momentX},${y1} V${y2}`)
                .join(' ')}
              className="fill-none stroke-teal-700 dark:stroke-teal-300"
              strokeWidth={3}
            />
          )}

          {/* Words on top. */}
          {laneLayout.map(({ lane, titleY, shareText }) => (
            <text key={lane.side} x={LEFT} y={titleY} className={`fill-current text-[13px] ${HALO}`} strokeWidth={4}>
              <tspan className="font-bold">{lane.name}</tspan>
              <tspan
                className={`font-semibold ${lane.windows.length ? 'fill-red-800 dark:fill-red-300' : 'fill-slate-700 dark:fill-slate-300'}`}
              >{` — attacker ${shareText}`}</tspan>
            </text>
          ))}
          {top.markers.map(({ marker, row, textX, anchor }) => (
            <text
              key={`${marker.kind}@${marker.t}`}
              x={textX}
              y={topLabelY(row)}
              textAnchor={anchor}
              className={`${MARKER_CLASS[marker.kind].text} ${HALO} text-[12px] font-semibold`}
              strokeWidth={4}
            >
              {marker.label}
            </text>
          ))}
          {laneLayout.flatMap(({ lane, own, ownY }) =>
            own.markers.map(({ marker, row, textX, anchor }) => (
              <text
                key={`${lane.side}-${marker.kind}@${marker.t}`}
                x={textX}
                y={ownY + row * LABEL_ROW + 11}
                textAnchor={anchor}
                className={`${MARKER_CLASS[marker.kind].text} ${HALO} text-[12px] font-semibold`}
                strokeWidth={4}
              >
                {marker.label}
              </text>
            )),
          )}
          {top.extra && momentLabel && (
            <text
              x={top.extra.textX}
              y={topLabelY(top.extra.row)}
              textAnchor={top.extra.anchor}
              className={`fill-teal-800 dark:fill-teal-200 ${HALO} text-[12px] font-bold`}
              strokeWidth={4}
            >
              {momentLabel}
            </text>
          )}

          {/* The axis */}
          <line x1={LEFT} x2={LEFT + plot} y1={axisY} y2={axisY} className="stroke-slate-600 dark:stroke-slate-300" strokeWidth={1.5} />
          {ticks.map((tick, i) => (
            <g key={tick.t}>
              <line
                x1={xOf(tick.t)}
                x2={xOf(tick.t)}
                y1={axisY}
                y2={axisY + 5}
                className="stroke-slate-600 dark:stroke-slate-300"
                strokeWidth={1.5}
              />
              <text
                x={xOf(tick.t)}
                y={axisY + 18}
                textAnchor={i === 0 ? 'start' : xOf(tick.t) > width - 30 ? 'end' : 'middle'}
                className="fill-slate-700 text-[12px] dark:fill-slate-300"
              >
                {tick.label}
              </text>
            </g>
          ))}
          <text x={LEFT} y={axisY + 36} className="fill-slate-700 text-[12px] dark:fill-slate-300">
            {`Time since the start (${unit}); the run starts ${formatInstant(epochSeconds)} and lasts ${formatSpan(end)}.`}
          </text>
        </svg>
      </div>
      <figcaption className="mt-1 flex flex-wrap items-center gap-x-4 gap-y-1 text-sm text-slate-800 dark:text-slate-200">
        <span className="inline-flex items-center gap-1.5">
          <span aria-hidden="true" className="inline-block h-3 w-6 rounded-sm bg-red-600 dark:bg-red-400" />
          red bar: the attacker could have made a successful API call
        </span>
        <span className="inline-flex items-center gap-1.5">
          <span
            aria-hidden="true"
            className="inline-block h-3 w-6 rounded-sm border border-slate-400 bg-slate-100 dark:border-slate-500 dark:bg-slate-800"
          />
          empty: it could not
        </span>
        <span>dashed line: an event in both runs; solid: in that run only</span>
      </figcaption>
      <div id={summaryId} className="sr-only">
        <p>The same picture in words.</p>
        <ul>
          {lanes.map((lane, i) => {
            const words = windowsInWords(lane.windows, epochSeconds);
            return (
              <li key={lane.side}>
                {`${lane.letter}, ${lane.name}: `}
                {words.length === 0
                  ? 'the attacker never had access.'
                  : `the attacker had access for ${formatExactSpan(totalLength(lane.windows))} in total, in ${lane.windows.length === 1 ? 'one window' : `${lane.windows.length} windows`}: ${words.join('; ')}.`}
                {laneMarkers[i]!.length > 0 &&
                  ` Only in this run: ${laneMarkers[i]!.map((m) => markerInWords(m, epochSeconds)).join('; ')}.`}
              </li>
            );
          })}
          {sharedMarkers.length > 0 && <li>{`In both runs: ${sharedMarkers.map((m) => markerInWords(m, epochSeconds)).join('; ')}.`}</li>}
        </ul>
      </div>
    </figure>
  );
}
