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

/**
 * The engine's worker starts before the page's script (src/engine-start.ts, built as a file of its
 * own): index.html runs that small file first, so the worker loads while the page's script is
 * still arriving. Build only: in dev the page starts its worker itself (connect.ts).
 */
function earlyEngineStart(): Plugin {
  const ENTRY = 'src/engine-start.ts';
  return {
    name: 'tokenscope-early-engine',
    apply: 'build',
    buildStart() {
      // Only the page's build (workers are bundled by builds of their own, which run this hook too).
      if (this.environment?.name === 'client' && !this.meta.watchMode) this.emitFile({ type: 'chunk', id: ENTRY, name: 'engine-start' });
    },
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        const chunk = Object.values(ctx.bundle ?? {}).find((c) => c.type === 'chunk' && c.isEntry && c.facadeModuleId?.endsWith(ENTRY));
        if (!chunk) throw new Error(`index.html: the build has no ${ENTRY} chunk to start the engine from`);
        const first = /<script type="module"/i;
        if (!first.test(html)) throw new Error('index.html: no module script to put the engine start before');
        return html.replace(first, (tag) => `<script type="module" crossorigin src="./${chunk.fileName}"></script>\n    ${tag}`);
      },
    },
  };
}

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
  plugins: [
    react(),
    tailwindcss(),
    earlyEngineStart(),
    contentSecurityPolicy(),
    deploymentHeaders(CONTENT_SECURITY_POLICY),
    serviceWorker(),
  ],
  build: {
    target: 'es2022',
    sourcemap: false,
    // Every browser the app supports (es2022 modules) knows <link rel="modulepreload">: no polyfill.
    modulePreload: { polyfill: false },
    // What the first page needs in one file, instead of the entry plus ~8 small chunks it shares
    // with lazily loaded ones: one request, so the critical script arrives ~40 ms sooner here.
    // (engine-start.ts, the first script, stays a file of its own.)
    rolldownOptions: {
      output: {
        codeSplitting: { groups: [{ name: 'initial', tags: ['$initial'], test: (id: string) => !id.endsWith('/src/engine-start.ts') }] },
      },
    },
  },
  worker: {
    format: 'es',
    // The engine's worker starts from one file too: its script and what that imports statically (the
    // presets, the parser its sandbox and comparisons use) arrive in one request, not two in a row.
    rolldownOptions: { output: { codeSplitting: { groups: [{ name: 'engine-initial', tags: ['$initial'] }] } } },
  },
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'scripts/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30000,
  },
});
