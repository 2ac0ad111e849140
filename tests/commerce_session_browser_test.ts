/**
 * A browser that shops with a live Comecero session and opens a test link is switched to test
 * mode (its `token` and `cart_id` cookies dropped before the client loads), and switched back
 * when it leaves the preview; a session of the page's own mode is kept. Real Chromium, real
 * server, real tokens.
 */
import assert from "node:assert/strict";
import { launchChromium, skipBrowser } from "./helpers/browser.ts";
import { startServer } from "./helpers/server.ts";
import { shopper, storeWithCatalog } from "./helpers/shop.ts";
import { install } from "./helpers/fixtures.ts";

const PAGE = '<html><head><script src="/settings/account.js"></script></head>' +
  "<body><p>store</p></body></html>";

Deno.test({
  name: "opening and leaving a test link switches a browser's Comecero session",
  ignore: skipBrowser,
  async fn() {
    const server = await startServer();
    const browser = await launchChromium();
    try {
      await storeWithCatalog(server);
      await install(server, "shop", { "index.html": PAGE });
      await install(server, "shop", { "index.html": PAGE });
      await (await server.api("PUT", "/apps/shop/live", { version: 2 })).body?.cancel();
      const live = shopper(server, "shop");
      await live.signIn();
      const link = await (await server.api("POST", "/apps/shop/versions/3/links", { label: "QA" }))
        .json();
      const tester = shopper(server, "shop");
      const opened = await tester.call(
        "GET",
        new URL(link.url).pathname + new URL(link.url).search,
      );
      assert.equal(opened.status, 303);
      await tester.signIn("&test=true");
      assert.match(tester.token!, /^sylt_/);

      const origin = `http://shop.localhost:${server.port}`;
      const context = await browser.newContext();
      const session = (token: string) =>
        context.addCookies([
          { name: "token", value: token, url: origin },
          { name: "cart_id", value: "01JDQAB3C4D5E6F7G8H9J0K1M2", url: origin },
        ]);
      const names = async () =>
        (await context.cookies(origin)).map((c) => c.name).filter((n) =>
          n !== "sy_pin" && n !== "sy_seen"
        ).sort();
      const page = await context.newPage();

      // Live page, live token: kept.
      await session(live.token!);
      await page.goto(`${origin}/`);
      assert.deepEqual(await names(), ["cart_id", "token"]);
      // The test link: the live session goes before the client could use it.
      await page.goto(link.url);
      assert.match(await page.textContent("body") ?? "", /store/);
      assert.deepEqual(await names(), ["sy_preview"]);
      // A test token in the preview is kept; leaving the preview drops it.
      await session(tester.token!);
      await page.goto(`${origin}/`);
      assert.deepEqual(await names(), ["cart_id", "sy_preview", "token"]);
      await page.goto(`${origin}/_switchyard/preview/exit`);
      assert.deepEqual(await names(), []);
      await context.close();
    } finally {
      await browser.close();
      await server.close();
    }
  },
});
