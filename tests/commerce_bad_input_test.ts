/**
 * Bad input on the commerce APIs is a 4xx naming the problem, never a 500 or 503: a made-up
 * orders cursor, a product too large for one KV value, a path id no product could have. And an
 * unexpected failure on the shopper API is a 500 (a bug, not an outage to retry).
 */
import assert from "node:assert/strict";
import { startServer } from "./helpers/server.ts";
import { cardBody, CUSTOMER, shopper, storeWithCatalog } from "./helpers/shop.ts";
import { createLogger } from "../lib/log.ts";

type ErrorBody = { error: { code: string; message: string; status: number; type: string } };

Deno.test("a made-up cursor on GET /orders is a 422 naming the cursor", async () => {
  const server = await startServer();
  try {
    const res = await server.api("GET", "/orders?cursor=garbage");
    assert.equal(res.status, 422, await res.clone().text());
    assert.match(JSON.stringify(await res.json()), /cursor/i);
  } finally {
    await server.close();
  }
});

Deno.test("a product's images are bounded in the schema, and the largest allowed product is kept", async () => {
  const server = await startServer();
  try {
    const link = (n: number) => "https://cdn.example/" + "a".repeat(n - 20);
    const image = (n: number) => ({
      link_small: link(n),
      link_square: link(n),
      link_medium: link(n),
    });
    const many = await server.api("POST", "/products", {
      name: "Poster",
      price: 5,
      currency: "USD",
      images: Array.from({ length: 20 }, () => image(2000)),
    });
    assert.equal(many.status, 422, await many.clone().text());
    assert.match(await many.text(), /images/);
    const long = await server.api("POST", "/products", {
      name: "Poster",
      price: 5,
      currency: "USD",
      images: [image(601)],
    });
    assert.equal(long.status, 422, await long.clone().text());
    // Every field at its limit, in characters V8 keeps at two bytes each where text is free.
    const largest = await server.api("POST", "/products", {
      product_id: "x".repeat(64),
      name: "€".repeat(200),
      headline: "€".repeat(500),
      description: "€".repeat(20_000),
      price: 5,
      currency: "USD",
      images: Array.from({ length: 10 }, () => image(600)),
    });
    assert.equal(largest.status, 201, await largest.clone().text());
    const back = await server.api("GET", `/products/${"x".repeat(64)}`);
    assert.equal(back.status, 200);
    assert.equal((await back.json()).images.length, 10);
  } finally {
    await server.close();
  }
});

Deno.test("a shopper's path id longer than any id is a 404, on app and platform hosts", async () => {
  const server = await startServer();
  try {
    await storeWithCatalog(server);
    const shop = shopper(server, "shop");
    await shop.signIn();
    for (const path of ["/products/", "/carts/", "/payments/", "/orders/"]) {
      const res = await shop.call("GET", `/api/v1${path}${"p".repeat(3000)}`);
      assert.equal(res.status, 404, `${path}: ${res.text()}`);
      assert.equal(res.json<ErrorBody>().error.status, 404);
    }
    const token = await fetch(
      `http://127.0.0.1:${server.port}/api/v1/auths/limited?account_id=${server.accountId}`,
      { method: "POST" },
    );
    const platformToken = (await token.json()).token;
    const res = await fetch(`http://127.0.0.1:${server.port}/api/v1/products/${"p".repeat(3000)}`, {
      headers: { authorization: `Bearer ${platformToken}` },
    });
    assert.equal(res.status, 404, await res.clone().text());
    assert.equal((await res.json() as ErrorBody).error.code, "resource_not_found");
  } finally {
    await server.close();
  }
});

Deno.test("an unexpected failure on the shopper API is a 500 in Comecero's shape, not a 503", async () => {
  const lines: string[] = [];
  const log = createLogger({ level: "warn", write: (line) => lines.push(line) });
  const gateway = {
    name: "broken",
    charge: () => Promise.reject(new Error("processor answered garbage")),
    refund: () => Promise.resolve(),
  };
  const server = await startServer({}, { gateway, log });
  try {
    await storeWithCatalog(server);
    const shop = shopper(server, "shop");
    await shop.signIn();
    const cart = await shop.call("POST", "/api/v1/carts", {
      items: [{ product_id: "mug" }],
      customer: CUSTOMER,
    });
    const cartId = cart.json<{ cart_id: string }>().cart_id;
    const res = await shop.call(
      "POST",
      `/api/v1/carts/${cartId}/payments`,
      cardBody("4242424242424242"),
    );
    assert.equal(res.status, 500, res.text());
    const error = res.json<ErrorBody>().error;
    assert.equal(error.status, 500);
    assert.equal(error.code, "internal_server_error");
    assert.doesNotMatch(res.text(), /garbage/, "nothing internal is told");
    assert.ok(lines.some((line) => line.includes("processor answered garbage")), "it is logged");
  } finally {
    await server.close();
  }
});
