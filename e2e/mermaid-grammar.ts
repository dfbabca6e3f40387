// A strict line grammar for the Mermaid sequenceDiagram text tokenscope writes (src/ui/mermaid.ts),
// so tests can check it parses without loading Mermaid itself (several MB). The subset: a
// `sequenceDiagram` header, `title`, `participant ID as Name`, messages `A->>B: text` (also
// `-->>`, `--x`, `-x`, `->`, `-->`), `Note over|left of|right of A[,B]: text`, and `loop text` …
// `end`. Text may not hold a bare `;` (Mermaid ends a statement there) or a bare `#` (Mermaid
// reads `#…;` as an entity): those must be written `#59;` and `#35;`. Returns the errors, each
// naming its line; none means the text parses.
const ID = '[A-Za-z][A-Za-z0-9_]*';
const TEXT = '(?:[^#;\\n]|#\\d+;)+';

export function mermaidSequenceErrors(text: string): string[] {
  const errors: string[] = [];
  const lines = text.replace(/\n$/, '').split('\n');
  if (lines[0] !== 'sequenceDiagram') errors.push(`line 1: expected "sequenceDiagram", got ${JSON.stringify(lines[0])}`);
  const participants = new Set<string>();
  let depth = 0;
  let messages = 0;
  const known = (id: string, n: number) => {
    if (!participants.has(id)) errors.push(`line ${n}: "${id}" is not a declared participant`);
  };
  lines.slice(1).forEach((raw, i) => {
    const n = i + 2;
    const line = raw.trim();
    if (line === '') return;
    let m: RegExpExecArray | null;
    if ((m = new RegExp(`^participant (${ID})(?: as (${TEXT}))?$`).exec(line))) {
      if (messages > 0) errors.push(`line ${n}: participant after the first message`);
      participants.add(m[1]!);
    } else if (new RegExp(`^title ${TEXT}$`).test(line)) {
      if (participants.size > 0) errors.push(`line ${n}: title after the participants`);
    } else if ((m = new RegExp(`^(${ID})(-->>|->>|--x|-x|-->|->)(${ID}): (${TEXT})$`).exec(line))) {
      known(m[1]!, n);
      known(m[3]!, n);
      messages++;
    } else if ((m = new RegExp(`^Note (?:over|left of|right of) (${ID})(?:,(${ID}))?: ${TEXT}$`).exec(line))) {
      known(m[1]!, n);
      if (m[2]) known(m[2], n);
    } else if (new RegExp(`^loop ${TEXT}$`).test(line)) {
      depth++;
    } else if (line === 'end') {
      if (depth === 0) errors.push(`line ${n}: "end" without a block to close`);
      else depth--;
    } else {
      errors.push(`line ${n}: not a sequenceDiagram statement: ${JSON.stringify(line)}`);
    }
  });
  if (depth > 0) errors.push(`${depth} loop block(s) not closed`);
  return errors;
}
