import { describe, expect, it } from 'vitest';
import { BUILT_IN_SCENARIOS } from '../scenarios';
import { measureRows } from './compare';
import { csvCell, measuresCsv, toCsv, traceCsv } from './csv';
import { worldAt } from './test-support';

/** RFC 4180 reader, independent of the writer. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  return rows;
}

describe('CSV', () => {
  it('quotes what needs it and defuses formulas', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvCell('-1+2')).toBe("'-1+2");
    expect(csvCell(-5)).toBe('-5');
    expect(csvCell(null)).toBe('');
    expect(csvCell(Number.NaN)).toBe('');
    expect(
      toCsv([
        ['a', 1],
        ['b', null],
      ]),
    ).toBe('a,1\r\nb,\r\n');
  });

  it('writes the trace, one row per event, that reads back', async () => {
    const world = await worldAt(BUILT_IN_SCENARIOS.find((s) => s.id === 'rotation-client-first')!.json as Record<string, unknown>);
    const rows = parseCsv(traceCsv(world.trace, world.scenario.epochSeconds));
    expect(rows[0]).toEqual(['seq', 'time (UTC)', 'seconds since start', 'event', 'cause', 'details (JSON)']);
    expect(rows.length).toBe(world.trace.length + 1);
    rows.slice(1).forEach((row, i) => {
      const event = world.trace[i]!;
      expect(row).toHaveLength(6);
      expect(Number(row[0])).toBe(event.seq);
      expect(Date.parse(row[1]!) / 1000).toBe(world.scenario.epochSeconds + event.t);
      expect(row[3]).toBe(event.type);
      expect(JSON.parse(row[5]!)).toEqual(JSON.parse(JSON.stringify((({ seq: _s, t: _t, cause: _c, type: _y, ...rest }) => rest)(event))));
    });
  });

  it('writes the measures with both sides, their numbers, and which is better', async () => {
    const a = await worldAt(BUILT_IN_SCENARIOS.find((s) => s.id === 'stolen-static-refresh')!.json as Record<string, unknown>);
    const b = await worldAt(BUILT_IN_SCENARIOS.find((s) => s.id === 'rotation-client-first')!.json as Record<string, unknown>);
    const measures = measureRows(a.outcome().metrics, b.outcome().metrics, { a: 'A (static)', b: 'B (rotating)' }, a.scenario.epochSeconds);
    const rows = parseCsv(measuresCsv(measures, { a: 'A · static, refresh', b: 'B · rotating' }));
    expect(rows[0]).toEqual([
      'group',
      'measure',
      'A · static, refresh',
      'B · rotating',
      'A · static, refresh (number)',
      'B · rotating (number)',
      'better',
      'which is better, and why',
      'difference',
    ]);
    expect(rows.length).toBe(measures.length + 1);
    measures.forEach((m, i) => {
      const row = rows[i + 1]!;
      expect(row.slice(0, 4)).toEqual([m.group, m.label, m.a.text, m.b.text]);
      expect(row[4]).toBe(m.a.raw === null ? '' : String(m.a.raw));
      expect(row[6]).toBe(m.better === null ? 'neither' : m.better.toUpperCase());
    });
  });
});
