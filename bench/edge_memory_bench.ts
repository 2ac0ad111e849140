/**
 * Edge memory: 100 apps × 10 MiB requested round-robin must keep
 * the edge within its cache budget (`SWITCHYARD_EDGE_CACHE_MB`, default 128) plus a fixed
 * overhead. The server runs as its own process so its RSS is its own.
 */
import { rawRequest } from "../tests/helpers/http.ts";
import type { Section } from "./report.ts";
import { startTarget } from "./wrk.ts";

const APPS = 100;
const MIB_EACH = 10;
const BUDGET_MB = 128;
/**
 * Growth allowed beyond the cache budget while serving: buffers of loads in flight and garbage
 * not yet collected. Measured from the RSS just before the first request, so the process's own
 * fixed size (and what installing the apps left behind) is not counted against the cache.
 */
const OVERHEAD_MB = 64;

async function rssMb(pid: number): Promise<number> {
  const status = await Deno.readTextFile(`/proc/${pid}/status`);
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

export async function edgeMemoryBench(): Promise<Section> {
  const target = await startTarget("many", { SWITCHYARD_EDGE_CACHE_MB: String(BUDGET_MB) }, [
    String(APPS),
    String(MIB_EACH),
  ]);
  try {
    const before = await rssMb(target.pid);
    let peak = before;
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < APPS; i++) {
        const res = await rawRequest(target.port, { path: "/big.bin", host: `app${i}.localhost` });
        if (res.bytes.byteLength !== MIB_EACH * 1024 * 1024) {
          throw new Error(`app${i}: ${res.status}`);
        }
        if (i % 10 === 9) peak = Math.max(peak, await rssMb(target.pid));
      }
    }
    const after = await rssMb(target.pid);
    const limit = BUDGET_MB + OVERHEAD_MB;
    const growth = peak - before;
    return {
      title: "Edge memory",
      rows: [{
        what: `${APPS} apps × ${MIB_EACH} MiB requested round-robin twice (${
          APPS * MIB_EACH * 2
        } MiB served)`,
        result: `RSS grew ${growth.toFixed(0)} MB (before ${before.toFixed(0)} MB, peak ${
          peak.toFixed(0)
        } MB, after ${after.toFixed(0)} MB)`,
        goal: `growth ≤ ${limit} MB (cache budget ${BUDGET_MB} MB + ${OVERHEAD_MB} MB in flight)`,
        met: growth <= limit,
      }],
      method: "bench/edge_target.ts in `many` mode as its own process (core 0): 100 apps on a " +
        "temporary SQLite KV, each with one distinct incompressible 10 MiB file, live. RSS is " +
        "read from /proc every 10 requests while the files are fetched round-robin over loopback.",
    };
  } finally {
    await target.stop();
  }
}
