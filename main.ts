/**
 * Switchyard's entry point (`deno task start`, Deno Deploy's entrypoint): runs the program
 * (`program.ts`) from the start bundle when `deno task build` made one from these very sources
 * (lib/start_bundle.ts), else from source.
 *
 * The bundle is imported while its sources are read and hashed, so loading it and checking it
 * overlap; importing runs nothing (`run()` does), so a stale one is merely left unused. Both
 * imports are computed, so Deno reads neither ahead of this module (lib/lazy_import.ts says why).
 */
import { currentStartBundle, startBundleEntry } from "./lib/start_bundle.ts";

type Program = typeof import("./program.ts");

const bundled = import(startBundleEntry().href) as Promise<Program>;
// No bundle (or an unloadable one) is not an error: the program runs from source.
const [current, bundle] = await Promise.all([currentStartBundle(), bundled.catch(() => null)]);
const program = current && bundle
  ? bundle
  : await (import(new URL("./program.ts", import.meta.url).href) as Promise<Program>);
await program.run();
