/**
 * Members of an account over HTTP: inviting (handed to the owner; mailed: tests/invitation_test.ts), accepting signed in or not, switching accounts, role changes that take
 * effect on the next request (for sessions and for the tokens a member made), removal, the
 * last owner, and deleting an account.
 */
import assert from "node:assert/strict";
import { authenticate, createToken } from "../kv/accounts.ts";
import { memberKey, membershipKey } from "../kv/keys.ts";
import { changeRole, removeMember } from "../kv/members.ts";
import {
  addMember,
  createPerson,
  createPersonWithAccount,
  findPersonByEmail,
  listMemberships,
} from "../kv/people.ts";
import { startServer, type TestServer } from "./helpers/server.ts";
import {
  type Browser,
  browserWith,
  confirmLink,
  cookieOf,
  signIn,
  signInMember,
} from "./helpers/session.ts";

/** Opens an invitation `url` and confirms it (with `cookie`, if any), not following redirects. */
async function open(url: string, cookie?: string): Promise<Response> {
  const response = await confirmLink(url, cookie);
  await response.body?.cancel();
  return response;
}

async function invite(browser: Browser, email: string, role: string) {
  const res = await browser.api("POST", "/account/invitations", { email, role });
  assert.equal(res.status, 201);
  return await res.json();
}

async function json(res: Promise<Response>) {
  return await (await res).json();
}

/** Ann, with an account of her own ("Ann's shop"), signed in to it. */
async function annInHerShop(server: TestServer) {
  const { person, account } = await createPersonWithAccount(server.kv, {
    email: "ann@shop.example",
    name: "Ann",
    accountName: "Ann's shop",
  });
  return { person, account, ann: await signIn(server, person.id, account.id) };
}

Deno.test("an invitation without SMTP is handed to the owner; opening it makes and signs in its person, once", async () => {
  const server = await startServer();
  try {
    const owner = await signIn(server);
    const created = await invite(owner, "Grace@Example.com", "developer");
    assert.equal(created.invitation_sent, false);
    assert.equal(created.email, "grace@example.com");
    assert.match(created.url, /^http:\/\/127\.0\.0\.1:\d+\/auth\/invitations\/[0-9A-Za-z]{43}$/);
    assert.equal(created.invited_by, server.ownerId);
    const pending = await json(owner.api("GET", "/account/invitations"));
    assert.deepEqual(pending.items.map((i: { email: string }) => i.email), ["grace@example.com"]);
    assert.ok(!JSON.stringify(pending).includes(created.url.split("/").at(-1)), "never the link");

    const accepted = await open(created.url);
    assert.equal(accepted.status, 303);
    assert.equal(accepted.headers.get("location"), "/");
    const grace = browserWith(server, cookieOf(accepted)!);
    const me = await json(grace.api("GET", "/me"));
    assert.equal(me.person.email, "grace@example.com");
    assert.equal(me.account_id, server.accountId);
    assert.equal(me.role, "developer");
    assert.deepEqual(me.memberships.map((m: { role: string }) => m.role), ["developer"]);
    assert.equal(me.memberships[0].account_name, "Default account");

    const members = await json(owner.api("GET", "/account/members"));
    assert.deepEqual(
      members.items.map((m: { email: string | null; role: string }) => `${m.email} ${m.role}`),
      ["null owner", "grace@example.com developer"],
    );
    const again = await fetch(created.url, { redirect: "manual" });
    assert.equal(again.status, 404);
    assert.equal((await again.json()).error.code, "invitation_invalid");
    assert.equal((await json(owner.api("GET", "/account/invitations"))).items.length, 0);
  } finally {
    await server.close();
  }
});

Deno.test("a signed-in person joins at once and switches between their accounts", async () => {
  const server = await startServer();
  try {
    const { account, ann } = await annInHerShop(server);
    const created = await invite(await signIn(server), "ann@shop.example", "analyst");

    const joined = await open(created.url, ann.cookie);
    assert.equal(joined.status, 303);
    assert.equal(cookieOf(joined), null, "the same session, moved to the account");
    let me = await json(ann.api("GET", "/me"));
    assert.equal(me.account_id, server.accountId);
    assert.equal(me.role, "analyst");
    assert.deepEqual(
      me.memberships.map((m: { account_name: string }) => m.account_name).sort(),
      ["Ann's shop", "Default account"],
    );

    const switched = await fetch(`http://127.0.0.1:${server.port}/auth/switch`, {
      method: "POST",
      headers: {
        cookie: ann.cookie,
        "sec-fetch-site": "same-origin",
        "content-type": "application/json",
      },
      body: JSON.stringify({ account_id: account.id }),
    });
    assert.equal(switched.status, 200);
    assert.deepEqual(await switched.json(), { account_id: account.id, role: "owner" });
    me = await json(ann.api("GET", "/account"));
    assert.equal(me.name, "Ann's shop");
    assert.equal(me.role, "owner");

    const crossSite = await fetch(`http://127.0.0.1:${server.port}/auth/switch`, {
      method: "POST",
      headers: { cookie: ann.cookie, "sec-fetch-site": "cross-site" },
      body: new URLSearchParams({ account_id: server.accountId }),
    });
    assert.equal(crossSite.status, 403);
    await crossSite.body?.cancel();
    const stranger = await createPersonWithAccount(server.kv, {
      email: "x@example.com",
      name: "X",
      accountName: "Not Ann's",
    });
    const notHers = await fetch(`http://127.0.0.1:${server.port}/auth/switch`, {
      method: "POST",
      headers: { cookie: ann.cookie, "sec-fetch-site": "same-origin" },
      body: new URLSearchParams({ account_id: stranger.account.id }),
    });
    assert.equal(notHers.status, 404);
    await notHers.body?.cancel();
    assert.equal((await json(ann.api("GET", "/account"))).name, "Ann's shop");
  } finally {
    await server.close();
  }
});

Deno.test("an invitation to a known email wants its person signed in first", async () => {
  const server = await startServer();
  try {
    const existing = await createPersonWithAccount(server.kv, {
      email: "known@example.com",
      name: "Known",
      accountName: "Known's",
    });
    const created = await invite(await signIn(server), "known@example.com", "developer");
    const refused = await open(created.url);
    assert.equal(refused.status, 303);
    const next = `/auth/invitations/${created.url.split("/").at(-1)}`;
    assert.equal(refused.headers.get("location"), `/signin?next=${encodeURIComponent(next)}`);
    assert.equal(cookieOf(refused), null, "nobody is signed in by the link alone");
    const known = await signIn(server, existing.person.id, existing.account.id);
    assert.equal((await open(created.url, known.cookie)).status, 303);
    assert.equal((await json(known.api("GET", "/me"))).role, "developer");
  } finally {
    await server.close();
  }
});

Deno.test("revoking or re-sending an invitation ends its old link", async () => {
  const server = await startServer();
  try {
    const owner = await signIn(server);
    const first = await invite(owner, "a@example.com", "developer");
    const resent = await invite(owner, "a@example.com", "analyst");
    assert.equal((await open(first.url)).status, 404);
    const revoked = await owner.api("DELETE", `/account/invitations/${resent.id}`);
    assert.equal(revoked.status, 204);
    assert.equal((await open(resent.url)).status, 404);
    assert.equal((await owner.api("DELETE", `/account/invitations/${resent.id}`)).status, 404);
    const memberAlready = await owner.api("POST", "/account/invitations", {
      email: (await signInMember(server, "m@example.com", "analyst")).person.email,
      role: "owner",
    });
    assert.equal(memberAlready.status, 409);
    assert.equal((await memberAlready.json()).error.code, "already_member");
    const bad = await owner.api("POST", "/account/invitations", { email: "nope", role: "boss" });
    assert.equal(bad.status, 422);
    const fields = (await bad.json()).error.details.map((d: { field: string }) => d.field);
    assert.deepEqual(fields.sort(), ["email", "role"]);
  } finally {
    await server.close();
  }
});

Deno.test("a role change takes effect on the next request, for the session and the member's tokens", async () => {
  const server = await startServer();
  try {
    const owner = await signIn(server);
    const dev = await signInMember(server, "dev@example.com", "developer");
    const made = await dev.browser.api("POST", "/tokens", { name: "dev CI" });
    // A developer may not make tokens (owner only); the owner makes one as the developer would.
    assert.equal(made.status, 403);
    await made.body?.cancel();
    const { token } = await createToken(server.kv, server.accountId, "dev CI", {
      role: "developer",
      personId: dev.person.id,
    });
    const bearer = { authorization: `Bearer ${token}` };
    const createApp = (slug: string, headers?: Record<string, string>) =>
      headers
        ? server.api("POST", "/apps", { slug, name: slug }, headers)
        : dev.browser.api("POST", "/apps", { slug, name: slug });
    assert.equal((await createApp("by-session")).status, 201);
    assert.equal((await createApp("by-token", bearer)).status, 201);

    const demoted = await owner.api("PATCH", `/account/members/${dev.person.id}`, {
      role: "analyst",
    });
    assert.equal(demoted.status, 200);
    assert.equal((await demoted.json()).role, "analyst");
    assert.equal((await createApp("after-session")).status, 403);
    assert.equal((await createApp("after-token", bearer)).status, 403);
    assert.equal((await dev.browser.api("GET", "/apps")).status, 200);

    const tokens = await json(owner.api("GET", "/tokens"));
    const listed = tokens.items.find((t: { name: string }) => t.name === "dev CI");
    assert.deepEqual(listed.created_by, { person_id: dev.person.id, name: "dev" });
    assert.equal(
      tokens.items.find((t: { name: string }) => t.name === "bootstrap").created_by,
      null,
    );

    const removed = await owner.api("DELETE", `/account/members/${dev.person.id}`);
    assert.equal(removed.status, 204);
    assert.equal((await dev.browser.api("GET", "/apps")).status, 401);
    assert.equal((await server.api("GET", "/apps", undefined, bearer)).status, 401);
    const after = await json(owner.api("GET", "/tokens"));
    assert.ok(!after.items.some((t: { name: string }) => t.name === "dev CI"), "revoked");
  } finally {
    await server.close();
  }
});

Deno.test("a token dies with its maker's membership, even when they are invited back", async () => {
  const server = await startServer();
  try {
    const dev = await signInMember(server, "back@example.com", "developer");
    const { token } = await createToken(server.kv, server.accountId, "kept", {
      role: "developer",
      personId: dev.person.id,
    });
    assert.equal((await authenticate(server.kv, token))?.role, "developer");
    // The membership ends and the process stops before it revokes the member's tokens (the
    // revoke follows the removal's commit); later they are invited back.
    await server.kv.atomic()
      .delete(memberKey(server.accountId, dev.person.id))
      .delete(membershipKey(dev.person.id, server.accountId))
      .commit();
    assert.equal(await authenticate(server.kv, token), null);
    await new Promise((resolve) => setTimeout(resolve, 2));
    await addMember(server.kv, server.accountId, dev.person.id, "owner");
    assert.equal(await authenticate(server.kv, token), null);
  } finally {
    await server.close();
  }
});

Deno.test("an account keeps an owner: the last one can be neither demoted nor removed", async () => {
  const server = await startServer();
  try {
    const owner = await signIn(server);
    for (const [method, body] of [["PATCH", { role: "developer" }], ["DELETE", undefined]]) {
      const res = await owner.api(method as string, `/account/members/${server.ownerId}`, body);
      assert.equal(res.status, 409);
      assert.equal((await res.json()).error.code, "last_owner");
    }
    // Hand-over: make another owner, then step down.
    const heir = await signInMember(server, "heir@example.com", "developer");
    const up = await owner.api("PATCH", `/account/members/${heir.person.id}`, { role: "owner" });
    assert.equal(up.status, 200);
    await up.body?.cancel();
    const down = await owner.api("PATCH", `/account/members/${server.ownerId}`, {
      role: "developer",
    });
    assert.equal(down.status, 200);
    await down.body?.cancel();
    const me = await json(owner.api("GET", "/account"));
    assert.equal(me.role, "developer");
    const refused = await owner.api("PATCH", `/account/members/${heir.person.id}`, {
      role: "analyst",
    });
    assert.equal(refused.status, 403);
    await refused.body?.cancel();
  } finally {
    await server.close();
  }
});

Deno.test("two owners demoting each other at once: one wins, an owner remains", async () => {
  const server = await startServer();
  try {
    for (let round = 0; round < 20; round++) {
      const a = await createPerson(server.kv, { email: `a${round}@x.example`, name: "A" });
      const b = await createPerson(server.kv, { email: `b${round}@x.example`, name: "B" });
      const { account } = await createPersonWithAccount(server.kv, {
        email: `f${round}@x.example`,
        name: "F",
        accountName: `race ${round}`,
      });
      await addMember(server.kv, account.id, a.id, "owner");
      await addMember(server.kv, account.id, b.id, "owner");
      const founder = await findPersonByEmail(server.kv, `f${round}@x.example`);
      await removeMember(server.kv, account.id, founder!.id);
      const results = await Promise.allSettled([
        changeRole(server.kv, account.id, a.id, "developer"),
        changeRole(server.kv, account.id, b.id, "developer"),
      ]);
      const refused = results.filter((r) => r.status === "rejected");
      assert.equal(refused.length, 1, `round ${round}`);
      assert.equal((refused[0] as PromiseRejectedResult).reason.code, "last_owner");
    }
  } finally {
    await server.close();
  }
});

Deno.test("deleting an account: never the default one, never with apps; then nothing acts for it", async () => {
  const server = await startServer();
  try {
    const owner = await signIn(server);
    const refused = await owner.api("DELETE", "/account");
    assert.equal(refused.status, 409);
    assert.equal((await refused.json()).error.code, "default_account");

    const { person, account } = await createPersonWithAccount(server.kv, {
      email: "closing@example.com",
      name: "Closing",
      accountName: "Closing down",
    });
    const closing = await signIn(server, person.id, account.id);
    const renamed = await closing.api("PATCH", "/account", { name: "Closed soon" });
    assert.equal((await renamed.json()).name, "Closed soon");
    assert.equal((await closing.api("POST", "/apps", { slug: "last", name: "Last" })).status, 201);
    const notEmpty = await closing.api("DELETE", "/account");
    assert.equal(notEmpty.status, 409);
    assert.equal((await notEmpty.json()).error.code, "account_not_empty");
    assert.equal((await closing.api("DELETE", "/apps/last")).status, 204);
    const deleted = await closing.api("DELETE", "/account");
    assert.equal(deleted.status, 200);
    assert.equal((await deleted.json()).name, "Closed soon");
    assert.equal((await closing.api("GET", "/account")).status, 401);
    assert.deepEqual(await listMemberships(server.kv, person.id), []);
  } finally {
    await server.close();
  }
});

Deno.test("a member removed from the account they are in lands in another of theirs", async () => {
  const server = await startServer();
  try {
    const { person, account } = await createPersonWithAccount(server.kv, {
      email: "two@example.com",
      name: "Two",
      accountName: "Two's own",
    });
    await addMember(server.kv, server.accountId, person.id, "developer");
    const two = await signIn(server, person.id, server.accountId);
    assert.equal((await json(two.api("GET", "/account"))).id, server.accountId);
    const owner = await signIn(server);
    assert.equal((await owner.api("DELETE", `/account/members/${person.id}`)).status, 204);
    const me = await json(two.api("GET", "/me"));
    assert.equal(me.account_id, account.id);
    assert.deepEqual(me.memberships.map((m: { account_id: string }) => m.account_id), [
      account.id,
    ]);
    const apps = await two.api("GET", "/apps");
    assert.deepEqual((await apps.json()).items, [], "none of the default account's apps");
  } finally {
    await server.close();
  }
});

Deno.test("a signed-in person with another email cannot accept an invitation, and is told whose it is", async () => {
  const server = await startServer();
  try {
    const { ann } = await annInHerShop(server);
    const created = await invite(await signIn(server), "bob@example.com", "owner");

    const page = await fetch(created.url, { headers: { cookie: ann.cookie } });
    const html = await page.text();
    assert.match(
      html,
      /You are signed in as ann@shop\.example: sign out, or sign in as bob@example\.com/,
    );
    const refused = await confirmLink(created.url, ann.cookie);
    assert.equal(refused.status, 409);
    const error = (await refused.json()).error;
    assert.equal(error.code, "invitation_for_another_email");
    assert.match(error.message, /This invitation is for "bob@example\.com"/);
    assert.equal((await json(ann.api("GET", "/me"))).memberships.length, 1, "Ann did not join");

    // The invitation still works for the address it was sent to.
    assert.equal((await open(created.url)).status, 303);
    assert.ok(await findPersonByEmail(server.kv, "bob@example.com"));
  } finally {
    await server.close();
  }
});

Deno.test("removing or demoting an owner revokes the invitations they sent", async () => {
  const server = await startServer();
  try {
    const founder = await signIn(server);
    const removed = await signInMember(server, "gone@example.com", "owner");
    const demoted = await signInMember(server, "down@example.com", "owner");
    const fromRemoved = await invite(removed.browser, "mallory@example.com", "owner");
    const fromDemoted = await invite(demoted.browser, "eve@example.com", "owner");
    const fromFounder = await invite(founder, "friend@example.com", "analyst");
    assert.equal((await json(founder.api("GET", "/account/invitations"))).items.length, 3);

    await removeMember(server.kv, server.accountId, removed.person.id);
    await changeRole(server.kv, server.accountId, demoted.person.id, "developer");

    const pending = await json(founder.api("GET", "/account/invitations"));
    assert.deepEqual(pending.items.map((i: { email: string }) => i.email), ["friend@example.com"]);
    for (const url of [fromRemoved.url, fromDemoted.url]) {
      const res = await confirmLink(url);
      assert.equal(res.status, 404);
      assert.equal((await res.json()).error.code, "invitation_invalid");
    }
    assert.equal(await findPersonByEmail(server.kv, "mallory@example.com"), null);
    assert.equal((await open(fromFounder.url)).status, 303, "others' invitations still work");
  } finally {
    await server.close();
  }
});

Deno.test("an invitation is refused once its inviter is no owner, before it is revoked", async () => {
  const server = await startServer();
  try {
    const inviter = await signInMember(server, "brief@example.com", "owner");
    const created = await invite(inviter.browser, "late@example.com", "owner");
    // The moment between the demotion's commit and the revocation that follows it.
    const demoted = {
      ...(await server.kv.get(memberKey(server.accountId, inviter.person.id)))
        .value as Record<string, unknown>,
      role: "analyst",
    };
    await server.kv.set(memberKey(server.accountId, inviter.person.id), demoted);
    const res = await confirmLink(created.url);
    assert.equal(res.status, 404);
    assert.equal((await res.json()).error.code, "invitation_invalid");
    assert.equal(await findPersonByEmail(server.kv, "late@example.com"), null);
  } finally {
    await server.close();
  }
});
