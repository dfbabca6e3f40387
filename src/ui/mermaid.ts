// "Copy as Mermaid": the sequence diagram as Mermaid sequenceDiagram text, written from the same
// rows the diagram draws (diagram-model.ts layoutSequence), not from the page. Requests are solid
// arrows, accepted responses dashed ones, refused responses dashed with a cross; theft, expiry and
// other marks are notes over their lane; gaps are notes across all lanes; a folded repeat is a
// loop around the exchange it shows. Pure.
import type { Party } from '../sim/types';
import { partsText, type SequenceLayout, type SequenceRow } from './diagram-model';
import { PARTY_NAMES } from './format';

export const MERMAID_IDS: Record<Party, string> = { client: 'Client', attacker: 'Attacker', authServer: 'AS', resourceServer: 'RS' };
const ORDER: readonly Party[] = ['client', 'attacker', 'authServer', 'resourceServer'];

/**
 * Text safe in a Mermaid message, note or loop label: one line; `#` and `;` written as Mermaid's
 * entity codes (a bare `;` would end the statement, and `#…;` is read as an entity).
 */
export function mermaidText(text: string): string {
  return text
    .replace(/[\r\n\u2028\u2029]+/g, ' ')
    .replace(/[#;]/g, (c) => (c === '#' ? '#35;' : '#59;'))
    .trim();
}

function rowText(row: SequenceRow): string {
  if (row.kind === 'arrow' || row.kind === 'marker') return partsText(row.parts);
  if (row.kind === 'gap') return row.text;
  return `× ${row.count} (${row.every}) · ${row.who}${row.expanded ? '' : ', latest shown'}`;
}

/** The diagram's rows as a Mermaid sequenceDiagram; each row's clock time leads its text where the diagram shows one. */
export function sequenceMermaid(layout: SequenceLayout, title?: string): string {
  const lines = ['sequenceDiagram'];
  if (title) lines.push(`  title ${mermaidText(title)}`);
  for (const party of ORDER) lines.push(`  participant ${MERMAID_IDS[party]} as ${PARTY_NAMES[party]}`);
  const all = `${MERMAID_IDS.client},${MERMAID_IDS.resourceServer}`;
  let loop: string | null = null;
  for (const { placed, timeLabel } of layout.rows) {
    const row = placed.row;
    if (loop !== null && row.group !== loop) {
      lines.push('  end');
      loop = null;
    }
    const text = mermaidText(`${timeLabel ? `${timeLabel} ` : ''}${rowText(row)}`);
    const indent = loop !== null ? '    ' : '  ';
    switch (row.kind) {
      case 'arrow': {
        const arrow = !row.response ? '->>' : row.verdict === 'rejected' ? '--x' : '-->>';
        lines.push(`${indent}${MERMAID_IDS[row.from]}${arrow}${MERMAID_IDS[row.to]}: ${text}`);
        break;
      }
      case 'marker':
        lines.push(`${indent}Note over ${MERMAID_IDS[row.lane]}: ${text}`);
        break;
      case 'gap':
        lines.push(`${indent}Note over ${all}: ${text}`);
        break;
      case 'repeat':
        lines.push(`  loop ${text}`);
        loop = row.group;
        break;
    }
  }
  if (loop !== null) lines.push('  end');
  if (layout.now) lines.push(`  Note over ${all}: ${mermaidText(layout.now.text)}`);
  return `${lines.join('\n')}\n`;
}
