/**
 * Accounts are apart on every operation: a second account's owner, signed in (a session) or
 * with a full token, aimed at the first account's app, versions, links, schedules, tokens,
 * members and invitations, gets 404 (or its own data) from every operation the OpenAPI
 * document lists, and leaves the first account's data as it was.
 */
import assert from "node:assert/strict";
import { createToken } from "../kv/accounts.ts";
import { addMember, createPerson, createPersonWithAccount } from "../kv/people.ts";
import { install, promote } from "./helpers/fixtures.ts";
import { call, type Caller, documentedOperations } from "./helpers/operations.ts";
import { startServer, type TestServer } from "./helpers/server.ts";
import { signIn } from "./helpers/session.ts";

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
    "/account",
    "/account/members",
    "/account/invitations",
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
    "patch /account": { name: "Intruder's account" },
    "patch /account/members/{id}": { role: "analyst" },
    "post /account/invitations": { email: "intruder@example.com", role: "owner" },
    "post /products": { name: "Intruder's", price: 1, currency: "USD" },
    "post /apps/{slug}/versions": { files: [{ path: "index.html", ...file }] },
  };
  return bodies[`${method} ${path}`] ?? {};
}

/** The first account's resources, made with its bootstrap token. */
async function firstAccount(server: TestServer) {
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
  const bea = await createPerson(server.kv, { email: "bea@alpha.example", name: "Bea Alpha" });
  await addMember(server.kv, server.accountId, bea.id, "developer");
  const invitation = await (await server.api("POST", "/account/invitations", {
    email: "cleo@alpha.example",
    role: "analyst",
  })).json();
  return { link, schedule, ownToken, files, app, bea, invitation };
}

type First = Awaited<ReturnType<typeof firstAccount>>;

/** The first account's id a path's `{id}` stands for. */
function idFor(path: string, first: First): string {
  if (path.includes("/links/")) return first.link.id;
  if (path.includes("/schedule/")) return first.schedule.id;
  if (path.includes("/members/")) return first.bea.id;
  if (path.includes("/invitations/")) return first.invitation.id;
  return first.ownToken.id;
}

/** Walks every documented operation as `caller`, asserting it reaches none of `first`. */
async function walk(server: TestServer, caller: Caller, first: First, who: string) {
  const secrets = [
    first.app.id,
    first.link.id,
    first.ownToken.id,
    first.schedule.id,
    first.ownToken.token,
    "alpha CI",
    server.accountId,
    first.bea.id,
    "bea@alpha.example",
    first.invitation.id,
    "cleo@alpha.example",
  ];
  const operations = await documentedOperations(server);
  for (const op of operations) {
    const id = idFor(op.path, first);
    const params = { slug: "alpha", n: "1", id, sha256: first.files.items[0].sha256 };
    const body = bodyFor(op.method, op.path, first.files.items[0]);
    const res = await call(server, op, caller, params, body);
    const text = await res.text();
    const where = `${who}: ${op.method.toUpperCase()} ${op.path}: ${res.status} ${text}`;
    if (/\{\w+\}/.test(op.path)) assert.equal(res.status, 404, where);
    else assert.ok(res.status < 300 || res.status === 409, where);
    for (const secret of secrets) {
      // A 404 may repeat the id it was asked for; no answer may carry anything else of alpha's.
      if (res.status === 404 && op.path.includes("{id}") && secret === id) continue;
      assert.ok(!text.includes(secret), `${where} shows "${secret}"`);
    }
  }
  return operations.length;
}

Deno.test("another account's session and token get 404 or their own data from every operation", async () => {
  const server = await startServer();
  try {
    const first = await firstAccount(server);
    const before = await snapshot(server, "alpha");

    const { person, account } = await createPersonWithAccount(server.kv, {
      email: "owner@other.example",
      name: "Other Owner",
      accountName: "Other",
    });
    // An app of its own: deleting the second account is then refused, and the walk goes on.
    const { token } = await createToken(server.kv, account.id, "other CI", {
      personId: person.id,
    });
    const own = await server.api("POST", "/apps", { slug: "other", name: "Other" }, {
      authorization: `Bearer ${token}`,
    });
    assert.equal(own.status, 201);
    await own.body?.cancel();
    const session = await signIn(server, person.id, account.id);

    const walked = await walk(server, session, first, "session");
    assert.ok(walked >= 30, `only ${walked} operations documented`);
    await walk(server, token, first, "token");
    assert.equal(await snapshot(server, "alpha"), before);
  } finally {
    await server.close();
  }
});
