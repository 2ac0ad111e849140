/**
 * The admin's commerce pages in Chromium: a purchase made through the shopper API shows on the
 * stats page under the version that took it, beside the release that made it live; its orders
 * filter by version; a product made on the catalog page is sold by the shopper API; an analyst
 * gets no form and the server refuses its post. Each page passes axe in both themes.
 */
import assert from "node:assert/strict";
import { loadBuildOutput } from "../lib/build_output.ts";
import { addMember, createPerson } from "../kv/people.ts";
import { startServer, type TestServer } from "./helpers/server.ts";
import { launchChromium, skipBrowser } from "./helpers/browser.ts";
import { adminBase, auditPage, signedInPage } from "./helpers/admin.ts";
import { install, promote } from "./helpers/fixtures.ts";
import { cardBody, CUSTOMER, shopper, storeWithCatalog } from "./helpers/shop.ts";

const build = await loadBuildOutput();

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

Deno.test({
  name: "the stats page shows a purchase under the version that took it, its release marked",
  ignore: skipBrowser,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    assert.ok(build, 'run "deno task build" first');
    const server = await startServer({}, { build });
    const browser = await launchChromium();
    try {
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
    } finally {
      await browser.close();
      await server.close();
    }
  },
});

Deno.test({
  name: "a product made on the catalog page is sold by the shopper API; an analyst cannot post",
  ignore: skipBrowser,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    assert.ok(build, 'run "deno task build" first');
    const server = await startServer({}, { build });
    const browser = await launchChromium();
    try {
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
      assert.ok(await page.locator("#opt-tax_rates-error").isVisible());
      await page.getByLabel("Tax rates by country").fill("US 8.25\nFR 20");
      await page.getByRole("button", { name: "Save the shopping options" }).click();
      await page.waitForURL(`${base}/catalog#options`);
      const options = await (await server.api("GET", "/shopping_options")).json();
      assert.deepEqual(options.tax_rates, [{ country: "US", rate: 8.25 }, {
        country: "FR",
        rate: 20,
      }]);

      await row.getByRole("link", { name: "Pour-over Kettle" }).click();
      await page.getByLabel("Price").fill("41");
      await page.getByRole("button", { name: "Save changes" }).click();
      await page.waitForURL(`${base}/catalog`);
      assert.match(await row.innerText(), /\$41\.00/);
      await row.getByRole("link", { name: "Pour-over Kettle" }).click();
      await page.getByRole("button", { name: "Delete Pour-over Kettle" }).click();
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
    } finally {
      await browser.close();
      await server.close();
    }
  },
});
