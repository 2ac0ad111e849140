/**
 * Switchyard's entry point (`deno task start`, Deno Deploy's entrypoint): runs the program
 * (`program.ts`) from the start bundle when `deno task build` made one from these very sources
 * (lib/start_bundle.ts), else from source. Both are imported by a computed URL, so Deno reads
 * neither ahead of this module (lib/lazy_import.ts): only the one chosen is loaded.
 */
import { currentStartBundle } from "./lib/start_bundle.ts";
import { importLazily } from "./lib/lazy_import.ts";

await importLazily<typeof import("./program.ts")>(
  await currentStartBundle() ?? new URL("./program.ts", import.meta.url),
);
