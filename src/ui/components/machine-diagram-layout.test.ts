import { describe, expect, it } from 'vitest';
import { PARTY_MACHINES } from '../../sim/machines';
import { PARTY_STATE_COUNTS } from './machine-diagram-layout';

describe('the diagram placeholders', () => {
  it('are sized for each party machine as the core declares it', () => {
    for (const [party, machine] of Object.entries(PARTY_MACHINES)) {
      expect(PARTY_STATE_COUNTS[party as keyof typeof PARTY_MACHINES], party).toBe(machine.states.length);
    }
  });
});
