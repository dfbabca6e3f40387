// "After this frame": work that must not hold back the paint of what was just committed (the
// state-machine diagrams' code, a jump computed ahead of time) waits for it here.

/**
 * Resolves after the frame that shows what was just committed (the next animation frame, then a
 * task), or after 100 ms where frames do not come (a hidden tab, or no browser at all).
 */
export function afterNextPaint(): Promise<void> {
  return new Promise((resolve) => {
    const fallback = setTimeout(resolve, 100);
    if (typeof requestAnimationFrame === 'function') {
      requestAnimationFrame(() =>
        setTimeout(() => {
          clearTimeout(fallback);
          resolve();
        }, 0),
      );
    }
  });
}
