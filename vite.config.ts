import { defineConfig, type Plugin } from 'vitest/config';
import react from '@vitejs/plugin-react';
import tailwindcss from '@tailwindcss/vite';
import { deploymentHeaders } from './scripts/deploy-headers.ts';
import { serviceWorker } from './scripts/service-worker.ts';

/**
 * The Content-Security-Policy of the built site, as a meta tag (a static host may not let us set
 * headers). Scripts, styles, fonts and connections only from the site itself: no inline script,
 * no eval, nothing fetched from elsewhere. React sets `style` through the CSSOM, which CSP does
 * not govern, and the built CSS is a file, so style-src needs no 'unsafe-inline'. Workers come
 * from our own files or blob: URLs. frame-ancestors is ignored in a meta tag, so it is not here:
 * the build's `_headers` file sends this policy with it (scripts/deploy-headers.ts).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/** Build only: the dev server injects inline scripts (React refresh) that this policy forbids. */
function contentSecurityPolicy(): Plugin {
  return {
    name: 'tokenscope-csp',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      // Right after the charset declaration: before every script and stylesheet the page loads.
      handler(html) {
        const charset = /<meta charset="UTF-8"\s*\/?>/i;
        if (!charset.test(html)) throw new Error('index.html: no <meta charset="UTF-8"> to put the Content-Security-Policy after');
        return html.replace(
          charset,
          (tag) => `${tag}\n    <meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}" />`,
        );
      },
    },
  };
}

export default defineConfig({
  // Relative URLs for every asset, chunk and worker: one build works at a domain's root and under
  // any path (a GitHub Pages project site, a course page's folder). BASE=/path/ overrides it for a
  // host that needs absolute URLs.
  base: process.env.BASE ?? './',
  plugins: [react(), tailwindcss(), contentSecurityPolicy(), deploymentHeaders(CONTENT_SECURITY_POLICY), serviceWorker()],
  build: {
    target: 'es2022',
    sourcemap: false,
    // What the first page needs in one file, instead of the entry plus ~8 small chunks it shares
    // with lazily loaded ones: one request, so the critical script arrives ~40 ms sooner here.
    rolldownOptions: { output: { codeSplitting: { groups: [{ name: 'initial', tags: ['$initial'] }] } } },
  },
  worker: { format: 'es' },
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'scripts/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30000,
  },
});
