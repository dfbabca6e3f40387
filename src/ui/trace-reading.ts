// The trace read once per store, as it arrives: its projection (sim/projection.ts), the narration
// lines and the sequence diagram's items. Each reader is incremental (it reads only the events it
// has not seen, and starts over after a step back), so the store can feed it the trace while a
// long run streams in, and the view published at the end has only the last events left to read.
// Loaded by the store after the first view (the first paint needs none of it).
import { createProjector } from '../sim/projection';
import { createSequenceGrouper, createSequenceItemsReader } from './diagram-model';
import { createNarrator, type NarrationSource } from './narration';
import type { TraceReading } from './reading-types';

export function createTraceReader(): (source: NarrationSource) => TraceReading {
  const project = createProjector();
  const narrate = createNarrator();
  const readItems = createSequenceItemsReader();
  const groupItems = createSequenceGrouper();
  let last: TraceReading | null = null;
  return (source) => {
    const projection = project(source.events);
    const narration = narrate(source);
    const sequenceItems = readItems(source.events);
    const sequenceGroups = groupItems(sequenceItems);
    if (last && last.projection === projection && last.narration === narration && last.sequenceGroups === sequenceGroups) return last;
    last = { projection, narration, sequenceItems, sequenceGroups };
    return last;
  };
}
