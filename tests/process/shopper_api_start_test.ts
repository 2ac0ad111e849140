/**
 * The shopper API on a store's host is loaded on its first call, apart from the platform: a
 * shopper's token call and product list load neither the merchant API nor the admin.
 */
import assert from "node:assert/strict";
import { rawRequest } from "../helpers/http.ts";
import { spawnSwitchyard } from "../helpers/process.ts";

Deno.test("a store's first API call loads the shopper API and not the platform", async () => {
  const server = await spawnSwitchyard({ env: { SWITCHYARD_DEMO: "1" } });
  try {
    assert.ok(server.listening, JSON.stringify(server.lines));
    const host = "demo.localhost";
    const page = await rawRequest(server.port, { path: "/", host });
    assert.equal(page.status, 200);
    assert.ok(!server.lines.some((line) => line.msg === "Shopper API loaded"), "loaded at start");
    const auth = await rawRequest(server.port, {
      method: "POST",
      path: "/api/v1/auths/limited?timezone=UTC",
      host,
    });
    assert.equal(auth.status, 201, auth.text());
    const { token } = auth.json<{ token: string }>();
    const products = await rawRequest(server.port, {
      path: "/api/v1/products?formatted=true&limit=50",
      host,
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(products.status, 200);
    assert.ok(products.json<{ total_items: number }>().total_items > 0, "the demo has a catalog");
    const loaded = await server.waitForLine((line) => line.msg === "Shopper API loaded");
    assert.equal(typeof loaded.ms, "number");
    assert.ok(!server.lines.some((line) => line.msg === "Platform loaded"), "platform loaded");
  } finally {
    await server.stop();
  }
});
