// The first visit's welcome: one sentence saying what this is, and the first lesson on offer.
// Shown until dismissed or taken (the preferences remember it); loaded lazily by App.tsx.
export function Welcome({
  primaryClass,
  secondaryClass,
  onStart,
  onDismiss,
}: {
  primaryClass: string;
  secondaryClass: string;
  onStart: () => void;
  onDismiss: () => void;
}) {
  return (
    <section
      aria-label="Welcome"
      className="mx-4 mt-2 flex flex-wrap items-center gap-x-4 gap-y-2 rounded-lg border-2 border-teal-700 bg-teal-50 px-3 py-2 dark:border-teal-400 dark:bg-teal-950"
    >
      <p className="min-w-0 flex-1 basis-80 text-base">
        <strong>tokenscope</strong> lets you watch OAuth access and refresh tokens being issued, stolen, refreshed and revoked on a
        simulated clock you control, and the guided lessons are the quickest way in.
      </p>
      <div className="flex flex-wrap gap-2">
        <button type="button" className={primaryClass} onClick={onStart}>
          Start the first lesson
        </button>
        <button type="button" className={secondaryClass} onClick={onDismiss}>
          Dismiss
        </button>
      </div>
    </section>
  );
}
