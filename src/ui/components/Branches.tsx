// Branches: "what if?" from any moment without losing the main line. Save the current moment
// under a name, try something else, and return; returning keeps the line being left as an
// auto-saved branch, so nothing is lost. Branches are whole sessions (scenario + ops), rebuilt
// exactly by the deterministic core.
import { useId, useMemo, useState } from 'react';
import { formatInstant } from '../format';
import { useSim } from '../SimContext';
import type { Branch } from '../session-format';
import { Dialog } from './Dialog';
import type { Announce } from '../announce';

const button =
  'rounded-md border border-slate-400 bg-white px-2.5 py-1 text-sm font-medium text-slate-900 hover:bg-slate-100 dark:border-slate-500 dark:bg-slate-800 dark:text-slate-50 dark:hover:bg-slate-700 disabled:cursor-not-allowed disabled:opacity-60';

export function BranchesDialog({ open, onClose, announce }: { open: boolean; onClose: () => void; announce: Announce }) {
  const branches = useSim((s) => s.branches);
  const view = useSim((s) => s.view);
  const session = useSim((s) => s.session);
  const { saveBranch, switchBranch, deleteBranch } = useSim((s) => s);
  const [label, setLabel] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const labelId = useId();
  const currentKey = useMemo(() => (session ? JSON.stringify(session) : ''), [session]);

  const save = async () => {
    setError(null);
    const saved = await saveBranch(label);
    if (saved) {
      setLabel('');
      announce(`✓ Saved branch “${saved.label}” at ${formatInstant(saved.epochSeconds + saved.t)}.`, 'ok');
    }
  };

  const goTo = async (branch: Branch) => {
    setError(null);
    setBusy(true);
    try {
      await switchBranch(branch.id);
      onClose();
      announce(
        `✓ Returned to “${branch.label}” at ${formatInstant(branch.epochSeconds + branch.t)}. The line you left is saved under Branches.`,
        'ok',
      );
    } catch (e) {
      setError(`✗ “${branch.label}” could not be opened: ${e instanceof Error ? e.message : String(e)}. Nothing changed.`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog open={open} title="Branches: what if?" onClose={onClose}>
      <p className="text-sm">
        Save this moment, try something else, then come back. Returning to a branch saves the line you leave, so nothing is lost.
      </p>
      <form
        className="mt-3 flex flex-wrap items-end gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <div className="flex min-w-0 flex-1 flex-col gap-1">
          <label htmlFor={labelId} className="text-sm font-semibold">
            Name of the branch
          </label>
          <input
            id={labelId}
            type="text"
            value={label}
            maxLength={80}
            placeholder="e.g. Before the theft"
            onChange={(e) => setLabel(e.target.value)}
            className="rounded-md border border-slate-400 bg-white px-2 py-1 text-sm dark:border-slate-500 dark:bg-slate-800"
          />
        </div>
        <button type="submit" className={`${button} font-semibold`}>
          Save branch here
        </button>
      </form>
      {view && <p className="mt-1 text-sm text-slate-700 dark:text-slate-300">Here: {formatInstant(view.epochSeconds + view.t)}</p>}
      {error && (
        <p
          role="alert"
          className="mt-2 rounded border border-red-700 bg-red-50 px-2 py-1 text-sm text-red-900 dark:bg-red-950 dark:text-red-100"
        >
          {error}
        </p>
      )}
      <h3 className="mt-4 text-base font-bold">Saved branches</h3>
      {branches.length === 0 ? (
        <p className="mt-1 text-sm">None yet.</p>
      ) : (
        <ul className="mt-1 flex max-h-[45vh] flex-col gap-1.5 overflow-y-auto" aria-label="Saved branches">
          {[...branches].reverse().map((branch) => {
            const here = JSON.stringify(branch.session) === currentKey;
            return (
              <li
                key={branch.id}
                className="flex flex-wrap items-center justify-between gap-2 rounded border border-slate-300 px-2 py-1.5 dark:border-slate-600"
              >
                <div className="min-w-0">
                  <div className="font-semibold break-words">
                    {branch.label}
                    {here && <span className="ml-2 rounded bg-teal-800 px-1.5 py-0.5 text-xs font-semibold text-white">you are here</span>}
                  </div>
                  <div className="text-sm text-slate-700 dark:text-slate-300">
                    <time className="font-mono tabular-nums">{formatInstant(branch.epochSeconds + branch.t)}</time> · {branch.title}
                    {branch.auto ? ' · auto-saved' : ''}
                  </div>
                </div>
                <div className="flex gap-1.5">
                  <button
                    type="button"
                    className={button}
                    disabled={busy || here}
                    aria-label={`Return to ${branch.label}`}
                    onClick={() => void goTo(branch)}
                  >
                    Return
                  </button>
                  <button type="button" className={button} aria-label={`Delete ${branch.label}`} onClick={() => deleteBranch(branch.id)}>
                    Delete
                  </button>
                </div>
              </li>
            );
          })}
        </ul>
      )}
    </Dialog>
  );
}
