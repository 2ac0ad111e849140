/**
 * A server for the edge benchmarks, run as its own process so it can be pinned to one core
 * (`taskset -c 0`) while wrk loads it from the other. Prints `{"port": N}` once it is ready.
 *
 *   deno run -A bench/edge_target.ts switchyard   the whole edge: host, live version, file
 *   deno run -A bench/edge_target.ts bare         a bare Deno.serve with a constant 2 KiB body
 */
import { zipSync } from "fflate";
import { startBenchServer } from "./server.ts";
import { noiseBytes } from "./generate.ts";

export const SMALL = noiseBytes(2048, 1);
export const LARGE = noiseBytes(100 * 1024, 2);

function bare(): number {
  const server = Deno.serve(
    { port: 0, hostname: "127.0.0.1", onListen() {} },
    () => new Response(SMALL, { headers: { "content-type": "application/octet-stream" } }),
  );
  return server.addr.port;
}

async function switchyard(): Promise<number> {
  const server = await startBenchServer();
  await (await server.api("POST", "/apps", JSON.stringify({ slug: "bench", name: "Bench" }))).body
    ?.cancel();
  const zip = zipSync({
    "index.html": new TextEncoder().encode("<p>bench</p>"),
    "small.bin": SMALL,
    "large.bin": LARGE,
  });
  const res = await server.api("POST", "/apps/bench/versions", zip as BodyInit, "application/zip");
  if (res.status !== 201) throw new Error(await res.text());
  await res.body?.cancel();
  await (await server.api("PUT", "/apps/bench/live", JSON.stringify({ version: 1 }))).body
    ?.cancel();
  return server.port;
}

/** `count` apps, each with one distinct incompressible file of `mib` MiB, all live. */
async function manyApps(count: number, mib: number): Promise<number> {
  const server = await startBenchServer();
  for (let i = 0; i < count; i++) {
    const slug = `app${i}`;
    await (await server.api("POST", "/apps", JSON.stringify({ slug, name: slug }))).body?.cancel();
    const zip = zipSync({
      "index.html": new TextEncoder().encode(slug),
      "big.bin": noiseBytes(mib * 1024 * 1024, 1000 + i),
    }, { level: 0 });
    const res = await server.api(
      "POST",
      `/apps/${slug}/versions`,
      zip as BodyInit,
      "application/zip",
    );
    if (res.status !== 201) throw new Error(await res.text());
    await res.body?.cancel();
    await (await server.api("PUT", `/apps/${slug}/live`, JSON.stringify({ version: 1 }))).body
      ?.cancel();
  }
  return server.port;
}

if (import.meta.main) {
  const mode = Deno.args[0];
  const port = mode === "bare"
    ? bare()
    : mode === "many"
    ? await manyApps(Number(Deno.args[1]), Number(Deno.args[2]))
    : await switchyard();
  console.log(JSON.stringify({ port }));
}
