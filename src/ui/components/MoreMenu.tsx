// Presenter mode's and a phone's compact menu for the header's secondary commands (App.tsx),
// loaded when first needed.
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';

/** Presenter mode's compact menu for the secondary commands (a disclosure, not an ARIA menu). */
export function MoreMenu({ className, label, children }: { className: string; label: string; children: ReactNode }) {
  const [open, setOpen] = useState(false);
  const id = useId();
  const ref = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (!open) return;
    const onPointer = (e: PointerEvent) => {
      if (ref.current && !ref.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', onPointer);
    return () => document.removeEventListener('pointerdown', onPointer);
  }, [open]);
  return (
    <div ref={ref} className="relative">
      <button ref={buttonRef} type="button" className={className} aria-expanded={open} aria-controls={id} onClick={() => setOpen(!open)}>
        {label} <span aria-hidden="true">▾</span>
      </button>
      <div
        id={id}
        hidden={!open}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.stopPropagation();
            setOpen(false);
            buttonRef.current?.focus();
          }
        }}
        onClick={(e) => {
          // A command was chosen: close the menu (dialogs it opens take the focus).
          if ((e.target as HTMLElement).closest('button')) setOpen(false);
        }}
        className="absolute right-0 z-40 mt-1 flex min-w-48 flex-col items-stretch gap-1.5 rounded-lg border-2 border-slate-500 bg-white p-2 shadow-lg dark:border-slate-400 dark:bg-slate-900 [&_button]:w-full [&_button]:text-left"
      >
        {children}
      </div>
    </div>
  );
}
