// `npm run cycles`: fails on any import cycle among the TypeScript files under a folder (src/ by
// default), type-only imports included. Every way one of our files can name another counts:
// `import` and `import type`, `export … from`, dynamic `import()`, `typeof import('./x')` in a
// type, and a worker started with `new Worker(new URL('./x.worker.ts', import.meta.url))`.
// Specifiers are resolved by the TypeScript compiler with the project's own settings (bundler
// resolution); packages and non-TypeScript files (CSS, JSON) are leaves and are skipped.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

export type ImportKind = 'import' | 'import type' | 'export from' | 'import()' | 'type import()' | 'worker URL';

export interface ImportEdge {
  from: string;
  to: string;
  kind: ImportKind;
  /** 1-based line of the import in `from`. */
  line: number;
}

/** The specifiers a file names, with how and where. Syntax only: nothing is type-checked. */
export function importsOf(fileName: string, text: string): { specifier: string; kind: ImportKind; line: number }[] {
  const source = ts.createSourceFile(
    fileName,
    text,
    ts.ScriptTarget.Latest,
    true,
    fileName.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS,
  );
  const found: { specifier: string; kind: ImportKind; line: number }[] = [];
  const add = (node: ts.Node, literal: ts.Node | undefined, kind: ImportKind) => {
    if (!literal || !ts.isStringLiteralLike(literal)) return;
    found.push({ specifier: literal.text, kind, line: source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1 });
  };
  const isImportMetaUrl = (node: ts.Node | undefined) =>
    node !== undefined &&
    ts.isPropertyAccessExpression(node) &&
    node.name.text === 'url' &&
    ts.isMetaProperty(node.expression) &&
    node.expression.keywordToken === ts.SyntaxKind.ImportKeyword;
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      add(node, node.moduleSpecifier, node.importClause?.isTypeOnly ? 'import type' : 'import');
    } else if (ts.isExportDeclaration(node)) {
      add(node, node.moduleSpecifier, 'export from');
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(node, node.moduleReference.expression, 'import');
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      add(node, node.arguments[0], 'import()');
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      add(node, node.argument.literal, 'type import()');
    } else if (
      ts.isNewExpression(node) &&
      ts.isIdentifier(node.expression) &&
      node.expression.text === 'URL' &&
      isImportMetaUrl(node.arguments?.[1])
    ) {
      add(node, node.arguments?.[0], 'worker URL');
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

const COMPILER_OPTIONS: ts.CompilerOptions = {
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  allowImportingTsExtensions: true,
  resolveJsonModule: true,
  jsx: ts.JsxEmit.ReactJSX,
  noEmit: true,
};

/** The project's compiler options from its tsconfig.json, or bundler defaults when there is none. */
function compilerOptionsFor(root: string): ts.CompilerOptions {
  const configPath = ts.findConfigFile(root, ts.sys.fileExists);
  if (!configPath) return COMPILER_OPTIONS;
  const { config, error } = ts.readConfigFile(configPath, ts.sys.readFile);
  if (error) return COMPILER_OPTIONS;
  return ts.convertCompilerOptionsFromJson(config.compilerOptions ?? {}, root).options;
}

function sourceFilesUnder(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && !entry.name.startsWith('.')) files.push(...sourceFilesUnder(path));
    } else if (/\.(ts|tsx|mts|cts)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) {
      files.push(path);
    }
  }
  return files.sort();
}

/** Every import edge between TypeScript files under `dir` (absolute paths). */
export function importGraph(dir: string): ImportEdge[] {
  const root = resolve(dir);
  const options = compilerOptionsFor(root);
  const files = sourceFilesUnder(root);
  const known = new Set(files);
  const edges: ImportEdge[] = [];
  for (const from of files) {
    for (const { specifier, kind, line } of importsOf(from, readFileSync(from, 'utf8'))) {
      // Vite's query suffixes (`./x?worker`, `./y.css?inline`) name the same file.
      const bare = specifier.replace(/\?.*$/, '');
      const resolved = ts.resolveModuleName(bare, from, options, ts.sys).resolvedModule?.resolvedFileName;
      if (resolved && known.has(resolve(resolved))) edges.push({ from, to: resolve(resolved), kind, line });
    }
  }
  return edges;
}

export interface ImportCycle {
  /** Every file of the strongly connected component: each reaches every other through imports. */
  members: string[];
  /** One concrete cycle through it: the shortest from its first file (sort order) back to itself. */
  edges: ImportEdge[];
}

/** Each strongly connected component of the graph that has a cycle (Tarjan), with one cycle through it. */
export function findCycles(edges: readonly ImportEdge[]): ImportCycle[] {
  const out = new Map<string, ImportEdge[]>();
  for (const edge of edges) out.set(edge.from, [...(out.get(edge.from) ?? []), edge]);
  const nodes = [...new Set(edges.flatMap((e) => [e.from, e.to]))].sort();
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  let counter = 0;
  // Iterative Tarjan: a deep import chain must not overflow the call stack.
  for (const start of nodes) {
    if (index.has(start)) continue;
    const work: { node: string; next: number }[] = [{ node: start, next: 0 }];
    index.set(start, counter);
    low.set(start, counter++);
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const frame = work.at(-1)!;
      const successors = out.get(frame.node) ?? [];
      if (frame.next < successors.length) {
        const to = successors[frame.next++]!.to;
        if (!index.has(to)) {
          index.set(to, counter);
          low.set(to, counter++);
          stack.push(to);
          onStack.add(to);
          work.push({ node: to, next: 0 });
        } else if (onStack.has(to)) {
          low.set(frame.node, Math.min(low.get(frame.node)!, index.get(to)!));
        }
        continue;
      }
      work.pop();
      const parent = work.at(-1);
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.node);
        const selfLoop = successors.some((e) => e.to === frame.node);
        if (component.length > 1 || selfLoop) components.push(component.sort());
      }
    }
  }
  // In each component, the shortest way from its first file back to itself (breadth first).
  return components
    .map((component) => {
      const members = new Set(component);
      const first = component[0]!;
      const via = new Map<string, ImportEdge>();
      const queue = [first];
      while (queue.length > 0) {
        const node = queue.shift()!;
        for (const edge of out.get(node) ?? []) {
          if (!members.has(edge.to)) continue;
          if (edge.to === first) {
            const path = [edge];
            for (let at = node; at !== first; at = via.get(at)!.from) path.unshift(via.get(at)!);
            return { members: component, edges: path };
          }
          if (!via.has(edge.to)) {
            via.set(edge.to, edge);
            queue.push(edge.to);
          }
        }
      }
      throw new Error(`import cycle among ${component.join(', ')} has no path back to ${first}`);
    })
    .sort((a, b) => a.members[0]!.localeCompare(b.members[0]!));
}

/**
 * `a.ts:12 import type → b.ts:3 import() → a.ts`, paths relative to `base`, then the component's
 * other files when it has more than this one cycle passes through.
 */
export function formatCycle(cycle: ImportCycle, base: string): string {
  const name = (path: string) => relative(base, path).split(sep).join('/');
  const line = `${cycle.edges.map((edge) => `${name(edge.from)}:${edge.line} ${edge.kind} →`).join(' ')} ${name(cycle.edges[0]!.from)}`;
  const onPath = new Set(cycle.edges.map((edge) => edge.from));
  const others = cycle.members.filter((member) => !onPath.has(member));
  return others.length === 0 ? line : `${line} (tangled in the same knot: ${others.map(name).join(', ')})`;
}

function main(): void {
  const dir = process.argv[2] ?? 'src';
  const edges = importGraph(dir);
  const cycles = findCycles(edges);
  const files = new Set(edges.flatMap((e) => [e.from, e.to])).size;
  if (cycles.length === 0) {
    console.log(`No import cycles in ${dir}/ (${edges.length} imports between ${files} files).`);
    return;
  }
  console.error(`${cycles.length} import cycle${cycles.length === 1 ? '' : 's'} in ${dir}/ (type-only imports count too):`);
  for (const cycle of cycles) console.error(`  ${formatCycle(cycle, process.cwd())}`);
  console.error('Move the shared constants or types into a leaf module that imports none of the files in the cycle.');
  process.exitCode = 1;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
