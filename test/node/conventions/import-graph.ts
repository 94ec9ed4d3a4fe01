// The source tree's imports as data (every `import`, `import type`, `export … from` and `import()`),
// and the two checks the layering test makes on it: folder-level cycles and forbidden imports.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize } from "node:path";
import ts from "typescript";

export interface ImportEdge {
  from: string;
  /** A repository path for a relative import, the bare specifier for a package. */
  to: string;
  /** `import type` / `export type`: erased at build time, but still a dependency of the design. */
  typeOnly: boolean;
}

const SOURCE = /\.(ts|tsx)$/;

function sourceFiles(root: string, dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return sourceFiles(root, path);
    return SOURCE.test(entry.name) && !entry.name.endsWith(".d.ts") ? [path] : [];
  });
}

/** The module a node names, and whether only types come from it (erased at build time). */
function importOf(node: ts.Node): { specifier: string; typeOnly: boolean } | undefined {
  if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
    return { specifier: node.moduleSpecifier.text, typeOnly: node.importClause?.isTypeOnly ?? false };
  }
  if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
    return { specifier: node.moduleSpecifier.text, typeOnly: node.isTypeOnly };
  }
  if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
    return { specifier: node.argument.literal.text, typeOnly: true }; // `typeof import("…")`
  }
  const [argument] = ts.isCallExpression(node) ? node.arguments : [];
  if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && argument) {
    return ts.isStringLiteral(argument) ? { specifier: argument.text, typeOnly: false } : undefined;
  }
  return undefined;
}

/** Every import of every source file under `dirs`: static, re-exports, `import()` and import types. */
export function readImports(root: string, dirs: readonly string[]): ImportEdge[] {
  return dirs.flatMap((dir) =>
    sourceFiles(root, dir).flatMap((file) => {
      const source = ts.createSourceFile(file, readFileSync(join(root, file), "utf8"), ts.ScriptTarget.Latest, true);
      const edges: ImportEdge[] = [];
      const visit = (node: ts.Node) => {
        const found = importOf(node);
        if (found) {
          const { specifier, typeOnly } = found;
          const to = specifier.startsWith(".") ? normalize(join(dirname(file), specifier)) : specifier;
          edges.push({ from: file, to, typeOnly });
        }
        ts.forEachChild(node, visit);
      };
      visit(source);
      return edges;
    }),
  );
}

const folderOf = (path: string) => dirname(path);

/** Strongly connected sets of folders (more than one folder each), with one file edge per arrow. */
export function folderCycles(edges: readonly ImportEdge[], within: string): string[][] {
  const graph = new Map<string, Set<string>>();
  for (const { from, to } of edges) {
    if (!to.startsWith(`${within}/`)) continue;
    const [a, b] = [folderOf(from), folderOf(to)];
    if (!graph.has(a)) graph.set(a, new Set());
    if (!graph.has(b)) graph.set(b, new Set());
    if (a !== b) graph.get(a)?.add(b);
  }
  // Tarjan's algorithm: small graphs, so the recursive form is fine.
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (node: string) => {
    index.set(node, counter);
    low.set(node, counter++);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node) as number, low.get(next) as number));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node) as number, index.get(next) as number));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string | undefined;
      do {
        member = stack.pop() as string;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) components.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return components;
}

/** The file-level arrows inside one cycle of folders: what to cut to break it. */
export function edgesWithin(edges: readonly ImportEdge[], folders: readonly string[]): string[] {
  const set = new Set(folders);
  return edges
    .filter(({ from, to }) => set.has(folderOf(from)) && set.has(folderOf(to)) && folderOf(from) !== folderOf(to))
    .map(({ from, to }) => `${from} -> ${to}`);
}

export interface LayerRule {
  /** Why the rule exists, shown when it is broken. */
  why: string;
  /** Files the rule applies to (a path prefix). */
  files: string;
  /** The import is forbidden when this returns true. */
  forbids: (edge: ImportEdge) => boolean;
}

export function violations(edges: readonly ImportEdge[], rules: readonly LayerRule[]): string[] {
  return rules.flatMap((rule) =>
    edges
      .filter((edge) => edge.from.startsWith(rule.files) && rule.forbids(edge))
      .map((edge) => `${edge.from} imports ${edge.to}${edge.typeOnly ? " (type)" : ""}: ${rule.why}`),
  );
}
