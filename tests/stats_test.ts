/**
 * `GET /api/v1/apps/{slug}/stats` over real counters (written through kv/counters.ts as the edge
 * and the shopper API write them) and a real release history.
 */
import assert from "node:assert/strict";
import { startServer, type TestServer } from "./helpers/server.ts";
import { install, promote } from "./helpers/fixtures.ts";
import { counterBatches, flushCounters } from "../kv/counters.ts";
import { findAppBySlug } from "../kv/apps.ts";

type Counts = Record<string, number | null>;
interface Stats {
  from: string;
  to: string;
  mode: string;
  currency: string;
  versions: { version: number; totals: Counts; days: (Counts & { day: string })[] }[];
  split: {
    from: string;
    to: string;
    live: boolean;
    arms: {
      version: number;
      weight: number;
      visitors: number;
      orders: number;
      conversion_rate: number;
      interval: { low: number; high: number };
    }[];
    comparison: {
      leader: number;
      baseline: number;
      difference: number;
      interval: { low: number; high: number };
      method: string;
    } | null;
    verdict: string;
  } | null;
  releases: { kind: string; version: number; effective_at: string; at: string }[];
}

const today = () => new Date().toISOString().slice(0, 10);
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

/** Adds counts as the counter flush does: `{version: {mode: {day: {name: amount}}}}`. */
async function count(
  server: TestServer,
  slug: string,
  counts: [version: number, mode: string, day: string, Record<string, number>][],
) {
  const app = (await findAppBySlug(server.kv, slug))!;
  const deltas = counts.flatMap(([version, mode, day, names]) =>
    Object.entries(names).map(([name, amount]) => ({
      appId: app.id,
      version,
      mode,
      day,
      name,
      amount,
    }))
  );
  assert.equal(await flushCounters(server.kv, counterBatches(deltas)), null);
}

async function stats(server: TestServer, slug: string, query = ""): Promise<Stats> {
  const res = await server.api("GET", `/apps/${slug}/stats${query}`);
  assert.equal(res.status, 200, await res.clone().text());
  return await res.json();
}

const near = (actual: number, expected: number, what: string) =>
  assert.ok(Math.abs(actual - expected) < 5e-6, `${what}: ${actual} is not ${expected}`);

Deno.test("stats answer counts and conversion per version per day, for one mode", async () => {
  const server = await startServer();
  try {
    await install(server, "counted", { "index.html": "one" });
    await install(server, "counted", { "index.html": "two" });
    await promote(server, "counted", 1);
    await count(server, "counted", [
      [1, "live", "2026-10-31", { visitors: 999, orders: 99 }],
      [1, "live", "2026-11-01", { visitors: 200, page_views: 600, carts: 20, orders: 5 }],
      [1, "live", "2026-11-01", { revenue: 12_345, reported_conversions: 7 }],
      [1, "live", "2026-11-02", { visitors: 100, page_views: 250, carts: 10, orders: 3 }],
      [1, "live", "2026-11-02", { revenue: 7_000 }],
      [2, "test", "2026-11-02", { visitors: 4, page_views: 9, carts: 2, orders: 1, revenue: 2400 }],
      [2, "live", "2026-11-03", { visitors: 1 }],
    ]);

    const live = await stats(server, "counted", "?from=2026-11-01&to=2026-11-02");
    assert.equal(live.mode, "live");
    assert.equal(live.currency, "USD", "the account's default currency");
    assert.deepEqual(live.versions.map((v) => v.version), [1]);
    const [v1] = live.versions;
    assert.deepEqual(v1.days.map((d) => d.day), ["2026-11-01", "2026-11-02"]);
    assert.deepEqual(v1.days[0], {
      day: "2026-11-01",
      visitors: 200,
      page_views: 600,
      carts: 20,
      orders: 5,
      revenue: 12_345,
      conversion_rate: 5 / 200,
      cart_conversion_rate: 5 / 20,
    });
    assert.deepEqual(v1.totals, {
      visitors: 300,
      page_views: 850,
      carts: 30,
      orders: 8,
      revenue: 19_345,
      conversion_rate: 8 / 300,
      cart_conversion_rate: 8 / 30,
    });
    assert.equal(live.split, null);

    const test = await stats(server, "counted", "?from=2026-11-01&to=2026-11-03&mode=test");
    assert.deepEqual(test.versions.map((v) => [v.version, v.totals.orders, v.totals.revenue]), [
      [2, 1, 2400],
    ]);
    const later = await stats(server, "counted", "?from=2026-11-02&to=2026-11-03");
    assert.deepEqual(later.versions.map((v) => [v.version, v.totals.visitors]), [[1, 100], [2, 1]]);
    const quiet = await stats(server, "counted", "?from=2026-11-05&to=2026-11-06");
    assert.deepEqual(quiet.versions, []);
    const noCarts = (await stats(server, "counted", "?from=2026-11-03&to=2026-11-03")).versions[0];
    assert.equal(noCarts.totals.conversion_rate, 0);
    assert.equal(noCarts.totals.cart_conversion_rate, null);
  } finally {
    await server.close();
  }
});

Deno.test("under a split, each arm gets its Wilson interval and the verdict names the winner", async () => {
  const server = await startServer();
  try {
    for (const page of ["one", "two"]) await install(server, "split", { "index.html": page });
    await promote(server, "split", 1);
    const put = await server.api("PUT", "/apps/split/live", {
      split: [{ version: 1, weight: 50 }, { version: 2, weight: 50 }],
    });
    assert.equal(put.status, 200, await put.text());
    // Before the split, v1 had all the traffic: those days say nothing about the split.
    await count(server, "split", [
      [1, "live", daysAgo(1), { visitors: 500, orders: 50 }],
      [1, "live", today(), { visitors: 1000, orders: 25, carts: 100 }],
      [2, "live", today(), { visitors: 1000, orders: 45, carts: 90 }],
    ]);

    const report = await stats(server, "split");
    assert.equal(report.to, today());
    assert.equal(report.from, daysAgo(29));
    assert.deepEqual(report.versions.map((v) => [v.version, v.totals.visitors]), [
      [1, 1500],
      [2, 1000],
    ]);
    const split = report.split!;
    assert.equal(split.from, today());
    assert.equal(split.live, true);
    assert.deepEqual(split.arms.map((a) => [a.version, a.weight, a.visitors, a.orders]), [
      [1, 50, 1000, 25],
      [2, 50, 1000, 45],
    ]);
    // Hand-computed in lib/conversion_test.ts: 25/1000 → 0.016990–0.036645,
    // 45/1000 → 0.033800–0.059683, difference 0.020 → 0.003843–0.036726.
    near(split.arms[0].interval.low, 0.01699, "v1 low");
    near(split.arms[0].interval.high, 0.036645, "v1 high");
    near(split.arms[1].interval.low, 0.0338, "v2 low");
    near(split.arms[1].interval.high, 0.059683, "v2 high");
    const comparison = split.comparison!;
    assert.deepEqual([comparison.leader, comparison.baseline], [2, 1]);
    near(comparison.difference, 0.02, "difference");
    near(comparison.interval.low, 0.003843, "difference low");
    near(comparison.interval.high, 0.036726, "difference high");
    assert.equal(comparison.method, "newcombe_hybrid_score");
    assert.equal(split.verdict, "v2 converts better than v1: +2.0 points, 95 % CI +0.4 to +3.7");
    assert.deepEqual(report.releases.map((r) => [r.kind, r.version]), [
      ["split", 1],
      ["promote", 1],
    ]);
    assert.equal(report.releases[0].effective_at, report.releases[0].at);

    // The winner takes all traffic: the split is over, and still reported for its days.
    await promote(server, "split", 2);
    const after = (await stats(server, "split")).split!;
    assert.equal(after.live, false);
    assert.deepEqual(after.arms.map((a) => a.visitors), [1000, 1000]);
    assert.equal((await stats(server, "split", "?mode=test")).split, null);
  } finally {
    await server.close();
  }
});

Deno.test("a split with too few visitors says there is not enough data yet", async () => {
  const server = await startServer();
  try {
    for (const page of ["one", "two"]) await install(server, "young", { "index.html": page });
    await server.api("PUT", "/apps/young/live", {
      split: [{ version: 1, weight: 90 }, { version: 2, weight: 10 }],
    }).then((res) => res.body?.cancel());
    await count(server, "young", [
      [1, "live", today(), { visitors: 180, orders: 4 }],
      [2, "live", today(), { visitors: 20, orders: 1 }],
    ]);
    const split = (await stats(server, "young")).split!;
    assert.deepEqual(split.arms.map((a) => a.weight), [90, 10]);
    assert.match(split.verdict, /^Not enough data yet \(v1 180 visitors, 4 orders; v2 20 visitors/);
  } finally {
    await server.close();
  }
});

Deno.test("stats refuse days that do not exist and ranges out of bounds with 422", async () => {
  const server = await startServer();
  try {
    await install(server, "bounds", { "index.html": "one" });
    const cases: [string, RegExp][] = [
      ["?from=2026-11-05&to=2026-11-01", /ends before it starts: "2026-11-05" to "2026-11-01"/],
      ["?from=2026-02-30&to=2026-03-01", /"from"/],
      ["?from=2026/11/01", /"from"/],
      ["?from=2025-01-01&to=2026-11-01", /670 days long, more than 366/],
      ["?mode=preview", /"mode"/],
    ];
    for (const [query, message] of cases) {
      const res = await server.api("GET", `/apps/bounds/stats${query}`);
      const body = await res.json();
      assert.equal(res.status, 422, query);
      assert.equal(body.error.code, "validation_failed", query);
      assert.match(body.error.message, message, query);
    }
    const missing = await server.api("GET", "/apps/nothing-here/stats");
    assert.equal(missing.status, 404);
    await missing.body?.cancel();
  } finally {
    await server.close();
  }
});
