/**
 * The demo storefront in a real browser, as a shopper and a reviewer meet it: the store
 * renders from the edge, the cart works, merchant settings show after a reload, and a test
 * link previews the holiday version with its banner until the reviewer exits.
 */
import assert from "node:assert/strict";
import { startServer } from "./helpers/server.ts";
import { launchChromium, skipBrowser } from "./helpers/browser.ts";
import { seedDemo } from "../install/demo.ts";

Deno.test({
  name: "a shopper uses the demo store and a reviewer previews the holiday version",
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

      await page.goto(store);
      await page.locator("[data-action=add]").first().waitFor();
      assert.equal(await page.locator("[data-action=add]").count(), 8);
      assert.equal(await page.locator("#headline").textContent(), "Switchyard Demo Store");
      await page.locator("[data-action=add]").first().click();
      await page.locator("#cart-count", { hasText: "1" }).waitFor();

      const put = await server.api("PUT", "/apps/demo/settings", {
        app: { headline: "Winter market" },
      });
      assert.equal(put.status, 200, await put.clone().text());
      await put.body?.cancel();
      await page.reload();
      await page.locator("#headline", { hasText: "Winter market" }).waitFor();
      // The cart lives on the server: the store reads it (GET /carts/{id}) before the grid shows.
      await page.locator("[data-action=add]").first().waitFor();
      assert.equal(
        await page.locator("#cart-count").textContent(),
        "1",
        "the cart survives a reload",
      );

      const link =
        await (await server.api("POST", "/apps/demo/versions/2/links", { label: "review" })).json();
      await page.goto(link.url);
      assert.equal(new URL(page.url()).search, "", "the token is gone from the address bar");
      await page.locator("#switchyard-preview", { hasText: "Preview of v2" }).waitFor();
      assert.match(await page.title(), /Holiday sale/);

      await page.locator("#switchyard-preview a").click();
      await page.waitForURL(`${store}/`);
      assert.equal(await page.locator("#switchyard-preview").count(), 0);
      assert.doesNotMatch(await page.title(), /Holiday/);
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
      await server.close();
    }
  },
});
