/**
 * Shopper tokens and carts are KV records anyone may ask for, so each address gets a bounded
 * number a minute on every host: the platform host (where no edge stands in front) as well as
 * app hosts, and across processes sharing one KV. The real server on a real socket: every
 * request here comes from 127.0.0.1 unless the trusted proxy says otherwise.
 */
import assert from "node:assert/strict";
import { loadConfig } from "../config.ts";
import { LIMITS } from "../kv/rate_limits.ts";
import { createLogger } from "../lib/log.ts";
import { createShopApi } from "../routes/shop/mod.ts";
import { startServer } from "./helpers/server.ts";
import { shopper, storeWithCatalog } from "./helpers/shop.ts";

const TOKENS = LIMITS.shopperTokens.max;

Deno.test("the platform host's token call is limited per address, with Retry-After", async () => {
  const server = await startServer();
  try {
    const url =
      `http://127.0.0.1:${server.port}/api/v1/auths/limited?account_id=${server.accountId}`;
    for (let i = 0; i < TOKENS; i++) {
      const res = await fetch(url, { method: "POST" });
      assert.equal(res.status, 201, await res.clone().text());
      await res.body?.cancel();
    }
    const over = await fetch(url, { method: "POST" });
    assert.equal(over.status, 429);
    assert.ok(Number(over.headers.get("retry-after")) >= 1);
    const error = (await over.json()).error;
    assert.equal(error.code, "rate_limited");
    assert.match(error.message, /tokens/);
  } finally {
    await server.close();
  }
});

Deno.test("behind the trusted proxy each forwarded address has its own allowance", async () => {
  const env = (name: string) => name === "SWITCHYARD_TRUSTED_PROXY" ? "127.0.0.1" : undefined;
  const server = await startServer({ trustedProxy: loadConfig(env).trustedProxy });
  try {
    const url =
      `http://127.0.0.1:${server.port}/api/v1/auths/limited?account_id=${server.accountId}`;
    const ask = (address: string) =>
      fetch(url, { method: "POST", headers: { "x-forwarded-for": address } });
    for (let i = 0; i < TOKENS; i++) await (await ask("203.0.113.7")).body?.cancel();
    assert.equal((await ask("203.0.113.7")).status, 429);
    const other = await ask("198.51.100.2");
    assert.equal(other.status, 201);
    // An IPv6 client counts by its /64: changing the low bits gets no new allowance.
    for (let i = 0; i < TOKENS; i++) {
      await (await ask(`2001:db8:1:2::${i.toString(16)}`)).body?.cancel();
    }
    assert.equal((await ask("2001:db8:1:2:ffff::1")).status, 429);
  } finally {
    await server.close();
  }
});

Deno.test("app-host carts are limited per address", async () => {
  const server = await startServer();
  try {
    await storeWithCatalog(server);
    const shop = shopper(server, "shop");
    await shop.signIn();
    for (let i = 0; i < LIMITS.shopperCarts.max; i++) {
      const res = await shop.call("POST", "/api/v1/carts", { items: [] });
      assert.equal(res.status, 201, res.text());
    }
    const over = await shop.call("POST", "/api/v1/carts", { items: [] });
    assert.equal(over.status, 429);
    assert.equal(over.json<{ error: { code: string } }>().error.code, "rate_limited");
  } finally {
    await server.close();
  }
});

Deno.test("the token limit holds across processes sharing one KV", async () => {
  const server = await startServer();
  try {
    const log = createLogger({ level: "error", write: () => {} });
    const apis = [
      createShopApi(server.kv, server.config, log),
      createShopApi(server.kv, server.config, log),
    ];
    const origin = { client: "192.0.2.44", country: null };
    const ask = (i: number) =>
      apis[i % 2].fetch(
        new Request(`http://p/api/v1/auths/limited?account_id=${server.accountId}`, {
          method: "POST",
        }),
        null,
        origin,
      );
    // Half the allowance in each process: neither's own count is spent, the shared one is.
    for (let i = 0; i < TOKENS; i++) {
      const res = await ask(i);
      assert.equal(res.status, 201, await res.clone().text());
    }
    assert.equal((await ask(0)).status, 429);
    assert.equal((await ask(1)).status, 429);
  } finally {
    await server.close();
  }
});
