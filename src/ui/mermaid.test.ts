import { describe, expect, it } from 'vitest';
import { mermaidSequenceErrors } from '../../e2e/mermaid-grammar';
import { BUILT_IN_SCENARIOS } from '../scenarios';
import { layoutSequence, partsText, sequenceRows } from './diagram-model';
import { mermaidText, sequenceMermaid } from './mermaid';
import { worldAt } from './test-support';

async function layoutOf(id: string, expanded: string[] = []) {
  const world = await worldAt(BUILT_IN_SCENARIOS.find((s) => s.id === id)!.json as Record<string, unknown>);
  const rows = sequenceRows(world.trace, new Set(expanded));
  return { rows, layout: layoutSequence(rows, { epochSeconds: world.scenario.epochSeconds, now: world.now }) };
}

describe('Mermaid text', () => {
  it('escapes what would end a statement or start an entity, on one line', () => {
    expect(mermaidText('AT#1; RT#2\nnext')).toBe('AT#35;1#59; RT#35;2 next');
    expect(mermaidText('200 OK: fine')).toBe('200 OK: fine');
  });

  it('writes every row of a diagram with repeats and gaps, and parses as a sequenceDiagram', async () => {
    const { layout } = await layoutOf('stolen-static-refresh');
    const text = sequenceMermaid(layout, 'Static refresh; #1');
    expect(mermaidSequenceErrors(text)).toEqual([]);
    const lines = text.split('\n');
    expect(lines.slice(0, 6)).toEqual([
      'sequenceDiagram',
      '  title Static refresh#59; #35;1',
      '  participant Client as Client',
      '  participant Attacker as Attacker',
      '  participant AS as Authorization server',
      '  participant RS as Resource server',
    ]);
    // One statement per drawn row (a repeat opens a loop, closed by an `end`), and the now line.
    const statements = lines.filter((l) => /^\s+(Client|Attacker|AS|RS)(-->>|->>|--x)|^\s+Note over|^\s+loop /.test(l));
    expect(statements.length).toBe(layout.rows.length + 1);
    expect(lines.filter((l) => l.trim() === 'end').length).toBe(layout.rows.filter((r) => r.placed.kind === 'repeat').length);
    expect(layout.rows.some((r) => r.placed.kind === 'repeat')).toBe(true);
    for (const { placed } of layout.rows) {
      if (placed.kind === 'arrow' || placed.kind === 'marker') expect(text).toContain(mermaidText(partsText(placed.row.parts)));
    }
    // Requests solid, refusals crossed, answers dashed.
    expect(text).toMatch(/^ {2,4}Client->>AS: /m);
    expect(text).toMatch(/^ {2,4}AS-->>Client: /m);
  });

  it('the grammar check refuses what Mermaid would not read', () => {
    expect(mermaidSequenceErrors('sequenceDiagram\n  participant A\n  A->>B: hi\n')).toEqual(['line 3: "B" is not a declared participant']);
    expect(mermaidSequenceErrors('sequenceDiagram\n  participant A\n  A->>A: a; b\n')).toHaveLength(1);
    expect(mermaidSequenceErrors('sequenceDiagram\n  participant A\n  loop x\n')).toEqual(['1 loop block(s) not closed']);
    expect(mermaidSequenceErrors('graph TD\n')).toHaveLength(1);
  });
});
