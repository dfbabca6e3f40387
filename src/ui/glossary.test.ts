import { describe, expect, it } from 'vitest';
import { BUILT_IN_SCENARIOS } from '../scenarios';
import { GLOSSARY } from './glossary';
import { GLOSSARY_TERMS, termsIn } from './glossary-terms';

describe('the glossary', () => {
  it('defines every term the lessons lean on, each in a few plain sentences with a source', () => {
    const ids = GLOSSARY.map((e) => e.id);
    for (const id of [
      'grant',
      'sign-in-session',
      'introspection',
      'exposure',
      'pkce',
      'bff',
      'dpop',
      'rotation',
      'reuse-detection',
    ] as const)
      expect(ids).toContain(id);
    expect(new Set(ids).size).toBe(GLOSSARY_TERMS.length);
    for (const entry of GLOSSARY) {
      expect(entry.text.length, entry.id).toBeGreaterThan(0);
      for (const paragraph of entry.text) expect(paragraph.length, entry.id).toBeLessThan(400);
      expect(entry.source.length, entry.id).toBeGreaterThan(3);
    }
  });

  it('finds the terms a text uses, in glossary order, once each', () => {
    expect(termsIn('The AS revoked the grant; PKCE stopped the code. The grant was gone.').map((t) => t.id)).toEqual(['grant', 'pkce']);
    expect(termsIn('A backend-for-frontend (BFF) keeps the refresh token', null, undefined).map((t) => t.id)).toEqual([
      'refresh-token',
      'bff',
    ]);
    expect(termsIn('Refused as a reuse: the server revokes everything').map((t) => t.id)).toEqual(['reuse-detection']);
    expect(termsIn('Alice walks away for coffee.')).toEqual([]);
    // Whole words only: "migrant" is not a grant, "reusable" not a reuse.
    expect(termsIn('a migrant with a reusable cup')).toEqual([]);
  });

  it('has something to offer in every lesson', () => {
    for (const entry of BUILT_IN_SCENARIOS.filter((s) => s.kind === 'lesson')) {
      const file = entry.json as { goal?: string; steps: { lesson?: { narration?: string } }[] };
      const texts = [file.goal, ...file.steps.map((s) => s.lesson?.narration)];
      expect(termsIn(...texts).length, entry.id).toBeGreaterThan(0);
    }
  });
});
