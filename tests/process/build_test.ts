/**
 * `deno task build`: the CLI as one module that runs from a URL, islands bundled with code
 * splitting and content-hashed names, and a manifest the server loads and serves from memory.
 */
import assert from "node:assert/strict";
import { build, isBuildCurrent } from "../../build.ts";
import { islandUrl, loadBuildOutput } from "../../lib/build_output.ts";
import { createSwitchyard } from "../../server.ts";
import { testConfig } from "../../config.ts";
import { bootstrap } from "../../kv/bootstrap.ts";

const ISLAND = (name: string) => `
import { useState } from "preact/hooks";
import { format } from "./lib/format.ts";
export default function ${name}() {
  const [count, setCount] = useState(0);
  return <button onClick={() => setCount(count + 1)}>${name} {format(count)}</button>;
}
`;

/** Two islands sharing a module, and a helper folder that is not an island. */
async function fixtureIslands(dir: string): Promise<URL> {
  await Deno.mkdir(`${dir}/islands/lib`, { recursive: true });
  await Deno.writeTextFile(`${dir}/islands/Counter.tsx`, ISLAND("Counter"));
  await Deno.writeTextFile(`${dir}/islands/AddToCart.tsx`, ISLAND("AddToCart"));
  await Deno.writeTextFile(
    `${dir}/islands/lib/format.ts`,
    `export const format = (n: number) => "shared-format:" + n.toFixed(0);\n`,
  );
  await Deno.writeTextFile(`${dir}/islands/README.md`, "Not an island.\n");
  return new URL(`file://${dir}/islands/`);
}

async function withTempDir(run: (dir: string) => Promise<void>) {
  const dir = await Deno.makeTempDir({ prefix: "sy-build-" });
  try {
    await run(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("islands are bundled with code splitting and content-hashed names", async () => {
  await withTempDir(async (dir) => {
    const islandsDir = await fixtureIslands(dir);
    const outDir = new URL(`file://${dir}/out/`);
    const manifest = await build({ outDir, islandsDir });

    assert.deepEqual(Object.keys(manifest.islands).sort(), ["AddToCart", "Counter"]);
    assert.match(manifest.islands.Counter, /^islands\/Counter-[A-Z0-9]{8}\.js$/);
    const chunks = Object.keys(manifest.files).filter((path) => path.includes("/chunk-"));
    assert.ok(chunks.length >= 1, "the shared code went into a chunk");
    const shared = await Promise.all(
      Object.keys(manifest.files).map(async (path) => [
        path,
        await Deno.readTextFile(new URL(path, outDir)),
      ]),
    );
    const holders = shared.filter(([, text]) => text.includes("shared-format:"));
    assert.equal(holders.length, 1, "the shared module is in one file only");
    assert.ok(chunks.includes(holders[0][0]));

    // Same sources, same names; a change, a new name for what changed.
    assert.deepEqual((await build({ outDir, islandsDir })).islands, manifest.islands);
    const counting2 = ISLAND("Counter").replace("count + 1", "count + 2");
    await Deno.writeTextFile(`${dir}/islands/Counter.tsx`, counting2);
    const changed = await build({ outDir, islandsDir });
    assert.notEqual(changed.islands.Counter, manifest.islands.Counter);
    assert.equal(changed.islands.AddToCart, manifest.islands.AddToCart);
  });
});

Deno.test("without islands the build still writes the CLI and a manifest", async () => {
  await withTempDir(async (dir) => {
    const outDir = new URL(`file://${dir}/out/`);
    const none = new URL(`file://${dir}/none/`);
    const manifest = await build({ outDir, islandsDir: none, stylesDir: none });
    assert.deepEqual(manifest.islands, {});
    assert.deepEqual(manifest.styles, {});
    assert.equal(manifest.swagger_ui, "swagger-ui-5.35.0/");
    assert.deepEqual(Object.keys(manifest.files), [
      "cli.js",
      "swagger-ui-5.35.0/LICENSE",
      "swagger-ui-5.35.0/NOTICE",
      "swagger-ui-5.35.0/swagger-ui-bundle.js",
      "swagger-ui-5.35.0/swagger-ui.css",
    ]);
  });
});

Deno.test("a build is current until its sources change or a file of it goes missing", async () => {
  await withTempDir(async (dir) => {
    const outDir = new URL(`file://${dir}/out/`);
    assert.equal(await isBuildCurrent(outDir), false, "nothing built yet");
    const manifest = await build({ outDir });
    assert.equal(await isBuildCurrent(outDir), true);
    assert.match(manifest.styles!.admin, /^styles\/admin-\w+\.css$/, "the admin's stylesheet");
    assert.match(manifest.islands._client, /^islands\/_client-\w+\.js$/, "the client entry");
    const manifestUrl = new URL("manifest.json", outDir);
    await Deno.writeTextFile(manifestUrl, JSON.stringify({ ...manifest, inputs: "0".repeat(64) }));
    assert.equal(await isBuildCurrent(outDir), false, "built from other sources");
    await Deno.writeTextFile(manifestUrl, JSON.stringify(manifest));
    assert.equal(await isBuildCurrent(outDir), true);
    await Deno.remove(new URL("cli.js", outDir));
    assert.equal(await isBuildCurrent(outDir), false, "a file is missing");
  });
});

Deno.test("the CLI bundle imports nothing but node: built-ins and runs on its own", async () => {
  await withTempDir(async (dir) => {
    const outDir = new URL(`file://${dir}/out/`);
    await build({ outDir, islandsDir: new URL(`file://${dir}/none/`) });
    const code = await Deno.readTextFile(new URL("cli.js", outDir));
    const imports = [...code.matchAll(/^import .* from "([^"]+)";$/gm)].map((m) => m[1]);
    assert.ok(imports.length > 0 && imports.every((s) => s.startsWith("node:")), String(imports));
    const run = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", new URL("cli.js", outDir).href, "--help"],
      stdout: "piped",
      stderr: "piped",
      env: { NO_COLOR: "1" },
    }).output();
    assert.equal(run.code, 0, new TextDecoder().decode(run.stderr));
    assert.match(new TextDecoder().decode(run.stdout), /^Switchyard CLI/);
  });
});

Deno.test("the platform serves the build from memory: /cli.js revalidated, hashed files immutable", async () => {
  await withTempDir(async (dir) => {
    const outDir = new URL(`file://${dir}/out/`);
    const manifest = await build({ outDir, islandsDir: await fixtureIslands(dir) });
    const output = (await loadBuildOutput(outDir))!;
    const kv = await Deno.openKv(":memory:");
    const config = testConfig({ platformHost: "127.0.0.1" });
    config.secret = (await bootstrap(kv, config)).secret;
    const switchyard = createSwitchyard(kv, config, { build: output });
    const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, switchyard.fetch);
    const base = `http://127.0.0.1:${server.addr.port}`;
    try {
      const cli = await fetch(`${base}/cli.js`);
      assert.equal(cli.status, 200);
      assert.equal(cli.headers.get("content-type"), "text/javascript; charset=utf-8");
      assert.equal(cli.headers.get("cache-control"), "no-cache");
      assert.equal(cli.headers.get("etag"), `"${manifest.files["cli.js"].sha256}"`);
      assert.match(await cli.text(), /Switchyard CLI/);
      const again = await fetch(`${base}/cli.js`, {
        headers: { "if-none-match": cli.headers.get("etag")! },
      });
      assert.equal(again.status, 304);
      await again.body?.cancel();

      const url = islandUrl(output, "Counter")!;
      assert.equal(url, `/_build/${manifest.islands.Counter}`);
      const island = await fetch(base + url);
      assert.equal(island.status, 200);
      assert.equal(island.headers.get("cache-control"), "public, max-age=31536000, immutable");
      assert.equal(
        new Uint8Array(await island.arrayBuffer()).byteLength,
        manifest.files[manifest.islands.Counter].size,
      );
      const missing = await fetch(`${base}/_build/islands/Nope-AAAAAAAA.js`);
      assert.equal(missing.status, 404);
      await missing.body?.cancel();
    } finally {
      await server.shutdown();
      await switchyard.close();
      kv.close();
    }
  });
});

Deno.test("without a build /cli.js is a 503 that says to run deno task build", async () => {
  const kv = await Deno.openKv(":memory:");
  const config = testConfig({ platformHost: "127.0.0.1" });
  config.secret = (await bootstrap(kv, config)).secret;
  const switchyard = createSwitchyard(kv, config);
  try {
    const response = await switchyard.fetch(new Request("http://127.0.0.1/cli.js"));
    assert.equal(response.status, 503);
    const body = await response.json();
    assert.equal(body.error.code, "build_missing");
    assert.match(body.error.message, /deno task build/);
    assert.equal(await loadBuildOutput(new URL("file:///nonexistent-switchyard-build/")), null);
  } finally {
    await switchyard.close();
    kv.close();
  }
});
