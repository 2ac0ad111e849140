/**
 * Accounts are apart on every operation: a second account's full token, aimed at the first
 * account's app, versions, links, schedules and tokens, gets 404 (or its own data) from every
 * operation the OpenAPI document lists, and leaves the first account's data as it was.
 */
import assert from "node:assert/strict";
import { createAccount, createToken } from "../kv/accounts.ts";
import { install, promote } from "./helpers/fixtures.ts";
import { call, documentedOperations } from "./helpers/operations.ts";
import { startServer, type TestServer } from "./helpers/server.ts";

/** Everything the first account can read about its app and tokens, with its own token. */
async function snapshot(server: TestServer, slug: string): Promise<string> {
  const paths = [
    `/apps/${slug}`,
    `/apps/${slug}/versions`,
    `/apps/${slug}/versions/1/files`,
    `/apps/${slug}/live`,
    `/apps/${slug}/links`,
    `/apps/${slug}/releases`,
    `/apps/${slug}/settings`,
    "/tokens",
  ];
  const parts = [];
  for (const path of paths) {
    const res = await server.api("GET", path);
    parts.push(`${path} ${res.status} ${await res.text()}`);
  }
  return parts.join("\n");
}

/** A body each operation would accept, so a missing account check would act, not 422. */
function bodyFor(method: string, path: string, file: { sha256: string; size: number }): unknown {
  const at = new Date(Date.now() + 60 * 60 * 1000).toISOString();
  const bodies: Record<string, unknown> = {
    "post /apps": { slug: "intruder", name: "Intruder" },
    "put /apps/{slug}/live": { version: 2 },
    "post /apps/{slug}/schedule": { at, version: 2 },
    "post /apps/{slug}/versions/{n}/links": { label: "stolen" },
    "put /apps/{slug}/settings": { app: {}, style: {} },
    "post /tokens": { name: "intruder's" },
    "post /products": { name: "Intruder's", price: 1, currency: "USD" },
    "post /apps/{slug}/versions": { files: [{ path: "index.html", ...file }] },
  };
  return bodies[`${method} ${path}`] ?? {};
}

Deno.test("another account's full token gets 404 or its own data from every operation", async () => {
  const server = await startServer();
  try {
    // The first account: an app with two ready versions, one live, a link and a schedule.
    await install(server, "alpha", { "index.html": "<h1>one</h1>" });
    await install(server, "alpha", { "index.html": "<h1>two</h1>" });
    await promote(server, "alpha", 1);
    const link = await (await server.api("POST", "/apps/alpha/versions/1/links", {
      label: "QA",
    })).json();
    const at = new Date(Date.now() + 2 * 60 * 60 * 1000).toISOString();
    const schedule = await (await server.api("POST", "/apps/alpha/schedule", {
      at,
      version: 2,
    })).json();
    const ownToken = await (await server.api("POST", "/tokens", { name: "alpha CI" })).json();
    const files = await (await server.api("GET", "/apps/alpha/versions/1/files")).json();
    const app = await (await server.api("GET", "/apps/alpha")).json();
    const before = await snapshot(server, "alpha");

    const other = await createAccount(server.kv, "Other");
    const { token } = await createToken(server.kv, other.id, "other CI");
    const secrets = [app.id, link.id, ownToken.id, schedule.id, ownToken.token, "alpha CI"];
    for (const op of await documentedOperations(server)) {
      const id = op.path.includes("/links/")
        ? link.id
        : op.path.includes("/schedule/")
        ? schedule.id
        : ownToken.id;
      const params = { slug: "alpha", n: "1", id, sha256: files.items[0].sha256 };
      const res = await call(
        server,
        op,
        token,
        params,
        bodyFor(op.method, op.path, files.items[0]),
      );
      const text = await res.text();
      const where = `${op.method.toUpperCase()} ${op.path}: ${res.status} ${text}`;
      if (/\{\w+\}/.test(op.path)) assert.equal(res.status, 404, where);
      else assert.ok(res.status < 300 || res.status === 409, where);
      for (const secret of secrets) {
        // A 404 may repeat the id it was asked for; no answer may carry anything else of alpha's.
        if (res.status === 404 && op.path.includes("{id}") && secret === id) continue;
        assert.ok(!text.includes(secret), `${where} shows "${secret}"`);
      }
    }
    assert.equal(await snapshot(server, "alpha"), before);
  } finally {
    await server.close();
  }
});
