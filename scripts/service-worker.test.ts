import { describe, expect, it } from 'vitest';
import { isPrecached, serviceWorkerSource } from './service-worker';

describe('the service worker plugin', () => {
  it('precaches what pages load, not itself, host files or dotfiles', () => {
    const files = [
      'index.html',
      'assets/index-abc.js',
      'assets/index-abc.css',
      'assets/sweep.worker-x.js',
      'favicon.svg',
      'icon-192.png',
      'manifest.webmanifest',
    ];
    for (const file of files) expect(isPrecached(file), file).toBe(true);
    for (const file of ['sw.js', '_headers', '_redirects', '.nojekyll', 'assets/.DS_Store', 'notes.txt', 'assets/x.map'])
      expect(isPrecached(file), file).toBe(false);
  });

  it('writes the files and the version into a worker that parses', () => {
    const source = serviceWorkerSource(['index.html', 'assets/a "quoted".js'], 'v1');
    expect(source).toContain('const VERSION = "v1";');
    expect(source).toContain('const FILES = ["index.html","assets/a \\"quoted\\".js"];');
    // Parses as a script (it is never run here: it needs a ServiceWorkerGlobalScope).
    expect(() => new Function(source)).not.toThrow();
  });
});
