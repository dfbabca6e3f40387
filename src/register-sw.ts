// Registers the offline copy (dist/sw.js, written by scripts/service-worker.ts), relative to the
// page so it works under any path. main.tsx loads this module a moment after the simulator has started, in
// production builds only. In a sandboxed frame without same-origin, or with storage blocked,
// the browser refuses: the app works as before, online.
export function registerServiceWorker(): void {
  let container: ServiceWorkerContainer | undefined;
  try {
    container = navigator.serviceWorker;
  } catch {
    return; // a sandboxed frame: reading it throws a SecurityError
  }
  if (!container) return;
  container.register('./sw.js').catch((error: unknown) => {
    console.warn(
      `tokenscope: the offline copy could not be set up (${error instanceof Error ? error.message : String(error)}); the app still works online.`,
    );
  });
}
