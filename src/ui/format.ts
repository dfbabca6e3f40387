// Display formatting shared by every view: simulated instants (shown in UTC, the scenario's
// epoch zone) and durations in words. Pure functions; no wall clock.

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** What an instant outside the calendar shows (the parser and the engine never let one through). */
const NO_DATE = 'no such date';

function parts(unixSeconds: number) {
  const d = new Date(unixSeconds * 1000);
  if (Number.isNaN(d.getTime())) return null;
  return {
    weekday: DAYS[d.getUTCDay()]!,
    day: d.getUTCDate(),
    month: MONTHS[d.getUTCMonth()]!,
    year: d.getUTCFullYear(),
    time: `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`,
  };
}

/** "Mon 5 Jan 2026 09:12:30" */
export function formatInstant(unixSeconds: number): string {
  const p = parts(unixSeconds);
  if (!p) return NO_DATE;
  return `${p.weekday} ${p.day} ${p.month} ${p.year} ${p.time}`;
}

/** "09:12:30", with the date ("Tue 6 Jan 09:12:30") when it is not the same day as `reference`. */
export function formatClock(unixSeconds: number, referenceUnix?: number): string {
  const p = parts(unixSeconds);
  if (!p) return NO_DATE;
  if (referenceUnix === undefined) return p.time;
  const r = parts(referenceUnix);
  if (!r) return `${p.weekday} ${p.day} ${p.month} ${p.year} ${p.time}`;
  return p.day === r.day && p.month === r.month && p.year === r.year ? p.time : `${p.weekday} ${p.day} ${p.month} ${p.time}`;
}

/** "2 min 10 s", "3 d 4 h", "45 s", "0 s": at most two units, largest first. */
export function formatSpan(seconds: number): string {
  if (!Number.isFinite(seconds)) return NO_DATE;
  const s = Math.abs(Math.round(seconds));
  if (s === 0) return '0 s';
  const units: [string, number][] = [
    ['d', 86_400],
    ['h', 3_600],
    ['min', 60],
    ['s', 1],
  ];
  const out: string[] = [];
  let rest = s;
  for (const [name, size] of units) {
    const n = Math.floor(rest / size);
    if (n > 0 && out.length < 2) {
      out.push(`${n} ${name}`);
      rest -= n * size;
    } else if (out.length > 0) {
      break;
    }
  }
  return out.join(' ');
}

/** "in 2 min 10 s" / "2 min 10 s ago" / "now" relative to `now` (both in simulated seconds). */
export function formatRelative(at: number, now: number): string {
  if (at === now) return 'now';
  return at > now ? `in ${formatSpan(at - now)}` : `${formatSpan(now - at)} ago`;
}

/** Elapsed simulated time since t = 0: "+1 d 02:03:04" or "+02:03:04". */
export function formatElapsed(t: number): string {
  if (!Number.isFinite(t)) return NO_DATE;
  const days = Math.floor(t / 86_400);
  const rest = t - days * 86_400;
  const clock = `${pad(Math.floor(rest / 3600))}:${pad(Math.floor((rest % 3600) / 60))}:${pad(rest % 60)}`;
  return days > 0 ? `+${days} d ${clock}` : `+${clock}`;
}

export const PARTY_NAMES = {
  client: 'Client',
  authServer: 'Authorization server',
  resourceServer: 'Resource server',
  attacker: 'Attacker',
} as const;
