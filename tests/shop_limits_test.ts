/**
 * Limits on what a shopper can put in a cart: a line's quantity (sent at once or added up), the
 * number of lines, and the total, which must stay an exact amount a gateway can be asked for.
 */
import assert from "node:assert/strict";
import { startServer } from "./helpers/server.ts";
import { CUSTOMER, shopper, storeWithCatalog } from "./helpers/shop.ts";

type ErrorBody = { error: { code: string; message: string; status: number } };

Deno.test("repeated adds stop at 9,999 of a product, the same cap as a single add", async () => {
  const server = await startServer();
  try {
    await storeWithCatalog(server);
    const shop = shopper(server, "shop");
    await shop.signIn();
    const created = await shop.call("POST", "/api/v1/carts", {
      items: [{ product_id: "mug", quantity: 9999 }],
    });
    assert.equal(created.status, 201, created.text());
    const cartId = created.json<{ cart_id: string }>().cart_id;
    const more = await shop.call("POST", `/api/v1/carts/${cartId}/items`, {
      product_id: "mug",
      quantity: 9999,
    });
    assert.equal(more.status, 422, more.text());
    const error = more.json<ErrorBody>().error;
    assert.equal(error.code, "invalid_quantity");
    assert.match(error.message, /at most 9999/);
    const cart = await shop.call("GET", `/api/v1/carts/${cartId}`);
    const items = cart.json<{ items: { quantity: number }[] }>().items;
    assert.deepEqual(items.map((item) => item.quantity), [9999]);
    // Up to the cap is still fine.
    const small = await shop.call("POST", "/api/v1/carts", { items: [{ product_id: "mug" }] });
    const smallId = small.json<{ cart_id: string }>().cart_id;
    const add = await shop.call("POST", `/api/v1/carts/${smallId}/items`, {
      product_id: "mug",
      quantity: 9998,
    });
    assert.equal(add.status, 200, add.text());
    assert.equal(add.json<{ quantity: number }>().quantity, 9999);
  } finally {
    await server.close();
  }
});

Deno.test("a cart holds at most 100 products, however they are added", async () => {
  const server = await startServer();
  try {
    await storeWithCatalog(server);
    for (let i = 0; i < 101; i++) {
      const res = await server.api("POST", "/products", {
        product_id: `p${i}`,
        name: `Product ${i}`,
        price: 1,
        currency: "USD",
        type: "digital",
      });
      assert.equal(res.status, 201, await res.text());
    }
    const shop = shopper(server, "shop");
    await shop.signIn();
    const hundred = Array.from({ length: 100 }, (_, i) => ({ product_id: `p${i}` }));
    const created = await shop.call("POST", "/api/v1/carts", { items: hundred });
    assert.equal(created.status, 201, created.text());
    const cartId = created.json<{ cart_id: string }>().cart_id;
    const extra = await shop.call("POST", `/api/v1/carts/${cartId}/items`, { product_id: "p100" });
    assert.equal(extra.status, 422, extra.text());
    assert.equal(extra.json<ErrorBody>().error.code, "too_many_items");
    const cart = await shop.call("GET", `/api/v1/carts/${cartId}`);
    assert.equal(cart.json<{ items: unknown[] }>().items.length, 100);
  } finally {
    await server.close();
  }
});

Deno.test("the top price × the top quantity is refused as a total too large, never rounded", async () => {
  const server = await startServer();
  try {
    await storeWithCatalog(server);
    const top = await server.api("POST", "/products", {
      product_id: "yacht",
      name: "Yacht",
      price: 1e11, // the largest price the merchant API takes: 1e13 cents
      currency: "USD",
    });
    assert.equal(top.status, 201, await top.text());
    const shop = shopper(server, "shop");
    await shop.signIn();
    const huge = await shop.call("POST", "/api/v1/carts", {
      items: [{ product_id: "yacht", quantity: 9999 }, { product_id: "mug", quantity: 3 }],
      customer: CUSTOMER,
    });
    assert.equal(huge.status, 422, huge.text());
    const error = huge.json<ErrorBody>().error;
    assert.equal(error.code, "cart_total_too_large");
    assert.match(error.message, /total/);
    // One yacht is payable, and its total is exact to the cent (tax 8.25 % on goods + shipping).
    const one = await shop.call("POST", "/api/v1/carts", {
      items: [{ product_id: "yacht", quantity: 1 }],
      customer: CUSTOMER,
    });
    assert.equal(one.status, 201, one.text());
    const cartId = one.json<{ cart_id: string }>().cart_id;
    const total = one.json<{ total: number }>().total;
    // 10,000,000,000,500 cents + 8.25 % (825,000,000,041.25, rounded to 41) = 10,825,000,000,541.
    assert.equal(total, 108_250_000_005.41);
    // Adding more through the item endpoint is refused the same way, and the cart is unchanged.
    const more = await shop.call("POST", `/api/v1/carts/${cartId}/items`, {
      product_id: "yacht",
      quantity: 1000,
    });
    assert.equal(more.status, 422, more.text());
    assert.equal(more.json<ErrorBody>().error.code, "cart_total_too_large");
    const cart = await shop.call("GET", `/api/v1/carts/${cartId}`);
    assert.equal(cart.json<{ items: { quantity: number }[] }>().items[0].quantity, 1);
  } finally {
    await server.close();
  }
});
