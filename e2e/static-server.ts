// A tiny static server for e2e tests that need the built site somewhere other than `vite preview`
// gives it: under a path prefix (a GitHub Pages project site), and next to a host page of the
// test's own. Listens on a free port of 127.0.0.1; `extra` maps a path to a page the test serves.
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
};

export interface StaticSite {
  origin: string;
  /** Every path asked for, with its status. */
  log: { path: string; status: number }[];
  close(): Promise<void>;
}

export async function serveDist({ prefix, extra = {} }: { prefix: string; extra?: Record<string, string> }): Promise<StaticSite> {
  if (!prefix.startsWith('/') || !prefix.endsWith('/')) throw new Error(`prefix ${prefix}: must start and end with "/"`);
  const root = resolve('dist');
  const log: StaticSite['log'] = [];
  const server: Server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
    const send = (status: number, body: string | Buffer, type = 'text/plain; charset=utf-8') => {
      log.push({ path, status });
      response.writeHead(status, { 'content-type': type, 'cache-control': 'no-cache' });
      response.end(body);
    };
    if (Object.hasOwn(extra, path)) return send(200, extra[path]!, TYPES['.html']);
    if (!path.startsWith(prefix)) return send(404, 'not under the prefix');
    const inner = path.slice(prefix.length) || 'index.html';
    const file = normalize(join(root, inner));
    if (!file.startsWith(root)) return send(404, 'outside dist');
    readFile(file).then(
      (body) => send(200, body, TYPES[extname(file)] ?? 'application/octet-stream'),
      () => send(404, 'not found'),
    );
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('the static server has no port');
  return {
    origin: `http://127.0.0.1:${address.port}`,
    log,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}
