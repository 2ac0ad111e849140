/**
 * Edge latency: the cold path (first request of a new version for
 * a 100 KiB file, goal p99 ≤ 10 ms) and how soon a promote is served — by the same process
 * (goal p99 ≤ 50 ms) and by a second edge instance with its watch off, standing in for another
 * region (goal ≤ the revalidation interval + 100 ms). The second edge shares this process's
 * KV handle: a local SQLite file must not be opened by two processes.
 */
import { zipSync } from "fflate";
import { createEdge } from "../edge/handler.ts";
import { hostOf } from "../server.ts";
import { rawRequest } from "../tests/helpers/http.ts";
import { noiseBytes } from "./generate.ts";
import type { Section } from "./report.ts";
import { startBenchServer } from "./server.ts";

const VERSIONS = 200;
const PROMOTES = 40;

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};
const ms = (value: number) => `${value.toFixed(2)} ms`;

async function waitFor(port: number, text: string, startedAt: number): Promise<number> {
  for (;;) {
    const res = await rawRequest(port, { path: "/", host: "bench.localhost" });
    if (res.text() === text) return performance.now() - startedAt;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

export async function edgeLatencyBench(): Promise<Section> {
  const server = await startBenchServer();
  const second = createEdge(server.kv, server.config, { watch: false });
  const regional = Deno.serve(
    { port: 0, hostname: "127.0.0.1", onListen() {} },
    (request) => second.handle(request, hostOf(request)),
  );
  try {
    await (await server.api("POST", "/apps", JSON.stringify({ slug: "bench", name: "Bench" }))).body
      ?.cancel();
    for (let i = 1; i <= VERSIONS; i++) {
      const zip = zipSync({
        "index.html": new TextEncoder().encode(`v${i}`),
        "large.bin": noiseBytes(100 * 1024, 100 + i),
      }, { level: 0 });
      const res = await server.api(
        "POST",
        "/apps/bench/versions",
        zip as BodyInit,
        "application/zip",
      );
      if (res.status !== 201) throw new Error(await res.text());
      await res.body?.cancel();
    }
    const cold: number[] = [];
    for (let i = 1; i <= VERSIONS; i++) {
      await (await server.api("PUT", "/apps/bench/live", JSON.stringify({ version: i }))).body
        ?.cancel();
      await rawRequest(server.port, { path: "/", host: "bench.localhost" }); // the live record
      const start = performance.now();
      const res = await rawRequest(server.port, { path: "/large.bin", host: "bench.localhost" });
      cold.push(performance.now() - start);
      if (res.bytes.byteLength !== 100 * 1024) throw new Error(`cold request got ${res.status}`);
    }
    const same: number[] = [];
    const other: number[] = [];
    await rawRequest(regional.addr.port, { path: "/", host: "bench.localhost" });
    for (let i = 0; i < PROMOTES; i++) {
      const version = (i % 2) + 1;
      await (await server.api("PUT", "/apps/bench/live", JSON.stringify({ version }))).body
        ?.cancel();
      const promoted = performance.now();
      same.push(await waitFor(server.port, `v${version}`, promoted));
      other.push(await waitFor(regional.addr.port, `v${version}`, promoted));
    }
    const revalidate = server.config.revalidateMs;
    return {
      title: "Edge latency",
      rows: [
        {
          what:
            `cold path: first request of a new version for a 100 KiB file (${VERSIONS} versions)`,
          result: `p99 ${ms(percentile(cold, 99))} (p50 ${ms(percentile(cold, 50))}, max ${
            ms(Math.max(...cold))
          })`,
          goal: "p99 ≤ 10 ms",
          met: percentile(cold, 99) <= 10,
        },
        {
          what: `promote → served by the same process (${PROMOTES} promotes)`,
          result: `p99 ${ms(percentile(same, 99))} (p50 ${ms(percentile(same, 50))})`,
          goal: "p99 ≤ 50 ms",
          met: percentile(same, 99) <= 50,
        },
        {
          what: "promote → served by a second edge instance with its watch off",
          result: `max ${ms(Math.max(...other))} (p50 ${ms(percentile(other, 50))})`,
          goal: `≤ ${revalidate + 100} ms (revalidation ${revalidate} ms + 100)`,
          met: Math.max(...other) <= revalidate + 100,
        },
      ],
      method: "In one process: the real server on a temporary SQLite KV file and a second edge " +
        "(`createEdge(kv, config, {watch: false})`) on its own port; requests over loopback with " +
        "node:http (which can set the Host header). Promote times run from the PUT's answer to the " +
        "first response with the new version's page, polling every 2 ms.",
    };
  } finally {
    await regional.shutdown();
    await second.close();
    await server.close();
  }
}
