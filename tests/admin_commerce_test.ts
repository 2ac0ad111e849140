/**
 * The admin's commerce pages over HTTP: the stats page shows the figures the stats API answers
 * (one function behind both), ships no script, and keeps to its own account; the catalog's form
 * posts need their CSRF token and a manager, and refuse bad input field by field.
 */
import assert from "node:assert/strict";
import { loadBuildOutput } from "../lib/build_output.ts";
import { findAppBySlug } from "../kv/apps.ts";
import { counterBatches, flushCounters } from "../kv/counters.ts";
import { otherAccount } from "./helpers/fixtures.ts";
import { startServer, type TestServer } from "./helpers/server.ts";
import {
  adminPage,
  type Browser,
  csrfOf,
  formPost,
  signIn,
  signInMember,
} from "./helpers/session.ts";
import { storeWithCatalog } from "./helpers/shop.ts";

const build = await loadBuildOutput();
if (!build) throw new Error('Run "deno task build" before the admin tests');

/** What a page answered, read. */
async function read(response: Promise<Response>) {
  const answer = await response;
  return { status: answer.status, html: await answer.text(), headers: answer.headers };
}

function page(server: TestServer, path: string, browser: Browser, init: RequestInit = {}) {
  return read(adminPage(server, path, browser, init));
}

function post(server: TestServer, path: string, browser: Browser, fields: Record<string, string>) {
  return read(formPost(server, path, browser, fields));
}

Deno.test("the stats page shows what the stats API answers, with no script", async () => {
  const server = await startServer({}, { build });
  try {
    await storeWithCatalog(server);
    const app = (await findAppBySlug(server.kv, "shop"))!;
    const today = new Date().toISOString().slice(0, 10);
    const deltas = Object.entries({ visitors: 37, page_views: 90, carts: 6, orders: 3 })
      .map(([name, amount]) => ({
        appId: app.id,
        version: 1,
        mode: "live",
        day: today,
        name,
        amount,
      }));
    deltas.push({
      appId: app.id,
      version: 1,
      mode: "live",
      day: today,
      name: "revenue",
      amount: 123456,
    });
    assert.equal(await flushCounters(server.kv, counterBatches(deltas)), null);
    const api = await (await server.api("GET", "/apps/shop/stats")).json();
    const totals = api.versions[0].totals;

    const browser = await signIn(server);
    const stats = await page(server, "/apps/shop/stats", browser);
    assert.equal(stats.status, 200);
    assert.ok(!stats.html.includes("<script"), "no JavaScript on the stats page");
    const row =
      /<table class="totals rows">[\s\S]*?<tbody>([\s\S]*?)<\/tbody>/.exec(stats.html)![1];
    const cells = [...row.matchAll(/<td class="num[^"]*">(?:<a [^>]*>)?([^<]*)/g)].map((m) => m[1]);
    assert.deepEqual(cells, [
      String(totals.visitors),
      String(totals.page_views),
      String(totals.carts),
      String(totals.orders),
      "$1,234.56",
      `${(totals.conversion_rate * 100).toFixed(1)} %`,
      `${(totals.cart_conversion_rate * 100).toFixed(1)} %`,
    ]);
    assert.match(stats.html, /<svg class="chart"[^>]*role="img"/);
    assert.match(stats.html, /<title id="conversion-title">/);

    const test = await page(server, "/apps/shop/stats?range=7&mode=test", browser);
    assert.match(test.html, /No test visits in this range/);
    assert.match(test.html, /aria-current="page"[^>]*>\s*7 days/);

    await otherAccount(server, "theirs");
    const theirs = await page(server, "/apps/theirs/stats", browser);
    assert.equal(theirs.status, 404, "another account's app is not found");
    const orders = await page(server, "/orders?app=theirs", browser);
    assert.equal(orders.status, 404);
  } finally {
    await server.close();
  }
});

Deno.test("catalog posts need the CSRF token and a manager, and name each bad field", async () => {
  const server = await startServer({}, { build });
  try {
    await storeWithCatalog(server);
    const owner = await signIn(server);
    const catalog = await page(server, "/catalog", owner);
    const csrf = csrfOf(catalog.html);
    const product = {
      _action: "create",
      name: "Tea",
      price: "4",
      currency: "USD",
      type: "digital",
    };

    const forged = await post(server, "/catalog", owner, product);
    assert.equal(forged.status, 403, "no token, no change");

    const bad = await post(server, "/catalog", owner, {
      ...product,
      _csrf: csrf,
      name: "",
      price: "-1",
      currency: "XQZ",
      product_id: "has space",
    });
    assert.equal(bad.status, 422);
    for (const field of ["name", "price", "id"]) {
      assert.match(bad.html, new RegExp(`id="new-${field}-error"`), field);
      assert.match(bad.html, new RegExp(`id="new-${field}"[^>]*aria-invalid="true"`), field);
    }

    const made = await post(server, "/catalog", owner, {
      ...product,
      _csrf: csrf,
      product_id: "tea",
    });
    assert.equal(made.status, 303);
    const again = await post(server, "/catalog", owner, {
      ...product,
      _csrf: csrf,
      product_id: "tea",
    });
    assert.equal(again.status, 409);
    assert.match(again.html, /id="new-id-error"/);
    const yen = await post(server, "/catalog/tea", owner, {
      ...product,
      _csrf: csrf,
      _action: "update",
      price: "4.5",
      currency: "JPY",
    });
    assert.equal(yen.status, 422);
    assert.match(yen.html, /more decimals than JPY allows/);
    const tea = await (await server.api("GET", "/products/tea")).json();
    assert.deepEqual([tea.price, tea.currency, tea.type], [4, "USD", "digital"]);
    const log = await (await server.api("GET", "/audit")).json();
    const made_by = log.items.find((entry: { action: string }) =>
      entry.action === "product.create"
    );
    assert.ok(made_by, "the page's product shows in the audit log");
    assert.equal(
      made_by.actor.name,
      "Owner",
      "under the signed-in person, as an API call would be",
    );

    const { browser: ana } = await signInMember(server, "ana@example.com", "analyst", "Ana");
    const seen = await page(server, "/catalog", ana);
    assert.ok(!seen.html.includes('name="_action"'), "an analyst gets no form");
    const refused = await post(server, "/catalog/tea", ana, {
      _csrf: csrfOf(seen.html),
      _action: "delete",
    });
    assert.equal(refused.status, 403);
    assert.equal((await server.api("GET", "/products/tea")).status, 200);
  } finally {
    await server.close();
  }
});
