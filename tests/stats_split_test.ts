/**
 * A split from end to end: shoppers load pages through the edge (which picks their arm and
 * counts them), buy through the shopper API on the same host (which tags the order with the
 * version of their page and counts it), and the stats show each arm with what it took.
 */
import assert from "node:assert/strict";
import { startServer } from "./helpers/server.ts";
import { install, NAVIGATION } from "./helpers/fixtures.ts";
import { cardBody, CUSTOMER, shopper, storeWithCatalog } from "./helpers/shop.ts";

const SHOPPERS = 24;

Deno.test("under a split, each arm shows the visitors it served and the orders it took", async () => {
  const server = await startServer();
  try {
    await storeWithCatalog(server); // v1 live ("store"), with a catalog
    await install(server, "shop", { "index.html": "<html><body><p>two</p></body></html>" });
    const put = await server.api("PUT", "/apps/shop/live", {
      split: [{ version: 1, weight: 50 }, { version: 2, weight: 50 }],
    });
    assert.equal(put.status, 200, await put.text());

    const served = new Map([[1, 0], [2, 0]]);
    const bought = new Map([[1, 0], [2, 0]]);
    const cents = new Map([[1, 0], [2, 0]]);
    for (let i = 0; i < SHOPPERS; i++) {
      const tab = shopper(server, "shop");
      const page = await tab.call("GET", "/", undefined, NAVIGATION);
      assert.equal(page.status, 200);
      const version = page.text().includes("two") ? 2 : 1;
      served.set(version, served.get(version)! + 1);
      // Version 2 sells to every visitor, version 1 to every other one.
      if (version === 1 && i % 2 === 1) continue;
      await tab.signIn();
      const cart = (await tab.call("POST", "/api/v1/carts", {
        items: [{ product_id: "mug" }],
        customer: CUSTOMER,
      })).json<{ cart_id: string; version: number }>();
      assert.equal(cart.version, version, "the cart carries the version of the page");
      const paid = await tab.call(
        "POST",
        `/api/v1/carts/${cart.cart_id}/payments`,
        cardBody("4242424242424242"),
      );
      assert.equal(paid.status, 201, paid.text());
      bought.set(version, bought.get(version)! + 1);
      const total = paid.json<{ order: { total: number } }>().order.total;
      cents.set(version, cents.get(version)! + Math.round(total * 100));
    }
    assert.ok(served.get(1)! > 0 && served.get(2)! > 0, `both arms served: ${[...served]}`);

    await server.switchyard.flush(); // the edge's visitor counts wait in memory
    const res = await server.api("GET", "/apps/shop/stats");
    assert.equal(res.status, 200);
    const stats = await res.json();
    const arms = stats.split.arms.map((arm: Record<string, number>) => [
      arm.version,
      arm.visitors,
      arm.orders,
    ]);
    assert.deepEqual(arms, [
      [1, served.get(1), bought.get(1)],
      [2, served.get(2), bought.get(2)],
    ]);
    for (const version of stats.versions) {
      assert.equal(version.totals.carts, bought.get(version.version), "one cart per purchase");
      assert.equal(version.totals.revenue, cents.get(version.version), "the orders' totals");
    }
    assert.match(stats.split.verdict, /^Not enough data yet \(v1 \d+ visitors/);
  } finally {
    await server.close();
  }
});
