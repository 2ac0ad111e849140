/**
 * GitHub sign-in against a loopback stand-in for GitHub's OAuth and REST endpoints
 * (tests/helpers/github_fake.ts): the primary verified email finds or makes the person; an
 * unverified one, a declined consent, a wrong PKCE verifier and a state made for another
 * provider sign no one in.
 */
import assert from "node:assert/strict";
import { listAudit } from "../kv/audit.ts";
import { addMember, createPerson, findPersonByEmail, listMemberships } from "../kv/people.ts";
import { listSessions } from "../kv/sessions.ts";
import { type FakeGithub, startFakeGithub } from "./helpers/github_fake.ts";
import { CookieJar } from "./helpers/cookie_jar.ts";
import { startServer, type TestServer } from "./helpers/server.ts";

async function setup(): Promise<{ server: TestServer; github: FakeGithub; base: string }> {
  const server = await startServer();
  const base = `http://127.0.0.1:${server.port}`;
  const github = startFakeGithub(`${base}/auth/github/callback`);
  server.config.github = {
    clientId: github.clientId,
    clientSecret: github.clientSecret,
    webUrl: github.url,
    apiUrl: github.url,
  };
  return { server, github, base };
}

/** Starts at Switchyard, passes GitHub's authorize step; answers the callback URL. */
async function toCallback(base: string, jar: CookieJar, edit?: (url: URL) => void) {
  const start = await fetch(`${base}/auth/github/signin?next=/settings`, { redirect: "manual" });
  await start.body?.cancel();
  assert.equal(start.status, 302);
  jar.take(start);
  const authorize = new URL(start.headers.get("location")!);
  assert.equal(authorize.searchParams.get("scope"), "read:user user:email");
  edit?.(authorize);
  const consent = await fetch(authorize, { redirect: "manual" });
  await consent.body?.cancel();
  assert.equal(consent.status, 302);
  return consent.headers.get("location")!;
}

async function open(url: string, jar: CookieJar): Promise<Response> {
  const response = await fetch(url, { redirect: "manual", headers: { cookie: jar.header() } });
  jar.take(response);
  return response;
}

Deno.test("GitHub: the primary verified email signs in, making the person the first time", async () => {
  const { server, github, base } = await setup();
  try {
    github.user = {
      id: 42,
      login: "kim",
      name: "Kim Lee",
      emails: [
        { email: "kim@old.example", primary: false, verified: true },
        { email: "Kim@Example.test", primary: true, verified: true },
      ],
    };
    const jar = new CookieJar();
    const response = await open(await toCallback(base, jar), jar);
    assert.equal(response.status, 303, await response.clone().text());
    assert.equal(response.headers.get("location"), "/settings");
    assert.ok(jar.get("sy_session"));
    assert.equal(jar.get("sy_oauth"), undefined, "the flight cookie is gone");
    const person = await findPersonByEmail(server.kv, "kim@example.test");
    assert.equal(person?.name, "Kim Lee");
    assert.equal((await listMemberships(server.kv, person!.id))[0].role, "owner");
    assert.equal(await findPersonByEmail(server.kv, "kim@old.example"), null);
    // One sign-in entry, in Kim's new account, by GitHub, from this address.
    const account = (await listMemberships(server.kv, person!.id))[0].account_id;
    const log = (await listAudit(server.kv, account)).items;
    assert.deepEqual(log.map((e) => [e.action, e.summary.method, e.ip, e.actor.id]), [
      ["session.sign_in", "github", "127.0.0.1", person!.id],
    ]);
  } finally {
    await github.close();
    await server.close();
  }
});

Deno.test("GitHub: an unverified primary email signs no one in", async () => {
  const { server, github, base } = await setup();
  try {
    github.user = {
      id: 7,
      login: "lou",
      name: null,
      emails: [{ email: "lou@example.test", primary: true, verified: false }],
    };
    const jar = new CookieJar();
    const response = await open(await toCallback(base, jar), jar);
    assert.equal(response.status, 403);
    assert.equal((await response.json()).error.code, "email_not_verified");
    assert.equal(await findPersonByEmail(server.kv, "lou@example.test"), null);
  } finally {
    await github.close();
    await server.close();
  }
});

Deno.test("GitHub: a code bound to another PKCE challenge is refused", async () => {
  const { server, github, base } = await setup();
  try {
    github.user.emails = [{ email: "max@example.test", primary: true, verified: true }];
    const jar = new CookieJar();
    const callback = await toCallback(base, jar, (url) => {
      url.searchParams.set("code_challenge", "A".repeat(43));
    });
    const response = await open(callback, jar);
    assert.equal(response.status, 401);
    const body = await response.json();
    assert.equal(body.error.code, "oauth_sign_in_refused");
    assert.match(body.error.message, /bad_verification_code/);
    assert.equal(jar.get("sy_session"), undefined);
  } finally {
    await github.close();
    await server.close();
  }
});

Deno.test("GitHub: a declined consent and a state made for another provider are refused", async () => {
  const { server, github, base } = await setup();
  try {
    const jar = new CookieJar();
    const callback = new URL(await toCallback(base, jar));
    const declined = new URL(callback);
    declined.searchParams.delete("code");
    declined.searchParams.set("error", "access_denied");
    const refused = await open(declined.toString(), jar);
    assert.equal(refused.status, 401);
    assert.equal((await refused.json()).error.code, "oauth_sign_in_refused");

    // The OIDC callback will not take a state GitHub's sign-in made.
    server.config.oidc = {
      issuer: "http://127.0.0.1:9",
      clientId: "x",
      clientSecret: "y",
      name: "Other",
    };
    const other = new CookieJar();
    const github2 = new URL(await toCallback(base, other));
    github2.pathname = "/auth/oidc/callback";
    const crossed = await open(github2.toString(), other);
    assert.equal(crossed.status, 400);
    assert.equal((await crossed.json()).error.code, "oauth_state_invalid");

    const unknown = await fetch(`${base}/auth/gitlab/signin`);
    assert.equal(unknown.status, 404);
    assert.equal((await unknown.json()).error.code, "provider_not_configured");
  } finally {
    await github.close();
    await server.close();
  }
});

Deno.test("GitHub: a member known by email signs in to their account, none is made", async () => {
  const { server, github, base } = await setup();
  try {
    const member = await createPerson(server.kv, { email: "nia@example.test", name: "Nia" });
    await addMember(server.kv, server.accountId, member.id, "developer");
    github.user = {
      id: 99,
      login: "nia",
      name: "Nia GitHub",
      emails: [{ email: "NIA@example.test", primary: true, verified: true }],
    };
    const jar = new CookieJar();
    const response = await open(await toCallback(base, jar), jar);
    assert.equal(response.status, 303);
    await response.body?.cancel();
    const memberships = await listMemberships(server.kv, member.id);
    assert.deepEqual(memberships.map((m) => [m.account_id, m.role]), [
      [server.accountId, "developer"],
    ]);
    const sessions = await listSessions(server.kv, member.id);
    assert.equal(sessions.length, 1);
    assert.equal(sessions[0].session.account_id, server.accountId);
    assert.equal(sessions[0].session.method, "github");
    const cookie = { cookie: `sy_session=${jar.get("sy_session")}` };
    const apps = await fetch(`${base}/api/v1/apps`, { headers: cookie });
    assert.equal(apps.status, 200);
    await apps.body?.cancel();
  } finally {
    await github.close();
    await server.close();
  }
});
