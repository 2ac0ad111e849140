/**
 * The references of the cold-start benchmark, each started as its own process. This file
 * imports nothing, so loading it costs what loading any one small module costs.
 *
 *   deno run -A bench/cold_target.ts bare      Deno.serve answering a constant body
 *   deno run -A bench/cold_target.ts kv FILE   the least a KV-backed server does: open the KV
 *                                              file, one get per request, answer
 */
const [mode, file] = Deno.args;
const port = Number(Deno.env.get("PORT"));
const body = "<!doctype html><title>cold</title>";

if (mode === "bare") {
  Deno.serve({ port, hostname: "127.0.0.1", onListen() {} }, () => new Response(body));
} else if (mode === "kv") {
  const kv = await Deno.openKv(file);
  Deno.serve({ port, hostname: "127.0.0.1", onListen() {} }, async () => {
    const entry = await kv.get(["cold", "page"]);
    return new Response(typeof entry.value === "string" ? entry.value : body);
  });
} else {
  throw new Error(`Unknown mode: "${mode}" (bare or kv)`);
}
