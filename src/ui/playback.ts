// Playback speeds (a log scale with names) and which events pause playback when asked.
import type { SimEvent } from '../sim/types';
import type { StopRule } from './engine/protocol';

export const SPEEDS: { name: string; simSecondsPerSecond: number }[] = [
  { name: '1 s = 1 s', simSecondsPerSecond: 1 },
  { name: '1 s = 10 s', simSecondsPerSecond: 10 },
  { name: '1 s = 1 min', simSecondsPerSecond: 60 },
  { name: '1 s = 10 min', simSecondsPerSecond: 600 },
  { name: '1 s = 1 h', simSecondsPerSecond: 3_600 },
  { name: '1 s = 6 h', simSecondsPerSecond: 21_600 },
  { name: '1 s = 1 day', simSecondsPerSecond: 86_400 },
];

export const JUMPS: { label: string; seconds: number; key: string }[] = [
  { label: '+1 minute', seconds: 60, key: '1' },
  { label: '+5 minutes', seconds: 300, key: '2' },
  { label: '+1 hour', seconds: 3_600, key: '3' },
  { label: '+1 day', seconds: 86_400, key: '4' },
  { label: '+30 days', seconds: 30 * 86_400, key: '5' },
];

/** Events worth a look: theft, revocation, reuse, a rejected call, a suspension or password change. */
export function isKeyEvent(event: SimEvent): boolean {
  switch (event.type) {
    case 'TokensStolen':
    case 'GrantRevoked':
    case 'TokensWiped':
    case 'UserSuspended':
    case 'PasswordChanged':
      return true;
    case 'ResponseSent':
      // A rejection (4xx/5xx); a redirect (the authorization endpoint's 302) is the normal path.
      return event.status !== null && event.status >= 400;
    default:
      return false;
  }
}

/** The stop rule of "Stop on key events": the engine applies `isKeyEvent` to each item's events. */
export const STOP_ON_KEY_EVENTS: StopRule = { kind: 'keyEvents' };

export function containsKeyEvent(events: readonly SimEvent[]): boolean {
  return events.some(isKeyEvent);
}
