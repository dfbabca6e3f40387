// "Export ▾" beside a figure: a disclosure with the figure's exports (SVG, PNG, Mermaid, CSV).
// Each item builds its file on demand (the generators load on first use) and says what it did in
// the menu's status line; a failure says why there and changes nothing else.
import { useEffect, useId, useRef, useState } from 'react';

export interface ExportItem {
  label: string;
  /** Makes the file or copies the text; returns the sentence for the status line. */
  run: () => Promise<string>;
}

const button =
  'rounded-md border border-slate-400 bg-white px-2.5 py-1 text-sm font-medium text-slate-900 hover:bg-slate-100 dark:border-slate-500 dark:bg-slate-800 dark:text-slate-50 dark:hover:bg-slate-700';

export function ExportMenu({ what, items }: { what: string; items: readonly ExportItem[] }) {
  const [open, setOpen] = useState(false);
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const id = useId();
  const wrap = useRef<HTMLDivElement>(null);
  const toggle = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    const onPointer = (e: PointerEvent) => {
      if (wrap.current && !wrap.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', onPointer);
    return () => document.removeEventListener('pointerdown', onPointer);
  }, [open]);

  const choose = async (item: ExportItem) => {
    setBusy(true);
    try {
      setStatus(await item.run());
    } catch (error) {
      setStatus(`✗ ${item.label} failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div
      ref={wrap}
      className="relative"
      onKeyDown={(e) => {
        if (e.key === 'Escape' && open) {
          e.stopPropagation();
          setOpen(false);
          toggle.current?.focus();
        }
      }}
    >
      <button ref={toggle} type="button" className={button} aria-expanded={open} aria-controls={id} onClick={() => setOpen(!open)}>
        Export<span className="sr-only"> {what}</span> <span aria-hidden="true">▾</span>
      </button>
      <div
        id={id}
        hidden={!open}
        className="absolute right-0 z-30 mt-1 flex w-64 flex-col gap-1 rounded-lg border-2 border-slate-500 bg-white p-2 text-sm shadow-lg dark:border-slate-400 dark:bg-slate-900"
      >
        {items.map((item) => (
          <button
            key={item.label}
            type="button"
            className={`${button} text-left`}
            aria-disabled={busy}
            onClick={() => void (busy ? undefined : choose(item))}
          >
            {item.label}
          </button>
        ))}
        <p role="status" className="min-h-5 break-words text-slate-800 dark:text-slate-200">
          {status}
        </p>
      </div>
    </div>
  );
}
