// The size of a state-machine diagram (MachineDiagram.tsx), apart from its drawing code: the
// party panels draw a placeholder of the diagram's exact box while that code loads, so nothing
// shifts when it arrives. Every machine is drawn in a column, so all four have the same width and
// therefore the same scale in panels of the same width: their labels are the same size.

/** Wide enough for the longest label ("reauth required") in bold. */
export const BOX_W = 144;
export const BOX_H = 28;
export const ROW_GAP = 40;
export const COL_GAP = 16;
/** Row layout: room above and below the boxes for the arcs. */
export const ROW_TOP = 24;
/** Column layout: room left of the boxes for the upward arcs. */
export const COLUMN_LEFT = 34;

/**
 * Machines are drawn in a column (the row layout remains for a one-state machine), so the labels
 * stay legible in a narrow panel and are the same size in every panel.
 */
export function inColumn(states: number): boolean {
  return states >= 2;
}

/** The drawing's width and height in SVG units. */
export function diagramSize(states: number): { width: number; height: number } {
  return inColumn(states)
    ? { width: COLUMN_LEFT + BOX_W + 40, height: 8 + states * BOX_H + (states - 1) * COL_GAP }
    : { width: states * BOX_W + (states - 1) * ROW_GAP, height: ROW_TOP + BOX_H + 24 };
}

/**
 * The diagram's frame: its viewBox (the drawing plus a margin for strokes) and its box's style: a
 * width where one SVG unit is 1/16 rem (every diagram has the same scale, and presenter mode
 * enlarges them) and the viewBox's proportions. With max-w-full, the SVG and its placeholder are
 * at most as wide as their panel and take the same height.
 */
export function diagramFrame(states: number): { viewBox: string; style: { width: string; aspectRatio: string } } {
  const { width, height } = diagramSize(states);
  const w = width + 12;
  const h = height + 4;
  return { viewBox: `-6 -2 ${w} ${h}`, style: { width: `${w / 16}rem`, aspectRatio: `${w} / ${h}` } };
}
