// The narration log fed by the incremental narrator (only new events are told; it starts over
// after step back or restart). Its own module, so the narration text loads after first paint.
import { useMemo } from 'react';
import { createNarrator } from '../narration';
import type { WorldView } from '../view';
import { GlossaryButton } from './GlossaryButton';
import { NarrationLog } from './NarrationLog';

export function NarrationPanel({
  view,
  selectedToken,
  onSelectToken,
}: {
  view: WorldView;
  selectedToken: string | null;
  onSelectToken: (label: string) => void;
}) {
  const narrator = useMemo(() => createNarrator(), []);
  // The store's reading of the trace; before its code has loaded, this view's own.
  const lines = useMemo(() => view.reading?.narration ?? narrator(view), [view, narrator]);
  return (
    <NarrationLog
      lines={lines}
      epochSeconds={view.epochSeconds}
      selectedToken={selectedToken}
      onSelectToken={onSelectToken}
      headerExtra={<GlossaryButton />}
    />
  );
}
