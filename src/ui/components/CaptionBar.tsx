// Presenter mode's caption bar: the narration's newest line in large type, fixed at the bottom of
// the screen like film subtitles, so an audience can read what just happened. The full log stays
// in the narration panel. Text only: a line is never rendered as HTML.
import { useMemo } from 'react';
import { formatClock } from '../format';
import { createNarrator, type NarrationTone } from '../narration';
import type { WorldView } from '../view';

const TONE: Record<NarrationTone, { symbol: string; word: string; className: string }> = {
  ok: { symbol: '✓', word: 'Succeeded:', className: 'bg-emerald-300 text-black' },
  bad: { symbol: '✗', word: 'Refused:', className: 'bg-red-300 text-black' },
  warn: { symbol: '!', word: 'Warning:', className: 'bg-amber-300 text-black' },
  info: { symbol: 'i', word: 'Note:', className: 'bg-white text-black' },
};

export function CaptionBar({ view }: { view: WorldView }) {
  const narrator = useMemo(() => createNarrator(), []);
  // The store's reading of the trace; before its code has loaded, this view's own.
  const lines = useMemo(() => view.reading?.narration ?? narrator(view), [view, narrator]);
  const line = lines.at(-1);
  const tone = line ? TONE[line.tone] : null;
  return (
    <div
      role="status"
      aria-live="polite"
      aria-label="Caption: the newest narration line"
      className="caption-bar fixed inset-x-0 bottom-0 z-30 border-t-4 border-amber-400 bg-black px-6 py-3 text-white"
    >
      {line && tone ? (
        <p className="mx-auto flex max-w-[90rem] items-start gap-4 text-xl leading-snug font-medium min-[1600px]:text-2xl">
          <span
            aria-hidden="true"
            className={`mt-0.5 flex h-9 w-9 shrink-0 items-center justify-center rounded-full text-xl font-bold ${tone.className}`}
          >
            {tone.symbol}
          </span>
          <span className="min-w-0">
            <span className="mr-3 font-mono text-xl text-amber-300 tabular-nums">
              {formatClock(view.epochSeconds + line.t, view.epochSeconds + view.t)}
            </span>
            <span className="sr-only">{tone.word} </span>
            {line.text}
          </span>
        </p>
      ) : (
        <p className="mx-auto max-w-[90rem] text-xl min-[1600px]:text-2xl">Nothing has happened yet: act, or move the clock.</p>
      )}
    </div>
  );
}
