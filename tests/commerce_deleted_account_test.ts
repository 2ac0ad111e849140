/**
 * A deleted account's shopper tokens stop working at once: no more carts, payments or catalog
 * reads with a token issued before the deletion (they are refused as unknown, 401, which makes
 * Comecero's client drop its session), and no new token is issued for the account.
 */
import assert from "node:assert/strict";
import { createPersonWithAccount } from "../kv/people.ts";
import { startServer } from "./helpers/server.ts";
import { signIn } from "./helpers/session.ts";
import { addCatalog } from "./helpers/shop.ts";

Deno.test("shopper tokens of a deleted account are refused", async () => {
  const server = await startServer();
  try {
    const { person, account } = await createPersonWithAccount(server.kv, {
      email: "closing@example.com",
      name: "Closing",
      accountName: "Closing shop",
    });
    const owner = await signIn(server, person.id, account.id);
    const base = `http://127.0.0.1:${server.port}/api/v1`;
    const issue = () => fetch(`${base}/auths/limited?account_id=${account.id}`, { method: "POST" });
    const { token } = await (await issue()).json();
    const asShopper = (method: string, path: string, body?: unknown) =>
      fetch(base + path, {
        method,
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    const before = await asShopper("GET", "/products");
    assert.equal(before.status, 200, await before.clone().text());
    await before.body?.cancel();
    assert.equal((await owner.api("DELETE", "/account")).status, 200);
    for (const [method, path] of [["GET", "/products"], ["POST", "/carts"]]) {
      const res = await asShopper(method, path, method === "POST" ? { items: [] } : undefined);
      assert.equal(res.status, 401, `${method} ${path}: ${await res.clone().text()}`);
      assert.equal((await res.json()).error.status, 401);
    }
    const again = await issue();
    assert.equal(again.status, 404);
    await again.body?.cancel();
    // The default account's shoppers are untouched.
    await addCatalog(server);
    const other = await (await fetch(`${base}/auths/limited?account_id=${server.accountId}`, {
      method: "POST",
    })).json();
    const products = await fetch(`${base}/products`, {
      headers: { authorization: `Bearer ${other.token}` },
    });
    assert.equal((await products.json()).total_items, 2);
  } finally {
    await server.close();
  }
});
