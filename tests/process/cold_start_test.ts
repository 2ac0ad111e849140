/**
 * Cold start (DESIGN "Cold start"): what a fresh process loads before its first shopper, and
 * that it serves that shopper before loading any of the platform.
 */
import assert from "node:assert/strict";
import { literalDynamicImports, staticGraph } from "../helpers/module_graph.ts";
import { rawRequest } from "../helpers/http.ts";
import { PROCESS_TOKEN, spawnSwitchyard } from "../helpers/process.ts";
import { startBundle } from "../../build.ts";

const root = new URL("../../", import.meta.url);

/** Our own modules a shopper's request never needs: the platform and the upload pipeline. */
const PLATFORM_ONLY = [
  /^routes\//,
  /^components\//,
  /^islands\//,
  /^install\//,
  /^cli\//,
  /^package\/(zip_|tar_|read_package|read_config|fields\.ts|site_config_parse)/,
];

/**
 * Packages the start may load, each with why it is worth its cost (every npm or node: module
 * measured tens of ms on a fresh isolate; STACK-NOTES "Deno cold start"). Empty: none is.
 */
const ALLOWED_PACKAGES: Record<string, string> = {};

/**
 * What a start loads from source: the entry, and the program it imports (by a computed URL, so
 * the walk does not follow it by itself). The start bundle is built from program.ts's graph.
 */
async function startGraph() {
  return [
    ...await staticGraph(new URL("main.ts", root)),
    ...await staticGraph(new URL("program.ts", root)),
  ];
}

Deno.test("the program's start loads no platform module, no npm package and no node: built-in", async () => {
  const graph = await startGraph();
  assert.ok(graph.some((m) => m.specifier.endsWith("/edge/serve.ts")), "the walk missed the edge");
  const offending = graph.filter((module) => {
    const path = module.specifier.startsWith(root.href)
      ? module.specifier.slice(root.href.length)
      : null;
    if (path !== null) return PLATFORM_ONLY.some((pattern) => pattern.test(path));
    return !(module.specifier in ALLOWED_PACKAGES);
  });
  assert.deepEqual(
    offending.map((module) => module.chain.join(" → ")),
    [],
    "loaded at start, though a shopper's request does not need it (import chain shown)",
  );
});

Deno.test("no module of the start imports anything by a literal import(), which Deno reads at start", async () => {
  const found = [
    ...await literalDynamicImports(new URL("main.ts", root)),
    ...await literalDynamicImports(new URL("program.ts", root)),
  ];
  assert.deepEqual(
    found.map((chain) => chain.map((s) => s.replace(root.href, "")).join(" → ")),
    [],
    "deno run reads and resolves the whole graph behind a literal import() before the program " +
      'runs: write importLazily<typeof import("./x.ts")>(new URL("./x.ts", import.meta.url)) ' +
      "(lib/lazy_import.ts)",
  );
});

for (const entry of ["main.ts", "program.ts"] as const) {
  const from = entry === "main.ts" ? "start bundle" : "source";
  Deno.test(`from the ${from}, a process on a KV with data serves its first shopper before loading the platform`, async () => {
    // main.ts runs the start bundle only when it is current: make it so.
    if (entry === "main.ts") await startBundle(true);
    const dir = await Deno.makeTempDir({ prefix: "sy-cold-" });
    const env = { SWITCHYARD_KV: `${dir}/kv.sqlite`, SWITCHYARD_DEMO: "1" };
    try {
      // The first start seeds the demo; the second is a fresh process on a KV that has data.
      const first = await spawnSwitchyard({ env, entry });
      assert.ok(first.listening, JSON.stringify(first.lines));
      await first.stop();
      const server = await spawnSwitchyard({ env, entry });
      try {
        assert.ok(server.listening, JSON.stringify(server.lines));
        const listening = server.lines.find((line) => line.msg === "Switchyard is listening");
        assert.equal(listening?.from, from);
        const page = await rawRequest(server.port, { path: "/", host: "demo.localhost" });
        assert.equal(page.status, 200);
        assert.match(page.text(), /<html/i);
        assert.ok(!server.lines.some((line) => line.msg === "Platform loaded"), "platform loaded");

        const apps = await fetch(`http://127.0.0.1:${server.port}/api/v1/apps`, {
          headers: { authorization: `Bearer ${PROCESS_TOKEN}` },
        });
        assert.equal(apps.status, 200);
        assert.ok((await apps.json()).items.some((app: { slug: string }) => app.slug === "demo"));
        const loaded = await server.waitForLine((line) => line.msg === "Platform loaded");
        assert.equal(typeof loaded.ms, "number");
      } finally {
        await server.stop();
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}
