/**
 * Who may do what in the admin, in Chromium: an analyst sees no button it may not press and the
 * server refuses its pages anyway; a refused upload lists its entries; the sign-in page signs a
 * person in with a passkey; the account switcher moves the session. Each page passes axe in the
 * light and the dark theme.
 */
import assert from "node:assert/strict";
import { strToU8, zipSync } from "fflate";
import { createAccount } from "../kv/accounts.ts";
import { addMember, createPerson } from "../kv/people.ts";
import {
  adminBase,
  adminBrowserTest,
  auditPage,
  authenticatorPage,
  hydrated,
  signedInPage,
} from "./helpers/admin.ts";

adminBrowserTest(
  "an analyst sees no button it may not press, and the server refuses the upload page",
  async (browser, server) => {
    const made = await server.api("POST", "/apps", { slug: "shop", name: "Shop" });
    await made.body?.cancel();
    const zip = zipSync({ "index.html": strToU8("<h1>One</h1>") });
    const version = await server.api("POST", "/apps/shop/versions", zip, {
      "content-type": "application/zip",
    });
    await version.body?.cancel();
    const analyst = await createPerson(server.kv, { email: "ana@example.com", name: "Ana" });
    await addMember(server.kv, server.accountId, analyst.id, "analyst");
    const { page } = await signedInPage(browser, server, { personId: analyst.id });
    assert.equal(await page.getByRole("button", { name: "Create app" }).count(), 0);
    await page.getByRole("link", { name: "Shop", exact: true }).click();
    await hydrated(page);
    await page.locator("tr[data-version='1']").waitFor();
    for (const name of [/^Promote/, /^Preview/, "Roll back", "Split traffic", "Schedule"]) {
      assert.equal(await page.getByRole("button", { name }).count(), 0, String(name));
    }
    assert.equal(await page.getByRole("link", { name: "Upload a version" }).count(), 0);
    const upload = await page.goto(`${adminBase(server)}/apps/shop/upload`);
    assert.equal(upload!.status(), 403);
    await page.getByText("Your role cannot upload versions").waitFor();
    await auditPage(page, "refused");
  },
);

adminBrowserTest(
  "a refused folder lists the server's refusal by entry, and sign-in passes axe",
  async (browser, server) => {
    const dir = await Deno.makeTempDir();
    try {
      const made = await server.api("POST", "/apps", { slug: "shop", name: "Shop" });
      await made.body?.cancel();
      await Deno.mkdir(`${dir}/site/settings`, { recursive: true });
      await Deno.writeTextFile(`${dir}/site/index.html`, "<h1>Hi</h1>");
      await Deno.writeTextFile(`${dir}/site/settings/app.json`, "{}");
      const { page } = await signedInPage(browser, server);
      await page.goto(`${adminBase(server)}/apps/shop/upload`);
      await hydrated(page);
      await page.locator("#pick-folder").setInputFiles(`${dir}/site`);
      const refused = page.locator("#upload-refused");
      await refused.waitFor();
      assert.match(await refused.innerText(), /settings\/app\.json/);
      await auditPage(page, "upload-refused");
      const signedOut = await (await browser.newContext()).newPage();
      await signedOut.goto(`${adminBase(server)}/signin`);
      await hydrated(signedOut);
      await auditPage(signedOut, "signin");
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
);

adminBrowserTest(
  "the account switcher moves the session to another account of the person",
  async (browser, server) => {
    const other = await createAccount(server.kv, "Second shop");
    await addMember(server.kv, other.id, server.ownerId, "developer");
    const { page, errors } = await signedInPage(browser, server);
    await hydrated(page);
    const switcher = page.getByLabel("Account");
    await auditPage(page, "dashboard-switcher");
    await switcher.selectOption(other.id);
    await page.locator("h1", { hasText: "Second shop" }).waitFor();
    await hydrated(page);
    assert.equal(await page.getByLabel("Account").inputValue(), other.id);
    assert.match(await page.locator(".person").innerText(), /developer/);
    assert.deepEqual(errors, []);
  },
);

// WebAuthn refuses an IP address as relying party id: the platform is `localhost` here.
adminBrowserTest(
  "the sign-in page signs a person in with their passkey",
  async (browser, server) => {
    // The registration runs as a test script (the account pages have the real button): the
    // page's CSP is set aside for that script only by this context.
    const { page, origin } = await authenticatorPage(browser, server, { bypassCSP: true });
    await page.evaluate(
      await Deno.readTextFile(
        new URL(
          "../node_modules/@simplewebauthn/browser/dist/bundle/index.umd.min.js",
          import.meta.url,
        ),
      ),
    );
    const status = await page.evaluate(async () => {
      const post = (path: string, body?: unknown) =>
        fetch(path, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
      const optionsJSON = await (await post("/auth/passkeys/register/options")).json();
      // deno-lint-ignore no-explicit-any
      const lib = (globalThis as any).SimpleWebAuthnBrowser;
      const response = await lib.startRegistration({ optionsJSON });
      return (await post("/auth/passkeys/register", { name: "Laptop", response })).status;
    });
    assert.equal(status, 201);
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(`${origin}/signin`);
    await hydrated(page);
    await page.goto(`${origin}/signin?next=%2Fapps%2Fnone`);
    await hydrated(page);
    await page.getByRole("button", { name: "Sign in with a passkey" }).click();
    await page.waitForURL(`${origin}/apps/none`);
    await page.getByText('There is no page at "/apps/none"').or(
      page.getByText('No such app: "none"'),
    ).waitFor();
    await page.goto(`${origin}/`);
    await page.locator("h1", { hasText: "Default account" }).waitFor();
  },
  { platformHost: "localhost" },
);
