/**
 * OpenID Connect sign-in end to end against a real OpenID provider on loopback (npm
 * `oidc-provider`, its login pages driven over HTTP): the first sign-in makes the person and
 * their account, a later one finds them by email; and every way a callback can be wrong is
 * refused without a session — missing, mismatched or replayed `state`, a wrong PKCE verifier, a
 * redirect URI one character off, a replayed nonce, an expired code, an unverified email.
 */
import assert from "node:assert/strict";
import { findPersonByEmail, listMemberships } from "../kv/people.ts";
import {
  CookieJar,
  loginAtProvider,
  startOidcProvider,
  type TestProvider,
} from "./helpers/oidc_provider.ts";
import { startServer, type TestServer } from "./helpers/server.ts";

interface Setup {
  server: TestServer;
  provider: TestProvider;
  base: string;
}

async function setup(): Promise<Setup> {
  const server = await startServer();
  const base = `http://127.0.0.1:${server.port}`;
  const provider = await startOidcProvider(`${base}/auth/oidc/callback`);
  server.config.oidc = {
    issuer: provider.issuer,
    clientId: provider.clientId,
    clientSecret: provider.clientSecret,
    name: "Test IdP",
  };
  return { server, provider, base };
}

async function teardown({ server, provider }: Setup) {
  await provider.close();
  await server.close();
}

/** Starts a sign-in at Switchyard in `jar`'s browser; answers the provider URL it redirects to. */
async function begin(base: string, jar: CookieJar, next = "/apps"): Promise<string> {
  const response = await fetch(`${base}/auth/oidc/signin?next=${encodeURIComponent(next)}`, {
    redirect: "manual",
    headers: { cookie: jar.header() },
  });
  await response.body?.cancel();
  assert.equal(response.status, 302);
  jar.take(response);
  return response.headers.get("location")!;
}

/** Opens the callback URL in `jar`'s browser (not following the redirect after it). */
async function finish(callback: string, jar: CookieJar): Promise<Response> {
  const response = await fetch(callback, { redirect: "manual", headers: { cookie: jar.header() } });
  jar.take(response);
  return response;
}

Deno.test("OIDC: a first sign-in makes the person and their account; the next finds them", async () => {
  const setup_ = await setup();
  const { server, base } = setup_;
  try {
    const providers = await (await fetch(`${base}/auth/providers`)).json();
    assert.deepEqual(providers.providers, [
      { id: "oidc", name: "Test IdP", signin_url: "/auth/oidc/signin" },
    ]);

    const jar = new CookieJar();
    const authorize = await begin(base, jar, "/apps/shop?tab=live");
    const url = new URL(authorize);
    assert.equal(url.searchParams.get("code_challenge_method"), "S256");
    assert.ok(url.searchParams.get("nonce"));
    const callback = await loginAtProvider(authorize, "alice@example.test");
    const response = await finish(callback, jar);
    assert.equal(response.status, 303, await response.clone().text());
    assert.equal(response.headers.get("location"), "/apps/shop?tab=live");
    const session = jar.get("sy_session");
    assert.ok(session, "signed in");

    const person = await findPersonByEmail(server.kv, "alice@example.test");
    assert.ok(person);
    assert.equal(person.name, "Alice");
    const memberships = await listMemberships(server.kv, person.id);
    assert.equal(memberships.length, 1);
    assert.equal(memberships[0].role, "owner");
    assert.notEqual(memberships[0].account_id, server.accountId, "their own account");

    const apps = await fetch(`${base}/api/v1/apps`, {
      headers: { cookie: `sy_session=${session}` },
    });
    assert.equal(apps.status, 200);
    await apps.body?.cancel();

    const again = new CookieJar();
    const second = await finish(
      await loginAtProvider(await begin(base, again), "Alice@Example.test"),
      again,
    );
    assert.equal(second.status, 303);
    await second.body?.cancel();
    const same = await findPersonByEmail(server.kv, "alice@example.test");
    assert.equal(same!.id, person.id, "the same person, no second account");
    assert.equal((await listMemberships(server.kv, person.id)).length, 1);
  } finally {
    await teardown(setup_);
  }
});

/** Asserts a refused callback: the status and code, and no session cookie handed out. */
async function assertRefused(response: Response, status: number, code: string, jar: CookieJar) {
  const text = await response.text();
  assert.equal(response.status, status, text);
  assert.equal(JSON.parse(text).error.code, code, text);
  assert.equal(jar.get("sy_session"), undefined, "no session");
}

Deno.test("OIDC: a callback without state, or with a made-up one, is refused", async () => {
  const setup_ = await setup();
  try {
    const jar = new CookieJar();
    const callback = new URL(
      await loginAtProvider(await begin(setup_.base, jar), "bob@example.test"),
    );
    const stateless = new URL(callback);
    stateless.searchParams.delete("state");
    await assertRefused(await finish(stateless.toString(), jar), 400, "oauth_state_missing", jar);
    const madeUp = new URL(callback);
    madeUp.searchParams.set("state", "x".repeat(43));
    await assertRefused(await finish(madeUp.toString(), jar), 400, "oauth_state_invalid", jar);
    assert.equal(await findPersonByEmail(setup_.server.kv, "bob@example.test"), null);
  } finally {
    await teardown(setup_);
  }
});

Deno.test("OIDC: a callback carried to another browser signs no one in (login CSRF)", async () => {
  const setup_ = await setup();
  try {
    const attacker = new CookieJar();
    const callback = await loginAtProvider(
      await begin(setup_.base, attacker),
      "mallory@example.test",
    );
    const victim = new CookieJar();
    await begin(setup_.base, victim); // the victim has a sign-in of their own in flight
    await assertRefused(await finish(callback, victim), 400, "oauth_state_invalid", victim);
    // The state was shown to the wrong browser: it is used up for its own too.
    await assertRefused(await finish(callback, attacker), 400, "oauth_state_invalid", attacker);
  } finally {
    await teardown(setup_);
  }
});

Deno.test("OIDC: a replayed callback (state used once already) is refused", async () => {
  const setup_ = await setup();
  try {
    const jar = new CookieJar();
    const callback = await loginAtProvider(await begin(setup_.base, jar), "carol@example.test");
    const first = await finish(callback, jar);
    assert.equal(first.status, 303);
    await first.body?.cancel();
    const replay = new CookieJar();
    await assertRefused(await finish(callback, replay), 400, "oauth_state_invalid", replay);
  } finally {
    await teardown(setup_);
  }
});

Deno.test("OIDC: a state older than 10 minutes is refused", async () => {
  const setup_ = await setup();
  try {
    const jar = new CookieJar();
    const callback = await loginAtProvider(await begin(setup_.base, jar), "dan@example.test");
    const later = Date.now() + 10 * 60_000 + 1000;
    setup_.server.config.now = () => later;
    await assertRefused(await finish(callback, jar), 400, "oauth_state_invalid", jar);
  } finally {
    await teardown(setup_);
  }
});

Deno.test("OIDC: a code issued for another PKCE challenge is refused at the token endpoint", async () => {
  const setup_ = await setup();
  try {
    const other = new URL(await begin(setup_.base, new CookieJar()));
    const jar = new CookieJar();
    const authorize = new URL(await begin(setup_.base, jar));
    // An attacker's code, bound to a challenge whose verifier is not the one this flight keeps.
    authorize.searchParams.set("code_challenge", other.searchParams.get("code_challenge")!);
    const callback = await loginAtProvider(authorize.toString(), "erin@example.test");
    await assertRefused(await finish(callback, jar), 401, "oauth_sign_in_refused", jar);
  } finally {
    await teardown(setup_);
  }
});

Deno.test("OIDC: a redirect URI one character off is refused by the provider", async () => {
  const setup_ = await setup();
  try {
    const jar = new CookieJar();
    const authorize = new URL(await begin(setup_.base, jar));
    const redirect = authorize.searchParams.get("redirect_uri")!;
    assert.equal(redirect, `${setup_.base}/auth/oidc/callback`);
    authorize.searchParams.set("redirect_uri", redirect.slice(0, -1) + "x");
    await assert.rejects(
      loginAtProvider(authorize.toString(), "frank@example.test"),
      /redirect_uri/,
    );
  } finally {
    await teardown(setup_);
  }
});

Deno.test("OIDC: an ID token carrying another sign-in's nonce is refused", async () => {
  const setup_ = await setup();
  try {
    const earlier = new URL(await begin(setup_.base, new CookieJar()));
    const jar = new CookieJar();
    const authorize = new URL(await begin(setup_.base, jar));
    authorize.searchParams.set("nonce", earlier.searchParams.get("nonce")!);
    const callback = await loginAtProvider(authorize.toString(), "grace@example.test");
    await assertRefused(await finish(callback, jar), 401, "oauth_response_invalid", jar);
    assert.equal(await findPersonByEmail(setup_.server.kv, "grace@example.test"), null);
  } finally {
    await teardown(setup_);
  }
});

Deno.test("OIDC: an expired authorization code is refused", async () => {
  const setup_ = await setup();
  try {
    setup_.provider.setCodeTtl(1);
    const jar = new CookieJar();
    const callback = await loginAtProvider(await begin(setup_.base, jar), "heidi@example.test");
    // The provider counts whole seconds: past 2 s the one-second code has surely expired.
    await new Promise((resolve) => setTimeout(resolve, 2100));
    await assertRefused(await finish(callback, jar), 401, "oauth_sign_in_refused", jar);
  } finally {
    await teardown(setup_);
  }
});

Deno.test("OIDC: an unverified email signs no one in and makes no one", async () => {
  const setup_ = await setup();
  try {
    const jar = new CookieJar();
    const callback = await loginAtProvider(
      await begin(setup_.base, jar),
      "unverified@example.test",
    );
    const response = await finish(callback, jar);
    assert.equal(response.status, 403);
    const body = await response.json();
    assert.equal(body.error.code, "email_not_verified");
    assert.match(body.error.message, /verified email/);
    assert.equal(await findPersonByEmail(setup_.server.kv, "unverified@example.test"), null);
  } finally {
    await teardown(setup_);
  }
});

Deno.test("OIDC: next after sign-in is only ever a path of ours", async () => {
  const setup_ = await setup();
  try {
    const jar = new CookieJar();
    const callback = await loginAtProvider(
      await begin(setup_.base, jar, "//evil.example/steal"),
      "ivan@example.test",
    );
    const response = await finish(callback, jar);
    assert.equal(response.status, 303);
    assert.equal(response.headers.get("location"), "/");
    await response.body?.cancel();
  } finally {
    await teardown(setup_);
  }
});
