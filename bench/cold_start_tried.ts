/**
 * What was tried for the cold start (issue 12) and what it measured: spawn → first byte,
 * median of 20 alternating runs per variant, each against the bare `Deno.serve` of the same
 * run (bench/cold_start_bench.ts's method), 2026-11-28 on the shared 2-core machine while other
 * work loaded it (load average 7–10: bare's median was 66–71 ms, against ~27 ms when quiet, so
 * compare the ratios, not the milliseconds). Two such runs are quoted, "a / b". In-process
 * phases come from timestamps patched into a copy of the bundle (minimum / median of 25 runs).
 */
export const TRIED: string[] = [
  "What was tried, 2026-11-28, in runs like this one but with other work loading the machine " +
  "(bare's median 66–71 ms, ~27 ms when quiet): compare ratios, not milliseconds. Figures " +
  'written "a / b" come from two such runs; "in-process" ones from timestamps patched into a ' +
  "copy of the bundle (minimum / median of 25–30 runs).",
  "Before this work (commit 1691ae9, from source): 2.78× / 3.09× bare.",
  "Taken — lazy imports by a computed URL (lib/lazy_import.ts): `deno run` walks every literal " +
  '`import("./x.ts")` of the start graph before running anything, so the platform (Hono, zod, ' +
  "~150 modules) was read, parsed and resolved on every cold start though none of it ran. From " +
  "source: 1.81× / 2.18× (the test now refuses a literal import() in the start graph).",
  "Taken — the start bundle (`_start/`, esbuild, code splitting): 1.20× / 1.60× run directly. " +
  "The same bundle with its chunk imports left literal: 1.97× / 1.95× (Deno walks the chunks).",
  "Dropped — esbuild's keepNames and linked source maps, in a quieter run (25 runs each, bare " +
  "28.7 ms): both 1.88×, keepNames alone 1.76×, maps alone 1.69×, neither 1.61×. keepNames " +
  "wraps functions in calls V8 compiles eagerly; Deno reads a linked map with its module. Error " +
  "names come from class names, so the build refuses a class esbuild had to rename instead.",
  "Taken — the hosts' kv.watch held until the first answer is out (edge/sites.ts): a first " +
  "watch slowed the KV reads after it; the first request (listening → answered, in-process) " +
  "3.6 / 5.4 ms against 4.9 / 7.8 ms.",
  "Paid for safety — main.ts's check that the bundle matches the sources (read and hash the " +
  "~110 files it was made from), overlapped with loading the bundle: in-process main.ts starts " +
  "the bundle ~1.6 ms later than running it directly (its own two modules; the check finishes " +
  "within that, 0.2–1.3 ms). Wall-clock medians of the two stayed within the noise of each " +
  "other (2.33× and 2.53× in one loaded run). Without it an edit without a rebuild would run " +
  "stale code.",
  "Dropped — loading the edge (server.ts as a lazy chunk) while KV opens: the dynamic import " +
  "cost more than the overlap saved (83 ms against 67 ms median, start → listening 26.5 against " +
  "23.5 ms).",
  "Not a lever — Deno's V8 code cache is on by default and covers the bundle: " +
  "`--no-code-cache` made it 2.57× / 2.20× against 1.55× / 1.69×. Minifying the bundle: no " +
  "measurable change (63.9 against 64.7 ms in an earlier run).",
  "Already in place, checked — nothing before the first answer touches Intl, and the first " +
  "timer (~5 ms) is set only after it (server.ts laterTurn). A synchronous KV lock file " +
  "(kv/open.ts) and a sync start-up read showed nothing measurable in this noise; the secret " +
  "and bootstrapped flag are already one getMany (~0.5 ms).",
  "Not tried — pre-warming the edge's hot functions before listening: it moves the first " +
  "request's ~4 ms of cold work before listen, where it delays the first byte the same.",
  "Not a lever — warming Deno's fetch machinery while KV opens: the first Response of a " +
  "process costs ~5 ms (edge/pages.ts makes its pages at module load; bare pays the same in " +
  "Deno.serve and its first answer), but started beside Deno.openKv it saved nothing (5.5 " +
  "against 4.9 ms at best): the open does not run off the main thread here.",
  "What remains (in-process medians, bundle, 30 runs at load ~4): loading and evaluating the " +
  "bundle 8.9 ms after Deno's own start (bare: 1.5 ms; ~5 ms of it is the first Response), " +
  "opening the KV file 3.8 ms (the KV floor pays it too), reading the secret 0.6 ms, building " +
  "the edge and listening 2.8 ms, the first request 4.4 ms (host, live record, version, " +
  "manifest and file from KV on cold JIT); main.ts's check adds ~1.6 ms before the bundle.",
  "How steady the goal row is: six runs of this bench between 08:41 and 09:05 with other " +
  "work on the machine (bare's median 25–64 ms) gave 1.43×, 2.43×, 2.53×, 2.16×, 1.91× and " +
  "1.64× bare (the first two as a ratio of medians, before rounds were paired): met in half " +
  "of them, and not in the quietest (bare 25 ms: 2.16×). Quick runs of the bundle with bare at " +
  "27–29 ms gave 1.6–2.0×. The goal is borderline: holding it needs less work before the " +
  "first byte (see what remains), not a steadier measure.",
];
