import { describe, expect, it } from 'vitest';
import { base64url, createRng, fromBase64url, nextU32, randomToken } from './rng';

describe('rng', () => {
  it('gives the same stream for the same seed and different streams for different seeds', () => {
    const a = createRng(1);
    const b = createRng(1);
    const c = createRng(2);
    const sa = [nextU32(a), nextU32(a), nextU32(a)];
    expect([nextU32(b), nextU32(b), nextU32(b)]).toEqual(sa);
    expect([nextU32(c), nextU32(c), nextU32(c)]).not.toEqual(sa);
  });

  it('distinguishes seeds beyond 32 bits', () => {
    expect(nextU32(createRng(2 ** 32 + 5))).not.toEqual(nextU32(createRng(5)));
  });

  it('encodes base64url without padding like the standard encoder', () => {
    for (const len of [0, 1, 2, 3, 4, 31, 32]) {
      const bytes = Uint8Array.from({ length: len }, (_, i) => (i * 37 + 11) & 0xff);
      expect(base64url(bytes)).toBe(Buffer.from(bytes).toString('base64url'));
    }
  });

  it('decodes base64url back to the same bytes, and refuses other characters', () => {
    for (const len of [0, 1, 2, 3, 4, 31, 32, 100]) {
      const bytes = Uint8Array.from({ length: len }, (_, i) => (i * 91 + 7) & 0xff);
      expect(fromBase64url(base64url(bytes))).toEqual(bytes);
    }
    expect(() => fromBase64url('ab+c')).toThrow();
  });

  it('makes opaque tokens of the expected length', () => {
    expect(randomToken(createRng(9), 32)).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});
