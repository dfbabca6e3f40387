// Keyboard shortcuts for the clock. They never fire while the user types in a field or while a
// modifier is held (so browser shortcuts keep working). Their list for the help is in
// shortcut-list.ts, which loads with the help.
import { useLayoutEffect, useRef } from 'react';

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

/**
 * Layout effects, not passive ones: the listener is in place before the first frame is painted, so
 * a key pressed the moment the simulator appears is not lost (a passive effect can run a long task
 * later, after the worker's first messages).
 */
export function useShortcuts(handlers: Record<string, () => void>): void {
  const ref = useRef(handlers);
  useLayoutEffect(() => {
    ref.current = handlers;
  });
  useLayoutEffect(() => {
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
