// A party's state machine, drawn from the core's exported table: the current state highlighted,
// the last transition taken drawn bold (and marked with a dot, not only colour). Every machine sits in a column (machine-diagram-layout.ts), so
// the labels stay legible in a narrow panel.
import { useId } from 'react';
import type { Machine } from '../../sim/machines';
import type { LastTransition } from '../../sim/state';
import { BOX_H, BOX_W, COLUMN_LEFT, COL_GAP, ROW_GAP, ROW_TOP, diagramFrame, inColumn } from './machine-diagram-layout';

function humanize(state: string): string {
  return state.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

interface Layout {
  box: (i: number) => { x: number; y: number };
  edge: (from: number, to: number) => string;
}

function rowLayout(): Layout {
  const top = ROW_TOP;
  const box = (i: number) => ({ x: i * (BOX_W + ROW_GAP), y: top });
  return {
    box,
    edge: (from, to) => {
      const forward = to > from;
      const x1 = box(from).x + BOX_W / 2 + (forward ? 18 : -18);
      const x2 = box(to).x + BOX_W / 2 + (forward ? -18 : 18);
      const y = forward ? top : top + BOX_H;
      const bend = forward ? -22 : 22;
      return `M${x1},${y} C${x1},${y + bend} ${x2},${y + bend} ${x2},${y}`;
    },
  };
}

function columnLayout(): Layout {
  const left = COLUMN_LEFT;
  const box = (i: number) => ({ x: left, y: 4 + i * (BOX_H + COL_GAP) });
  return {
    box,
    edge: (from, to) => {
      // Downward arcs on the right, upward arcs on the left.
      const down = to > from;
      const span = Math.abs(to - from);
      const x = down ? left + BOX_W : left;
      const bend = (down ? 1 : -1) * (14 + 10 * span);
      const y1 = box(from).y + BOX_H / 2 + (down ? 4 : -4);
      const y2 = box(to).y + BOX_H / 2 + (down ? -4 : 4);
      return `M${x},${y1} C${x + bend},${y1} ${x + bend},${y2} ${x},${y2}`;
    },
  };
}

export function MachineDiagram({
  machine,
  current,
  last,
  color,
}: {
  machine: Machine<string, string>;
  current: string;
  last: LastTransition | null;
  color: string;
}) {
  const titleId = useId();
  const states = machine.states;
  const layout = inColumn(states.length) ? columnLayout() : rowLayout();
  const frame = diagramFrame(states.length);

  const edges = new Map<string, { from: number; to: number }>();
  for (const tr of machine.transitions) {
    if (tr.from !== tr.to) edges.set(`${tr.from}>${tr.to}`, { from: states.indexOf(tr.from), to: states.indexOf(tr.to) });
  }
  const lastKey = last && last.from !== last.to ? `${last.from}>${last.to}` : null;
  const currentIndex = states.indexOf(current);

  return (
    <svg
      viewBox={frame.viewBox}
      // One SVG unit = 1/16 rem: every diagram has the same scale, and presenter mode enlarges them.
      style={frame.style}
      className="h-auto max-w-full"
      role="img"
      aria-labelledby={titleId}
    >
      <title id={titleId}>
        {`${machine.title} state machine. Current state: ${humanize(current)} (${machine.describe[current] ?? ''}).`}
        {last ? ` Last transition: ${humanize(last.from)} to ${humanize(last.to)} on ${last.on}.` : ''}
      </title>
      <defs>
        <marker id={`${titleId}-arrow`} viewBox="0 0 8 8" refX="7" refY="4" markerWidth="6" markerHeight="6" orient="auto-start-reverse">
          <path d="M0,0 L8,4 L0,8 z" className="fill-slate-400 dark:fill-slate-500" />
        </marker>
        <marker id={`${titleId}-last`} viewBox="0 0 8 8" refX="7" refY="4" markerWidth="4" markerHeight="4" orient="auto-start-reverse">
          <path d="M0,0 L8,4 L0,8 z" className="fill-amber-600 dark:fill-amber-400" />
        </marker>
      </defs>
      {[...edges.entries()].map(([key, edge]) => {
        const bold = key === lastKey;
        return (
          <path
            key={key}
            d={layout.edge(edge.from, edge.to)}
            fill="none"
            strokeWidth={bold ? 3 : 1.5}
            markerEnd={`url(#${titleId}-${bold ? 'last' : 'arrow'})`}
            className={bold ? 'stroke-amber-600 dark:stroke-amber-400' : 'stroke-slate-400 dark:stroke-slate-500'}
          />
        );
      })}
      {states.map((state, i) => {
        const active = i === currentIndex;
        const { x, y } = layout.box(i);
        return (
          <g key={state}>
            <rect
              x={x}
              y={y}
              width={BOX_W}
              height={BOX_H}
              rx={8}
              fill={active ? color : undefined}
              stroke={color}
              strokeWidth={active ? 3 : 1.5}
              className={active ? '' : 'fill-white dark:fill-slate-900'}
            />
            <text
              x={x + BOX_W / 2}
              y={y + BOX_H / 2 + 5}
              textAnchor="middle"
              fontSize="14"
              fontWeight={active ? 700 : 400}
              className={active ? 'fill-white' : 'fill-slate-800 dark:fill-slate-100'}
            >
              {active ? `● ${humanize(state)}` : humanize(state)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
