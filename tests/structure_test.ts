/**
 * The program's shape (docs/ARCHITECTURE.md "Folders and their directions"), read from the
 * imports themselves so a later change cannot quietly bend it: no import loop between files or
 * between folders, and no import in a forbidden direction. Each failure names the files.
 */
import assert from "node:assert/strict";
import { folderOf, forbiddenEdges, type ImportEdge, importGraph } from "./helpers/imports.ts";

const graph = await importGraph(new URL("../", import.meta.url));

/** The first cycle found in a directed graph, as its nodes in order, or null. */
function findCycle(nodes: Iterable<string>, next: (node: string) => string[]): string[] | null {
  const state = new Map<string, "open" | "done">();
  const path: string[] = [];
  const visit = (node: string): string[] | null => {
    if (state.get(node) === "done") return null;
    if (state.get(node) === "open") return [...path.slice(path.indexOf(node)), node];
    state.set(node, "open");
    path.push(node);
    for (const to of next(node)) {
      const cycle = visit(to);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(node, "done");
    return null;
  };
  for (const node of nodes) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return null;
}

function describe(edges: ImportEdge[]): string {
  return edges.map((e) => `  ${e.from} → ${e.to}${e.typeOnly ? " (type)" : ""}`).join("\n");
}

Deno.test("the import graph was read (the walk found the program's folders)", () => {
  const folders = new Set(graph.map((edge) => folderOf(edge.from)));
  for (const folder of ["kv", "edge", "install", "package", "routes", "lib", "cli"]) {
    assert.ok(folders.has(folder), `no import read from ${folder}/`);
  }
});

Deno.test("no two files import each other, directly or through others", () => {
  const out = Map.groupBy(graph, (edge) => edge.from);
  const cycle = findCycle(out.keys(), (file) => (out.get(file) ?? []).map((e) => e.to));
  assert.equal(cycle, null, `import loop between files: ${cycle?.join(" → ")}`);
});

Deno.test("no two folders import each other, directly or through others", () => {
  const across = graph.filter((edge) => folderOf(edge.from) !== folderOf(edge.to));
  const out = Map.groupBy(across, (edge) => folderOf(edge.from));
  const cycle = findCycle(
    out.keys(),
    (folder) => [...new Set((out.get(folder) ?? []).map((e) => folderOf(e.to)))],
  );
  if (cycle === null) return;
  const steps = cycle.slice(1).map((to, i) =>
    describe(across.filter((e) => folderOf(e.from) === cycle[i] && folderOf(e.to) === to))
  );
  assert.fail(`import loop between folders ${cycle.join(" → ")}:\n${steps.join("\n")}`);
});

Deno.test("every import goes in an allowed direction", () => {
  const forbidden = forbiddenEdges(graph);
  assert.equal(forbidden.length, 0, `imports in a forbidden direction:\n${describe(forbidden)}`);
});

Deno.test("the direction check itself refuses what it should", () => {
  // A made-up import in each forbidden direction the design names, and one from a folder with
  // no rule, must each be caught by the same check the real graph goes through.
  const bad: [string, string][] = [
    ["kv/a.ts", "package/b.ts"],
    ["kv/a.ts", "install/b.ts"],
    ["edge/a.ts", "routes/b.ts"],
    ["edge/a.ts", "install/b.ts"],
    ["islands/a.ts", "kv/b.ts"],
    ["islands/a.ts", "routes/b.ts"],
    ["cli/a.ts", "kv/b.ts"],
    ["lib/a.ts", "kv/b.ts"],
    ["package/a.ts", "kv/b.ts"],
    ["server.ts", "install/b.ts"],
    ["newfolder/a.ts", "lib/b.ts"],
  ];
  for (const [from, to] of bad) {
    const edge = { from, to, typeOnly: false };
    assert.deepEqual(forbiddenEdges([edge]), [edge], `${from} → ${to} should be forbidden`);
  }
  // A record's shape is allowed where the rule says so, and only as a type.
  const shape = { from: "kv/a.ts", to: "package/b.ts", typeOnly: true };
  assert.deepEqual(forbiddenEdges([shape]), []);
});

Deno.test("the edge imports none of the platform's packages (hono, zod, preact)", async () => {
  const platform = /^\s*import[^"']*["']((?:hono|zod|preact|@hono\/|@preact\/)[^"']*)["']/gm;
  const found: string[] = [];
  for await (const entry of Deno.readDir(new URL("../edge/", import.meta.url))) {
    if (!entry.name.endsWith(".ts") || entry.name.endsWith("_test.ts")) continue;
    const text = await Deno.readTextFile(new URL(`../edge/${entry.name}`, import.meta.url));
    for (const match of text.matchAll(platform)) found.push(`edge/${entry.name} → ${match[1]}`);
  }
  assert.deepEqual(found, [], "the edge's module graph stays small (DESIGN)");
});
