/**
 * Cold start (DESIGN "Cold start"): what a fresh process loads before its first shopper, and
 * that it serves that shopper before loading any of the platform.
 */
import assert from "node:assert/strict";
import { staticGraph } from "../helpers/module_graph.ts";
import { rawRequest } from "../helpers/http.ts";
import { PROCESS_TOKEN, spawnSwitchyard } from "../helpers/process.ts";

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

Deno.test("the program's start loads no platform module, no npm package and no node: built-in", async () => {
  const graph = await staticGraph(new URL("main.ts", root));
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

Deno.test("a process on a KV with data serves its first shopper before loading the platform", async () => {
  const dir = await Deno.makeTempDir({ prefix: "sy-cold-" });
  const env = { SWITCHYARD_KV: `${dir}/kv.sqlite`, SWITCHYARD_DEMO: "1" };
  try {
    // The first start seeds the demo; the second is a fresh process on a KV that has data.
    const first = await spawnSwitchyard({ env });
    assert.ok(first.listening, JSON.stringify(first.lines));
    await first.stop();
    const server = await spawnSwitchyard({ env });
    try {
      assert.ok(server.listening, JSON.stringify(server.lines));
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
