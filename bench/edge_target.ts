/**
 * A server for the edge benchmarks, run as its own process so it can be pinned to one core
 * (`taskset -c 0`) while wrk loads it from the other. Prints `{"port": N}` once it is ready.
 *
 *   deno run -A bench/edge_target.ts switchyard   the whole edge: host, live version, file
 *   deno run -A bench/edge_target.ts bare         a bare Deno.serve with a constant 2 KiB body
 *   deno run -A bench/edge_target.ts floor        the request reads RFC 9110 asks of a file server,
 *                                                 and nothing else (see `floor`)
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

/** The headers the edge sends with `small.bin` (checked by the throughput benchmark). */
const SMALL_HEADERS: [string, string][] = [
  ["etag", '"0ec316bead8bec8c0c154cf600c918a4"'],
  ["content-type", "application/octet-stream"],
  ["cache-control", "public, max-age=300, must-revalidate"],
  ["last-modified", "Fri, 27 Nov 2026 03:51:27 GMT"],
  ["accept-ranges", "bytes"],
  ["x-content-type-options", "nosniff"],
];
const CONDITIONAL = [
  "cookie",
  "accept-encoding",
  "if-match",
  "if-unmodified-since",
  "if-none-match",
  "if-modified-since",
  "range",
];

/**
 * The floor under any conforming file server on Deno: it reads what the edge must read of every
 * request (URL, method, Host, Cookie, Accept-Encoding, the four preconditions, Range) and
 * answers a clone of a prepared 2 KiB response with the edge's headers — no host lookup, no
 * version selection, no negotiation. The edge against this is the cost of the edge's own logic;
 * this against `bare` is the cost of Deno's Request API.
 */
function floor(): number {
  const template = new Response(SMALL, { headers: SMALL_HEADERS });
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, (request) => {
    let read = request.url.length + request.method.length;
    const headers = request.headers;
    read += headers.get("host")?.length ?? 0;
    for (const name of CONDITIONAL) read += headers.get(name)?.length ?? 0;
    // Never true: it keeps the reads from being optimised away.
    if (read === 0) return new Response(null, { status: 400 });
    return template.clone();
  });
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
    : mode === "floor"
    ? floor()
    : mode === "many"
    ? await manyApps(Number(Deno.args[1]), Number(Deno.args[2]))
    : await switchyard();
  console.log(JSON.stringify({ port }));
}
