/**
 * Dynamic imports Deno does not read ahead (DESIGN "Cold start").
 *
 * Before a program runs, `deno run` walks its module graph, and that walk follows every
 * `import("./literal.ts")` too: it reads, parses and resolves the whole graph behind it (for
 * the platform, ~150 modules and the npm packages Hono, zod and Preact) without running any
 * of it. Measured on the start graph: ~18 ms of a ~65 ms spawn → first byte, spent on modules
 * a shopper's request never loads. A computed specifier is left until the import runs, so
 * lazily loaded code goes through here with a URL built from `import.meta.url`.
 *
 * Deno Deploy runs the project's files as they are, so such an import works there as it does
 * locally (it needs read access to the project, which every run has). Type-checking is kept by
 * the `typeof import("./x.ts")` the caller names, which only `deno check` follows.
 * tests/process/cold_start_test.ts fails when a literal dynamic import enters the start graph.
 */
export function importLazily<Module>(url: URL): Promise<Module> {
  return import(url.href);
}
