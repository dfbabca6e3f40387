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
});
