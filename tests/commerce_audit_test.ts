/**
 * Catalog changes set what shoppers pay, so each is in the audit log, written in the commit that
 * makes it: product create, update (with the price before and after), delete, and shopping
 * options (tax rates and shipping prices written out).
 */
import assert from "node:assert/strict";
import { startServer } from "./helpers/server.ts";

type Entry = {
  action: string;
  actor: { type: string; id: string };
  target: { type: string; id: string } | null;
  summary: Record<string, unknown>;
};

Deno.test("product and shopping-option changes are audited with who, what and the prices", async () => {
  const server = await startServer();
  try {
    const ok = async (res: Promise<Response>, status: number) => {
      const answer = await res;
      assert.equal(answer.status, status, await answer.clone().text());
      await answer.body?.cancel();
    };
    await ok(
      server.api("POST", "/products", {
        product_id: "mug",
        name: "Mug",
        price: 24,
        currency: "USD",
      }),
      201,
    );
    await ok(server.api("PATCH", "/products/mug", { price: 0.01 }), 200);
    await ok(
      server.api("PUT", "/shopping_options", {
        tax_rates: [{ country: "US", rate: 0 }],
        shipping_methods: [{ method_id: "standard", name: "Standard", price: 5, currency: "USD" }],
      }),
      200,
    );
    await ok(server.api("DELETE", "/products/mug"), 204);
    // A refused change is not logged.
    await ok(server.api("PATCH", "/products/gone", { price: 1 }), 404);
    const log = await (await server.api("GET", "/audit")).json() as { items: Entry[] };
    const entries = log.items.filter((e) =>
      e.action.startsWith("product.") || e.action.startsWith("shopping_options.")
    ).reverse();
    assert.deepEqual(entries.map((e) => e.action), [
      "product.create",
      "product.update",
      "shopping_options.update",
      "product.delete",
    ]);
    assert.ok(entries.every((e) => e.actor.type === "token"), "the bootstrap token acted");
    const [create, update, options, remove] = entries;
    assert.deepEqual(create.target, { type: "product", id: "mug" });
    assert.equal(create.summary.price_minor, 2400);
    assert.equal(update.summary.price_minor_before, 2400);
    assert.equal(update.summary.price_minor, 1);
    assert.equal(options.summary.fields, "shipping_methods,tax_rates");
    assert.equal(options.summary.tax_rates, "US 0%");
    assert.equal(options.summary.shipping_methods_minor, "standard USD 500");
    assert.deepEqual(remove.target, { type: "product", id: "mug" });
    assert.equal(remove.summary.name, "Mug");
  } finally {
    await server.close();
  }
});
