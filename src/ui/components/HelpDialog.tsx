// The help dialog: what the screen shows, then the keyboard shortcuts. Loaded the first time it opens.
import { Dialog } from './Dialog';

/** The clock's and the lessons' shortcuts (shortcuts.ts, LessonsView.tsx). */
const SHORTCUTS: { keys: string; what: string }[] = [
  { keys: 'Space', what: 'Play / pause' },
  { keys: '→', what: 'Next event' },
  { keys: '←', what: 'Step back' },
  { keys: '1 2 3 4 5', what: '+1 minute, +5 minutes, +1 hour, +1 day, +30 days' },
  { keys: 'E', what: 'To next expiry' },
  { keys: 'N / Page Down', what: 'Lessons: next step' },
  { keys: 'Page Up', what: 'Lessons: previous step' },
  { keys: '1 2 3 4', what: 'Lessons, while a question is open: pick that answer (the arrows move between answers)' },
  { keys: 'L', what: 'Lessons: back to the list of lessons' },
  { keys: '[ ]', what: 'Lessons: the previous / next lesson' },
  { keys: '1 … 9, 0', what: 'In the list of lessons: start lesson 1 … 9, 10' },
  { keys: 'S', what: 'Settings' },
  { keys: 'T', what: 'Switch light / dark theme' },
  { keys: '?', what: 'This help' },
  { keys: 'Esc', what: 'Close a dialog or the token inspector; cancel a long jump in progress' },
];

/** Shortcuts the shell adds to the clock's (App.tsx), listed in the help dialog. */
const SHELL_SHORTCUTS: { keys: string; what: string }[] = [
  { keys: 'PageDown / PageUp', what: 'Next event / step back (a presentation clicker; in lessons: next / previous step)' },
  { keys: 'P', what: 'Presenter mode on / off' },
  { keys: 'B', what: 'Branches (sandbox): save this moment, return to a saved one' },
];

/** The parts of the screen, in the words the screen uses. */
const SCREEN: { part: string; what: string }[] = [
  {
    part: 'The four parties',
    what: 'Alice’s app (the client), the authorization server that issues tokens, the resource server (the API) and an attacker. Each panel draws its state machine with the current state highlighted, lists what it holds, and has its actions as buttons.',
  },
  {
    part: 'The clock',
    what: 'Simulated time, not your computer’s: nothing happens until you act, play, or jump ahead (+1 minute … +30 days, or to the next expiry). Step back undoes one event at a time.',
  },
  {
    part: 'Sequence diagram and token timeline',
    what: 'The diagram shows every message between the parties with its answer (200, 401, 400); the timeline shows each token as a bar from issue to expiry. Click a token label to inspect it.',
  },
  {
    part: 'Narration',
    what: 'Every event in a sentence, newest last; screen readers announce new lines.',
  },
  {
    part: 'Token inspector',
    what: 'A token decoded like jwt.io (header, claims, signature) and whether the resource server would accept it now, and why not.',
  },
  {
    part: 'Exposure',
    what: 'The simulated time during which the attacker could have made a successful API call, had it tried, with what it held then: an access token the API accepts, or a refresh token or password that gets one.',
  },
];

export function HelpDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  return (
    <Dialog open={open} title="Help" onClose={onClose}>
      <h3 className="text-base font-bold">The screen</h3>
      <dl className="mt-1 flex flex-col gap-1.5 text-sm">
        {SCREEN.map((s) => (
          <div key={s.part}>
            <dt className="inline font-semibold">{s.part}: </dt>
            <dd className="inline">{s.what}</dd>
          </div>
        ))}
      </dl>
      <p className="mt-2 text-sm">
        <strong>Sandbox</strong> is yours to play in; <strong>Lessons</strong> walk through one question each, asking you to predict before
        the decisive step; <strong>Compare</strong> runs one script under two setups side by side.
      </p>
      <h3 className="mt-3 text-base font-bold">Keyboard shortcuts</h3>
      <table className="w-full text-sm">
        <tbody>
          {[...SHORTCUTS, ...SHELL_SHORTCUTS].map((s) => (
            <tr key={s.keys} className="border-b border-slate-200 dark:border-slate-700">
              <th scope="row" className="py-1 pr-3 text-left font-mono whitespace-nowrap">
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
