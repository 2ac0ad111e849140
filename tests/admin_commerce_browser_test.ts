/**
 * The admin's commerce pages in Chromium: a purchase made through the shopper API shows on the
 * stats page under the version that took it, beside the release that made it live; its orders
 * filter by version; a product made on the catalog page is sold by the shopper API; an analyst
 * gets no form and the server refuses its post. Each page passes axe in both themes.
 */
import assert from "node:assert/strict";
import { addMember, createPerson } from "../kv/people.ts";
import { findAppBySlug } from "../kv/apps.ts";
import { counterBatches, type CounterDelta, flushCounters } from "../kv/counters.ts";
import type { TestServer } from "./helpers/server.ts";
import {
  adminBase,
  adminBrowserTest,
  auditPage,
  axeViolations,
  signedInPage,
} from "./helpers/admin.ts";
import { install, promote } from "./helpers/fixtures.ts";
import { cardBody, CUSTOMER, shopper, storeWithCatalog } from "./helpers/shop.ts";

/** A shopper visits the storefront and buys a mug with the test card; answers the payment. */
async function buyMug(server: TestServer) {
  const shop = shopper(server, "shop");
  const visit = await shop.call("GET", "/", undefined, { accept: "text/html" });
  assert.equal(visit.status, 200);
  assert.equal((await shop.signIn()).status, 201);
  const cart = await shop.call("POST", "/api/v1/carts?timezone=UTC", {
    items: [{ product_id: "mug" }],
    customer: CUSTOMER,
  });
  assert.equal(cart.status, 201, cart.text());
  const cartId = cart.json<{ cart_id: string }>().cart_id;
  const paid = await shop.call(
    "POST",
    `/api/v1/carts/${cartId}/payments?expand=order&timezone=UTC`,
    cardBody("4242424242424242"),
  );
  assert.equal(paid.status, 201, paid.text());
  return paid.json<{ total: number; order: { order_id: string; version: number } }>();
}

adminBrowserTest(
  "the stats page shows a purchase under the version that took it, its release marked",
  async (browser, server) => {
    await storeWithCatalog(server);
    const { page, errors } = await signedInPage(browser, server);
    const base = adminBase(server);

    await page.goto(`${base}/apps/shop/stats?range=7&mode=test`);
    await page.getByRole("heading", { name: "No test visits in this range" }).waitFor();
    await page.goto(`${base}/apps/shop/stats`);
    await page.getByRole("heading", { name: "No shoppers yet" }).waitFor();
    await auditPage(page, "stats-empty");

    await install(server, "shop", { "index.html": "<html><body><p>store 2</p></body></html>" });
    await promote(server, "shop", 2);
    const payment = await buyMug(server);
    assert.equal(payment.order.version, 2);
    await server.switchyard.flush();

    await page.goto(`${base}/apps/shop`);
    await page.getByRole("link", { name: "Stats" }).click();
    await page.waitForURL(/\/apps\/shop\/stats$/);
    const v2 = page.locator("table.totals tbody tr", { hasText: "v2" });
    const cells = await v2.locator("td").allInnerTexts();
    assert.deepEqual(cells.slice(0, 4), ["1", "1", "1", "1"], "visitors, views, carts, orders");
    assert.equal(cells[4], `$${payment.total.toFixed(2)}`);
    assert.deepEqual(cells.slice(5), ["100.0 %", "100.0 %"]);
    assert.equal(await page.locator("table.totals tbody tr", { hasText: "v1" }).count(), 0);
    const markers = await page.locator("svg.chart .marker text").allTextContents();
    assert.ok(markers.includes("v2"), `the promote of v2 is marked: ${markers}`);
    assert.equal(await page.locator("svg.chart .series path").count(), 1);
    assert.match(await page.locator("svg.chart desc").textContent() ?? "", /v2: 100\.0 %/);
    await auditPage(page, "stats");

    await v2.getByRole("link", { name: "1 orders of v2" }).click();
    await page.waitForURL(/\/orders\?app=shop&version=2&mode=live$/);
    const row = page.locator("tbody tr", { hasText: payment.order.order_id });
    assert.match(await row.innerText(), /v2[\s\S]*live[\s\S]*1 × Stoneware Mug/);
    await auditPage(page, "orders");
    await page.getByLabel("Version").fill("1");
    await page.getByRole("button", { name: "Show" }).click();
    await page.getByText("No order matches these filters.").waitFor();
    assert.match(page.url(), /version=1/);
    assert.deepEqual(errors, []);
    await page.getByLabel("Version").fill("two");
    await page.getByRole("button", { name: "Show" }).click();
    await page.getByText('"two" is not a version number').waitFor();
    assert.equal(await page.getByLabel("Version").getAttribute("aria-invalid"), "true");
  },
);

adminBrowserTest(
  "a product made on the catalog page is sold by the shopper API; an analyst cannot post",
  async (browser, server) => {
    await storeWithCatalog(server);
    const { page } = await signedInPage(browser, server);
    const base = adminBase(server);
    await page.getByRole("link", { name: "Catalog" }).click();
    await page.waitForURL(`${base}/catalog`);
    const form = page.locator("form.product-form");
    await form.getByLabel("Name").fill("Pour-over Kettle");
    await form.getByLabel("Product id (optional)").fill("kettle");
    await form.getByLabel("Price").fill("39.999");
    await form.getByRole("button", { name: "Add the product" }).click();
    const priceError = page.locator("#new-price-error");
    assert.match(await priceError.innerText(), /more decimals than USD allows/);
    assert.equal(await page.getByLabel("Price").getAttribute("aria-invalid"), "true");
    assert.equal(await page.getByLabel("Name").inputValue(), "Pour-over Kettle", "kept as typed");
    await page.getByLabel("Price").fill("39.5");
    await page.getByRole("button", { name: "Add the product" }).click();
    await page.waitForURL(`${base}/catalog`);
    const row = page.locator("tbody tr", { hasText: "Pour-over Kettle" });
    assert.match(await row.innerText(), /kettle\s+\$39\.50\s+physical\s+active/);
    await auditPage(page, "catalog");

    const shop = shopper(server, "shop");
    await shop.signIn();
    const listed = await shop.call("GET", "/api/v1/products?formatted=true");
    assert.equal(listed.status, 200, listed.text());
    const kettle = listed.json<{ data: { product_id: string; price: number }[] }>().data
      .find((p) => p.product_id === "kettle");
    assert.equal(kettle?.price, 39.5);

    await page.getByLabel("Tax rates by country").fill("US 8.25\nFR twenty");
    await page.getByRole("button", { name: "Save the shopping options" }).click();
    assert.equal(
      await page.locator("#opt-tax_rates-error").innerText(),
      "Line 2: A number, like 24.99",
    );
    await page.getByLabel("Tax rates by country").fill("US 8.25\nFR 20");
    await page.getByRole("button", { name: "Save the shopping options" }).click();
    await page.waitForURL(`${base}/catalog#options`);
    const options = await (await server.api("GET", "/shopping_options")).json();
    assert.deepEqual(options.tax_rates, [{ country: "US", rate: 8.25 }, {
      country: "FR",
      rate: 20,
    }]);

    await row.getByRole("link", { name: "Pour-over Kettle" }).click();
    await page.waitForURL(`${base}/catalog/kettle`);
    await auditPage(page, "catalog-product");
    await page.getByLabel("Price").fill("41");
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.waitForURL(`${base}/catalog`);
    assert.match(await row.innerText(), /\$41\.00/);
    await row.getByRole("link", { name: "Pour-over Kettle" }).click();
    await page.getByRole("link", { name: "Delete Pour-over Kettle…" }).click();
    await page.getByRole("button", { name: "Yes, delete Pour-over Kettle" }).click();
    await page.waitForURL(`${base}/catalog`);
    assert.equal(await row.count(), 0);

    const analyst = await createPerson(server.kv, { email: "ana@example.com", name: "Ana" });
    await addMember(server.kv, server.accountId, analyst.id, "analyst");
    const seen = await signedInPage(browser, server, { personId: analyst.id });
    await seen.page.goto(`${base}/catalog`);
    assert.equal(await seen.page.locator("form.product-form, form#options").count(), 0);
    assert.equal(await seen.page.getByRole("link", { name: "Stoneware Mug" }).count(), 0);
    const csrf = await seen.page.locator("input[name=_csrf]").first().inputValue();
    const refused = await seen.page.request.post(`${base}/catalog`, {
      form: { _csrf: csrf, _action: "create", name: "Sneaky", price: "1", currency: "USD" },
      headers: { origin: base },
    });
    assert.equal(refused.status(), 403);
    const products = await (await server.api("GET", "/products")).json();
    assert.ok(!products.items.some((p: { name: string }) => p.name === "Sneaky"));
    await auditPage(seen.page, "catalog-analyst");
  },
);

const DAY_MS = 86_400_000;
/** Days the clock moves on after the split (less than a session's 7 idle days). */
const SPLIT_DAYS = 6;
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * Counts as the edge and the shopper API would have written them: v1 alone for 23 days, then a
 * v2/v3 split for 7 days where v3 sells to 4 % of its visitors and v2 to 2 %.
 */
async function seedCounters(server: TestServer, start: number) {
  const app = (await findAppBySlug(server.kv, "shop"))!;
  const deltas: CounterDelta[] = [];
  const add = (version: number, day: number, visitors: number, orders: number) => {
    const counts = { visitors, page_views: visitors * 3, carts: orders * 3, orders };
    for (const [name, amount] of Object.entries({ ...counts, revenue: orders * 3139 })) {
      deltas.push({ appId: app.id, version, mode: "live", day: dayOf(day), name, amount });
    }
  };
  for (let d = -23; d < 0; d++) add(1, start + d * DAY_MS, 200 + (d % 3) * 20, 5 + (d % 2));
  for (let d = 0; d <= SPLIT_DAYS; d++) {
    add(2, start + d * DAY_MS, 150, 3);
    add(3, start + d * DAY_MS, 150, 6);
  }
  assert.equal(await flushCounters(server.kv, counterBatches(deltas)), null);
}

adminBrowserTest(
  "under a split, the stats page shows each arm with its interval and the verdict",
  async (browser, server) => {
    await storeWithCatalog(server);
    for (const n of [2, 3]) {
      await install(server, "shop", { "index.html": `<html><body><p>v${n}</p></body></html>` });
    }
    const put = await server.api("PUT", "/apps/shop/live", {
      split: [{ version: 2, weight: 50 }, { version: 3, weight: 50 }],
    });
    assert.equal(put.status, 200, await put.text());
    const start = Date.now();
    await seedCounters(server, start);
    const { page, errors } = await signedInPage(browser, server);
    // Six days on: the releases sit inside the 30 days shown, with data on both sides.
    server.config.now = () => start + SPLIT_DAYS * DAY_MS;
    await page.goto(`${adminBase(server)}/apps/shop/stats`);
    const split = page.locator(".split-stats");
    assert.match(await split.innerText(), /running now/);
    const verdict = await split.locator(".verdict").innerText();
    assert.match(
      verdict,
      /^v3 converts better than v2: \+2\.0 points, 95 % CI \+\d\.\d to \+\d\.\d$/,
    );
    for (const [arm, rate] of [["v2", "2.0 %"], ["v3", "4.0 %"]]) {
      const cells = await split.locator("tr", { hasText: arm }).locator("td").allInnerTexts();
      assert.equal(cells[0], "50 %");
      assert.equal(cells[1], "1050", `${arm} visitors over the 7 days of the split`);
      assert.equal(cells[3], rate);
      assert.match(cells[4], /^\d\.\d–\d\.\d %$/);
    }
    const markers = await page.locator("svg.chart .marker text").allTextContents();
    assert.deepEqual(markers, ["v1", "split v2/v3"]);
    assert.equal(await page.locator("svg.chart .series path").count(), 3);
    await auditPage(page, "stats-split");
    await page.getByText(/The chart's figures, day by day/).click();
    const firstDay = page.locator("details.daily tbody tr").first();
    assert.match(await firstDay.innerText(), /v2\s+150\s+9\s+3\s+2\.0 %/);
    assert.deepEqual(await axeViolations(page), [], "the open table");
    await page.getByRole("link", { name: "90 days" }).click();
    await page.waitForURL(/range=90&mode=live/);
    assert.equal(await page.locator("svg.chart .series path").count(), 3);
    assert.deepEqual(errors, []);
  },
);
