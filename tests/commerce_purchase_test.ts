/**
 * A card purchase on an app host following COMECERO-API.md §7 call by call, with the query
 * strings Comecero's cart sends, and the echoed-cart update it relies on (§5.4): read-only fields
 * and junk keys ignored, `items` the whole list, quantities as numeric strings, `customer` never
 * null. The order lands under the app, version and mode of the page, with its counters.
 */
import assert from "node:assert/strict";
import { startServer } from "./helpers/server.ts";
import { cardBody, CUSTOMER, shopper, storeWithCatalog } from "./helpers/shop.ts";
import { readCounters } from "../kv/counters.ts";

/** An answer read as Comecero's client reads it: any field, at any depth, untyped. */
// deno-lint-ignore no-explicit-any
type Loose = Record<string, any>;

const LOCALE = "user_locale=en-US";
const CART_PAGE = "expand=items.product,items.subscription_terms,customer.payment_methods," +
  "options,options.user_agent_payment_request&formatted=true&hide=items.product.prices";
const RECEIPT = "expand=payment_method,payment_method.data,order.customer,order.items.product," +
  "order.items.subscription_terms,order.options,cart.options,invoice.options," +
  "order.items.download,order.items.license,response_data&formatted=true&options=true";

/** What the client strips from a cart before echoing it (§5.4). */
function trimmed(cart: Record<string, unknown>) {
  const copy = structuredClone(cart);
  for (
    const key of [
      "options",
      "shipping_item",
      "payments",
      "promotion",
      "date_created",
      "date_modified",
      "object",
      "url",
      "test",
      "account_id",
      "formatted",
    ]
  ) {
    delete copy[key];
  }
  copy.items = (copy.items as Record<string, unknown>[]).map((item) => {
    const { product: _p, url: _u, formatted: _f, ...rest } = item;
    return rest;
  });
  return copy;
}

Deno.test("a card purchase follows §7 of the contract, call by call", async () => {
  const server = await startServer();
  try {
    await storeWithCatalog(server);
    const shop = shopper(server, "shop");
    // 2. The token call: no body, no Authorization; then the product list (no timezone).
    const auth = await shop.signIn(`&account_id=${server.accountId}&${LOCALE}`);
    assert.equal(auth.status, 201, auth.text());
    assert.match(shop.token!, /^syl_/);
    const lifetime = Number(auth.headers.get("x-token-expires-in-seconds"));
    assert.ok(lifetime > 13 * 86400 && lifetime <= 14 * 86400, String(lifetime));
    const products = await shop.call(
      "GET",
      "/api/v1/products?expand=items.product,items.subscription_terms,customer.payment_methods" +
        "&formatted=true&limit=50&show=product_id,name,price,currency,description,images.*&" +
        LOCALE,
    );
    assert.equal(products.status, 200, products.text());
    const list = products.json<
      { data: Record<string, unknown>[]; total_items: number; current_page_url: string }
    >();
    assert.equal(list.total_items, 2);
    assert.equal(typeof list.current_page_url, "string");
    const mug = list.data.find((p) => p.product_id === "mug")!;
    assert.equal(mug.price, 24);
    assert.deepEqual(mug.formatted, { price: "$24.00" });
    assert.ok(Array.isArray(mug.images));
    assert.ok(products.headers.has("x-token-expires-in-seconds"));

    // 3. Buy Now.
    const created = await shop.call(
      "POST",
      `/api/v1/carts?formatted=true&options=true&timezone=UTC&${LOCALE}`,
      {
        items: [{ product_id: "mug" }],
        customer: { billing_address: {}, shipping_address: {} },
        currency: "USD",
      },
    );
    assert.equal(created.status, 201, created.text());
    const cartId = created.json<{ cart_id: string }>().cart_id;
    assert.equal(created.json<{ url: string }>().url, `/carts/${cartId}`);

    // 4. The cart page: GET, then the echoed cart with the cart-page expand (trailing comma).
    const read = await shop.call(
      "GET",
      `/api/v1/carts/${cartId}?formatted=true&options=true&timezone=UTC&${LOCALE}`,
    );
    assert.equal(read.status, 200);
    const cart = read.json<Record<string, unknown>>();
    assert.equal(cart.object, "cart");
    assert.ok(cart.customer && typeof cart.customer === "object");
    const echoed = trimmed(cart);
    echoed.items = [{ ...(echoed.items as object[])[0], quantity: "2" }];
    echoed.subtotal = 0.01; // a read-only total the server must not believe
    echoed.total = 0.01;
    echoed.cross_sells = { data: [] };
    const page = await shop.call(
      "POST",
      `/api/v1/carts/${cartId}?${CART_PAGE},&timezone=UTC&${LOCALE}`,
      echoed,
    );
    assert.equal(page.status, 200, page.text());
    const priced = page.json<Loose>();
    assert.equal(priced.items[0].quantity, 2);
    assert.equal(priced.subtotal, 48);
    assert.equal(priced.items[0].product.product_id, "mug");
    assert.deepEqual(
      priced.options.shipping_quotes.map((q: { method_id: string }) => q.method_id),
      ["standard"],
    );
    assert.ok(Array.isArray(priced.options.customer_required_fields));
    assert.ok(priced.options.allowed_customer_countries.includes("US"));

    // 5. Blur-saves, junk keys and all.
    const blur = trimmed(priced);
    blur.customer = {
      ...(blur.customer as object),
      name: CUSTOMER.name,
      "billing_address.city": "Paris",
      undefined: "on",
      billing_address: { ...CUSTOMER.billing_address, formatted: { country: "x" } },
      shipping_address: { name: null, address_1: null, country: null },
    };
    const saved = await shop.call(
      "POST",
      `/api/v1/carts/${cartId}?${CART_PAGE},options.user_agent_payment_request,&timezone=UTC&${LOCALE}`,
      blur,
    );
    assert.equal(saved.status, 200, saved.text());
    const afterBlur = saved.json<Loose>();
    assert.equal(afterBlur.customer.name, "Ada Lovelace");
    assert.equal(afterBlur.customer.billing_address.city, null, "a junk key is not a field");
    assert.ok(!("undefined" in afterBlur.customer));
    assert.equal(afterBlur.customer.shipping_address.country, null);
    // Tax for the US: 8.25 % of 48.00 + 5.00 shipping = 4.3725 → 4.37.
    assert.equal(afterBlur.shipping, 5);
    assert.equal(afterBlur.tax, 4.37);
    assert.equal(afterBlur.total, 57.37);
    assert.equal(afterBlur.formatted.total, "$57.37");
    assert.equal(afterBlur.shipping_item.item_id, "standard");

    // 6. Complete Order: the last update (shipping_address removed), then the payment.
    const final = trimmed(afterBlur);
    const customer: Record<string, unknown> = {
      ...(final.customer as Record<string, unknown>),
      email: CUSTOMER.email,
    };
    delete customer.shipping_address;
    final.customer = customer;
    const last = await shop.call(
      "POST",
      `/api/v1/carts/${cartId}?${CART_PAGE},&timezone=UTC&${LOCALE}`,
      final,
    );
    assert.equal(last.status, 200, last.text());
    const paid = await shop.call(
      "POST",
      `/api/v1/carts/${cartId}/payments?expand=order,response_data,payment_method&formatted=true&hide=&timezone=UTC&${LOCALE}`,
      cardBody("4242424242424242"),
    );
    assert.equal(paid.status, 201, paid.text());
    const payment = paid.json<Loose>();
    assert.equal(payment.status, "completed");
    assert.equal(payment.total, 57.37);
    assert.deepEqual(payment.payment_method.data, {
      type: "Visa",
      mask: "4242",
      exp_month: "12",
      exp_year: "2030",
      label: "Visa ****4242",
    });
    assert.ok(!paid.text().includes("4242424242424242"), "the number is never echoed");

    // 7. The receipt.
    const receipt = await shop.call(
      "GET",
      `/api/v1/payments/${payment.payment_id}?${RECEIPT}&timezone=UTC&${LOCALE}`,
    );
    assert.equal(receipt.status, 200, receipt.text());
    const shown = receipt.json<Loose>();
    assert.ok(Array.isArray(shown.order.items));
    assert.equal(shown.order.items[0].product.name, "Stoneware Mug");
    assert.equal(shown.order.customer.email, "ada@example.com");
    assert.equal(shown.order.formatted.total, "$57.37");
    assert.equal(typeof shown.cart.options, "object");
    assert.equal(shown.order.version, 1);
    assert.equal(shown.order.mode, "live");
    const order = await shop.call("GET", `/api/v1/orders/${shown.order.order_id}?formatted=true`);
    assert.equal(order.status, 200);

    // The merchant sees the order under the app, version and mode; the counters moved.
    const orders = await (await server.api("GET", "/orders?app=shop&version=1&mode=live")).json();
    assert.equal(orders.items.length, 1);
    assert.equal(orders.items[0].total, 57.37);
    assert.equal(orders.items[0].app, "shop");
    const none = await (await server.api("GET", "/orders?app=shop&mode=test")).json();
    assert.equal(none.items.length, 0);
    const app = await (await server.api("GET", "/apps/shop")).json();
    const counters = (await readCounters(server.kv, app.id))
      .filter((row) => ["carts", "orders", "revenue"].includes(row.name))
      .map((row) => `${row.version} ${row.mode} ${row.name}=${row.value}`).sort();
    assert.deepEqual(counters, ["1 live carts=1", "1 live orders=1", "1 live revenue=5737"]);

    // Nothing stored anywhere holds the card number.
    for await (const entry of server.kv.list({ prefix: [] })) {
      assert.ok(
        !JSON.stringify(entry.value, (_, v) => typeof v === "bigint" ? String(v) : v).includes(
          "4242424242424242",
        ),
        String(entry.key),
      );
    }
  } finally {
    await server.close();
  }
});

Deno.test("an echoed update's items are the whole list, quantities may be strings, customer null keeps it", async () => {
  const server = await startServer();
  try {
    await storeWithCatalog(server);
    const shop = shopper(server, "shop");
    await shop.signIn();
    const created = await shop.call("POST", "/api/v1/carts?timezone=UTC", {
      items: [{ product_id: "mug", quantity: "3" }, { product_id: "ebook", quantity: 3 }],
      customer: { name: "Grace", billing_address: {}, shipping_address: {} },
    });
    assert.equal(created.status, 201, created.text());
    const cart = created.json<Loose>();
    // 3 × 0.10 is 0.30 exactly: totals are added in cents.
    assert.equal(
      cart.items.find((i: { product_id: string }) => i.product_id === "ebook").subtotal,
      0.3,
    );
    assert.equal(cart.subtotal, 72.3);
    const update = await shop.call("POST", `/api/v1/carts/${cart.cart_id}?timezone=UTC`, {
      items: [{ product_id: "ebook", quantity: "1", price: 999, junk: true }],
      customer: null,
      total: 0,
    });
    assert.equal(update.status, 200, update.text());
    const next = update.json<Loose>();
    assert.deepEqual(next.items.map((i: { product_id: string }) => i.product_id), ["ebook"]);
    assert.equal(next.total, 0.1);
    assert.equal(next.customer.name, "Grace");
    assert.equal(typeof next.customer.billing_address, "object");
    assert.equal(next.shipping_item, null, "a digital cart has no shipping");
    const bad = await shop.call("POST", `/api/v1/carts/${cart.cart_id}?timezone=UTC`, {
      items: [{ product_id: "ebook", quantity: "two" }],
    });
    assert.equal(bad.status, 422);
    assert.equal(bad.json<{ error: { code: string } }>().error.code, "invalid_input");
    const gone = await shop.call("POST", `/api/v1/carts/${cart.cart_id}?timezone=UTC`, {
      items: [{ product_id: "nope" }],
    });
    assert.equal(gone.status, 422);
    const error = gone.json<{ error: Loose }>().error;
    assert.equal(error.code, "unavailable_inventory");
    assert.equal(error.meta.product_id, "nope");
    assert.equal(error.status, 422);
    assert.equal(typeof error.reference, "string");
    const added = await shop.call("POST", `/api/v1/carts/${cart.cart_id}/items?timezone=UTC`, {
      product_id: "mug",
    });
    assert.equal(added.status, 201, added.text());
    assert.equal(added.json<{ currency: string }>().currency, "USD");
    // Buy Now on a product the cart has: `POST {item.url}` leaves the quantity as it is.
    const itemUrl = added.json<{ url: string }>().url;
    const again = await shop.call("POST", `/api/v1${itemUrl}?timezone=UTC`, { product_id: "mug" });
    assert.equal(again.json<{ quantity: number }>().quantity, 1);
    const more = await shop.call("POST", `/api/v1/carts/${cart.cart_id}/items`, {
      product_id: "mug",
      quantity: "2",
    });
    assert.equal(more.json<{ quantity: number }>().quantity, 3);
    const set = await shop.call("POST", `/api/v1${itemUrl}`, { quantity: 0 });
    assert.equal(set.json<{ quantity: number }>().quantity, 0);
    const left = await shop.call("GET", `/api/v1/carts/${cart.cart_id}`);
    assert.deepEqual(left.json<Loose>().items.map((i: { product_id: string }) => i.product_id), [
      "ebook",
    ]);
  } finally {
    await server.close();
  }
});

Deno.test("a shopper body past 64 KiB is refused while it streams in", async () => {
  const server = await startServer();
  try {
    await storeWithCatalog(server);
    const shop = shopper(server, "shop");
    await shop.signIn();
    const big = JSON.stringify({ items: [], referrer: "x".repeat(70_000) });
    const res = await shop.call("POST", "/api/v1/carts", big);
    assert.equal(res.status, 413);
    assert.equal(res.json<Loose>().error.code, "too_large");
  } finally {
    await server.close();
  }
});
