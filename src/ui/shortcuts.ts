// Keyboard shortcuts for the clock. They never fire while the user types in a field or while a
// modifier is held (so browser shortcuts keep working).
import { useEffect, useRef } from 'react';

export const SHORTCUTS: { keys: string; what: string }[] = [
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
  { keys: 'Esc', what: 'Close a dialog or the token inspector' },
];

export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag === 'INPUT') {
    const type = (target as HTMLInputElement).type;
    return !['checkbox', 'radio', 'button', 'submit', 'range'].includes(type);
  }
  return false;
}

export function useShortcuts(handlers: Record<string, () => void>): void {
  const ref = useRef(handlers);
  useEffect(() => {
    ref.current = handlers;
  });
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
      if (isTypingTarget(event.target)) return;
      if (document.querySelector('dialog[open]') && event.key !== '?') return;
      const key = event.key === ' ' ? 'Space' : event.key.length === 1 ? event.key.toLowerCase() : event.key;
      // Space on a focused button or range should press it / move it, not play.
      if (key === 'Space' && event.target instanceof HTMLElement && ['BUTTON', 'A', 'INPUT'].includes(event.target.tagName)) return;
      if ((key === 'ArrowLeft' || key === 'ArrowRight') && event.target instanceof HTMLInputElement) return;
      const handler = ref.current[key === '?' ? '?' : key];
      if (handler) {
        event.preventDefault();
        handler();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
