import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { findCycles, formatCycle, importGraph, importsOf } from './check-cycles';

const project = join(dirname(fileURLToPath(import.meta.url)), '..');
const fixtures = mkdtempSync(join(tmpdir(), 'check-cycles-'));
afterAll(() => rmSync(fixtures, { recursive: true, force: true }));

/** A folder of source files for one test. */
function tree(name: string, files: Record<string, string>): string {
  const root = join(fixtures, name);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

function cyclesIn(root: string): string[] {
  return findCycles(importGraph(root)).map((cycle) => formatCycle(cycle, root));
}

describe('check-cycles: what counts as an import', () => {
  it('sees every way a file names another, with its line', () => {
    const text = [
      "import { a } from './a';",
      "import type { B } from './b';",
      "export { c } from './c';",
      "export type { D } from './d.ts';",
      "const e = () => import('./e');",
      "let f: typeof import('./f') | undefined;",
      "const worker = new Worker(new URL('./g.worker.ts', import.meta.url), { type: 'module' });",
      "const notAWorker = new URL('https://example.com/x', 'https://example.com');",
      "import React from 'react';",
    ].join('\n');
    expect(importsOf('x.tsx', text)).toEqual([
      { specifier: './a', kind: 'import', line: 1 },
      { specifier: './b', kind: 'import type', line: 2 },
      { specifier: './c', kind: 'export from', line: 3 },
      { specifier: './d.ts', kind: 'export from', line: 4 },
      { specifier: './e', kind: 'import()', line: 5 },
      { specifier: './f', kind: 'type import()', line: 6 },
      { specifier: './g.worker.ts', kind: 'worker URL', line: 7 },
      { specifier: 'react', kind: 'import', line: 9 },
    ]);
  });
});

describe('check-cycles: a tree with a cycle fails', () => {
  it('finds a cycle made only of a type import and a dynamic import', () => {
    const root = tree('type-and-dynamic', {
      'a.ts': "import type { B } from './b';\nexport const a = (b: B) => b;\n",
      'b.ts': "export type B = number;\nexport const load = () => import('./a');\n",
      'leaf.ts': "import { a } from './a';\nexport const c = a;\n",
    });
    expect(cyclesIn(root)).toEqual(['a.ts:1 import type → b.ts:2 import() → a.ts']);
  });

  it('follows a worker started from a URL, folders and index files', () => {
    const root = tree('worker', {
      'ui/chart.tsx': "export const w = new Worker(new URL('../work/sweep.worker.ts', import.meta.url));\n",
      'work/sweep.worker.ts': "import { shared } from '.';\nexport const x = shared;\n",
      'work/index.ts': "export type { W } from '../ui/chart.tsx';\nexport const shared = 1;\n",
    });
    expect(cyclesIn(root)).toEqual([
      'ui/chart.tsx:1 worker URL → work/sweep.worker.ts:1 import → work/index.ts:1 export from → ui/chart.tsx',
    ]);
  });

  it('names the other files of a knot and reports separate knots separately', () => {
    const root = tree('knots', {
      'a.ts': "import './b';\nimport './c';\n",
      'b.ts': "import './a';\n",
      'c.ts': "import './b';\n",
      'self.ts': "export type Self = typeof import('./self');\n",
    });
    expect(cyclesIn(root)).toEqual([
      'a.ts:1 import → b.ts:1 import → a.ts (tangled in the same knot: c.ts)',
      'self.ts:1 type import() → self.ts',
    ]);
  });

  it('passes a tree whose shared types live in a leaf', () => {
    const root = tree('leaf', {
      'types.ts': 'export type Shared = string;\n',
      'a.ts': "import type { Shared } from './types';\nexport const load = () => import('./b');\nexport type A = Shared;\n",
      'b.ts': "import type { Shared } from './types';\nimport 'react';\nexport type B = Shared;\n",
    });
    expect(cyclesIn(root)).toEqual([]);
  });

  it('exits 1 from the command line and prints the cycle', () => {
    const root = tree('cli', {
      'x.ts': "import type { Y } from './y';\nexport type X = Y;\n",
      'y.ts': "import type { X } from './x';\nexport type Y = X;\n",
    });
    const tsx = join(project, 'node_modules/.bin/tsx');
    const run = spawnSync(tsx, [join(project, 'scripts/check-cycles.ts'), '.'], { cwd: root, encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('x.ts:1 import type → y.ts:1 import type → x.ts');
  });
});

describe('check-cycles: this project', () => {
  it('src/ has no import cycle', () => {
    expect(cyclesIn(join(project, 'src'))).toEqual([]);
  });
});
