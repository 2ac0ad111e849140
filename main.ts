/**
 * Switchyard's entry point (`deno task start`, Deno Deploy's entrypoint): runs the program
 * (`program.ts`) from the start bundle when `deno task build` made one from these very sources
 * (lib/start_bundle.ts), else from source. Either is imported by a computed URL, so Deno reads
 * neither ahead of this module (lib/lazy_import.ts says why); only the one chosen is loaded.
 * (No `importLazily` here: one module fewer to load before the program.)
 */
import { currentStartBundle } from "./lib/start_bundle.ts";

const entry = await currentStartBundle() ?? new URL("./program.ts", import.meta.url);
await (import(entry.href) as Promise<typeof import("./program.ts")>);
