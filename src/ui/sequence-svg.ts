// The sequence diagram as a standalone SVG file, drawn from the same layout the screen uses
// (diagram-model.ts layoutSequence: the rows the diagram shows, with its folded repeats and
// gaps), in fixed colours on a white card: readable on light and dark slides alike. Pure.
import type { Party } from '../sim/types';
import { el, EXPORT_FONT, standaloneSvg, type SvgNode } from './export-svg';
import { LANES, SEQ, type MarkerTone, type PlacedPart, type SequenceLayout } from './diagram-model';
import { PARTY_NAMES } from './format';

export const SEQUENCE_PALETTE = {
  background: '#ffffff',
  text: '#0f172a',
  muted: '#475569',
  lane: { client: '#2563eb', attacker: '#dc2626', authServer: '#7c3aed', resourceServer: '#0f766e' } as Record<Party, string>,
  request: '#1e293b',
  okLine: '#64748b',
  okText: '#166534',
  rejected: '#dc2626',
  rejectedText: '#b91c1c',
  tone: { danger: '#b91c1c', notice: '#92400e', neutral: '#334155' } as Record<MarkerTone, string>,
  gapFill: '#f1f5f9',
  repeatFill: '#f8fafc',
  repeatStroke: '#cbd5e1',
  chipStroke: '#94a3b8',
  now: '#b45309',
} as const;

const P = SEQUENCE_PALETTE;
const HEADER = 34;

function parts(placed: readonly PlacedPart[], y: number, fill: string, bold = false): SvgNode[] {
  return placed.map((p) => {
    const weight = bold ? 'bold' : null;
    if (p.part.kind === 'text') return el('text', { x: p.x, y, fill, 'font-weight': weight, 'xml:space': 'preserve' }, [p.part.text]);
    return el('g', {}, [
      el('rect', { x: p.x - 3, y: y - 12, width: p.width + 6, height: 17, rx: 3, fill: P.background, stroke: P.chipStroke }),
      el('text', { x: p.x, y, fill: P.text, 'font-weight': weight }, [p.part.label]),
    ]);
  });
}

function header(): SvgNode[] {
  return [
    el('text', { x: SEQ.timeRight, y: 22, 'text-anchor': 'end', fill: P.muted, 'font-size': 12 }, ['time']),
    ...LANES.flatMap((lane) => [
      el('text', { x: SEQ.laneX[lane], y: 20, 'text-anchor': 'middle', fill: P.lane[lane], 'font-size': 14, 'font-weight': 'bold' }, [
        PARTY_NAMES[lane],
      ]),
      el('line', { x1: SEQ.laneX[lane] - 40, x2: SEQ.laneX[lane] + 40, y1: 29, y2: 29, stroke: P.lane[lane], 'stroke-width': 3 }),
    ]),
  ];
}

function body(layout: SequenceLayout): SvgNode[] {
  const out: SvgNode[] = [];
  for (const box of layout.repeats) {
    out.push(
      el('rect', {
        x: SEQ.timeRight + 2,
        y: box.y1,
        width: SEQ.width - SEQ.timeRight - 8,
        height: box.y2 - box.y1,
        rx: 6,
        fill: P.repeatFill,
        stroke: P.repeatStroke,
      }),
    );
  }
  for (const lane of LANES) {
    for (const segment of layout.lifelines) {
      out.push(
        el('line', {
          x1: SEQ.laneX[lane],
          x2: SEQ.laneX[lane],
          y1: segment.y1,
          y2: segment.y2,
          stroke: P.lane[lane],
          'stroke-opacity': 0.4,
          'stroke-width': 2,
          'stroke-dasharray': segment.broken ? '2 5' : null,
        }),
      );
    }
  }
  for (const { placed, timeLabel } of layout.rows) {
    const top = placed.y;
    const row: SvgNode[] = [];
    switch (placed.kind) {
      case 'arrow': {
        const { row: r, x1, x2 } = placed;
        const lineY = placed.lineY - top;
        const direction = Math.sign(x2 - x1) || 1;
        const tip = x2 - 2 * direction;
        const rejected = r.verdict === 'rejected';
        const line = !r.response ? P.lane[r.from] : rejected ? P.rejected : P.okLine;
        const text = !r.response ? P.request : rejected ? P.rejectedText : P.okText;
        row.push(
          el('line', {
            x1: x1 + direction * 2,
            y1: lineY,
            x2: tip - 7 * direction,
            y2: lineY,
            stroke: line,
            'stroke-width': rejected ? 2 : 1.5,
            'stroke-dasharray': r.response ? (rejected ? '3 3' : '7 4') : null,
          }),
          el('path', { d: `M${tip},${lineY} L${tip - 9 * direction},${lineY - 4.5} L${tip - 9 * direction},${lineY + 4.5} Z`, fill: line }),
          ...parts(placed.label, placed.labelY - top, text, rejected),
        );
        break;
      }
      case 'marker': {
        const { row: r, x, linkX } = placed;
        const dotY = placed.dotY - top;
        if (linkX !== null) {
          row.push(
            el('line', {
              x1: linkX,
              y1: dotY,
              x2: x,
              y2: dotY,
              stroke: P.rejected,
              'stroke-width': 1.5,
              'stroke-dasharray': '1 3',
              'stroke-linecap': 'round',
            }),
          );
        }
        row.push(
          r.tone === 'danger'
            ? el('path', {
                d: `M${x},${dotY - 6} L${x + 6},${dotY} L${x},${dotY + 6} L${x - 6},${dotY} Z`,
                fill: P.rejected,
                stroke: P.background,
              })
            : el('circle', { cx: x, cy: dotY, r: 4.5, fill: P.lane[r.lane], stroke: P.background }),
          ...parts(placed.label, placed.labelY - top, P.tone[r.tone]),
        );
        break;
      }
      case 'gap':
        row.push(
          el('rect', {
            x: SEQ.timeRight + 4,
            y: 3,
            width: SEQ.width - SEQ.timeRight - 10,
            height: placed.height - 6,
            rx: 4,
            fill: P.gapFill,
          }),
          el(
            'text',
            {
              x: (SEQ.timeRight + SEQ.width) / 2,
              y: placed.labelY - top,
              'text-anchor': 'middle',
              fill: P.tone.neutral,
              'font-style': 'italic',
            },
            [placed.row.text],
          ),
        );
        break;
      case 'repeat': {
        const r = placed.row;
        row.push(
          el('text', { x: placed.labelX, y: placed.labelY - top, fill: P.request, 'font-weight': 'bold' }, [
            `↻ × ${r.count} (${r.every}) · ${r.who}${r.expanded ? '' : ', latest shown'}`,
          ]),
        );
        break;
      }
    }
    if (timeLabel !== null) {
      const y = (placed.kind === 'arrow' ? placed.lineY + 4 : placed.labelY) - top;
      row.push(el('text', { x: SEQ.timeRight, y, 'text-anchor': 'end', fill: P.muted, 'font-size': 12 }, [timeLabel]));
    }
    out.push(el('g', { transform: `translate(0 ${top})` }, row));
  }
  if (layout.rows.length === 0) {
    out.push(el('text', { x: (SEQ.timeRight + SEQ.width) / 2, y: 22, 'text-anchor': 'middle', fill: P.muted }, ['No messages yet.']));
  }
  if (layout.now) {
    const { y, label } = layout.now;
    out.push(
      el('line', { x1: SEQ.timeRight + 6, x2: SEQ.width - 4, y1: y, y2: y, stroke: P.now, 'stroke-width': 2, 'stroke-dasharray': '8 4' }),
      el('text', { x: SEQ.timeRight, y: y + 4, 'text-anchor': 'end', fill: P.now, 'font-size': 12, 'font-weight': 'bold' }, [label]),
      el('text', { x: SEQ.timeRight + 10, y: y - 5, fill: P.now, 'font-size': 12, 'font-weight': 'bold' }, ['now']),
    );
  }
  return out;
}

/** The diagram's rows (as laid out for the screen) as a standalone SVG file. */
export function sequenceSvg(layout: SequenceLayout, title: string): string {
  return standaloneSvg([el('g', {}, header()), el('g', { transform: `translate(0 ${HEADER})` }, body(layout))], {
    width: layout.width,
    height: layout.height + HEADER,
    title,
    background: P.background,
    color: P.text,
    fontFamily: EXPORT_FONT,
  });
}
