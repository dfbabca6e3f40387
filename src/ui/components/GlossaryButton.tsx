// Ways into the glossary: a "Glossary" button, and "words used here" buttons for the terms a text
// uses. The dialog itself (and its definitions) loads only when first opened.
import { lazy, Suspense, useRef, useState } from 'react';
import { termsIn, type GlossaryTermId } from '../glossary-terms';

const GlossaryDialog = lazy(() => import('./GlossaryDialog').then((m) => ({ default: m.GlossaryDialog })));

const button =
  'rounded border border-slate-400 bg-white px-2 py-0.5 text-xs font-semibold text-slate-900 hover:bg-slate-100 dark:border-slate-500 dark:bg-slate-800 dark:text-slate-50 dark:hover:bg-slate-700';

function useGlossary() {
  const [state, setState] = useState<{ open: boolean; focus: GlossaryTermId | null; loaded: boolean }>({
    open: false,
    focus: null,
    loaded: false,
  });
  // The button that opened it gets the focus back on close, even when the page re-rendered meanwhile
  // (the browser's own return of focus is lost when the lesson bar redraws under the dialog).
  const opener = useRef<HTMLElement | null>(null);
  const close = () => {
    setState((s) => ({ ...s, open: false }));
    const back = opener.current;
    setTimeout(() => {
      if (back?.isConnected) back.focus();
    }, 0);
  };
  const dialog = state.loaded ? (
    <Suspense fallback={null}>
      <GlossaryDialog open={state.open} focus={state.focus} onClose={close} />
    </Suspense>
  ) : null;
  return {
    open: (focus: GlossaryTermId | null) => {
      opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      setState({ open: true, focus, loaded: true });
    },
    dialog,
  };
}

/** A button that opens the whole glossary. */
export function GlossaryButton({ className }: { className?: string }) {
  const glossary = useGlossary();
  return (
    <>
      <button type="button" className={className ?? button} aria-haspopup="dialog" onClick={() => glossary.open(null)}>
        Glossary
      </button>
      {glossary.dialog}
    </>
  );
}

/** "Words used here": a button per glossary term the texts use, opening the glossary at it; nothing when none. */
export function GlossaryTerms({ texts }: { texts: ReadonlyArray<string | null | undefined> }) {
  const glossary = useGlossary();
  const terms = termsIn(...texts);
  if (terms.length === 0) return glossary.dialog;
  return (
    <div className="flex flex-wrap items-center gap-1.5 text-xs">
      <span className="font-semibold text-slate-700 dark:text-slate-300">Words used here:</span>
      {terms.map((term) => (
        <button
          key={term.id}
          type="button"
          className={button}
          aria-haspopup="dialog"
          aria-label={`${term.term}: open the glossary`}
          onClick={() => glossary.open(term.id)}
        >
          {term.term}
        </button>
      ))}
      {glossary.dialog}
    </div>
  );
}
