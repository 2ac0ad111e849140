/**
 * Payments on the shopper API: Stripe's test cards through the test gateway, a cart paid once,
 * and `Idempotency-Key` as Stripe keeps it, under a race of 100 identical requests.
 */
import assert from "node:assert/strict";
import { startServer, type TestServer } from "./helpers/server.ts";
import { cardBody, CUSTOMER, type Shopper, shopper, storeWithCatalog } from "./helpers/shop.ts";
import { createLogger } from "../lib/log.ts";
import { createTestGateway } from "../commerce/gateway.ts";

/** A signed-in shopper with a filled cart holding one mug; answers the cart id. */
async function filledCart(server: TestServer, shop: Shopper = shopper(server, "shop")) {
  if (!shop.token) await shop.signIn();
  const res = await shop.call("POST", "/api/v1/carts?timezone=UTC", {
    items: [{ product_id: "mug" }],
    customer: CUSTOMER,
  });
  assert.equal(res.status, 201, res.text());
  return { shop, cartId: res.json<{ cart_id: string }>().cart_id };
}

const pay = (shop: Shopper, cartId: string, body: unknown, headers: Record<string, string> = {}) =>
  shop.call(
    "POST",
    `/api/v1/carts/${cartId}/payments?expand=order&formatted=true&hide=&timezone=UTC`,
    body,
    headers,
  );

Deno.test("each of Stripe's test cards answers as Stripe's does, a decline as a 402 a shopper reads", async () => {
  const server = await startServer();
  try {
    await storeWithCatalog(server);
    const { shop, cartId } = await filledCart(server);
    const cases: [string, string, string, string][] = [
      ["4000000000000002", "12", "30", "card_declined"],
      ["4000000000009995", "12", "30", "insufficient_funds"],
      ["4000000000000069", "12", "30", "expired_card"],
      ["4000000000000127", "12", "30", "incorrect_cvc"],
      ["4000000000000119", "12", "30", "processing_error"],
      ["4242424242424241", "12", "30", "incorrect_number"],
      ["4242424242424242", "01", "20", "expired_card"],
      ["4242424242424242", "13", "30", "invalid_expiry"],
    ];
    for (const [number, month, year, code] of cases) {
      const res = await pay(shop, cartId, cardBody(number, month, year));
      const error = res.json<{ error: Record<string, unknown> }>().error;
      assert.equal(res.status, 402, `${number}: ${res.text()}`);
      assert.equal(error.code, code, number);
      assert.equal(error.status, 402);
      assert.equal(error.type, "card_error");
      assert.match(String(error.message), /^Your card|^An error occurred/);
      assert.ok(!res.text().includes(number), "the number is never echoed");
    }
    // Every decline left the cart open: a good card pays it.
    const ok = await pay(shop, cartId, cardBody("5555555555554444", "12", "2031"));
    assert.equal(ok.status, 201, ok.text());
    assert.equal(
      ok.json<{ payment_method: { data: { type: string } } }>().payment_method.data.type,
      "Mastercard",
    );
    const orders = await (await server.api("GET", "/orders")).json();
    assert.equal(orders.items.length, 1, "declines make no order");
  } finally {
    await server.close();
  }
});

Deno.test("a cart is paid once: a second payment and any change are invalid_state", async () => {
  const gateway = createTestGateway();
  const server = await startServer({}, { gateway });
  try {
    await storeWithCatalog(server);
    const { shop, cartId } = await filledCart(server);
    const first = await pay(shop, cartId, cardBody("4242424242424242"));
    assert.equal(first.status, 201, first.text());
    const again = await pay(shop, cartId, cardBody("4242424242424242"));
    assert.equal(again.status, 422);
    assert.equal(again.json<{ error: { code: string } }>().error.code, "invalid_state");
    const update = await shop.call("POST", `/api/v1/carts/${cartId}?timezone=UTC`, { items: [] });
    assert.equal(update.status, 422);
    assert.equal(update.json<{ error: { code: string } }>().error.code, "invalid_state");
    // Two payments racing on one new cart without a key: one charge.
    const { cartId: other } = await filledCart(server, shop);
    const race = await Promise.all(
      [1, 2, 3, 4, 5].map(() => pay(shop, other, cardBody("4242424242424242"))),
    );
    assert.deepEqual(race.map((r) => r.status).filter((s) => s === 201), [201]);
    assert.ok(
      race.every((r) => [201, 409, 422].includes(r.status)),
      race.map((r) => r.text()).join(),
    );
    const orders = await (await server.api("GET", "/orders")).json();
    assert.equal(orders.items.length, 2);
    assert.equal(gateway.charges.length, 2, "two carts paid, two charges");
    assert.equal(gateway.refunds.length, 0);
  } finally {
    await server.close();
  }
});

Deno.test("Idempotency-Key: 100 identical requests at once make one charge, one order, one answer", async () => {
  const gateway = createTestGateway();
  const server = await startServer({}, { gateway });
  try {
    await storeWithCatalog(server);
    const { shop, cartId } = await filledCart(server);
    const key = { "idempotency-key": "order-attempt-1" };
    const answers = await Promise.all(
      Array.from({ length: 100 }, () => pay(shop, cartId, cardBody("4242424242424242"), key)),
    );
    assert.deepEqual(
      new Set(answers.map((a) => a.status)),
      new Set([201]),
      answers.map((a) => a.text()).find((t) => !t.includes("completed")) ?? "",
    );
    const ids = new Set(answers.map((a) => a.json<{ payment_id: string }>().payment_id));
    assert.equal(ids.size, 1);
    assert.equal(answers.filter((a) => a.headers.get("idempotent-replayed") === "true").length, 99);
    const orders = await (await server.api("GET", "/orders")).json();
    assert.equal(orders.items.length, 1);
    // Counted at the gateway: one charge, of the cart's total, and nothing given back (a double
    // charge refunded would still leave one order).
    assert.equal(gateway.charges.length, 1);
    assert.equal(gateway.refunds.length, 0);
    assert.equal(gateway.charges[0].reference, [...ids][0]);

    // The same key with another body is refused; a retry later still gets the first answer.
    const other = await pay(shop, cartId, cardBody("5555555555554444"), key);
    assert.equal(other.status, 400);
    assert.equal(other.json<{ error: { code: string } }>().error.code, "idempotency_key_reused");
    const retry = await pay(shop, cartId, cardBody("4242424242424242"), key);
    assert.equal(retry.status, 201);
    assert.equal(retry.json<{ payment_id: string }>().payment_id, [...ids][0]);

    // A decline is a result too: its retry is the same 402, and no charge is tried again.
    const { cartId: second } = await filledCart(server, shop);
    const declineKey = { "idempotency-key": "attempt-2" };
    const declined = await pay(shop, second, cardBody("4000000000000002"), declineKey);
    assert.equal(declined.status, 402);
    const replayed = await pay(shop, second, cardBody("4000000000000002"), declineKey);
    assert.equal(replayed.status, 402);
    assert.equal(replayed.headers.get("idempotent-replayed"), "true");
    assert.deepEqual(replayed.json(), declined.json());
    assert.equal(gateway.charges.length, 1, "no decline and no replay charged again");
  } finally {
    await server.close();
  }
});

Deno.test("a card number is never written to the log, whatever the payment's outcome", async () => {
  const lines: string[] = [];
  const log = createLogger({ level: "info", write: (line) => lines.push(line) });
  const server = await startServer({ edgeRequestLog: true }, { log });
  try {
    await storeWithCatalog(server);
    const { shop, cartId } = await filledCart(server);
    const numbers = [
      "4000000000000002",
      "4000000000000119",
      "4242424242424241",
      "4242424242424242",
    ];
    for (const number of numbers) await pay(shop, cartId, cardBody(number));
    // A malformed body and one that breaks the schema, both holding a number.
    await pay(shop, cartId, `{"payment_method": {"data": {"number": "4242424242424242"`);
    const quoted = await pay(
      shop,
      cartId,
      `x{"payment_method": {"data": {"number": "4242424242424242"}}}`,
    );
    assert.equal(quoted.status, 422);
    assert.ok(!quoted.text().includes("4242424242424242"), quoted.text());
    await pay(shop, cartId, { payment_method: { data: { number: "4242424242424242" } } });
    assert.ok(lines.some((line) => line.includes("/payments")), "the requests were logged");
    for (const number of numbers) {
      assert.ok(!lines.some((line) => line.includes(number)), `${number} in the log`);
    }
  } finally {
    await server.close();
  }
});
