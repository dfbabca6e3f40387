// Import and export of scenario files. Import reads a file (picker or drag-and-drop anywhere on
// the page), validates it with the one parser of the format, and opens it in the sandbox; a bad
// file changes nothing and says what is wrong ("✗ name: path: problem"). Export downloads the
// session as a plain scenario file (share-export.ts, run in the engine). Nothing from a file is rendered as
// HTML: names and errors are React text. The buttons and the drop listener are here; reading,
// parsing and building the file load on first use (import-export-actions.ts).
import { useEffect, useRef, useState } from 'react';
import { useSimStore } from '../SimContext';
import type { SimStore } from '../store';
import type { Announce } from '../announce';

/** Reads, validates and opens a scenario file; reports the outcome. Never throws. Its code loads on first use. */
/** The import handler: opens the file in `target` (the sandbox's store), else the one in context. */
export function useImportFile(announce: Announce, onImported: () => void, target?: SimStore): (file: File) => Promise<void> {
  const inContext = useSimStore();
  const store = target ?? inContext;
  return async (file: File) => {
    const { importScenarioFile } = await import('./import-export-actions');
    await importScenarioFile(store, file, announce, onImported);
  };
}

export function ImportButton({ className, onFile }: { className: string; onFile: (file: File) => void }) {
  const inputRef = useRef<HTMLInputElement>(null);
  return (
    <>
      <button
        type="button"
        className={className}
        onClick={() => inputRef.current?.click()}
        title="Open a scenario file (.json); you can also drop one on the page"
      >
        Import
      </button>
      <input
        ref={inputRef}
        type="file"
        accept=".json,application/json"
        aria-label="Scenario file to import"
        tabIndex={-1}
        className="hidden"
        data-testid="import-file"
        onChange={(e) => {
          const file = e.currentTarget.files?.[0];
          // Reset, so choosing the same file again (after fixing it) imports it again.
          e.currentTarget.value = '';
          if (file) onFile(file);
        }}
      />
    </>
  );
}

export function ExportButton({ className, announce, label = 'Export' }: { className: string; announce: Announce; label?: string }) {
  const store = useSimStore();
  const run = async () => {
    const { exportSessionFile } = await import('./import-export-actions');
    await exportSessionFile(store, announce);
  };
  return (
    <button type="button" className={className} onClick={() => void run()} title="Download this session as a scenario file (.json)">
      {label}
    </button>
  );
}

/** Drag-and-drop of a file anywhere on the page, with a visible hint while a file is dragged over. */
export function DropZone({ onFile, announce }: { onFile: (file: File) => void; announce: Announce }) {
  const [dragging, setDragging] = useState(false);
  const onFileRef = useRef(onFile);
  const announceRef = useRef(announce);
  useEffect(() => {
    onFileRef.current = onFile;
    announceRef.current = announce;
  });
  useEffect(() => {
    let depth = 0;
    const hasFiles = (e: DragEvent) => Array.from(e.dataTransfer?.types ?? []).includes('Files');
    const enter = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth++;
      setDragging(true);
    };
    const over = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
    };
    const leave = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0) setDragging(false);
    };
    const drop = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth = 0;
      setDragging(false);
      const files = Array.from(e.dataTransfer?.files ?? []);
      if (files.length > 1) announceRef.current(`✗ Drop one scenario file at a time (${files.length} were dropped).`, 'error');
      else if (files[0]) void onFileRef.current(files[0]);
    };
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragover', over);
    window.addEventListener('dragleave', leave);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragover', over);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('drop', drop);
    };
  }, []);
  if (!dragging) return null;
  return (
    <div aria-hidden="true" className="pointer-events-none fixed inset-0 z-50 flex items-center justify-center bg-teal-950/40 p-8">
      <div className="rounded-2xl border-4 border-dashed border-white bg-teal-900 px-10 py-8 text-center text-2xl font-bold text-white shadow-2xl">
        Drop the scenario file to import it
        <div className="mt-2 text-base font-normal">A .json scenario file. What you did so far is kept under Branches.</div>
      </div>
    </div>
  );
}
