import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ACTION_NAMES } from '../sim/types';
import { SESSION_END_WORDS } from './session-words';
import { actionLabel, reasonSentence, reasonText, REASONS, VOCABULARY } from './vocabulary';

/** The members of a string-literal union type, read from src/sim/types.ts itself. */
function unionMembers(typeName: string): string[] {
  const source = readFileSync(new URL('../sim/types.ts', import.meta.url), 'utf8');
  const match = new RegExp(`export type ${typeName} =([^;]*);`).exec(source);
  if (!match) throw new Error(`no type ${typeName} in types.ts`);
  return [...match[1]!.replace(/\/\/.*$/gm, '').matchAll(/'([a-z_]+)'/g)].map((m) => m[1]!);
}

describe('the one vocabulary', () => {
  it.each([
    ['Reason', VOCABULARY.reasons],
    ['RevocationCause', VOCABULARY.revocations],
    ['SignInSessionEnd', SESSION_END_WORDS],
  ] as const)('words every %s of src/sim/types.ts with a label and a sentence', (typeName, table) => {
    const codes = unionMembers(typeName);
    expect(codes.length).toBeGreaterThan(3);
    expect(Object.keys(table).sort()).toEqual([...codes].sort());
    for (const code of codes) {
      const words = (table as Record<string, { label: string; sentence: string }>)[code]!;
      expect(words.label, code).toMatch(/^\S.{1,38}\S$/);
      expect(words.label, code).not.toContain('_');
      // One sentence: a capital, one full stop at the end.
      expect(words.sentence, code).toMatch(/^[A-Z][^.]*(\.[^ .][^.]*)*\.$/);
    }
  });

  it('words every action', () => {
    expect(Object.keys(VOCABULARY.actions).sort()).toEqual([...ACTION_NAMES].sort());
    for (const [name, words] of Object.entries(VOCABULARY.actions)) {
      expect(words.label, name).toMatch(/^[A-Z]/);
      expect(words.noun, name).toMatch(/^[a-zA-Z]/);
      expect(words.sentence, name).toMatch(/^[A-Z].*\.$/);
    }
    expect(actionLabel({ do: 'attacker.steal', what: 'both' })).toBe('Steal both tokens');
    expect(actionLabel({ do: 'attacker.callApi', proof: 'replay' })).toBe('Call API (replaying the app’s proof)');
  });

  it('gives each reason a distinct label, the same one everywhere', () => {
    expect(new Set(REASONS.map(reasonText)).size).toBe(REASONS.length);
    expect(new Set(REASONS.map(reasonSentence)).size).toBe(REASONS.length);
    expect(reasonText('reused')).toBe('reuse detected — family revoked');
    // An unknown code (from a newer file) still reads as words.
    expect(reasonText('some_new_code')).toBe('some new code');
  });
});
