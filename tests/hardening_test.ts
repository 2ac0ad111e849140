/**
 * What a hostile or careless client meets on the platform: secrets never cached, every answer
 * with its hardening headers, version numbers written one way only, and app names that could
 * pass for the platform refused. The walks are driven by the OpenAPI document, so an operation
 * added later is covered without anyone remembering to add it here.
 */
import assert from "node:assert/strict";
import { RESERVED_SLUGS, reservedSlugReason } from "../kv/apps.ts";
import { liveApp } from "./helpers/fixtures.ts";
import { startServer, type TestServer } from "./helpers/server.ts";

interface Operation {
  method: string;
  path: string;
  responses: Record<string, { content?: Record<string, { schema: Schema }> }>;
}
interface Schema {
  $ref?: string;
  "x-secret"?: boolean;
  properties?: Record<string, Schema>;
  allOf?: Schema[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  items?: Schema;
}

async function operations(server: TestServer) {
  const doc = await (await fetch(`http://127.0.0.1:${server.port}/api/v1/openapi.json`)).json();
  const resolve = (schema: Schema): Schema =>
    schema.$ref ? doc.components.schemas[schema.$ref.split("/").pop()!] : schema;
  /** The secret properties a schema's objects carry, through refs, unions and arrays. */
  const names = (schema: Schema, out = new Set<string>()): Set<string> => {
    const s = resolve(schema);
    for (const [name, sub] of Object.entries(s.properties ?? {})) {
      if (resolve(sub)["x-secret"]) out.add(name);
      names(sub, out);
    }
    const parts = [s.allOf, s.anyOf, s.oneOf, s.items ? [s.items] : []].flatMap((p) => p ?? []);
    for (const sub of parts) {
      names(sub, out);
    }
    return out;
  };
  const ops: (Operation & { secrets: Set<string> })[] = [];
  for (
    const [path, item] of Object.entries(doc.paths as Record<string, Record<string, Operation>>)
  ) {
    for (const [method, op] of Object.entries(item)) {
      const secrets = new Set<string>();
      for (const [status, response] of Object.entries(op.responses)) {
        if (!status.startsWith("2")) continue;
        for (const media of Object.values(response.content ?? {})) names(media.schema, secrets);
      }
      ops.push({ ...op, method: method.toUpperCase(), path, secrets });
    }
  }
  return ops;
}

/** How to call each operation that answers a secret: its path and body. */
const SECRET_CALLS: Record<string, { path: string; body: unknown }> = {
  "POST /tokens": { path: "/tokens", body: { name: "ci" } },
  "POST /apps/{slug}/versions/{n}/links": {
    path: "/apps/shop/versions/1/links",
    body: { label: "QA" },
  },
  "POST /account/invitations": {
    path: "/account/invitations",
    body: { email: "new@example.com", role: "developer" },
  },
};

Deno.test("every operation that answers a secret says no-store", async () => {
  const server = await startServer();
  try {
    await liveApp(server, "shop", { "index.html": "<p>shop</p>" });
    const secretOps = (await operations(server)).filter((op) => op.secrets.size > 0);
    assert.ok(secretOps.length >= 2, "the walk found no token- or link-making operation");
    for (const op of secretOps) {
      const call = SECRET_CALLS[`${op.method} ${op.path}`];
      assert.ok(call, `${op.method} ${op.path} answers a secret: add how to call it here`);
      const res = await server.api(op.method, call.path, call.body);
      const body = await res.json();
      assert.ok(res.status < 300, `${op.method} ${call.path}: ${JSON.stringify(body)}`);
      assert.equal(res.headers.get("cache-control"), "no-store", `${op.method} ${op.path}`);
    }
  } finally {
    await server.close();
  }
});

function assertHardened(res: Response, what: string) {
  assert.equal(res.headers.get("x-content-type-options"), "nosniff", what);
  assert.match(res.headers.get("content-security-policy") ?? "", /frame-ancestors 'none'/, what);
  assert.equal(res.headers.get("referrer-policy"), "strict-origin-when-cross-origin", what);
}

Deno.test("every platform answer, success or error, carries nosniff, a CSP and a referrer policy", async () => {
  const server = await startServer();
  try {
    await liveApp(server, "shop", { "index.html": "<p>shop</p>" });
    for (const op of await operations(server)) {
      if (op.method !== "GET") continue;
      const path = op.path.replace("{slug}", "shop").replace("{n}", "1").replace(/\{\w+\}/g, "x");
      const res = await server.api("GET", path);
      await res.body?.cancel();
      assertHardened(res, `GET ${path} (${res.status})`);
    }
    const base = `http://127.0.0.1:${server.port}`;
    for (const path of ["/", "/api/v1/nothing", "/api/v1/apps", "/cli.js", "/_switchyard/health"]) {
      const res = await fetch(base + path);
      await res.body?.cancel();
      assertHardened(res, `GET ${path} without a token (${res.status})`);
    }
  } finally {
    await server.close();
  }
});

Deno.test("a version number in a path is plain decimal, anything else is 404", async () => {
  const server = await startServer();
  try {
    await liveApp(server, "shop", { "index.html": "<p>shop</p>" });
    const ok = await server.api("GET", "/apps/shop/versions/1");
    assert.equal(ok.status, 200);
    await ok.body?.cancel();
    for (const n of ["0x1", "1%20", "1e3", "01", "%2B1", "0", "-1", "1.0", "2147483649"]) {
      const res = await server.api("GET", `/apps/shop/versions/${n}`);
      const body = await res.json();
      assert.equal(res.status, 404, `${n}: ${JSON.stringify(body)}`);
      assert.equal(body.error.code, "not_found", n);
    }
  } finally {
    await server.close();
  }
});

Deno.test("app names that could pass for the platform are refused, saying why", async () => {
  const server = await startServer();
  try {
    for (const slug of [...RESERVED_SLUGS, "xn--80ak6aa92e"]) {
      const res = await server.api("POST", "/apps", { slug, name: slug });
      const body = await res.json();
      assert.equal(res.status, 422, `${slug}: ${JSON.stringify(body)}`);
      assert.equal(body.error.code, "slug_reserved", slug);
      assert.match(body.error.message, new RegExp(`"${slug}"`));
    }
    const fine = await server.api("POST", "/apps", { slug: "wwwshop", name: "Fine" });
    assert.equal(fine.status, 201);
    await fine.body?.cancel();
  } finally {
    await server.close();
  }
});

Deno.test("the platform host's own first label is reserved too", () => {
  assert.match(reservedSlugReason("switchyard", "switchyard.example")!, /"switchyard"/);
  assert.equal(reservedSlugReason("switchyard", "platform.example"), null);
});

Deno.test("every HTML page the edge writes itself carries a CSP, nosniff and a referrer policy", async () => {
  const server = await startServer();
  try {
    await liveApp(server, "shop", { "index.html": "<p>shop</p>" });
    const created = await server.api("POST", "/apps", { slug: "closed", name: "Closed" });
    await created.body?.cancel();
    const pages = [
      { what: "unknown host", res: await server.edge("nobody", "/") },
      { what: "nothing live", res: await server.edge("closed", "/") },
      { what: "missing page", res: await server.edge("shop", "/missing.png") },
      { what: "bad path", res: await server.edge("shop", "/a/%2e%2e/%00") },
      { what: "bad link", res: await server.edge("shop", "/_switchyard/preview?token=syt_x") },
    ];
    for (const { what, res } of pages) {
      assert.ok(res.status >= 400, `${what}: ${res.status}`);
      assert.match(res.headers.get("content-type") ?? "", /text\/html/, what);
      assert.equal(res.headers.get("x-content-type-options"), "nosniff", what);
      assert.match(
        res.headers.get("content-security-policy") ?? "",
        /frame-ancestors 'none'/,
        what,
      );
      assert.match(res.headers.get("content-security-policy") ?? "", /default-src 'none'/, what);
      assert.ok(res.headers.get("referrer-policy"), `${what}: no Referrer-Policy`);
      assert.doesNotMatch(res.text(), /admin|deno task/, `${what} speaks to merchants`);
    }
  } finally {
    await server.close();
  }
});
