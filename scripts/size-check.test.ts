import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  BUDGET_BYTES,
  formatTable,
  initialJavaScript,
  initialUrls,
  staticImports,
  workerInitialJavaScript,
  workerUrls,
} from './size-check';

describe('size-check: what index.html loads first', () => {
  it('takes module scripts and modulepreloads, not stylesheets, icons or classic scripts', () => {
    const html = `<head>
      <link rel="icon" href="/favicon.svg">
      <script type="module" crossorigin src="/assets/index-a.js"></script>
      <link rel="modulepreload" crossorigin href="/assets/react-b.js">
      <link rel="stylesheet" href="/assets/index-c.css">
      <script src="/legacy.js"></script>
      <script type='module' src='/assets/second.js'></script>
    </head>`;
    expect(initialUrls(html)).toEqual(['/assets/index-a.js', '/assets/react-b.js', '/assets/second.js']);
  });

  it('follows static imports and re-exports, never dynamic import()', () => {
    const code =
      'import{a as e,b as t}from"./shared-1.js";import"./side-effect.js";export*from"./re-export.js";' +
      'export{x}from\'./named.js\';const l=()=>import(`./Lazy-2.js`),m=import("./Lazy-3.js");__vitePreload(()=>import("./Lazy-4.js"),[]);';
    expect(staticImports(code)).toEqual(['./shared-1.js', './side-effect.js', './re-export.js', './named.js']);
  });
});

describe('size-check: a built site', () => {
  const dir = mkdtempSync(join(tmpdir(), 'size-check-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(
    join(dir, 'index.html'),
    '<script type="module" src="/assets/index.js"></script><link rel="modulepreload" href="/assets/shared.js">',
  );
  writeFileSync(join(dir, 'assets/index.js'), 'import{s}from"./shared.js";const v=()=>import("./lazy.js");console.log(s,v);');
  writeFileSync(join(dir, 'assets/shared.js'), `export const s=${JSON.stringify('x'.repeat(1000))};`);
  writeFileSync(join(dir, 'assets/lazy.js'), 'export const big=1;');

  it('sizes each initial file once, gzipped, and leaves lazy chunks out', () => {
    const files = initialJavaScript(dir);
    expect(files.map((f) => f.file)).toEqual(['assets/index.js', 'assets/shared.js']);
    for (const f of files) expect(f.gzip).toBeGreaterThan(0);
    expect(files[1]!.gzip).toBeLessThan(files[1]!.bytes);
    const table = formatTable(files);
    expect(table.over).toBe(false);
    expect(table.text).toMatch(/budget 92\.0 kB gzipped: OK/);
  });

  it('sizes the workers the initial script starts apart: their script and its static imports', () => {
    writeFileSync(
      join(dir, 'assets/index.js'),
      'import{s}from"./shared.js";const w=new Worker(new URL(new URL(`engine.worker-1.js`,import.meta.url).href,``+import.meta.url),{type:`module`});console.log(s,w);',
    );
    writeFileSync(join(dir, 'assets/shared.js'), 'export const s=new Worker(new URL("./engine.worker-1.js",import.meta.url));');
    writeFileSync(join(dir, 'assets/engine.worker-1.js'), 'import{v}from"./parser.js";const l=()=>import("./jwt.js");onmessage=()=>v(l);');
    writeFileSync(join(dir, 'assets/parser.js'), 'export const v=()=>1;');
    writeFileSync(join(dir, 'assets/jwt.js'), 'export const j=1;');
    expect(initialJavaScript(dir).map((f) => f.file)).toEqual(['assets/index.js', 'assets/shared.js']);
    const workers = workerInitialJavaScript(dir);
    expect(workers.map((w) => w.worker)).toEqual(['assets/engine.worker-1.js']);
    expect(workers[0]!.files.map((f) => f.file)).toEqual(['assets/engine.worker-1.js', 'assets/parser.js']);
  });

  it('finds worker URLs in either form Vite writes', () => {
    expect(workerUrls('new Worker(new URL("./w-1.js",import.meta.url),{type:"module"})')).toEqual(['./w-1.js']);
    expect(workerUrls('new Worker(new URL(new URL(`w-2.js`,import.meta.url).href,``+import.meta.url))')).toEqual(['w-2.js']);
    expect(workerUrls('new URL("./icon.png",import.meta.url)')).toEqual([]);
  });

  it('reports a total over the budget', () => {
    const table = formatTable([{ file: 'assets/index.js', bytes: 400_000, gzip: BUDGET_BYTES + 1 }]);
    expect(table.over).toBe(true);
    expect(table.text).toMatch(/OVER by 0\.0 kB/);
  });

  it('names a file index.html refers to that is missing', () => {
    writeFileSync(join(dir, 'index.html'), '<script type="module" src="/assets/gone.js"></script>');
    expect(() => initialJavaScript(dir)).toThrow(/assets\/gone\.js: referenced but not in/);
  });
});
