// The narration log: every meaningful event as a sentence, newest at the bottom, in an ARIA live
// log so screen-reader users hear the story as it happens. Only new entries are announced: each
// entry is keyed by its trace position and never changes once written, the live list only grows
// at the end, and older entries brought back with "show earlier" go to a separate, silent list.
import { memo, useCallback, useId, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { formatClock, formatElapsed } from '../format';
import type { NarrationActor, NarrationLine, NarrationTone } from '../narration';

/** Entries rendered at once; more only on request (10,000-event runs stay fast). */
const WINDOW = 200;
/** How close to the bottom (px) still counts as "following the newest line". */
const STICKY_PX = 48;
/**
 * The newest entries, always laid out. Older ones skip layout and paint while out of view
 * (content-visibility), which takes the cost of a day's 200 new entries from the whole list to
 * the few on screen; the newest are exact, so "scroll to the bottom" lands exactly there.
 */
const ALWAYS_LAID_OUT = 30;

export interface NarrationLogProps {
  lines: readonly NarrationLine[];
  selectedToken: string | null;
  onSelectToken: (label: string) => void;
  /** Unix seconds of t = 0, to show clock times; without it, times are shown as elapsed time. */
  epochSeconds?: number;
  /** Classes for the outer box (e.g. a height from the layout); default: at most 36rem tall. */
  className?: string;
  /** Extra controls in the header, next to the entry count (e.g. the glossary button). */
  headerExtra?: ReactNode;
}

const TONE: Record<NarrationTone, { symbol: string; word: string; className: string }> = {
  ok: {
    symbol: '✓',
    word: 'Succeeded:',
    className: 'bg-emerald-100 text-emerald-900 ring-emerald-700 dark:bg-emerald-950 dark:text-emerald-200 dark:ring-emerald-500',
  },
  bad: {
    symbol: '✗',
    word: 'Refused:',
    className: 'bg-red-100 text-red-900 ring-red-700 dark:bg-red-950 dark:text-red-200 dark:ring-red-500',
  },
  warn: {
    symbol: '!',
    word: 'Warning:',
    className: 'bg-amber-100 text-amber-950 ring-amber-700 dark:bg-amber-950 dark:text-amber-200 dark:ring-amber-500',
  },
  info: {
    symbol: 'i',
    word: 'Note:',
    className: 'bg-slate-100 text-slate-800 ring-slate-500 dark:bg-slate-800 dark:text-slate-200 dark:ring-slate-400',
  },
};

const ACTOR: Record<NarrationActor, { name: string; className: string }> = {
  client: { name: 'Client app', className: 'border-blue-600 text-blue-800 dark:border-blue-400 dark:text-blue-300' },
  authServer: { name: 'Auth server', className: 'border-violet-600 text-violet-800 dark:border-violet-400 dark:text-violet-300' },
  resourceServer: { name: 'Resource server', className: 'border-teal-700 text-teal-800 dark:border-teal-400 dark:text-teal-300' },
  attacker: { name: 'Attacker', className: 'border-red-600 text-red-800 dark:border-red-400 dark:text-red-300' },
  user: { name: 'User', className: 'border-slate-500 text-slate-700 dark:border-slate-400 dark:text-slate-300' },
  admin: { name: 'Admin', className: 'border-amber-700 text-amber-900 dark:border-amber-400 dark:text-amber-300' },
};

const TOKEN_SPLIT = /\b((?:AT|RT|FT)#\d+)\b/;

function prefersReducedMotion(): boolean {
  return (
    typeof window !== 'undefined' &&
    typeof window.matchMedia === 'function' &&
    window.matchMedia('(prefers-reduced-motion: reduce)').matches
  );
}

/** Scrolls to the newest entry: smoothly for a short way, at once for a long one. */
function scrollToBottom(el: HTMLElement, smooth: boolean): boolean {
  const top = el.scrollHeight - el.clientHeight;
  // A long smooth scroll would pass (and so lay out) every entry on the way.
  const glide = smooth && top - el.scrollTop <= 2 * el.clientHeight;
  if (typeof el.scrollTo === 'function') el.scrollTo({ top, behavior: glide ? 'smooth' : 'auto' });
  else el.scrollTop = top;
  return glide;
}

export function NarrationLog({ lines, selectedToken, onSelectToken, epochSeconds, className, headerExtra }: NarrationLogProps) {
  const headingId = useId();
  const scrollRef = useRef<HTMLDivElement>(null);
  const following = useRef(true);
  /** Until this wall-clock instant, scroll events come from our own (smooth) scrolling. */
  const autoScrollUntil = useRef(0);
  const scrolledOnce = useRef(false);
  const [atBottom, setAtBottom] = useState(true);
  /** Earlier entries shown on request, beyond the live window. */
  const [extra, setExtra] = useState(0);
  /** Distance from the bottom to keep when earlier entries are inserted above. */
  const keepFromBottom = useRef<number | null>(null);

  const liveStart = Math.max(0, lines.length - WINDOW);
  const earlierStart = Math.max(0, liveStart - extra);
  const earlier = lines.slice(earlierStart, liveStart);
  const live = lines.slice(liveStart);
  const lastSeq = lines.at(-1)?.seq ?? -1;

  const clockOf = useCallback(
    (t: number) => (epochSeconds === undefined ? formatElapsed(t) : formatClock(epochSeconds + t, epochSeconds)),
    [epochSeconds],
  );

  // Follow the newest line unless the reader scrolled up to read older ones. After the first
  // time, in the next animation frame: reading the height during the commit would force a
  // synchronous layout of the whole log on every new view (the frame lays it out anyway).
  const frame = useRef(0);
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el || !following.current) return;
    const smooth = scrolledOnce.current && !prefersReducedMotion();
    const follow = () => {
      frame.current = 0;
      if (!following.current) return;
      autoScrollUntil.current = scrollToBottom(el, smooth) ? Date.now() + 800 : 0;
    };
    if (!scrolledOnce.current || typeof requestAnimationFrame !== 'function') {
      scrolledOnce.current = true;
      follow();
      return;
    }
    if (frame.current) cancelAnimationFrame(frame.current);
    frame.current = requestAnimationFrame(follow);
  }, [lastSeq]);
  useLayoutEffect(
    () => () => {
      if (frame.current && typeof cancelAnimationFrame === 'function') cancelAnimationFrame(frame.current);
    },
    [],
  );

  // Inserting earlier entries above must not move what the reader is looking at.
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el || keepFromBottom.current === null) return;
    el.scrollTop = el.scrollHeight - keepFromBottom.current;
    keepFromBottom.current = null;
  }, [extra]);

  const onScroll = () => {
    const el = scrollRef.current;
    if (!el) return;
    const bottom = el.scrollHeight - el.scrollTop - el.clientHeight <= STICKY_PX;
    // Our own smooth scroll passes through positions above the bottom: not the reader leaving.
    if (!bottom && Date.now() < autoScrollUntil.current) return;
    following.current = bottom;
    if (bottom !== atBottom) setAtBottom(bottom);
  };

  const showEarlier = () => {
    const el = scrollRef.current;
    if (el) keepFromBottom.current = el.scrollHeight - el.scrollTop;
    following.current = false;
    setExtra((n) => n + WINDOW);
  };

  const jumpToNewest = () => {
    const el = scrollRef.current;
    following.current = true;
    setAtBottom(true);
    if (!el) return;
    autoScrollUntil.current = scrollToBottom(el, !prefersReducedMotion()) ? Date.now() + 800 : 0;
  };

  const laidOutFrom = lines.length - ALWAYS_LAID_OUT;
  const entry = (line: NarrationLine, i: number, list: readonly NarrationLine[]) => (
    <Entry
      key={line.seq}
      lazyLayout={(list === live ? liveStart : earlierStart) + i < laidOutFrom}
      line={line}
      clock={clockOf(line.t)}
      selectedToken={selectedToken !== null && line.tokens.includes(selectedToken) ? selectedToken : null}
      onSelectToken={onSelectToken}
    />
  );

  return (
    <section
      aria-labelledby={headingId}
      className={`flex min-h-0 flex-col rounded-lg border border-slate-300 bg-white dark:border-slate-700 dark:bg-slate-900 ${className ?? 'max-h-[36rem]'}`}
    >
      <div className="flex items-center justify-between gap-2 border-b border-slate-300 px-3 py-2 dark:border-slate-700">
        <h2 id={headingId} className="text-base font-bold">
          Narration
        </h2>
        <span className="flex items-center gap-2 text-sm text-slate-700 dark:text-slate-300">
          <span>{lines.length === 1 ? '1 entry' : `${lines.length} entries`}</span>
          {headerExtra}
        </span>
      </div>
      <div
        ref={scrollRef}
        onScroll={onScroll}
        tabIndex={0}
        role="group"
        aria-label="Narration entries (scrollable)"
        // Scroll anchoring off while following the newest line (we scroll to it ourselves), on
        // while reading older ones: entries above that are laid out for the first time (see
        // ALWAYS_LAID_OUT) then do not move the lines being read.
        className={`relative min-h-0 flex-1 overflow-y-auto overscroll-contain ${atBottom ? '[overflow-anchor:none]' : '[overflow-anchor:auto]'} dark:[color-scheme:dark]`}
      >
        {earlierStart > 0 && (
          <div className="border-b border-slate-200 p-2 text-center dark:border-slate-800">
            <button
              type="button"
              onClick={showEarlier}
              className="rounded-md border border-slate-400 bg-white px-2.5 py-1 text-sm font-medium text-slate-900 hover:bg-slate-100 dark:border-slate-500 dark:bg-slate-800 dark:text-slate-50 dark:hover:bg-slate-700"
            >
              Show {Math.min(WINDOW, earlierStart)} earlier {Math.min(WINDOW, earlierStart) === 1 ? 'entry' : 'entries'} ({earlierStart} not
              shown)
            </button>
          </div>
        )}
        {earlier.length > 0 && (
          <ol aria-label="Earlier narration" className="divide-y divide-slate-200 dark:divide-slate-800">
            {earlier.map(entry)}
          </ol>
        )}
        <div role="log" aria-live="polite" aria-relevant="additions" aria-labelledby={headingId}>
          <ol
            className={`divide-y divide-slate-200 dark:divide-slate-800 ${earlier.length ? 'border-t border-slate-200 dark:border-slate-800' : ''}`}
          >
            {live.map(entry)}
          </ol>
        </div>
        {lines.length === 0 && (
          <p className="p-3 text-sm text-slate-700 dark:text-slate-300">
            Nothing has happened yet. Act, or move the clock, and each event is told here.
          </p>
        )}
      </div>
      {!atBottom && lines.length > 0 && (
        <div className="border-t border-slate-300 p-1.5 text-center dark:border-slate-700">
          <button
            type="button"
            onClick={jumpToNewest}
            className="rounded-md border border-slate-400 bg-white px-2.5 py-0.5 text-sm font-medium text-slate-900 hover:bg-slate-100 dark:border-slate-500 dark:bg-slate-800 dark:text-slate-50 dark:hover:bg-slate-700"
          >
            ↓ Jump to the newest entry
          </button>
        </div>
      )}
    </section>
  );
}

interface EntryProps {
  line: NarrationLine;
  /** Skip layout and paint while out of view (older entries). */
  lazyLayout: boolean;
  clock: string;
  /** The selected token if this line mentions it (so other entries need not re-render). */
  selectedToken: string | null;
  onSelectToken: (label: string) => void;
}

/** Lines are immutable facts: an entry re-renders only when what it shows changes. */
function sameEntry(a: EntryProps, b: EntryProps): boolean {
  return (
    a.line.seq === b.line.seq &&
    a.lazyLayout === b.lazyLayout &&
    a.line.text === b.line.text &&
    a.line.tone === b.line.tone &&
    a.line.actor === b.line.actor &&
    a.clock === b.clock &&
    a.selectedToken === b.selectedToken &&
    a.onSelectToken === b.onSelectToken
  );
}

const Entry = memo(function Entry({ line, lazyLayout, clock, selectedToken, onSelectToken }: EntryProps) {
  const tone = TONE[line.tone];
  const actor = ACTOR[line.actor];
  return (
    <li
      className={`grid grid-cols-[1.75rem_minmax(0,1fr)] gap-x-2 px-3 py-2 ${lazyLayout ? '[contain-intrinsic-size:auto_4.5rem] [content-visibility:auto]' : ''}`}
    >
      <span
        aria-hidden="true"
        className={`mt-0.5 flex h-6 w-6 items-center justify-center rounded-full text-sm font-bold ring-1 ${tone.className}`}
      >
        {tone.symbol}
      </span>
      <div className="min-w-0">
        <div className="flex flex-wrap items-center gap-x-2 text-xs">
          <time className="font-mono tabular-nums text-slate-700 dark:text-slate-300">{clock}</time>
          <span className={`rounded border px-1.5 font-semibold ${actor.className}`}>{actor.name}</span>
        </div>
        <p className="mt-0.5 text-sm leading-relaxed text-slate-900 dark:text-slate-100">
          <span className="sr-only">{tone.word} </span>
          {withTokenButtons(line, selectedToken, onSelectToken)}
        </p>
      </div>
    </li>
  );
}, sameEntry);

/** The sentence with each token label it mentions as a button that opens the inspector. */
function withTokenButtons(line: NarrationLine, selectedToken: string | null, onSelectToken: (label: string) => void): ReactNode[] {
  return line.text.split(TOKEN_SPLIT).map((part, i) => {
    if (i % 2 === 0 || !line.tokens.includes(part)) return part;
    const selected = part === selectedToken;
    return (
      <button
        key={i}
        type="button"
        onClick={() => onSelectToken(part)}
        aria-pressed={selected}
        title={`Inspect ${part}`}
        className={`mx-px rounded px-1 py-px font-mono text-[0.8125rem] font-semibold ring-1 ${
          selected
            ? 'bg-amber-200 text-slate-900 ring-amber-600 dark:bg-amber-300 dark:text-slate-900'
            : 'bg-slate-100 text-slate-900 ring-slate-400 hover:bg-slate-200 dark:bg-slate-800 dark:text-slate-100 dark:ring-slate-500 dark:hover:bg-slate-700'
        }`}
      >
        {part}
      </button>
    );
  });
}
