// Import and export of scenario files. Import reads a file (picker or drag-and-drop anywhere on
// the page), validates it with the one parser of the format, and opens it in the sandbox; a bad
// file changes nothing and says what is wrong ("✗ name: path: problem"). Export downloads the
// session as a plain scenario file (share.ts exportSession). Nothing from a file is rendered as
// HTML: names and errors are React text.
import { useEffect, useRef, useState } from 'react';
import { useSimStore } from '../SimContext';
import type { Announce } from './ShareMenu';

/** Larger files are refused before they are read. */
export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;

/** A file name as shown in messages: at most 80 characters. */
function shownName(name: string): string {
  return name.length > 80 ? `${name.slice(0, 77)}…` : name;
}

/** Reads, validates and opens a scenario file; reports the outcome. Never throws. */
export function useImportFile(announce: Announce, onImported: () => void): (file: File) => Promise<void> {
  const store = useSimStore();
  return async (file: File) => {
    const name = shownName(file.name || 'the file');
    if (file.size > MAX_IMPORT_BYTES) {
      announce(`✗ ${name}: the file is too large (${(file.size / 1024 / 1024).toFixed(1)} MB; at most ${MAX_IMPORT_BYTES / 1024 / 1024} MB)`, 'error');
      return;
    }
    let text: string;
    try {
      text = await file.text();
    } catch {
      announce(`✗ ${name}: the file could not be read`, 'error');
      return;
    }
    // The parser loads on first use (it is not needed for the first paint).
    const { parseScenarioText } = await import('../../sim/scenario');
    const parsed = parseScenarioText(text);
    if (!parsed.ok) {
      announce(`✗ ${name}: ${parsed.error}`, 'error');
      return;
    }
    try {
      await store.getState().open(parsed.scenario, [], `Before importing ${name}`);
    } catch (error) {
      announce(`✗ ${name}: the scenario could not be started (${error instanceof Error ? error.message : String(error)})`, 'error');
      return;
    }
    onImported();
    announce(`✓ Imported ${name}: “${parsed.scenario.title ?? 'Untitled'}”, opened in the sandbox at its start.`, 'ok');
  };
}

export function ImportButton({ className, onFile }: { className: string; onFile: (file: File) => void }) {
  const inputRef = useRef<HTMLInputElement>(null);
  return (
    <>
      <button type="button" className={className} onClick={() => inputRef.current?.click()} title="Open a scenario file (.json); you can also drop one on the page">
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

export function ExportButton({ className, announce }: { className: string; announce: Announce }) {
  const store = useSimStore();
  const run = async () => {
    const session = store.getState().session;
    if (!session) return;
    try {
      const { exportSession } = await import('../share');
      const exported = await exportSession(session);
      const url = URL.createObjectURL(new Blob([exported.text], { type: 'application/json' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = exported.fileName;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      announce(`✓ Exported ${exported.fileName}: the scenario with your actions as steps.${exported.notes.length ? ` Note: ${exported.notes.join(' ')}` : ''}`, 'ok');
    } catch (error) {
      announce(`✗ Export failed: ${error instanceof Error ? error.message : String(error)}`, 'error');
    }
  };
  return (
    <button type="button" className={className} onClick={() => void run()} title="Download this session as a scenario file (.json)">
      Export
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
