/**
 * A shopper buys from the demo store in a real browser, through the shopper API on the store's
 * own origin, and the merchant finds the order in the stats under the version that took it:
 * live traffic against the live version, a purchase through the holiday version's test link
 * as test data against version 2.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import axe from "axe-core";
import { startServer, type TestServer } from "./helpers/server.ts";
import { launchChromium, skipBrowser } from "./helpers/browser.ts";
import { seedDemo } from "../install/demo.ts";

/** Plausible values for whichever customer fields the store's options require. */
const CUSTOMER: Record<string, string> = {
  name: "Ada Lovelace",
  email: "ada@example.com",
  phone: "+1 555 0100",
  company_name: "Analytical Engines",
  "billing_address.address_1": "12 Market Street",
  "billing_address.address_2": "Unit 3",
  "billing_address.city": "Springfield",
  "billing_address.state_prov": "IL",
  "billing_address.postal_code": "62701",
  "billing_address.country": "US",
};

/** axe-core's WCAG 2 A and AA failures on the page as it stands, one line each. */
async function accessibilityFailures(page: Page): Promise<string[]> {
  if (!await page.evaluate(() => "axe" in globalThis)) {
    await page.addScriptTag({ content: axe.source });
  }
  const result = await page.evaluate(() =>
    (globalThis as unknown as { axe: typeof axe }).axe.run(document, {
      runOnly: ["wcag2a", "wcag2aa"],
    })
  );
  return result.violations.map((v) =>
    `${v.id}: ${v.help} (${v.nodes.map((node) => node.target.join(" ")).join(", ")})`
  );
}

async function fillCustomer(page: Page): Promise<void> {
  for (const field of await page.locator("#customer-fields [name]").all()) {
    const name = (await field.getAttribute("name"))!;
    if ((await field.evaluate((el) => el.tagName)) === "SELECT") {
      await field.selectOption(CUSTOMER[name] ?? { index: 1 });
    } else await field.fill(CUSTOMER[name] ?? "x");
  }
}

async function fillCard(page: Page, number: string): Promise<void> {
  await page.locator("#card-number").fill(number);
  await page.locator("#card-expiry").fill("12 / 34");
  await page.locator("#card-cvc").fill("123");
}

/**
 * Adds the first product and checks out, first with a declined card, then with 4242; answers
 * the order id on the receipt. Holds the grid, the checkout and the receipt to WCAG 2 AA.
 */
async function buy(page: Page, store: string): Promise<string> {
  await page.goto(store);
  await page.locator("[data-action=add]").first().waitFor();
  assert.deepEqual(await accessibilityFailures(page), [], "the product grid");
  await page.locator("[data-action=add]").first().click();
  await page.locator("#cart-count", { hasText: "1" }).waitFor();
  await page.locator("#open-cart").click();
  await page.locator("#checkout").click();
  await page.locator("#checkout-form").waitFor();
  await fillCustomer(page);
  assert.deepEqual(await accessibilityFailures(page), [], "the checkout");

  await fillCard(page, "4000 0000 0000 0002");
  await page.locator("#pay").click();
  const declined = page.locator("#checkout-error");
  await declined.waitFor();
  assert.match((await declined.textContent())!, /declined/i, "a decline says so");

  await fillCard(page, "4242 4242 4242 4242");
  await page.locator("#pay").click();
  await page.locator("#receipt").waitFor();
  assert.equal(await page.locator("#checkout-error").isVisible(), false);
  const orderId = (await page.locator("#order-id").textContent())!.trim();
  assert.ok(orderId.length > 0, "the receipt shows the order id");
  assert.match((await page.locator("#order-card").textContent())!, /4242/);
  assert.deepEqual(await accessibilityFailures(page), [], "the receipt");
  await page.locator("#receipt [data-close]").click();
  await page.locator("#cart-count", { hasText: "0" }).waitFor();
  return orderId;
}

interface Stats {
  versions: { version: number; totals: Record<string, number> }[];
}

async function statsOf(
  server: TestServer,
  mode: string,
): Promise<Map<number, Stats["versions"][0]["totals"]>> {
  await server.switchyard.flush(); // visitors and page views wait in the edge's memory
  const res = await server.api("GET", `/apps/demo/stats?mode=${mode}`);
  assert.equal(res.status, 200, await res.clone().text());
  const stats: Stats = await res.json();
  return new Map(stats.versions.map((v) => [v.version, v.totals]));
}

async function orderOf(server: TestServer, orderId: string) {
  const res = await server.api("GET", `/orders/${encodeURIComponent(orderId)}`);
  assert.equal(res.status, 200, await res.clone().text());
  return await res.json();
}

Deno.test({
  name: "a shopper buys from the demo store and the order shows under its version in the stats",
  ignore: skipBrowser,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const server = await startServer();
    const browser = await launchChromium();
    try {
      await seedDemo(server.kv, server.config, server.accountId);
      const store = `http://demo.localhost:${server.port}`;
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on("pageerror", (error) => errors.push(error.message));

      const liveOrder = await buy(page, store);
      const order = await orderOf(server, liveOrder);
      assert.deepEqual([order.version, order.mode], [1, "live"]);
      const live = await statsOf(server, "live");
      assert.equal(live.get(1)?.orders, 1);
      assert.ok(live.get(1)!.carts >= 1 && live.get(1)!.visitors >= 1, JSON.stringify(live));
      assert.ok(live.get(1)!.revenue > 0, "the order's total counts as revenue");
      assert.equal(live.get(2), undefined, "nothing live on the holiday version");

      const link = await (await server.api("POST", "/apps/demo/versions/2/links", { label: "QA" }))
        .json();
      await page.goto(link.url);
      await page.locator("#switchyard-preview").waitFor();
      const testOrder = await buy(page, new URL(page.url()).origin);
      assert.notEqual(testOrder, liveOrder);
      const previewed = await orderOf(server, testOrder);
      assert.deepEqual([previewed.version, previewed.mode], [2, "test"]);
      assert.equal((await statsOf(server, "test")).get(2)?.orders, 1);
      assert.equal((await statsOf(server, "live")).get(1)?.orders, 1, "live stats unchanged");
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
      await server.close();
    }
  },
});
