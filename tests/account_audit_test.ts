/**
 * The account's audit log, read as its owner reads it (`GET /api/v1/audit`), for the changes
 * the members, invitations and account routes make, and for every way in: each change is there
 * once with who made it, from where and a summary; a refused change leaves nothing; deleting an
 * account leaves its last entry behind. Passkey register, remove and sign-in are checked in
 * real Chromium (tests/passkeys_browser_test.ts); OIDC sign-in here, against a real provider.
 */
import assert from "node:assert/strict";
import { listAudit } from "../kv/audit.ts";
import { createPersonWithAccount, findPersonByEmail } from "../kv/people.ts";
import { createSignInLink } from "../kv/signin_links.ts";
import { CookieJar, loginAtProvider, startOidcProvider } from "./helpers/oidc_provider.ts";
import { startServer } from "./helpers/server.ts";
import { type Browser, browserWith, confirmLink, cookieOf, signIn } from "./helpers/session.ts";

interface Entry {
  action: string;
  actor: { type: string; id: string; name: string };
  target: { type: string; id: string } | null;
  summary: Record<string, unknown>;
  ip: string | null;
}

async function logOf(browser: Browser, query = ""): Promise<Entry[]> {
  const res = await browser.api("GET", `/audit${query}`);
  const body = await res.json();
  assert.equal(res.status, 200, JSON.stringify(body));
  return body.items;
}

async function call(res: Promise<Response>, status: number) {
  const answer = await res;
  const text = await answer.text();
  assert.equal(answer.status, status, text);
  return text ? JSON.parse(text) : null;
}

Deno.test("member and invitation changes are logged with who, from where and what", async () => {
  const server = await startServer();
  try {
    const owner = await signIn(server);
    const invited = await call(
      owner.api("POST", "/account/invitations", { email: "grace@example.com", role: "developer" }),
      201,
    );
    const dropped = await call(
      owner.api("POST", "/account/invitations", { email: "x@example.com", role: "analyst" }),
      201,
    );
    await call(owner.api("DELETE", `/account/invitations/${dropped.id}`), 204);
    const joined = await confirmLink(invited.url);
    assert.equal(joined.status, 303, await joined.text());
    const grace = (await findPersonByEmail(server.kv, "grace@example.com"))!;
    await call(owner.api("PATCH", `/account/members/${grace.id}`, { role: "analyst" }), 200);
    // Refused: the only owner cannot step down. Nothing of it may reach the log.
    const refused = await owner.api("PATCH", `/account/members/${server.ownerId}`, {
      role: "developer",
    });
    assert.equal((await refused.json()).error.code, "last_owner");
    await call(owner.api("DELETE", `/account/members/${server.ownerId}`), 409);
    await call(owner.api("DELETE", `/account/members/${grace.id}`), 204);
    await call(owner.api("PATCH", "/account", { name: "Grace's old shop" }), 200);

    const entries = await logOf(owner);
    assert.deepEqual(entries.map((e) => e.action), [
      "account.update",
      "member.remove",
      "member.role",
      "session.sign_in",
      "member.add",
      "member.invite_revoke",
      "member.invite",
      "member.invite",
      "session.sign_in",
    ]);
    assert.ok(entries.every((e) => e.ip === "127.0.0.1"), JSON.stringify(entries));
    const byOwner = { type: "person", id: server.ownerId, name: "Owner" };
    const byGrace = { type: "person", id: grace.id, name: "grace" };
    const [rename, removed, role, graceIn, added, revoked, invite] = entries;
    assert.deepEqual(rename.actor, byOwner);
    assert.deepEqual(rename.summary, { from: "Default account", name: "Grace's old shop" });
    assert.deepEqual(removed.actor, byOwner);
    assert.deepEqual(removed.target, { type: "person", id: grace.id });
    assert.deepEqual(removed.summary, {
      name: "grace",
      email: "grace@example.com",
      role: "analyst",
    });
    assert.deepEqual(role.summary, {
      name: "grace",
      email: "grace@example.com",
      from: "developer",
      to: "analyst",
    });
    // Joining: the person joining is who acted, and their first session is their sign-in.
    assert.deepEqual(added.actor, byGrace);
    assert.deepEqual(added.summary, {
      email: "grace@example.com",
      role: "developer",
      invitation: invited.id,
    });
    assert.deepEqual(graceIn.actor, byGrace);
    assert.equal(graceIn.summary.method, "invitation");
    assert.deepEqual(revoked.summary, { email: "x@example.com", role: "analyst" });
    assert.deepEqual(revoked.target, { type: "invitation", id: dropped.id });
    assert.deepEqual(invite.actor, byOwner);
    assert.deepEqual(invite.summary, { email: "x@example.com", role: "analyst" });
  } finally {
    await server.close();
  }
});

Deno.test("deleting an account logs it in the commit that deletes it; its log stays behind", async () => {
  const server = await startServer();
  try {
    const { person, account } = await createPersonWithAccount(server.kv, {
      email: "leaving@example.com",
      name: "Leaving",
      accountName: "Closing down",
    });
    const owner = await signIn(server, person.id, account.id);
    await call(owner.api("DELETE", "/account"), 200);
    await call(owner.api("GET", "/audit"), 401);
    // No API reads a deleted account's log any more: the operator reads it from KV.
    const { items } = await listAudit(server.kv, account.id);
    assert.deepEqual(items.map((e) => e.action), ["account.delete", "session.sign_in"]);
    assert.deepEqual(items[0].actor, { type: "person", id: person.id, name: "Leaving" });
    assert.deepEqual(items[0].summary, { name: "Closing down" });
    assert.equal(items[0].ip, "127.0.0.1");
    // The default account cannot be deleted: refused, and not logged.
    const admin = await signIn(server);
    await call(admin.api("DELETE", "/account"), 409);
    assert.ok(!(await logOf(admin)).some((e) => e.action === "account.delete"));
  } finally {
    await server.close();
  }
});

Deno.test("an emailed link's sign-in is logged once, by method, when the link is used", async () => {
  const server = await startServer();
  try {
    const { person } = await createPersonWithAccount(server.kv, {
      email: "judy@example.test",
      name: "Judy",
      accountName: "Judy's",
    });
    // The link the mail holds (tests/email_link_test.ts has it go through a real SMTP server).
    const secret = await createSignInLink(server.kv, {
      personId: person.id,
      accountId: null,
      purpose: "email",
    });
    const url = `http://127.0.0.1:${server.port}/auth/link/${secret}`;
    // A mail scanner's prefetch shows the page and signs no one in.
    const scanned = await fetch(url);
    assert.equal(scanned.status, 200);
    assert.equal(scanned.headers.get("set-cookie"), null, "a prefetch signs no one in");
    assert.match(await scanned.text(), /<button type="submit">Sign in<\/button>/);
    const opened = await confirmLink(url);
    assert.equal(opened.status, 303);
    const judy = browserWith(server, cookieOf(opened)!);
    const entries = await logOf(judy);
    assert.deepEqual(entries.map((e) => [e.action, e.summary.method, e.ip]), [
      ["session.sign_in", "email", "127.0.0.1"],
    ]);
    assert.deepEqual(entries[0].actor, { type: "person", id: person.id, name: "Judy" });
  } finally {
    await server.close();
  }
});

Deno.test("an OIDC sign-in is logged once in the person's account, by method", async () => {
  const server = await startServer();
  const base = `http://127.0.0.1:${server.port}`;
  const provider = await startOidcProvider(`${base}/auth/oidc/callback`);
  server.config.oidc = {
    issuer: provider.issuer,
    clientId: provider.clientId,
    clientSecret: provider.clientSecret,
    name: "Test IdP",
  };
  try {
    const jar = new CookieJar();
    const start = await fetch(`${base}/auth/oidc/signin`, { redirect: "manual" });
    await start.body?.cancel();
    jar.take(start);
    const callback = await loginAtProvider(start.headers.get("location")!, "alice@example.test");
    const done = await fetch(callback, { redirect: "manual", headers: { cookie: jar.header() } });
    assert.equal(done.status, 303, await done.text());
    jar.take(done);
    const alice = browserWith(server, `sy_session=${jar.get("sy_session")}`);
    const entries = await logOf(alice);
    const person = (await findPersonByEmail(server.kv, "alice@example.test"))!;
    assert.deepEqual(entries.map((e) => [e.action, e.summary.method, e.ip, e.actor.id]), [
      ["session.sign_in", "oidc", "127.0.0.1", person.id],
    ]);
  } finally {
    await provider.close();
    await server.close();
  }
});
