/**
 * The country tax is charged for is what the buyer states (billing, else shipping address),
 * never a header a client can set; `customer_ip_country` is believed only from the trusted proxy.
 * The real server on a real socket: every request here comes from 127.0.0.1.
 */
import assert from "node:assert/strict";
import { loadConfig } from "../config.ts";
import { startServer, type TestServer } from "./helpers/server.ts";
import { shopper, storeWithCatalog } from "./helpers/shop.ts";

type CartBody = { cart_id: string; tax: number; customer_ip_country: string | null };

/** A cart of one mug (US tax 8.25 %), made with `headers` and `customer`. */
async function cartWith(server: TestServer, headers: Record<string, string>, customer: unknown) {
  const shop = shopper(server, "shop");
  await shop.signIn();
  const res = await shop.call("POST", "/api/v1/carts", {
    items: [{ product_id: "mug" }],
    customer,
  }, headers);
  assert.equal(res.status, 201, res.text());
  return res.json<CartBody>();
}

Deno.test("a country header from any client neither sets the IP country nor the tax", async () => {
  const server = await startServer();
  try {
    await storeWithCatalog(server);
    for (const header of ["cf-ipcountry", "x-country-code"]) {
      const cart = await cartWith(server, { [header]: "US" }, { billing_address: {} });
      assert.equal(cart.customer_ip_country, null, header);
      assert.equal(cart.tax, 0, `${header}: no stated country, no tax`);
    }
    // The stated addresses decide: billing, else shipping.
    const billing = await cartWith(server, { "cf-ipcountry": "DE" }, {
      billing_address: { country: "US" },
    });
    assert.equal(billing.tax, 2.39, "8.25 % of 24 + 5 shipping");
    const shipping = await cartWith(server, {}, { shipping_address: { country: "US" } });
    assert.equal(shipping.tax, 2.39);
  } finally {
    await server.close();
  }
});

Deno.test("behind the trusted proxy its country prefills customer_ip_country, but taxes nothing", async () => {
  const env = (name: string) => name === "SWITCHYARD_TRUSTED_PROXY" ? "127.0.0.1" : undefined;
  const server = await startServer({ trustedProxy: loadConfig(env).trustedProxy });
  try {
    await storeWithCatalog(server);
    const cart = await cartWith(server, { "cf-ipcountry": "US" }, { billing_address: {} });
    assert.equal(cart.customer_ip_country, "US");
    assert.equal(cart.tax, 0);
  } finally {
    await server.close();
  }
});
