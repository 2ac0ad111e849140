/**
 * The version, settings and token pages over HTTP: the server refuses what a role may not do even
 * when the form is sent by hand, another account's app is 404, a version number written another
 * way is 404, and a page holding a secret (a new link or token) is never stored by a cache.
 */
import assert from "node:assert/strict";
import { loadBuildOutput } from "../lib/build_output.ts";
import { install, otherAccount } from "./helpers/fixtures.ts";
import { startServer, type TestServer } from "./helpers/server.ts";
import {
  adminPage as page,
  type Browser,
  csrfOf,
  formPost,
  signIn,
  signInMember,
} from "./helpers/session.ts";

const build = await loadBuildOutput();
if (!build) throw new Error('Run "deno task build" before the admin tests');

/** Posts `fields` to `path` as the page's own form would, with the page's CSRF token. */
async function post(server: TestServer, path: string, browser: Browser, fields: object) {
  const csrf = csrfOf(await (await page(server, path, browser)).text());
  return formPost(server, path, browser, { _csrf: csrf, ...fields as Record<string, string> });
}

async function withShop(fn: (server: TestServer) => Promise<void>) {
  const server = await startServer({}, { build });
  try {
    await install(server, "shop", { "index.html": "<p>1</p>" });
    await fn(server);
  } finally {
    await server.close();
  }
}

Deno.test("an analyst's hand-made posts are refused: no link, no settings, no token", async () => {
  await withShop(async (server) => {
    const analyst = (await signInMember(server, "analyst@example.com", "analyst")).browser;
    const link = await post(server, "/apps/shop/versions/1", analyst, {
      intent: "create-link",
      label: "sneaky",
      expires_in_hours: "1",
    });
    assert.equal(link.status, 403);
    assert.match(await link.text(), /analyst/);
    const settings = await post(server, "/apps/shop/settings", analyst, {});
    assert.equal(settings.status, 403);
    await settings.body?.cancel();
    const token = await post(server, "/account/tokens", analyst, { intent: "create", name: "x" });
    assert.equal(token.status, 403);
    await token.body?.cancel();
    const links = await (await server.api("GET", "/apps/shop/links")).json();
    assert.deepEqual(links.items, [], "nothing was made");
  });
});

Deno.test("a developer makes test links but no tokens", async () => {
  await withShop(async (server) => {
    const developer = (await signInMember(server, "developer@example.com", "developer")).browser;
    const made = await post(server, "/apps/shop/versions/1", developer, {
      intent: "create-link",
      label: "review",
      expires_in_hours: "24",
    });
    assert.equal(made.status, 200);
    assert.equal(made.headers.get("cache-control"), "no-store", "the one answer with the URL");
    assert.match(await made.text(), /_switchyard\/preview\?token=syt_/);
    const token = await post(server, "/account/tokens", developer, { intent: "create", name: "x" });
    assert.equal(token.status, 403);
    await token.body?.cancel();
  });
});

Deno.test("another account's app and a number written another way are 404 pages", async () => {
  await withShop(async (server) => {
    await otherAccount(server, "theirs");
    const owner = await signIn(server);
    for (
      const path of ["/apps/theirs/versions/1", "/apps/theirs/settings", "/apps/shop/versions/01"]
    ) {
      const response = await page(server, path, owner);
      assert.equal(response.status, 404, path);
      assert.match(response.headers.get("content-type") ?? "", /text\/html/);
      await response.body?.cancel();
    }
  });
});

Deno.test("a refused setting answers 422 with the message under its field", async () => {
  const server = await startServer({}, { build });
  try {
    await install(server, "shop", {
      "index.html": "<p>1</p>",
      "fields/settings.json": JSON.stringify([
        { name: "per_row", type: "integer", label: "Per row", min_value: 2, max_value: 6 },
      ]),
    });
    const owner = await signIn(server);
    const refused = await post(server, "/apps/shop/settings", owner, { "app.per_row": "9" });
    assert.equal(refused.status, 422);
    assert.match(await refused.text(), /id="setting-app-per_row-error">Per row must be at most 6/);
    const saved = await post(server, "/apps/shop/settings", owner, { "app.per_row": "4" });
    assert.equal(saved.status, 303);
    await saved.body?.cancel();
    const values = await (await server.api("GET", "/apps/shop/settings")).json();
    assert.equal(values.app.per_row, 4, "the API reads what the page saved");
  } finally {
    await server.close();
  }
});

Deno.test("a version without fields files says how to declare settings", async () => {
  await withShop(async (server) => {
    const owner = await signIn(server);
    const response = await page(server, "/apps/shop/settings", owner);
    assert.equal(response.status, 200);
    const html = await response.text();
    assert.match(html, /Version 1 declares no settings/);
    assert.match(html, /fields\/settings\.json/);
    assert.doesNotMatch(html, /Save settings/);
  });
});

Deno.test("changes made on these pages are in the audit log, by the person who made them", async () => {
  await withShop(async (server) => {
    const owner = await signIn(server);
    const link = await post(server, "/apps/shop/versions/1", owner, {
      intent: "create-link",
      label: "review",
      expires_in_hours: "24",
    });
    await link.body?.cancel();
    const token = await post(server, "/account/tokens", owner, { intent: "create", name: "ci" });
    await token.body?.cancel();
    const settings = await post(server, "/apps/shop/settings", owner, {});
    await settings.body?.cancel();
    const log = await (await server.api("GET", "/audit")).json();
    const mine = log.items.filter((entry: { actor: { type: string } }) =>
      entry.actor.type === "person"
    );
    const actions = mine.map((entry: { action: string }) => entry.action);
    for (const action of ["link.create", "token.create", "settings.update"]) {
      assert.ok(actions.includes(action), `${action} in ${actions.join(", ")}`);
    }
    assert.equal(mine[0].actor.id, server.ownerId);
  });
});

Deno.test("a version is deleted from its page, but not while it is live", async () => {
  await withShop(async (server) => {
    await install(server, "shop", { "index.html": "<p>2</p>" });
    await (await server.api("PUT", "/apps/shop/live", { version: 1 })).body?.cancel();
    const owner = await signIn(server);
    const livePage = await (await page(server, "/apps/shop/versions/1", owner)).text();
    assert.match(livePage, /is live, in a split or scheduled, so it cannot be deleted/);
    assert.doesNotMatch(livePage, /Delete version 1<\/button>/);
    const refused = await post(server, "/apps/shop/versions/1", owner, { intent: "delete" });
    assert.equal(refused.status, 409, "sent by hand anyway: the server refuses");
    assert.match(await refused.text(), /promote another version first/);
    const deleted = await post(server, "/apps/shop/versions/2", owner, { intent: "delete" });
    assert.equal(deleted.status, 303);
    assert.equal(deleted.headers.get("location"), "/apps/shop");
    await deleted.body?.cancel();
    const gone = await server.api("GET", "/apps/shop/versions/2");
    assert.equal(gone.status, 404);
    await gone.body?.cancel();
    const analyst = (await signInMember(server, "analyst@example.com", "analyst")).browser;
    const asAnalyst = await (await page(server, "/apps/shop/versions/1", analyst)).text();
    assert.doesNotMatch(asAnalyst, /Delete version/);
  });
});
