import { describe, expect, it } from 'vitest';
import { formatClock, formatElapsed, formatInstant, formatRelative, formatSpan } from './format';

const EPOCH = 1767603600; // 2026-01-05T09:00:00Z, a Monday

describe('format', () => {
  it('formats simulated instants in UTC', () => {
    expect(formatInstant(EPOCH + 750)).toBe('Mon 5 Jan 2026 09:12:30');
    expect(formatClock(EPOCH + 86_400, EPOCH)).toBe('Tue 6 Jan 09:00:00');
    expect(formatClock(EPOCH + 60, EPOCH)).toBe('09:01:00');
  });
  it('formats spans with at most two units', () => {
    expect(formatSpan(130)).toBe('2 min 10 s');
    expect(formatSpan(0)).toBe('0 s');
    expect(formatSpan(3 * 86_400 + 4 * 3600 + 5)).toBe('3 d 4 h');
    expect(formatSpan(3600 + 5)).toBe('1 h');
  });
  it('formats relative times and elapsed time', () => {
    expect(formatRelative(430, 300)).toBe('in 2 min 10 s');
    expect(formatRelative(100, 160)).toBe('1 min ago');
    expect(formatElapsed(3723)).toBe('+01:02:03');
    expect(formatElapsed(86_400 + 5)).toBe('+1 d 00:00:05');
  });
  it('never prints NaN or undefined, whatever the instant (issue 12: a clock at 9e15 s)', () => {
    for (const bad of [EPOCH + 9e15, Number.NaN, Number.POSITIVE_INFINITY, 8.64e15 + 1]) {
      for (const text of [
        formatInstant(bad),
        formatClock(bad),
        formatClock(bad, EPOCH),
        formatClock(EPOCH, bad),
        formatElapsed(bad),
        formatSpan(bad),
      ]) {
        expect(text).not.toMatch(/NaN|undefined|Infinity/);
      }
    }
    expect(formatInstant(EPOCH + 9e15)).toBe('no such date');
    // The longest run (100 years) from the latest epoch a file can name is still a date.
    expect(formatInstant(253402300799 + 36_500 * 86_400)).toBe('Sun 6 Dec 10099 23:59:59');
  });
});
