// How a component tells the user what just happened (a link copied, a file refused): App.tsx owns
// the live region; components take this function. A leaf module, so the Share, import/export and
// branch pieces can name the type without importing one another.

/** Puts one line in the page's status region: "ok" for a success, "error" for a refusal. */
export type Announce = (text: string, tone: 'ok' | 'error') => void;
