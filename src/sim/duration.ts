// Durations as scenario files write them: whole seconds (90) or "<int><unit>" parts in d, h, m, s
// order, each unit at most once ("1h30m", "16m59s"). Also the inverse, for display and export.
import type { Seconds } from './types';

const UNIT_SECONDS = { d: 86_400, h: 3_600, m: 60, s: 1 } as const;
const DURATION = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;

/** Parses a duration; returns null when the value is not one. */
export function parseDuration(value: unknown): Seconds | null {
  if (typeof value === 'number') {
    return Number.isSafeInteger(value) && value >= 0 ? value : null;
  }
  if (typeof value !== 'string' || value === '') return null;
  const match = DURATION.exec(value);
  if (!match) return null;
  const [, d, h, m, s] = match;
  const total = Number(d ?? 0) * UNIT_SECONDS.d + Number(h ?? 0) * UNIT_SECONDS.h + Number(m ?? 0) * UNIT_SECONDS.m + Number(s ?? 0);
  return Number.isSafeInteger(total) ? total : null;
}

/** Formats seconds as the shortest duration string ("1h30m", "0s"). */
export function formatDuration(seconds: Seconds): string {
  if (seconds === 0) return '0s';
  let rest = seconds;
  let out = '';
  for (const [unit, size] of Object.entries(UNIT_SECONDS)) {
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * size;
    }
  }
  return out;
}
