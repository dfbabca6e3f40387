// The glossary: every term the lessons and narration lean on, in plain words, in a modal dialog.
// Loaded only when someone opens it. Opened for one term, it moves focus to that term.
import { useEffect, useRef } from 'react';
import { GLOSSARY } from '../glossary';
import type { GlossaryTermId } from '../glossary-terms';
import { Dialog } from './Dialog';

export function GlossaryDialog({ open, focus, onClose }: { open: boolean; focus: GlossaryTermId | null; onClose: () => void }) {
  const listRef = useRef<HTMLDListElement>(null);
  useEffect(() => {
    if (!open || !focus) return;
    const target = listRef.current?.querySelector<HTMLElement>(`#glossary-${focus}`);
    target?.focus();
  }, [open, focus]);
  return (
    <Dialog open={open} title="Glossary" onClose={onClose}>
      {/* Focusable so the keyboard can scroll it (the terms themselves take focus only when opened at one). */}
      <dl ref={listRef} tabIndex={0} className="max-h-[70vh] space-y-3 overflow-y-auto pr-1 text-sm">
        {GLOSSARY.map((entry) => (
          <div key={entry.id}>
            <dt
              id={`glossary-${entry.id}`}
              tabIndex={-1}
              className={`font-bold ${focus === entry.id ? 'rounded bg-amber-100 px-1 dark:bg-amber-900' : ''}`}
            >
              {entry.term}
            </dt>
            {entry.text.map((paragraph) => (
              <dd key={paragraph} className="mt-0.5">
                {paragraph}
              </dd>
            ))}
            <dd className="mt-0.5 text-xs text-slate-700 dark:text-slate-300">Source: {entry.source}</dd>
          </div>
        ))}
      </dl>
    </Dialog>
  );
}
