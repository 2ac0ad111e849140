/**
 * The merchant's catalog through the API (prices exact to the currency's minor unit), and the
 * demo seed: `deno task start` gives a store a shopper can buy from.
 */
import assert from "node:assert/strict";
import { startServer } from "./helpers/server.ts";
import { cardBody, CUSTOMER, shopper } from "./helpers/shop.ts";
import { seedDemo } from "../install/demo.ts";

Deno.test("products keep prices exact to the minor unit and refuse what a currency cannot hold", async () => {
  const server = await startServer();
  try {
    const made = await server.api("POST", "/products", {
      product_id: "tea",
      name: "Tea",
      price: 19.99,
      currency: "USD",
      type: "digital",
    });
    assert.equal(made.status, 201, await made.clone().text());
    const tea = await made.json();
    assert.equal(tea.price, 19.99);
    assert.equal(tea.active, true);
    const yen = await server.api("POST", "/products", {
      name: "Cup",
      price: 1500,
      currency: "JPY",
    });
    assert.equal((await yen.json()).price, 1500);
    for (
      const bad of [
        { name: "x", price: 10.005, currency: "USD" },
        { name: "x", price: 1.5, currency: "JPY" },
        { name: "x", price: 1, currency: "XYZ" },
        { name: "x", price: -1, currency: "USD" },
      ]
    ) {
      const res = await server.api("POST", "/products", bad);
      assert.equal(res.status, 422, JSON.stringify(bad));
      await res.body?.cancel();
    }
    const dup = await server.api("POST", "/products", {
      product_id: "tea",
      name: "Tea",
      price: 1,
      currency: "USD",
    });
    assert.equal(dup.status, 409);
    await dup.body?.cancel();
    const changed = await server.api("PATCH", "/products/tea", { price: 0.1, active: false });
    assert.equal(changed.status, 200);
    assert.equal((await changed.json()).price, 0.1);
    assert.equal((await (await server.api("GET", "/products/tea")).json()).active, false);
    const list = await (await server.api("GET", "/products")).json();
    assert.equal(list.items.length, 2);
    // An inactive product is not sold: the shopper's list leaves it out.
    await (await server.api("POST", "/apps", { slug: "s", name: "s" })).body?.cancel();
    const base = `http://127.0.0.1:${server.port}/api/v1`;
    const { token } = await (await fetch(`${base}/auths/limited?account_id=${server.accountId}`, {
      method: "POST",
    })).json();
    const shown =
      await (await fetch(`${base}/products`, { headers: { authorization: `Bearer ${token}` } }))
        .json();
    assert.deepEqual(shown.data.map((p: { currency: string }) => p.currency), ["JPY"]);
    assert.equal(shown.data[0].formatted.price, "¥1,500");
    for (const id of ["a", "b"]) {
      await (await server.api("POST", "/products", {
        product_id: id,
        name: id,
        price: 1,
        currency: "USD",
      })).body?.cancel();
    }
    const second = await (await fetch(`${base}/products?limit=1&offset=1`, {
      headers: { authorization: `Bearer ${token}` },
    })).json();
    assert.deepEqual(
      [
        second.data.length,
        second.total_items,
        second.current_page,
        second.next_page_offset,
        second.previous_page_offset,
      ],
      [1, 3, 2, 2, 0],
    );
    assert.equal(second.current_page_url, "/products?limit=1&offset=1");
    assert.equal((await server.api("DELETE", "/products/tea")).status, 204);
    assert.equal((await server.api("GET", "/products/tea")).status, 404);

    const options = await server.api("PUT", "/shopping_options", {
      shipping_methods: [{ method_id: "post", name: "Post", price: 4.999, currency: "USD" }],
    });
    assert.equal(options.status, 422);
    await options.body?.cancel();
    const set = await server.api("PUT", "/shopping_options", {
      allowed_customer_countries: ["US", "CA"],
      tax_rates: [{ country: "CA", rate: 13 }],
    });
    const saved = await set.json();
    assert.deepEqual(saved.allowed_customer_countries, ["US", "CA"]);
    assert.deepEqual(saved.customer_required_fields, ["name", "email", "billing_address.country"]);
  } finally {
    await server.close();
  }
});

Deno.test("the demo seed makes a store a shopper can buy from with a test card", async () => {
  const server = await startServer();
  try {
    await seedDemo(server.kv, server.config, server.accountId);
    const shop = shopper(server, "demo");
    await shop.signIn();
    const products = (await shop.call("GET", "/api/v1/products?formatted=true&limit=50"))
      .json<{ data: { product_id: string; price: number; images: unknown[] }[] }>();
    assert.ok(products.data.length >= 3, JSON.stringify(products));
    assert.ok(products.data.every((p) => p.price > 0 && p.images.length === 1));
    const cart = (await shop.call("POST", "/api/v1/carts", {
      items: [{ product_id: products.data[0].product_id }],
      customer: CUSTOMER,
    })).json<{ cart_id: string; shipping: number; shipping_item: { name: string } }>();
    assert.equal(cart.shipping, 5);
    assert.equal(cart.shipping_item.name, "Standard shipping");
    const paid = await shop.call(
      "POST",
      `/api/v1/carts/${cart.cart_id}/payments`,
      cardBody("4242424242424242"),
    );
    assert.equal(paid.status, 201, paid.text());
    const orders = await (await server.api("GET", "/orders?app=demo")).json();
    assert.equal(orders.items[0].version, 1);
  } finally {
    await server.close();
  }
});
