/**
 * The admin's frame over HTTP: who may see its pages, the headers they carry (a strict CSP with
 * a fresh nonce), islands rendered in markers with their props and a page without islands
 * shipping no script, form posts guarded by the same-origin check and the CSRF token, and
 * `GET /` keeping its JSON index for clients that are not browsers.
 */
import assert from "node:assert/strict";
import { strToU8, zipSync } from "fflate";
import { loadBuildOutput } from "../lib/build_output.ts";
import { NAVIGATION } from "./helpers/fixtures.ts";
import { startServer } from "./helpers/server.ts";
import {
  adminPage as page,
  csrfOf,
  formPost,
  ownerLink,
  signIn,
  signInMember,
} from "./helpers/session.ts";

const build = await loadBuildOutput();
if (!build) throw new Error('Run "deno task build" before the admin tests');

Deno.test("a page without a session sends the browser to sign in, and back afterwards", async () => {
  const server = await startServer({}, { build });
  try {
    const response = await page(server, "/apps/shop?tab=versions");
    await response.body?.cancel();
    assert.equal(response.status, 303);
    assert.equal(response.headers.get("location"), "/signin?next=%2Fapps%2Fshop%3Ftab%3Dversions");
    const json = await fetch(`http://127.0.0.1:${server.port}/`, {
      headers: { accept: "application/json" },
    });
    assert.equal((await json.json()).api, "/api/v1", "a JSON client still gets the index");
  } finally {
    await server.close();
  }
});

Deno.test("admin pages carry a strict CSP with a fresh nonce and no-store", async () => {
  const server = await startServer({}, { build });
  try {
    const browser = await signIn(server);
    const [first, second] = [await page(server, "/", browser), await page(server, "/", browser)];
    const csp = first.headers.get("content-security-policy")!;
    assert.match(csp, /script-src 'nonce-[\w-]{22,}' 'strict-dynamic'/);
    assert.match(csp, /style-src 'self'(;|$)/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.notEqual(csp, second.headers.get("content-security-policy"), "a nonce per response");
    assert.equal(first.headers.get("cache-control"), "no-store");
    assert.equal(first.headers.get("x-content-type-options"), "nosniff");
    assert.equal(first.headers.get("referrer-policy"), "strict-origin-when-cross-origin");
    const html = await first.text();
    await second.body?.cancel();
    assert.match(html, /<link rel="stylesheet" href="\/_build\/styles\/admin-\w+\.css"/);
    assert.doesNotMatch(html, /<script|style=/, "a page without islands ships no script");
  } finally {
    await server.close();
  }
});

Deno.test("an island is rendered in its marker with its props, and hydrated by one entry", async () => {
  const server = await startServer({}, { build });
  try {
    const response = await page(server, "/signin?next=/apps/a%3C/script%3E");
    const html = await response.text();
    const nonce = /'nonce-([^']+)'/.exec(response.headers.get("content-security-policy")!)![1];
    const props =
      /<script type="application\/json" id="sy-props-0" nonce="([^"]+)">([^<]*)<\/script><sy-island data-island="SignIn" data-props="sy-props-0">/
        .exec(html);
    assert.ok(props, "props script then marker");
    assert.equal(props[1], nonce);
    assert.deepEqual(JSON.parse(props[2]), {
      next: "/apps/a</script>",
      offer: { providers: [], passkey: true, email_link: false },
    });
    const entry =
      /<script type="module" src="(\/_build\/islands\/_client-\w+\.js)" nonce="([^"]+)">/
        .exec(html);
    assert.ok(entry, "the client entry");
    assert.equal(entry[2], nonce);
    assert.match(html, /<link\s+rel="modulepreload" href="\/_build\/islands\/SignIn-\w+\.js"/);
    const bundle = await fetch(`http://127.0.0.1:${server.port}${entry[1]}`);
    assert.equal(bundle.headers.get("cache-control"), "public, max-age=31536000, immutable");
    await bundle.body?.cancel();
  } finally {
    await server.close();
  }
});

Deno.test("a form post needs the page's CSRF token and a same-origin request", async () => {
  const server = await startServer({}, { build });
  try {
    const browser = await signIn(server);
    const csrf = csrfOf(await (await page(server, "/", browser)).text());
    const forged = await formPost(server, "/", browser, { _csrf: "x", slug: "shop", name: "S" });
    assert.equal(forged.status, 403);
    assert.match(await forged.text(), /form is out of date/);
    const crossSite = await page(server, "/", browser, {
      method: "POST",
      body: new URLSearchParams({ _csrf: csrf, slug: "shop", name: "Shop" }),
      headers: { "sec-fetch-site": "cross-site" },
    });
    assert.equal(crossSite.status, 403);
    await crossSite.body?.cancel();
    const bad = await formPost(server, "/", browser, { _csrf: csrf, slug: "Not OK", name: "S" });
    assert.equal(bad.status, 422);
    assert.match(await bad.text(), /slug: Use 1–40 lowercase letters/);
    const made = await formPost(server, "/", browser, { _csrf: csrf, slug: "shop", name: "Shop" });
    assert.equal(made.status, 303);
    assert.equal(made.headers.get("location"), "/apps/shop");
    const list = await (await server.api("GET", "/apps")).json();
    assert.deepEqual(list.items.map((app: { slug: string }) => app.slug), ["shop"]);
    const audit = await (await server.api("GET", "/audit")).json();
    const created = audit.items.find((entry: { action: string }) => entry.action === "app.create");
    assert.equal(created?.actor.id, server.ownerId, "the audit log names the person who did it");
  } finally {
    await server.close();
  }
});

/** A form body of `total` bytes that opens with `head`, streamed; `sent()` counts what was read. */
function paddedForm(head: string, total: number) {
  const chunk = new TextEncoder().encode("a".repeat(64 * 1024));
  let sent = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const part = sent === 0 ? new TextEncoder().encode(head) : chunk;
      if (sent >= total) return controller.close();
      sent += part.byteLength;
      controller.enqueue(part);
    },
  });
  return { body, sent: () => sent };
}

Deno.test("a large form post is refused with 413 while it streams, and changes nothing", async () => {
  const server = await startServer({}, { build });
  try {
    const browser = await signIn(server);
    const csrf = csrfOf(await (await page(server, "/", browser)).text());
    const total = 30 * 1024 * 1024;
    const form = paddedForm(`_csrf=${csrf}&slug=big&name=Big&pad=`, total);
    const response = await page(server, "/", browser, {
      method: "POST",
      body: form.body,
      headers: {
        "sec-fetch-site": "same-origin",
        "content-type": "application/x-www-form-urlencoded",
      },
    });
    assert.equal(response.status, 413);
    const html = await response.text();
    assert.match(html, /<title>Too large/);
    assert.match(html, /This form is larger than 256 KiB/);
    assert.ok(form.sent() < total, `the server stopped reading (read ${form.sent()} bytes)`);
    const list = await (await server.api("GET", "/apps")).json();
    assert.deepEqual(list.items, [], "no app was made from the refused form");
  } finally {
    await server.close();
  }
});

Deno.test("the dashboard shows each app's live version, what is scheduled and today's visitors", async () => {
  const server = await startServer({}, { build });
  try {
    const browser = await signIn(server);
    await (await server.api("POST", "/apps", { slug: "shop", name: "Shop" })).body?.cancel();
    const zip = zipSync({ "index.html": strToU8("<h1>Hi</h1>") });
    for (const label of ["Autumn", "Holiday"]) {
      const made = await server.api("POST", `/apps/shop/versions?label=${label}`, zip, {
        "content-type": "application/zip",
      });
      await made.body?.cancel();
    }
    await (await server.api("PUT", "/apps/shop/live", { version: 1 })).body?.cancel();
    const at = new Date(server.config.now() + 3 * 86_400_000).toISOString();
    await (await server.api("POST", "/apps/shop/schedule", { at, version: 2 })).body?.cancel();
    for (const cookie of ["", ""]) {
      const visit = await server.edge("shop", "/", { headers: { ...NAVIGATION, cookie } });
      assert.equal(visit.status, 200);
    }
    await server.switchyard.flush();
    const html = await (await page(server, "/", browser)).text();
    assert.match(html, /<span class="badge live">v1 live<\/span>/);
    assert.match(html, /<dt>Live<\/dt><dd>Autumn<\/dd>/);
    assert.match(html, /<dt>Scheduled<\/dt><dd>v2 <time[^>]*>in 3 days<\/time><\/dd>/);
    assert.match(html, /Visitors today<\/dt><dd>2<\/dd>/);
  } finally {
    await server.close();
  }
});

Deno.test("an analyst's form post is refused, whatever the page showed", async () => {
  const server = await startServer({}, { build });
  try {
    const { browser } = await signInMember(server, "a@example.com", "analyst", "Ana");
    const html = await (await page(server, "/", browser)).text();
    assert.doesNotMatch(html, /Create an app/, "no form it may not send");
    const csrf = csrfOf(html);
    const refused = await formPost(server, "/", browser, { _csrf: csrf, slug: "x", name: "X" });
    assert.equal(refused.status, 403);
    const body = await refused.text();
    assert.match(body, /Your role cannot create apps/);
    assert.match(body, /Sign out/, "the error page keeps the top bar");
    const list = await (await server.api("GET", "/apps")).json();
    assert.deepEqual(list.items, []);
  } finally {
    await server.close();
  }
});

Deno.test("a member whose role may not post is refused before the body is read", async () => {
  const server = await startServer({}, { build });
  try {
    const { browser } = await signInMember(server, "a@example.com", "analyst", "Ana");
    const csrf = csrfOf(await (await page(server, "/", browser)).text());
    const total = 30 * 1024 * 1024;
    const form = paddedForm(`_csrf=${csrf}&slug=big&name=Big&pad=`, total);
    const refused = await page(server, "/", browser, {
      method: "POST",
      body: form.body,
      headers: {
        "sec-fetch-site": "same-origin",
        "content-type": "application/x-www-form-urlencoded",
      },
    });
    assert.equal(refused.status, 403, "the role is checked first, not the size");
    assert.match(await refused.text(), /Your role cannot create apps/);
    assert.ok(form.sent() < total, `the server did not read the body (read ${form.sent()} bytes)`);
  } finally {
    await server.close();
  }
});

Deno.test("the top bar leads to the account pages, and an app's page to its settings", async () => {
  const server = await startServer({}, { build });
  try {
    const browser = await signIn(server);
    const made = await server.api("POST", "/apps", { slug: "shop", name: "Shop" });
    assert.equal(made.status, 201);
    const html = await (await page(server, "/apps/shop", browser)).text();
    const topBar = /<header class="topbar">[\s\S]*?<\/header>/.exec(html)![0];
    assert.match(topBar, /<a class="account-link" href="\/account\/members"[^>]*>Account<\/a>/);
    assert.match(html, /<a href="\/apps\/shop\/settings">Settings<\/a>/);
    const settings = await page(server, "/apps/shop/settings", browser);
    assert.equal(settings.status, 200);
    assert.match(await settings.text(), /<title>Settings of Shop/);
  } finally {
    await server.close();
  }
});

Deno.test("an app path with an over-long slug is the admin's 404 page, not a 500", async () => {
  const server = await startServer({}, { build });
  try {
    const browser = await signIn(server);
    const slug = "a".repeat(3000);
    for (const path of [`/apps/${slug}`, `/apps/${slug}/settings`, `/apps/${slug}/upload`]) {
      const response = await page(server, path, browser);
      assert.equal(response.status, 404, path.slice(0, 20));
      assert.match(await response.text(), /<title>Not found · Switchyard<\/title>/);
    }
  } finally {
    await server.close();
  }
});

Deno.test("a used sign-in link opened in a browser lands on /signin, which says what happened", async () => {
  const server = await startServer({}, { build });
  try {
    const secret = await ownerLink(server);
    const first = await page(server, `/auth/link/${secret}`, undefined, { headers: NAVIGATION });
    await first.body?.cancel();
    assert.equal(first.status, 303);
    const again = await page(server, `/auth/link/${secret}`, undefined, { headers: NAVIGATION });
    await again.body?.cancel();
    const location = again.headers.get("location")!;
    assert.match(location, /^\/signin\?error=sign_in_link_invalid/);
    const html = await (await page(server, location)).text();
    assert.match(html, /role="alert"[^>]*>This sign-in link is unknown, used or expired/);
    const made = await (await page(server, "/signin?error=<script>")).text();
    assert.match(made, /The sign-in did not work/, "an unknown code gets the general sentence");
    assert.doesNotMatch(made, /<script>/);
  } finally {
    await server.close();
  }
});
