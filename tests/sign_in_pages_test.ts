/**
 * One-time links as a person and a mail scanner meet them: an emailed sign-in link and an
 * invitation link answer a confirm page on GET (a scanner's prefetch uses nothing up), under a
 * strict CSP, and are used by the page's same-origin POST; the start-up link signs in on GET. A
 * browser navigation that fails (a link, an invitation, an OAuth callback, a limit) lands on
 * `/signin?error=<code>`; a script's request keeps the error JSON.
 */
import assert from "node:assert/strict";
import { LIMITS } from "../kv/rate_limits.ts";
import { SIGN_IN_ERRORS, signInErrorCode } from "../routes/auth/sign_in_errors.ts";
import { createSignInLink } from "../kv/signin_links.ts";
import { createPersonWithAccount } from "../kv/people.ts";
import { startServer, type TestServer } from "./helpers/server.ts";
import { cookieOf, ownerLink, signIn } from "./helpers/session.ts";

const NAVIGATE = { "sec-fetch-mode": "navigate", "sec-fetch-dest": "document" };
const OLD_BROWSER = { accept: "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8" };

function get(server: TestServer, path: string, headers: Record<string, string> = {}) {
  return fetch(`http://127.0.0.1:${server.port}${path}`, { redirect: "manual", headers });
}

function post(server: TestServer, path: string, site: string, cookie?: string) {
  const headers: Record<string, string> = { "sec-fetch-site": site, ...NAVIGATE };
  if (cookie) headers.cookie = cookie;
  return fetch(`http://127.0.0.1:${server.port}${path}`, {
    method: "POST",
    redirect: "manual",
    headers,
  });
}

/** The page's CSP allows its one stylesheet by hash, and nothing else to load or run. */
async function assertConfirmPage(res: Response, button: string): Promise<string> {
  const html = await res.text();
  assert.equal(res.status, 200, html);
  assert.match(res.headers.get("content-type")!, /^text\/html/);
  assert.equal(res.headers.get("cache-control"), "no-store");
  const csp = res.headers.get("content-security-policy")!;
  const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1];
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(style));
  const hash = btoa(String.fromCharCode(...new Uint8Array(digest)));
  assert.deepEqual(csp.split("; ").sort(), [
    "base-uri 'none'",
    "default-src 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    `style-src 'sha256-${hash}'`,
  ]);
  assert.ok(!html.includes("<script"), "no script");
  assert.match(html, new RegExp(`<button type="submit">${button}</button>`));
  return /<form method="post" action="([^"]+)">/.exec(html)![1].replaceAll("&#38;", "&");
}

Deno.test("an emailed link shows a confirm page until its form is posted from our origin", async () => {
  const server = await startServer();
  try {
    const { person } = await createPersonWithAccount(server.kv, {
      email: "judy@example.test",
      name: "Judy",
      accountName: "Judy's",
    });
    const secret = await createSignInLink(server.kv, {
      personId: person.id,
      accountId: null,
      purpose: "email",
    });
    const path = `/auth/link/${secret}?next=%2Fapps`;
    // A scanner's prefetches: the page each time, no session, the link still good.
    for (let i = 0; i < 3; i++) {
      const scanned = await get(server, path);
      assert.equal(cookieOf(scanned), null);
      const action = await assertConfirmPage(scanned, "Sign in");
      assert.equal(action, path);
    }
    const page = await (await get(server, path, NAVIGATE)).text();
    assert.match(page, /signing in as judy@example\.test/);

    const crossSite = await post(server, path, "cross-site");
    assert.equal(crossSite.status, 303, "another site's post is refused, to the sign-in page");
    assert.equal(crossSite.headers.get("location"), "/signin?error=cross_origin_request");
    assert.equal(cookieOf(crossSite), null);

    const used = await post(server, path, "same-origin");
    assert.equal(used.status, 303);
    assert.equal(used.headers.get("location"), "/apps");
    assert.ok(cookieOf(used), "signed in");

    const again = await get(server, path, NAVIGATE);
    assert.equal(again.status, 303);
    assert.equal(again.headers.get("location"), "/signin?error=sign_in_link_invalid");
    const script = await get(server, path);
    assert.equal(script.status, 401, "a script keeps the error JSON");
    assert.equal((await script.json()).error.code, "sign_in_link_invalid");
  } finally {
    await server.close();
  }
});

Deno.test("the start-up link signs in on GET, in one click", async () => {
  const server = await startServer();
  try {
    const secret = await ownerLink(server);
    const opened = await get(server, `/auth/link/${secret}`, NAVIGATE);
    await opened.body?.cancel();
    assert.equal(opened.status, 303);
    assert.equal(opened.headers.get("location"), "/");
    assert.ok(cookieOf(opened));
  } finally {
    await server.close();
  }
});

Deno.test("an invitation shows 'Join <account>' and is accepted only by the page's post", async () => {
  const server = await startServer();
  try {
    const owner = await signIn(server);
    const res = await owner.api("POST", "/account/invitations", {
      email: "ida@example.com",
      role: "developer",
    });
    const path = new URL((await res.json()).url).pathname;
    const scanned = await get(server, path);
    assert.equal(await assertConfirmPage(scanned, "Join Default account"), path);
    const page = await (await get(server, path, NAVIGATE)).text();
    assert.match(page, /Owner invited ida@example\.com to join Default account on Switchyard as/);
    assert.equal((await (await owner.api("GET", "/account/members")).json()).items.length, 1);

    const joined = await post(server, path, "same-origin");
    await joined.body?.cancel();
    assert.equal(joined.status, 303);
    assert.equal(joined.headers.get("location"), "/");
    assert.equal((await (await owner.api("GET", "/account/members")).json()).items.length, 2);

    const used = await get(server, path, OLD_BROWSER);
    assert.equal(used.status, 303, "Accept: text/html is a page load too");
    assert.equal(used.headers.get("location"), "/signin?error=invitation_invalid");
    const script = await get(server, path);
    assert.equal(script.status, 404);
    assert.equal((await script.json()).error.code, "invitation_invalid");
  } finally {
    await server.close();
  }
});

Deno.test("a failed OAuth callback and a limited address land on the sign-in page", async () => {
  const server = await startServer();
  server.config.github = {
    clientId: "client",
    clientSecret: "secret",
    webUrl: "http://127.0.0.1:9",
    apiUrl: "http://127.0.0.1:9",
  };
  try {
    const callback = `/auth/github/callback?code=c&state=${"s".repeat(43)}`;
    const page = await get(server, callback, NAVIGATE);
    assert.equal(page.status, 303);
    assert.equal(page.headers.get("location"), "/signin?error=oauth_state_invalid");
    const unknown = await get(server, "/auth/gitlab/signin", OLD_BROWSER);
    assert.equal(unknown.headers.get("location"), "/signin?error=provider_not_configured");
    const script = await get(server, callback);
    assert.equal(script.status, 400);
    assert.equal((await script.json()).error.code, "oauth_state_invalid");

    for (let i = 3; i < LIMITS.signInFailures.max; i++) {
      await (await get(server, callback)).body?.cancel();
    }
    const limited = await get(server, callback, NAVIGATE);
    assert.equal(limited.status, 303);
    assert.equal(limited.headers.get("location"), "/signin?error=too_many_sign_in_attempts");
  } finally {
    await server.close();
  }
});

Deno.test("the sign-in page gets only codes it has a sentence for", async () => {
  const server = await startServer();
  try {
    // A same-site (not same-origin) post is refused with a code the page knows; a code it has no
    // sentence for would arrive as the generic one.
    const secret = await ownerLink(server, "email");
    const stranger = await post(server, `/auth/link/${secret}`, "same-site");
    assert.equal(stranger.headers.get("location"), "/signin?error=cross_origin_request");
    assert.equal(signInErrorCode("cross_origin_request"), "cross_origin_request");
    assert.equal(signInErrorCode("passkey_refused"), "sign_in_failed");
    assert.equal(signInErrorCode("__proto__"), "sign_in_failed");
    for (const message of Object.values(SIGN_IN_ERRORS)) assert.match(message, /^[A-Z].*\.$/);
  } finally {
    await server.close();
  }
});
