/**
 * The account pages (members and invitations, the audit log, passkeys), driven through their
 * APIs in Chromium.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { install } from "./helpers/fixtures.ts";
import { createAccount } from "../kv/accounts.ts";
import { addMember } from "../kv/people.ts";
import type { TestServer } from "./helpers/server.ts";
import {
  adminBrowserTest,
  auditPage,
  authenticatorPage,
  hydrated,
  signedInPage,
} from "./helpers/admin.ts";

/** The page's cumulative layout shift so far (Chromium's Layout Instability API). */
function layoutShift(page: Page): Promise<number> {
  return page.evaluate(() =>
    new Promise<number>((resolve) => {
      new PerformanceObserver((list) => {
        // deno-lint-ignore no-explicit-any
        resolve(list.getEntries().reduce((sum, entry) => sum + (entry as any).value, 0));
      }).observe({ type: "layout-shift", buffered: true });
      setTimeout(() => resolve(0), 200); // no entry at all is no shift
    })
  );
}

adminBrowserTest(
  "the members page invites by email and lists the invitation, cancellable",
  async (browser, server) => {
    const { context, page, errors } = await signedInPage(browser, server);
    await page.goto(`http://127.0.0.1:${server.port}/account/members`);
    await hydrated(page);
    await page.waitForLoadState("networkidle");
    assert.equal(await layoutShift(page), 0, "the lists arrive with the page: nothing moves");
    assert.match(await page.locator("tbody tr").first().textContent() ?? "", /you/);
    await page.getByLabel("Email").fill("grace@example.com");
    await page.getByRole("button", { name: "Send invitation" }).click();
    const row = page.locator("tr", { hasText: "grace@example.com" });
    await row.waitFor();
    assert.match(
      await page.getByLabel("Invitation link", { exact: true }).inputValue(),
      /\/auth\/invitations\//,
    );
    await auditPage(page, "members");
    page.on("dialog", (dialog) => dialog.accept());
    await row.getByRole("button", { name: /Cancel the invitation/ }).click();
    await page.locator("tr", { hasText: "grace@example.com" }).waitFor({ state: "detached" });
    assert.deepEqual(errors, []);
    await context.close();
  },
);

adminBrowserTest(
  "the audit log lists a deploy and a promote, and filters by app",
  async (browser, server) => {
    await install(server, "shop", { "index.html": "<p>1</p>" });
    await install(server, "other", { "index.html": "<p>1</p>" });
    const { context, page, errors } = await signedInPage(browser, server);
    await page.goto(`http://127.0.0.1:${server.port}/account/audit`);
    await hydrated(page);
    await page.locator("tbody tr").first().waitFor();
    const all = await page.locator("tbody").textContent() ?? "";
    assert.match(all, /Uploaded a version/);
    assert.match(all, /other/);
    await page.getByLabel("App", { exact: true }).selectOption("shop");
    await page.waitForURL(/\?app=shop$/);
    await page.waitForFunction(() =>
      !document.querySelector("tbody")?.textContent?.includes("other")
    );
    await auditPage(page, "audit");
    assert.deepEqual(errors, []);
    await context.close();
  },
);

// WebAuthn refuses an IP address as the relying party: the platform is `localhost` here.
adminBrowserTest(
  "the passkeys page registers a passkey with the device's authenticator, and removes it",
  async (browser, server) => {
    const { context, page } = await authenticatorPage(browser, server, {
      next: "/account/passkeys",
    });
    await hydrated(page);
    await page.getByText("No passkeys yet").waitFor();
    assert.equal(await layoutShift(page), 0, "the list arrives with the page: nothing moves");
    await page.getByLabel("Name of the new passkey").fill("Laptop");
    await page.getByRole("button", { name: "Add a passkey" }).click();
    await page.locator(".passkey-list li", { hasText: "Laptop" }).waitFor();
    await auditPage(page, "passkeys");
    page.on("dialog", (dialog) => dialog.accept());
    await page.getByRole("button", { name: "Remove the passkey “Laptop”" }).click();
    await page.getByText("No passkeys yet").waitFor();
    await context.close();
  },
  { platformHost: "localhost" },
);

adminBrowserTest(
  "the top bar leads to the account's pages, and still fits a 375 px phone",
  async (browser, server) => {
    await addSecondAccount(server);
    for (const width of [1200, 375]) {
      const { context, page } = await signedInPage(browser, server, { width });
      await page.getByRole("banner").getByRole("link", { name: "Account" }).click();
      await page.waitForURL("**/account/members");
      const tabs = page.getByRole("navigation", { name: "Account" });
      for (const name of ["API tokens", "Passkeys", "Audit log", "Members"]) {
        await tabs.getByRole("link", { name }).click();
        await page.waitForLoadState("load");
        const current = tabs.locator("[aria-current=page]");
        assert.equal(await current.textContent(), name, `the ${name} tab is marked current`);
      }
      const overflow = await page.evaluate(() =>
        document.documentElement.scrollWidth - document.documentElement.clientWidth
      );
      assert.equal(overflow, 0, `nothing sticks out sideways at ${width} px`);
      const bar = await page.getByRole("banner").boundingBox();
      assert.ok(bar && bar.width <= width, "the top bar stays within the screen");
      if (width === 1200) await auditPage(page, "account-topbar");
      await context.close();
    }
  },
);

/** A second account for the owner, so the top bar shows the account switcher (its widest). */
async function addSecondAccount(server: TestServer): Promise<void> {
  const other = await createAccount(server.kv, "Second Shop With A Long Name");
  await addMember(server.kv, other.id, server.ownerId, "owner");
}
