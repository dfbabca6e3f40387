import { describe, expect, it } from 'vitest';
import { BUILT_IN_SCENARIOS } from '../scenarios';
import { layoutSequence, partsText, sequenceRows } from './diagram-model';
import { el, keepAttribute, pictureFileName, serializeSvg, stack, standaloneSvg } from './export-svg';
import { sequenceSvg } from './sequence-svg';
import { worldAt } from './test-support';

/** Checks that tags nest and close (Node has no DOMParser; the e2e test parses with the browser's). */
function wellFormed(xml: string): string[] {
  const errors: string[] = [];
  const open: string[] = [];
  const body = xml.replace(/^<\?xml[^>]*\?>\s*/, '');
  for (const m of body.matchAll(/<(\/?)([A-Za-z_][\w.:-]*)((?:\s+[\w.:-]+="[^"<]*")*)\s*(\/?)>|<|>/g)) {
    if (m[0] === '<' || m[0] === '>') {
      errors.push(`stray ${m[0]} at ${m.index}`);
      continue;
    }
    const [, close, name, , self] = m;
    if (self) continue;
    if (close) {
      if (open.pop() !== name) errors.push(`</${name}> closes the wrong element`);
    } else open.push(name!);
  }
  if (open.length) errors.push(`unclosed: ${open.join(', ')}`);
  return errors;
}

describe('standalone SVG', () => {
  it('escapes text and attribute values, and refuses names that are not XML names', () => {
    expect(serializeSvg(el('text', { x: 1, title: 'a "b" <c> & d' }, ['AT#1 < RT#1 & "x"']))).toBe(
      '<text x="1" title="a &quot;b&quot; &lt;c&gt; &amp; d">AT#1 &lt; RT#1 &amp; &quot;x&quot;</text>',
    );
    expect(serializeSvg(el('rect', { width: 2, skipped: null }))).toBe('<rect width="2"/>');
    expect(() => serializeSvg(el('a b'))).toThrow(/not an element name/);
    expect(() => serializeSvg(el('g', { 'onload="x"': 1 }))).toThrow(/not an attribute name/);
  });

  it('keeps geometry, drops classes, styles, handlers, ARIA, tab stops and data', () => {
    for (const name of ['x', 'y', 'd', 'transform', 'viewBox', 'text-anchor', 'id', 'fill', 'xml:space'])
      expect(keepAttribute(name), name).toBe(true);
    for (const name of ['class', 'style', 'onclick', 'role', 'aria-label', 'tabindex', 'data-row', 'focusable'])
      expect(keepAttribute(name), name).toBe(false);
  });

  it('writes a document with the namespace, a title, a solid background, and parts stacked', () => {
    const { height, nodes } = stack([
      { height: 34, nodes: [el('text', {}, ['axis'])] },
      { height: 100, nodes: [el('rect', { width: 5, height: 5 })] },
    ]);
    expect(height).toBe(134);
    const svg = standaloneSvg(nodes, { width: 800, height, title: 'T & co', background: '#fff', color: '#000', fontFamily: 'monospace' });
    expect(svg).toMatch(
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="800" height="134" viewBox="0 0 800 134" /,
    );
    expect(svg).toContain('<title>T &amp; co</title><rect x="0" y="0" width="800" height="134" fill="#fff"/>');
    expect(svg).toContain('<g transform="translate(0 34)"><rect width="5" height="5"/></g>');
    expect(wellFormed(svg)).toEqual([]);
  });

  it('names files after what they show', () => {
    expect(pictureFileName('sequence', 'Stolen refresh token, rotation: what if…?', 'svg')).toBe(
      'tokenscope-sequence-stolen-refresh-token-rotation-what-if.svg',
    );
    expect(pictureFileName('trace', undefined, 'csv')).toBe('tokenscope-trace.csv');
  });
});

describe('the sequence diagram as SVG', () => {
  it('draws every row the diagram shows, in inline colours, as a well-formed file', async () => {
    const world = await worldAt(BUILT_IN_SCENARIOS.find((s) => s.id === 'stolen-static-refresh')!.json as Record<string, unknown>);
    const layout = layoutSequence(sequenceRows(world.trace), { epochSeconds: world.scenario.epochSeconds, now: world.now });
    const svg = sequenceSvg(layout, 'Sequence diagram: <static> & "refresh"');
    expect(wellFormed(svg)).toEqual([]);
    expect(svg).toContain('<title>Sequence diagram: &lt;static&gt; &amp; &quot;refresh&quot;</title>');
    expect(svg).toContain(`height="${layout.height + 34}"`);
    expect(svg).not.toMatch(/\sclass=|\srole=|\stabindex=|\son[a-z]+=/);
    expect(svg).toContain('fill="#ffffff"');
    for (const party of ['Client', 'Attacker', 'Authorization server', 'Resource server']) expect(svg).toContain(`>${party}</text>`);
    const escape = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
    for (const { placed } of layout.rows) {
      if (placed.kind !== 'arrow' && placed.kind !== 'marker') continue;
      for (const part of placed.row.parts) expect(svg).toContain(escape(part.kind === 'text' ? part.text : part.label));
      expect(partsText(placed.row.parts).length).toBeGreaterThan(0);
    }
    expect(svg).toContain('>now</text>');
  });
});
