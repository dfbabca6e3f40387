// Import and export on first use: reading, validating and opening a scenario file, and building
// the session's export and downloading it. Loaded by ImportExport.tsx when a file is chosen or
// dropped, or Export is pressed. Nothing from a file is rendered as HTML.
import type { SimStore } from '../store';
import type { Announce } from '../announce';

/** Larger files are refused before they are read. */
export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;

/** A file name as shown in messages: at most 80 characters. */
function shownName(name: string): string {
  return name.length > 80 ? `${name.slice(0, 77)}…` : name;
}

/** Reads, validates and opens a scenario file; reports the outcome. Never throws. */
export async function importScenarioFile(store: SimStore, file: File, announce: Announce, onImported: () => void): Promise<void> {
  const name = shownName(file.name || 'the file');
  if (file.size > MAX_IMPORT_BYTES) {
    announce(
      `✗ ${name}: the file is too large (${(file.size / 1024 / 1024).toFixed(1)} MB; at most ${MAX_IMPORT_BYTES / 1024 / 1024} MB)`,
      'error',
    );
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
}

export async function exportSessionFile(store: SimStore, announce: Announce): Promise<void> {
  const session = store.getState().session;
  if (!session) return;
  try {
    const exported = await store.getState().exportFile();
    const url = URL.createObjectURL(new Blob([exported.text], { type: 'application/json' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = exported.fileName;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    announce(
      `✓ Exported ${exported.fileName}: the scenario with your actions as steps.${exported.notes.length ? ` Note: ${exported.notes.join(' ')}` : ''}`,
      'ok',
    );
  } catch (error) {
    announce(`✗ Export failed: ${error instanceof Error ? error.message : String(error)}`, 'error');
  }
}
