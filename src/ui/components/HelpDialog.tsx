// The help dialog (keyboard shortcuts), loaded the first time it opens.
import { SHORTCUTS } from '../shortcut-list';
import { Dialog } from './Dialog';

/** Shortcuts the shell adds to the clock's (shortcuts.ts), listed in the help dialog. */
const SHELL_SHORTCUTS: { keys: string; what: string }[] = [
  { keys: 'PageDown / PageUp', what: 'Next event / step back (a presentation clicker; in lessons: next / previous step)' },
  { keys: 'P', what: 'Presenter mode on / off' },
  { keys: 'B', what: 'Branches (sandbox): save this moment, return to a saved one' },
];

export function HelpDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  return (
    <Dialog open={open} title="Keyboard shortcuts" onClose={onClose}>
      <table className="w-full text-sm">
        <tbody>
          {[...SHORTCUTS, ...SHELL_SHORTCUTS].map((s) => (
            <tr key={s.keys} className="border-b border-slate-200 dark:border-slate-700">
              <th scope="row" className="py-1 pr-3 text-left font-mono">
                {s.keys}
              </th>
              <td className="py-1">{s.what}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="mt-2 text-sm">Shortcuts do nothing while you type in a field. Every control is also reachable with Tab.</p>
    </Dialog>
  );
}
