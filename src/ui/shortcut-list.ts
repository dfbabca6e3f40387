// The keyboard shortcuts as the help lists them (shortcuts.ts handles them).

export const SHORTCUTS: { keys: string; what: string }[] = [
  { keys: 'Space', what: 'Play / pause' },
  { keys: '→', what: 'Next event' },
  { keys: '←', what: 'Step back' },
  { keys: '1 2 3 4 5', what: '+1 minute, +5 minutes, +1 hour, +1 day, +30 days' },
  { keys: 'E', what: 'To next expiry' },
  { keys: 'N / Page Down', what: 'Lessons: next step' },
  { keys: 'Page Up', what: 'Lessons: previous step' },
  { keys: 'S', what: 'Settings' },
  { keys: 'T', what: 'Switch light / dark theme' },
  { keys: '?', what: 'This help' },
  { keys: 'Esc', what: 'Close a dialog or the token inspector; cancel a long jump in progress' },
];
