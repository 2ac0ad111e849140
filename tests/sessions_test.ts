/**
 * Browser sessions: the one-time sign-in link, the cookie it sets, fixation, sign-out (here and
 * everywhere), and the same-origin guard on everything the cookie can change.
 */
import assert from "node:assert/strict";
import { loadConfig } from "../config.ts";
import { safeNext } from "../routes/auth/sign_in.ts";
import { startServer } from "./helpers/server.ts";
import { browserWith, cookieOf, openSignInLink, ownerLink, signIn } from "./helpers/session.ts";

Deno.test("a one-time link signs the owner in once; its cookie reaches the API", async () => {
  const server = await startServer();
  try {
    const secret = await ownerLink(server);
    const first = await openSignInLink(server, secret);
    assert.equal(first.status, 303);
    assert.equal(first.headers.get("location"), "/");
    const setCookie = first.headers.get("set-cookie")!;
    assert.match(setCookie, /^sy_session=[0-9A-Za-z]{43};/, "plain name on plain-http localhost");
    assert.match(setCookie, /HttpOnly/);
    assert.match(setCookie, /SameSite=Lax/);
    assert.match(setCookie, /Path=\//);
    assert.doesNotMatch(setCookie, /Domain=/i);

    const browser = browserWith(server, cookieOf(first)!);
    const apps = await browser.api("GET", "/apps");
    assert.equal(apps.status, 200);
    await apps.body?.cancel();

    const again = await openSignInLink(server, secret);
    assert.equal(again.status, 401, "a used link signs no one in");
    assert.equal(again.headers.get("set-cookie"), null);
  } finally {
    await server.close();
  }
});

Deno.test("an expired or made-up link is refused with a message that says what to do", async () => {
  const server = await startServer();
  try {
    const old = await ownerLink(server, "start", Date.now() - 16 * 60_000);
    const expired = await fetch(`http://127.0.0.1:${server.port}/auth/link/${old}`);
    assert.equal(expired.status, 401);
    const body = await expired.json();
    assert.equal(body.error.code, "sign_in_link_invalid");
    assert.match(body.error.message, /ask for a new one/);
    const madeUp = await openSignInLink(server, "x".repeat(43));
    assert.equal(madeUp.status, 401);
  } finally {
    await server.close();
  }
});

Deno.test("signing in replaces the session the browser held (fixation)", async () => {
  const server = await startServer();
  try {
    const planted = await signIn(server);
    const secret = await ownerLink(server);
    const response = await openSignInLink(server, secret, { cookie: planted.cookie });
    const fresh = cookieOf(response)!;
    assert.notEqual(fresh, planted.cookie, "a new id at sign-in");
    const old = await planted.api("GET", "/apps");
    assert.equal(old.status, 401, "the id known before sign-in is worthless after it");
    await old.body?.cancel();
    const now = await browserWith(server, fresh).api("GET", "/apps");
    assert.equal(now.status, 200);
    await now.body?.cancel();
  } finally {
    await server.close();
  }
});

Deno.test("the session cookie changes nothing for another site's request", async () => {
  const server = await startServer();
  try {
    const { cookie } = await signIn(server);
    const attempts: Record<string, string>[] = [
      { "sec-fetch-site": "cross-site" },
      { "sec-fetch-site": "same-site" },
      { origin: "http://evil.example" },
      { origin: "null" },
      {},
    ];
    for (const headers of attempts) {
      const response = await fetch(`http://127.0.0.1:${server.port}/api/v1/apps`, {
        method: "POST",
        headers: { cookie, "content-type": "application/json", ...headers },
        body: JSON.stringify({ slug: "csrf-shop", name: "CSRF" }),
      });
      assert.equal(response.status, 403, JSON.stringify(headers));
      assert.equal((await response.json()).error.code, "cross_origin_request");
    }
    const sameOrigin = await fetch(`http://127.0.0.1:${server.port}/api/v1/apps`, {
      method: "POST",
      headers: {
        cookie,
        "content-type": "application/json",
        origin: `http://127.0.0.1:${server.port}`,
      },
      body: JSON.stringify({ slug: "csrf-shop", name: "Ours" }),
    });
    assert.equal(sameOrigin.status, 201, "our own page's request goes through");
    await sameOrigin.body?.cancel();
    const listed = await (await server.api("GET", "/apps")).json();
    assert.deepEqual(listed.items.map((app: { slug: string }) => app.slug), ["csrf-shop"]);
  } finally {
    await server.close();
  }
});

Deno.test("sign out ends this session; sign out everywhere ends them all", async () => {
  const server = await startServer();
  const signOut = (cookie: string, path: string) =>
    fetch(`http://127.0.0.1:${server.port}${path}`, {
      method: "POST",
      headers: { cookie, "sec-fetch-site": "same-origin" },
    });
  try {
    const laptop = await signIn(server);
    const phone = await signIn(server);
    const out = await signOut(laptop.cookie, "/auth/signout");
    assert.equal(out.status, 204);
    assert.match(out.headers.get("set-cookie")!, /^sy_session=;.*Max-Age=0/);
    assert.equal((await laptop.api("GET", "/apps")).status, 401);
    const stillIn = await phone.api("GET", "/apps");
    assert.equal(stillIn.status, 200, "the other device stays signed in");
    await stillIn.body?.cancel();

    const desk = await signIn(server);
    const everywhere = await signOut(desk.cookie, "/auth/signout-everywhere");
    assert.equal(everywhere.status, 204);
    for (const browser of [phone, desk]) {
      const response = await browser.api("GET", "/apps");
      assert.equal(response.status, 401);
      await response.body?.cancel();
    }
    const crossSite = await fetch(`http://127.0.0.1:${server.port}/auth/signout`, {
      method: "POST",
      headers: { cookie: phone.cookie, "sec-fetch-site": "cross-site" },
    });
    assert.equal(crossSite.status, 403, "no other site signs a person out");
    await crossSite.body?.cancel();
  } finally {
    await server.close();
  }
});

Deno.test("over HTTPS behind the trusted proxy the cookie is __Host- and Secure", async () => {
  const env = (name: string) => name === "SWITCHYARD_TRUSTED_PROXY" ? "127.0.0.1" : undefined;
  const server = await startServer({ trustedProxy: loadConfig(env).trustedProxy });
  try {
    const secret = await ownerLink(server);
    const response = await openSignInLink(server, secret, { "x-forwarded-proto": "https" });
    const setCookie = response.headers.get("set-cookie")!;
    assert.match(setCookie, /^__Host-sy_session=/);
    assert.match(setCookie, /Secure/);
    assert.match(setCookie, /Path=\//);
    // The plain name is not read over HTTPS: a plain-http answer could have planted it.
    const plain = `sy_session=${cookieOf(response)!.split("=")[1]}`;
    const planted = await fetch(`http://127.0.0.1:${server.port}/api/v1/apps`, {
      headers: { cookie: plain, "x-forwarded-proto": "https" },
    });
    assert.equal(planted.status, 401);
    await planted.body?.cancel();
    const secure = await fetch(`http://127.0.0.1:${server.port}/api/v1/apps`, {
      headers: { cookie: cookieOf(response)!, "x-forwarded-proto": "https" },
    });
    assert.equal(secure.status, 200);
    await secure.body?.cancel();
  } finally {
    await server.close();
  }
});

Deno.test("after sign-in only a path of our own is followed", async () => {
  const server = await startServer();
  try {
    const cases: [string, string][] = [
      ["/apps/shop?tab=versions", "/apps/shop?tab=versions"],
      ["//evil.example/x", "/"],
      ["/\\evil.example", "/"],
      ["https://evil.example/", "/"],
      ["javascript:alert(1)", "/"],
    ];
    for (const [next, expected] of cases) {
      assert.equal(safeNext(next), expected, next);
      const secret = await ownerLink(server);
      const response = await openSignInLink(server, `${secret}?next=${encodeURIComponent(next)}`);
      assert.equal(response.headers.get("location"), expected, next);
    }
  } finally {
    await server.close();
  }
});
