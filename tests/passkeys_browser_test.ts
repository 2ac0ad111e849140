/**
 * Passkeys in real Chromium with its virtual authenticator (DevTools `WebAuthn` domain through a
 * playwright-core CDP session): a signed-in owner registers one, signs out, and signs in with
 * the passkey alone; a replayed assertion, a cloned authenticator (counter gone backwards) and a
 * removed passkey sign no one in. The admin's sign-in page is not needed: the ceremonies run
 * from a platform page with @simplewebauthn/browser, as its buttons will.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { findPasskey, recordPasskeyUse } from "../kv/passkeys.ts";
import { launchChromium, skipBrowser } from "./helpers/browser.ts";
import { authenticatorPage } from "./helpers/admin.ts";
import { startServer } from "./helpers/server.ts";

const BROWSER_LIB = new URL(
  "../node_modules/@simplewebauthn/browser/dist/bundle/index.umd.min.js",
  import.meta.url,
);

/** Calls an /auth endpoint from the page (same origin, with its cookies); answers status and body. */
function call(page: Page, method: string, path: string, body?: unknown) {
  return page.evaluate(async ({ method, path, body }) => {
    const response = await fetch(path, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  }, { method, path, body });
}

/** Runs the sign-in ceremony in the page; answers the assertion the authenticator made. */
function assertion(page: Page): Promise<unknown> {
  return page.evaluate(async () => {
    const optionsJSON = await (await fetch("/auth/passkey/options", { method: "POST" })).json();
    // deno-lint-ignore no-explicit-any
    return await (globalThis as any).SimpleWebAuthnBrowser.startAuthentication({ optionsJSON });
  });
}

Deno.test({
  name: "a member registers a passkey, signs out, and signs in with the passkey alone",
  ignore: skipBrowser,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    // WebAuthn refuses an IP address as relying party id: the platform is `localhost` here.
    const server = await startServer({ platformHost: "localhost" });
    const browser = await launchChromium();
    try {
      // Platform answers carry `default-src 'none'`; the test's own script and its fetches are
      // not the page's, so the page's CSP is set aside for them (the admin's page allows 'self').
      const { page, origin } = await authenticatorPage(browser, server, {
        bypassCSP: true,
        next: "/auth/providers",
      });
      assert.equal(page.url(), `${origin}/auth/providers`);
      await page.evaluate(await Deno.readTextFile(BROWSER_LIB));

      const registered = await page.evaluate(async () => {
        const optionsJSON = await (await fetch("/auth/passkeys/register/options", {
          method: "POST",
        })).json();
        // deno-lint-ignore no-explicit-any
        const lib = (globalThis as any).SimpleWebAuthnBrowser;
        const response = await lib.startRegistration({ optionsJSON });
        const answer = await fetch("/auth/passkeys/register", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ name: "Laptop", response }),
        });
        return { status: answer.status, body: await answer.json(), credentialId: response.id };
      });
      assert.equal(registered.status, 201, JSON.stringify(registered.body));
      assert.equal(registered.body.name, "Laptop");
      assert.equal(registered.body.public_key, undefined, "the key never leaves the server");

      const signedOut = await call(page, "POST", "/auth/signout");
      assert.equal(signedOut.status, 204);
      assert.equal((await call(page, "GET", "/auth/passkeys")).status, 401, "signed out");

      const first = await assertion(page);
      const signedIn = await call(page, "POST", "/auth/passkey", {
        response: first,
        next: "/apps",
      });
      assert.equal(signedIn.status, 200, JSON.stringify(signedIn.body));
      assert.deepEqual(signedIn.body, { next: "/apps" });
      const list = await call(page, "GET", "/auth/passkeys");
      assert.equal(list.status, 200, "signed in by the passkey alone");
      assert.equal(list.body.items.length, 1);
      assert.equal(list.body.items[0].name, "Laptop");
      assert.ok(list.body.items[0].last_used_at, "its use is noted");
      const apps = await call(page, "GET", "/api/v1/apps");
      assert.equal(apps.status, 200, "the session reaches the API");

      const replayed = await call(page, "POST", "/auth/passkey", { response: first });
      assert.equal(replayed.status, 401);
      assert.equal(replayed.body.error.code, "passkey_challenge_invalid");

      // A cloned authenticator: the stored counter is past what this one will sign next.
      const stored = await findPasskey(server.kv, registered.credentialId);
      assert.ok(stored.value!.counter > 0, "the virtual authenticator keeps a counter");
      assert.ok(await recordPasskeyUse(server.kv, stored, stored.value!.counter + 1_000_000));
      const cloned = await call(page, "POST", "/auth/passkey", { response: await assertion(page) });
      assert.equal(cloned.status, 401);
      assert.equal(cloned.body.error.code, "passkey_refused");

      const renamed = await call(page, "PATCH", `/auth/passkeys/${list.body.items[0].id}`, {
        name: "Work laptop",
      });
      assert.equal(renamed.status, 200);
      assert.equal(renamed.body.name, "Work laptop");
      const removed = await call(page, "DELETE", `/auth/passkeys/${list.body.items[0].id}`);
      assert.equal(removed.status, 204);
      assert.deepEqual((await call(page, "GET", "/auth/passkeys")).body.items, []);

      // The account's log, as its owner reads it: the passkey's register and removal, and one
      // sign-in with it (the replayed and cloned assertions signed no one in), from this browser.
      const log = await call(page, "GET", `/api/v1/audit?actor=${server.ownerId}`);
      assert.equal(log.status, 200, JSON.stringify(log.body));
      const entries = log.body.items as {
        action: string;
        actor: { id: string };
        summary: Record<string, unknown>;
        ip: string;
      }[];
      const of = (action: string) => entries.filter((entry) => entry.action === action);
      assert.deepEqual(of("passkey.add").map((e) => e.summary.name), ["Laptop"]);
      assert.deepEqual(of("passkey.remove").map((e) => e.summary.name), ["Work laptop"]);
      const signIns = of("session.sign_in").map((e) => e.summary.method);
      assert.deepEqual(signIns, ["passkey", "link"], "one passkey sign-in, after the link's");
      assert.ok(entries.every((e) => e.ip === "127.0.0.1"), JSON.stringify(entries));
      await call(page, "POST", "/auth/signout");
      const gone = await call(page, "POST", "/auth/passkey", { response: await assertion(page) });
      assert.equal(gone.status, 401);
      assert.equal(gone.body.error.code, "passkey_unknown");
    } finally {
      await browser.close();
      await server.close();
    }
  },
});
