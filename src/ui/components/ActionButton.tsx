// A button for one core action. When the action cannot apply it stays focusable but is marked
// aria-disabled, and says why (visible on focus/hover, and announced when pressed).
import { useId, useState } from 'react';
import type { Action } from '../../sim/types';
import { availability } from '../availability';
import { useSim } from '../SimContext';

export function ActionButton({ action, label, variant = 'default' }: { action: Action; label: string; variant?: 'default' | 'danger' }) {
  const view = useSim((s) => s.view);
  const act = useSim((s) => s.act);
  const reasonId = useId();
  const [explained, setExplained] = useState(false);
  if (!view) return null;
  const state = availability(view, action);
  const base = 'rounded-md border px-2.5 py-1 text-sm font-medium transition-colors focus-visible:outline-3 disabled:cursor-not-allowed';
  const look = !state.enabled
    ? 'cursor-not-allowed border-slate-300 bg-slate-100 text-slate-500 dark:border-slate-700 dark:bg-slate-800 dark:text-slate-400'
    : variant === 'danger'
      ? 'border-red-700 bg-red-700 text-white hover:bg-red-800 dark:border-red-500 dark:bg-red-600'
      : 'border-slate-400 bg-white text-slate-900 hover:bg-slate-100 dark:border-slate-500 dark:bg-slate-800 dark:text-slate-50 dark:hover:bg-slate-700';
  return (
    <span className="inline-flex flex-col">
      <button
        type="button"
        className={`${base} ${look}`}
        aria-disabled={!state.enabled || undefined}
        aria-describedby={!state.enabled ? reasonId : undefined}
        title={!state.enabled ? state.reason : undefined}
        onClick={() => {
          if (state.enabled) {
            setExplained(false);
            void act(action);
          } else {
            setExplained(true);
          }
        }}
        onBlur={() => setExplained(false)}
      >
        {label}
      </button>
      {!state.enabled && (
        <span
          id={reasonId}
          role={explained ? 'status' : undefined}
          className={explained ? 'mt-0.5 max-w-48 text-xs text-slate-700 dark:text-slate-300' : 'sr-only'}
        >
          {state.reason}
        </span>
      )}
    </span>
  );
}
