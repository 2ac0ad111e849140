/**
 * What rate limits and the audit log cost, and where they cost nothing: a warm storefront or
 * preview request reads no KV at all (so no limit either; the goal), the bad-token check is one
 * eventually consistent read in front of each bearer-token API request, a promote's commit grows
 * by its audit entry, and opening a test link adds one checked commit.
 */
import { createEdge } from "../edge/handler.ts";
import { findAppBySlug } from "../kv/apps.ts";
import { promote } from "../kv/live.ts";
import { checkLimit, LIMITS, takeLimit } from "../kv/rate_limits.ts";
import type { AuditBy } from "../kv/audit.ts";
import { countingKv } from "../tests/helpers/fixtures.ts";
import { zipOf } from "../tests/fixtures/archives.ts";
import { median, type Section } from "./report.ts";
import { startBenchServer } from "./server.ts";

const ROUNDS = 400;

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};
const ms = (value: number) => `${value.toFixed(3)} ms`;

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

/** KV reads of 1,000 warm requests: 500 live, 500 through a preview cookie. */
async function warmReads(server: Awaited<ReturnType<typeof startBenchServer>>): Promise<number> {
  const { kv, calls } = countingKv(server.kv);
  const edge = createEdge(kv, { ...server.config, revalidateMs: 600_000 });
  try {
    const link = await (await server.api(
      "POST",
      "/apps/bench/versions/1/links",
      JSON.stringify({ label: "bench" }),
    )).json();
    const token = link.url.split("token=")[1];
    const host = "bench.localhost";
    const opened = await edge.handle(
      new Request(`http://${host}/_switchyard/preview?token=${token}`),
      host,
    );
    const cookie = opened.headers.get("set-cookie")!.split(";")[0];
    const get = (headers: HeadersInit) =>
      edge.handle(new Request(`http://${host}/`, { headers }), host);
    for (const headers of [{}, { cookie }] as HeadersInit[]) {
      await (await get(headers)).arrayBuffer();
    }
    const before = calls.reads;
    for (let i = 0; i < 1_000; i++) {
      const res = await get(i % 2 ? { cookie } : {});
      if (res.status !== 200) throw new Error(`warm request answered ${res.status}`);
      await res.arrayBuffer();
    }
    return calls.reads - before;
  } finally {
    await edge.close();
  }
}

export async function limitsBench(): Promise<Section> {
  const server = await startBenchServer();
  try {
    await (await server.api("POST", "/apps", JSON.stringify({ slug: "bench", name: "Bench" })))
      .body?.cancel();
    for (const text of ["one", "two"]) {
      const res = await server.api(
        "POST",
        "/apps/bench/versions",
        zipOf({ "index.html": text }),
        "application/zip",
      );
      await res.body?.cancel();
    }
    await (await server.api("PUT", "/apps/bench/live", JSON.stringify({ version: 1 }))).body
      ?.cancel();
    const reads = await warmReads(server);

    const check: number[] = [];
    const api: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      check.push(await timed(() => checkLimit(server.kv, LIMITS.badTokens, "203.0.113.1")));
      api.push(
        await timed(async () => await (await server.api("GET", "/apps/bench")).arrayBuffer()),
      );
    }

    // The same promote, alternating between two versions, with and without its audit entry.
    const app = (await findAppBySlug(server.kv, "bench"))!;
    const audit: AuditBy = {
      accountId: app.account_id,
      actor: { type: "token", id: "01jdq9f2g3h4j5k6m7n8p9q0r1", name: "bench" },
      ip: "203.0.113.1",
    };
    const plain: number[] = [];
    const audited: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const version = 1 + (i % 2);
      const with_ = i % 4 < 2;
      const took = await timed(() =>
        promote(server.kv, app, { version, by: "bench", audit: with_ ? audit : undefined })
      );
      (with_ ? audited : plain).push(took);
    }
    const opens: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      opens.push(
        await timed(() => takeLimit(server.kv, LIMITS.testLinkOpens, `198.51.100.${i % 20}`)),
      );
    }
    return {
      title: "Rate limits and audit",
      rows: [
        {
          what: "KV reads of 1,000 warm requests (500 live, 500 through a preview cookie)",
          result: `${reads}`,
          goal: "0",
          met: reads === 0,
        },
        {
          what: "the bad-token check in front of each bearer-token API request (one eventual read)",
          result: `p50 ${ms(median(check))}, p99 ${ms(percentile(check, 99))}; ` +
            `a whole GET /apps/{slug} p50 ${ms(median(api))}`,
          goal: "none (diagnostic)",
          met: null,
        },
        {
          what: "a promote's commit with its audit entry vs without (kv/live.ts `promote`)",
          result: `p50 ${ms(median(audited))} vs ${ms(median(plain))} ` +
            `(${((median(audited) / median(plain) - 1) * 100).toFixed(0)} %)`,
          goal: "none (diagnostic)",
          met: null,
        },
        {
          what: "opening a test link: its counted commit (`takeLimit`)",
          result: `p50 ${ms(median(opens))}, p99 ${ms(percentile(opens, 99))}`,
          goal: "none (diagnostic)",
          met: null,
        },
      ],
      method: "The real server in-process on a temporary SQLite KV file. Warm requests go " +
        "through an edge over a KV that counts its reads, after one request of each kind " +
        `warmed it. Timings are ${ROUNDS} sequential calls each, over loopback HTTP for the ` +
        "API; the promotes alternate between two versions, two with the audit entry, two " +
        "without, in turns. The bad-token check and the link opening count against " +
        "addresses that never reach their limit, so each is the full cost of the pass.",
    };
  } finally {
    await server.close();
  }
}
