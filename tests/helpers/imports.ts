/**
 * The program's own import graph, read from its source: every relative `import`, `export … from`,
 * dynamic `import()` and worker URL of the files that ship (tests and benchmarks left out), with
 * whether the import is type-only (erased when the program runs).
 */

export interface ImportEdge {
  /** Importing file, relative to the repository root (`kv/live.ts`). */
  from: string;
  /** Imported file, relative to the repository root. */
  to: string;
  typeOnly: boolean;
}

/**
 * Which folders each folder may import (docs/ARCHITECTURE.md "Folders and their directions").
 * A file at the root (`config.ts`, `server.ts`) is a node of its own, named by its file name.
 * `types` lists what may be imported only for a record's shape.
 */
export const ALLOWED: Record<string, { imports: string[]; types?: string[] }> = {
  lib: { imports: [] },
  kv: { imports: ["lib"], types: ["package", "config.ts", "commerce"] },
  // Pure commerce: money in minor units, totals, cards, the payment gateways.
  commerce: { imports: ["lib"] },
  package: { imports: ["lib"] },
  install: { imports: ["kv", "package", "lib", "storefront", "config.ts"] },
  edge: { imports: ["kv", "package", "lib", "config.ts"] },
  storefront: { imports: [] },
  islands: { imports: ["lib"] },
  components: { imports: ["lib", "islands"], types: ["kv"] },
  routes: {
    imports: [
      "kv",
      "install",
      "package",
      "lib",
      "components",
      "islands",
      "config.ts",
      "edge",
      "commerce",
    ],
  },
  cli: { imports: ["lib", "package"] },
  scripts: { imports: ["lib", "config.ts", "routes"] },
  "config.ts": { imports: ["lib", "kv", "package"] },
  "build.ts": { imports: ["lib"] },
  // The platform (routes/) and the install pipeline are imported dynamically, on first use: the
  // start's static graph is held to that by tests/process/cold_start_test.ts.
  // The payment gateway's shape, for the option that hands one to the shopper API (tests).
  "server.ts": { imports: ["config.ts", "edge", "lib", "routes"], types: ["commerce"] },
  "program.ts": { imports: ["config.ts", "server.ts", "kv", "lib", "install"] },
  // The entry: picks the start bundle or program.ts (lib/start_bundle.ts).
  "main.ts": { imports: ["lib", "program.ts"] },
};

/**
 * The imports that cross folders against `ALLOWED`; a folder (or root file) with no rule there
 * may import nothing of ours, so a new one cannot escape the check unnoticed.
 */
export function forbiddenEdges(graph: ImportEdge[]): ImportEdge[] {
  return graph.filter((edge) => {
    const from = folderOf(edge.from);
    const to = folderOf(edge.to);
    if (from === to) return false;
    const rule = ALLOWED[from];
    if (rule === undefined) return true;
    return !rule.imports.includes(to) && !(edge.typeOnly && rule.types?.includes(to));
  });
}

/** The folder a repository path belongs to; a file at the root is its own node. */
export function folderOf(path: string): string {
  const slash = path.indexOf("/");
  return slash === -1 ? path : path.slice(0, slash);
}

const SKIP_DIRS = new Set([
  ".git",
  "node_modules",
  "_build",
  ".switchyard",
  "tests",
  "bench",
  "docs",
  "dist",
]);

/** Every shipped source file under `root` (tests, benchmarks, docs and builds left out). */
export async function* sourceFiles(root: URL, dir = ""): AsyncGenerator<string> {
  for await (const entry of Deno.readDir(new URL(dir || ".", root))) {
    const path = dir ? `${dir}/${entry.name}` : entry.name;
    if (entry.isDirectory && !SKIP_DIRS.has(entry.name)) yield* sourceFiles(root, path);
    else if (entry.isFile && /\.tsx?$/.test(entry.name) && !/_test\.tsx?$/.test(entry.name)) {
      yield path;
    }
  }
}

// `import x from "./a.ts"`, `import type { X } from`, `export { y } from`, `import "./a.ts"`.
const STATIC =
  /^\s*(import|export)\s+(type\s+)?([\w$\s{},*]*?)\s*(?:from\s+)?["'](\.{1,2}\/[^"']+)["']/gm;
// `import("./a.ts")` and `new URL("./worker.ts", import.meta.url)`.
const DYNAMIC = /(?:import\(\s*|new URL\(\s*)["'](\.{1,2}\/[^"']+\.tsx?)["']/g;

/** Whether every name an import brings is marked `type` (`import { type A, type B }`). */
function allNamesTypes(clause: string): boolean {
  const names = /\{([^}]*)\}/.exec(clause);
  if (!names || /^\s*[\w$]+\s*,/.test(clause)) return false;
  const parts = names[1].split(",").map((part) => part.trim()).filter(Boolean);
  return parts.length > 0 && parts.every((part) => part.startsWith("type "));
}

function resolve(from: string, spec: string): string {
  const parts = from.split("/").slice(0, -1);
  for (const segment of spec.split("/")) {
    if (segment === "..") parts.pop();
    else if (segment !== ".") parts.push(segment);
  }
  return parts.join("/");
}

/** Every relative import of the program's shipped source files. */
export async function importGraph(root: URL): Promise<ImportEdge[]> {
  const edges: ImportEdge[] = [];
  for await (const from of sourceFiles(root)) {
    const text = await Deno.readTextFile(new URL(from, root));
    for (const match of text.matchAll(STATIC)) {
      const typeOnly = match[2] !== undefined || allNamesTypes(match[3]);
      edges.push({ from, to: resolve(from, match[4]), typeOnly });
    }
    for (const match of text.matchAll(DYNAMIC)) {
      edges.push({ from, to: resolve(from, match[1]), typeOnly: false });
    }
  }
  return edges;
}
