/**
 * Limited tokens reach only what they made, in their own account; test mode is granted only
 * through a test link, and opening or leaving one switches a browser's Comecero session; orders
 * carry the version of the page the shopper was on (a pinned tab after live moved on).
 */
import assert from "node:assert/strict";
import { startServer } from "./helpers/server.ts";
import { addCatalog, cardBody, CUSTOMER, shopper, storeWithCatalog } from "./helpers/shop.ts";
import { zipOf } from "./fixtures/archives.ts";
import { install, NAVIGATION, otherAccount, promote, setCookies } from "./helpers/fixtures.ts";

Deno.test("a token reaches only its own carts, payments and orders, and only its own store", async () => {
  const server = await startServer();
  try {
    await storeWithCatalog(server);
    const alice = shopper(server, "shop");
    const bob = shopper(server, "shop");
    await alice.signIn();
    await bob.signIn();
    const cart = (await alice.call("POST", "/api/v1/carts", {
      items: [{ product_id: "mug" }],
      customer: CUSTOMER,
    }))
      .json<{ cart_id: string }>();
    const paid = (await alice.call(
      "POST",
      `/api/v1/carts/${cart.cart_id}/payments`,
      cardBody("4242424242424242"),
    ))
      .json<{ payment_id: string; order: { order_id: string } }>();
    for (
      const path of [
        `/api/v1/carts/${cart.cart_id}`,
        `/api/v1/payments/${paid.payment_id}`,
        `/api/v1/orders/${paid.order.order_id}`,
      ]
    ) {
      const res = await bob.call("GET", path);
      assert.equal(res.status, 404, path);
      assert.equal(res.json<{ error: { code: string } }>().error.code, "resource_not_found");
      assert.equal((await alice.call("GET", path)).status, 200, path);
    }
    assert.equal(
      (await bob.call("POST", `/api/v1/carts/${cart.cart_id}`, { items: [] })).status,
      404,
    );

    // Another account's store: alice's token is no good there, and its catalog is its own.
    const otherToken = await otherAccount(server, "elsewhere");
    const auth = { authorization: `Bearer ${otherToken}` };
    const version = await server.api(
      "POST",
      "/apps/elsewhere/versions",
      zipOf({ "index.html": "<p>other</p>" }),
      {
        ...auth,
        "content-type": "application/zip",
      },
    );
    assert.equal(version.status, 201, await version.clone().text());
    await (await server.api("PUT", "/apps/elsewhere/live", { version: 1 }, auth)).body?.cancel();
    // Its merchant sees none of the first account's orders.
    const theirOrder = await server.api("GET", `/orders/${paid.order.order_id}`, undefined, auth);
    assert.equal(theirOrder.status, 404);
    await theirOrder.body?.cancel();
    assert.deepEqual(
      (await (await server.api("GET", "/orders", undefined, auth)).json()).items,
      [],
    );
    const there = shopper(server, "elsewhere");
    there.token = alice.token;
    const refused = await there.call("GET", `/api/v1/carts/${cart.cart_id}`);
    assert.equal(refused.status, 401);
    assert.equal(refused.json<{ error: { status: number } }>().error.status, 401);
    await there.signIn();
    assert.equal((await there.call("GET", `/api/v1/carts/${cart.cart_id}`)).status, 404);
    const products = (await there.call("GET", "/api/v1/products")).json<{ total_items: number }>();
    assert.equal(products.total_items, 0);
    const wrongAccount = await there.call(
      "POST",
      `/api/v1/auths/limited?account_id=${server.accountId}`,
    );
    assert.equal(wrongAccount.status, 404);
    assert.equal(
      (await alice.call("GET", "/api/v1/carts/x")).headers.has("x-token-expires-in-seconds"),
      true,
    );
    assert.equal((await shopper(server, "shop").call("GET", "/api/v1/products")).status, 401);
  } finally {
    await server.close();
  }
});

Deno.test("the platform host issues tokens for account_id and tells shopper calls from merchant calls by token", async () => {
  const server = await startServer();
  try {
    await addCatalog(server);
    const base = `http://127.0.0.1:${server.port}/api/v1`;
    const missing = await fetch(`${base}/auths/limited?timezone=UTC`, { method: "POST" });
    assert.equal(missing.status, 422);
    assert.equal((await missing.json()).error.status, 422);
    const issued = await fetch(`${base}/auths/limited?account_id=${server.accountId}`, {
      method: "POST",
    });
    assert.equal(issued.status, 201);
    assert.ok(issued.headers.has("x-token-expires-in-seconds"));
    const { token } = await issued.json();
    const test = await fetch(`${base}/auths/limited?account_id=${server.accountId}&test=true`, {
      method: "POST",
    });
    assert.equal(test.status, 403);
    assert.equal((await test.json()).error.code, "insufficient_permissions");
    // The same path answers each kind of token in its own API's shape.
    const asShopper =
      await (await fetch(`${base}/products`, { headers: { authorization: `Bearer ${token}` } }))
        .json();
    assert.equal(asShopper.total_items, 2);
    assert.equal(asShopper.data[0].formatted.price, "$0.10");
    const asMerchant = await (await server.api("GET", "/products")).json();
    assert.equal(asMerchant.items.length, 2);
    const cart = await fetch(`${base}/carts`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ items: [{ product_id: "ebook", quantity: 2 }], customer: CUSTOMER }),
    });
    assert.equal(cart.status, 201);
    const made = await cart.json();
    assert.equal(made.app_id, null);
    assert.equal(made.subtotal, 0.2);
    assert.equal(made.tax, 0.02, "8.25 % US tax on 0.20, rounded half up");
    assert.equal(made.total, 0.22);
    // A shopper token never reaches the merchant's operations: the shopper API has none of them.
    const tokens = await fetch(`${base}/tokens`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(tokens.status, 404);
    assert.equal((await tokens.json()).error.code, "not_found");
  } finally {
    await server.close();
  }
});

Deno.test("test mode is granted only through a test link, and the link switches the browser's session", async () => {
  const server = await startServer();
  try {
    await storeWithCatalog(server);
    await install(server, "shop", { "index.html": "<html><body><p>holiday</p></body></html>" });
    const live = shopper(server, "shop");
    const refused = await live.call("POST", "/api/v1/auths/limited?timezone=UTC&test=true");
    assert.equal(refused.status, 403);
    const error = refused.json<{ error: Record<string, unknown> }>().error;
    assert.equal(error.code, "insufficient_permissions");
    assert.equal(error.status, 403);
    await live.signIn();

    // The same browser opens a test link (its Comecero cookies are dropped by account.js:
    // commerce_session_browser_test.ts); a live token sent anyway is refused.
    const link = await (await server.api("POST", "/apps/shop/versions/2/links", {
      label: "QA",
      expires_in_hours: 1,
    })).json();
    const entry = await live.call("GET", new URL(link.url).pathname + new URL(link.url).search);
    assert.equal(entry.status, 303);
    const stale = await live.call("GET", "/api/v1/products");
    assert.equal(stale.status, 401, "a live token under a test link starts a new session");
    const settings = (await live.call("GET", "/settings/account.json")).json<{ test: boolean }>();
    assert.equal(settings.test, true);
    const granted = await live.signIn("&test=true");
    assert.equal(granted.status, 201, granted.text());
    assert.equal(granted.json<{ test: boolean }>().test, true);
    assert.match(live.token!, /^sylt_/);
    const left = Number(granted.headers.get("x-token-expires-in-seconds"));
    assert.ok(left > 3500 && left <= 3600, `a test token ends with its link: ${left}`);
    const cart = (await live.call("POST", "/api/v1/carts", {
      items: [{ product_id: "mug" }],
      customer: CUSTOMER,
    }))
      .json<Record<string, unknown>>();
    assert.equal(cart.mode, "test");
    assert.equal(cart.test, true);
    assert.equal(cart.version, 2);
    const paid = await live.call(
      "POST",
      `/api/v1/carts/${cart.cart_id}/payments`,
      cardBody("4242424242424242"),
    );
    assert.equal(paid.status, 201, paid.text());
    const orders = await (await server.api("GET", "/orders?mode=test")).json();
    assert.deepEqual(
      orders.items.map((o: { version: number; mode: string }) => [o.version, o.mode]),
      [[2, "test"]],
    );

    // Leaving the preview switches back: the test token is refused on the live store.
    const exit = await live.call("GET", "/_switchyard/preview/exit");
    assert.equal(exit.status, 303);
    assert.equal((await live.call("GET", "/api/v1/products")).status, 401);
  } finally {
    await server.close();
  }
});

Deno.test("an order is tagged with the version of a pinned tab after live has moved on", async () => {
  const server = await startServer();
  try {
    await storeWithCatalog(server);
    const tab = shopper(server, "shop");
    const page = await server.edge("shop", "/", { headers: NAVIGATION });
    const pin = setCookies(page.headers).get("sy_pin")!;
    tab.cookies.set("sy_pin", pin.slice("sy_pin=".length));
    await install(server, "shop", { "index.html": "<html><body><p>two</p></body></html>" });
    await promote(server, "shop", 2);
    await tab.signIn();
    const cart = (await tab.call("POST", "/api/v1/carts", {
      items: [{ product_id: "mug" }],
      customer: CUSTOMER,
    }))
      .json<{ cart_id: string; version: number }>();
    assert.equal(cart.version, 1);
    const paid = (await tab.call(
      "POST",
      `/api/v1/carts/${cart.cart_id}/payments`,
      cardBody("4242424242424242"),
    ))
      .json<{ version: number; order: { version: number } }>();
    assert.equal(paid.version, 1);
    assert.equal(paid.order.version, 1);
    // A new tab (no pin) buys from version 2.
    const fresh = shopper(server, "shop");
    await fresh.signIn();
    const other = (await fresh.call("POST", "/api/v1/carts", { items: [{ product_id: "mug" }] }))
      .json<{ version: number }>();
    assert.equal(other.version, 2);
    const byVersion = await (await server.api("GET", "/orders?app=shop&version=1")).json();
    assert.equal(byVersion.items.length, 1);
    assert.equal(
      (await (await server.api("GET", "/orders?app=shop&version=2")).json()).items.length,
      0,
    );
  } finally {
    await server.close();
  }
});

Deno.test("one address gets a bounded number of tokens a minute, then a 429 saying when", async () => {
  // A clock held mid-minute, so the loop cannot straddle two minutes.
  const server = await startServer({ now: () => Date.UTC(2026, 10, 28, 9, 0, 30) });
  try {
    await storeWithCatalog(server);
    const statuses = [];
    for (let i = 0; i < 61; i++) {
      const res = await shopper(server, "shop").signIn();
      statuses.push(res.status);
      if (res.status === 429) {
        assert.equal(res.headers.get("retry-after"), "30");
        const error = res.json<{ error: { code: string; status: number } }>().error;
        assert.deepEqual([error.code, error.status], ["rate_limited", 429]);
      }
    }
    assert.deepEqual(statuses.filter((s) => s === 201).length, 60);
    assert.equal(statuses[60], 429);
  } finally {
    await server.close();
  }
});
