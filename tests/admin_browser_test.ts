/**
 * The web admin in Chromium, as a merchant uses it: sign in with the one-time link, create an
 * app, drop a folder onto the upload area and see it become ready, upload a zip, re-upload the
 * folder with one file changed (one blob sent), open a preview, promote and see the storefront
 * change, a 409 explained when live changed meanwhile, roll back, and the page following a
 * promote made elsewhere by itself; a traffic split and a holiday theme with its revert, by keyboard too. Every
 * page passes axe in the light and the dark theme; a cancelled upload stops (roles, refusals,
 * the passkey and the switcher: tests/admin_access_browser_test.ts).
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { strToU8, zipSync } from "fflate";
import type { Page } from "playwright-core";
import { TEST_TOKEN, type TestServer } from "./helpers/server.ts";
import { runCli, show } from "./helpers/cli_process.ts";
import { adminBase, adminBrowserTest, auditPage, hydrated, signedInPage } from "./helpers/admin.ts";

/** Drops files onto the upload area the way a drag from the desktop delivers them. */
async function dropFiles(page: Page, files: Record<string, string>): Promise<void> {
  await page.evaluate((files) => {
    const data = new DataTransfer();
    for (const [name, text] of Object.entries(files)) {
      data.items.add(new File([text], name, { type: "application/octet-stream" }));
    }
    const zone = document.getElementById("dropzone")!;
    zone.dispatchEvent(
      new DragEvent("dragover", { dataTransfer: data, bubbles: true, cancelable: true }),
    );
    zone.dispatchEvent(
      new DragEvent("drop", { dataTransfer: data, bubbles: true, cancelable: true }),
    );
  }, files);
}

/** The page's cumulative layout shift so far (Chromium's Layout Instability API). */
function layoutShift(page: Page): Promise<number> {
  return page.evaluate(() =>
    new Promise<number>((resolve) => {
      new PerformanceObserver((list) => {
        // deno-lint-ignore no-explicit-any
        resolve(list.getEntries().reduce((sum, entry) => sum + (entry as any).value, 0));
      }).observe({ type: "layout-shift", buffered: true });
      // No entry at all is no shift: the observer then never calls back.
      setTimeout(() => resolve(0), 200);
    })
  );
}

/** Counts the blob uploads the page makes from now on. */
function countBlobs(page: Page): () => number {
  let count = 0;
  page.on("request", (request) => {
    if (request.method() === "PUT" && request.url().includes("/blobs/")) count++;
  });
  return () => count;
}

async function storefront(page: Page, server: TestServer, expected: string): Promise<void> {
  await page.goto(`http://shop.localhost:${server.port}/`);
  await page.locator("h1", { hasText: expected }).waitFor({ timeout: 3000 });
}

adminBrowserTest(
  "a merchant uploads, previews, promotes, meets a 409, rolls back and sees live changes",
  async (browser, server) => {
    const { page, errors } = await signedInPage(browser, server);
    await auditPage(page, "dashboard-empty");
    await page.getByLabel("Name", { exact: true }).fill("Shop");
    await page.getByLabel(/^Slug/).fill("shop");
    await page.getByRole("button", { name: "Create app" }).click();
    await page.waitForURL(`${adminBase(server)}/apps/shop`);
    await hydrated(page);
    assert.equal(await layoutShift(page), 0, "hydrating the app page moves nothing");
    await auditPage(page, "app-empty");

    await page.getByRole("link", { name: "Upload a version" }).click();
    await hydrated(page);
    await auditPage(page, "upload");
    const blobs = countBlobs(page);
    const site = {
      "index.html": "<h1>One</h1>",
      "app.js": "console.log(1)",
      "style.css": "h1{}",
    };
    await dropFiles(page, site);
    await page.locator("#upload-done", { hasText: "Version 1 is ready (3 new files sent" })
      .waitFor();
    assert.equal(blobs(), 3);

    const zip = zipSync({ "site/index.html": strToU8("<h1>Two</h1>") });
    await page.locator("#pick-archive").setInputFiles({
      name: "site.zip",
      mimeType: "application/zip",
      buffer: Buffer.from(zip),
    });
    await page.locator("#upload-done", { hasText: "Version 2 is ready" }).waitFor();

    await dropFiles(page, { ...site, "index.html": "<h1>Three</h1>" });
    await page.locator("#upload-done", { hasText: "Version 3 is ready (1 new file sent" })
      .waitFor();
    assert.equal(blobs(), 4, "re-uploading the folder with one file changed sends one blob");

    await page.goto(`${adminBase(server)}/apps/shop`);
    await hydrated(page);
    assert.deepEqual(
      await page.locator("tr[data-version]").evaluateAll((rows) =>
        rows.map((row) => (row as HTMLElement).dataset.version)
      ),
      ["3", "2", "1"],
    );
    await page.getByRole("button", { name: "Preview version 1" }).click();
    const open = page.getByRole("link", { name: "Open preview of version 1" });
    const previewUrl = (await open.getAttribute("href"))!;
    const preview = await browser.newPage();
    await preview.goto(previewUrl);
    await preview.locator("h1", { hasText: "One" }).waitFor();
    await preview.close();

    await page.getByRole("button", { name: "Promote version 1" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Promote v1" }).click();
    await page.locator("#outcome", { hasText: "Version 1 is live (was nothing)" }).waitFor();
    const shopper = await browser.newPage();
    await storefront(shopper, server, "One");

    // Someone else promotes v2 while this page's dialog is open for v3.
    await page.getByRole("button", { name: "Promote version 3" }).click();
    const elsewhere = await server.api("PUT", "/apps/shop/live", { version: 2 });
    assert.equal(elsewhere.status, 200);
    await elsewhere.body?.cancel();
    await page.getByRole("dialog").getByRole("button", { name: "Promote v3" }).click();
    await page.locator("#outcome", {
      hasText: "Someone else changed what is live: version 2 is live now",
    }).waitFor();
    await page.locator("#live-now", { hasText: "v2" }).waitFor({ timeout: 2000 });

    await page.getByRole("button", { name: "Roll back" }).click();
    await page.locator("#outcome", { hasText: "Rolled back: v1 is live (was v2)" }).waitFor();
    await storefront(shopper, server, "One");

    // A promote from the CLI, in its own process, shows without a reload within 2 s.
    const cli = await runCli({ kind: "main" }, ["promote", "3", "--app", "shop"], {
      env: { SWITCHYARD_URL: adminBase(server), SWITCHYARD_TOKEN: TEST_TOKEN },
    });
    assert.equal(cli.code, 0, show(cli));
    const promoted = Date.now();
    await page.locator("#live-now", { hasText: "v3" }).waitFor({ timeout: 2000 });
    assert.ok(Date.now() - promoted < 2000);
    await page.locator("ol.timeline li").first().waitFor();
    assert.match(await page.locator("ol.timeline li").first().innerText(), /Promoted v3/);
    await storefront(shopper, server, "Three");
    await auditPage(page, "app");
    await server.switchyard.flush();
    await page.goto(`${adminBase(server)}/`);
    const card = page.locator(".app-card", { hasText: "v3 live" });
    await card.waitFor();
    // The shopper first came while v1 was live: counted once today, under v1.
    assert.match(await card.innerText(), /Visitors today\s+1/);
    await auditPage(page, "dashboard");
    // The browser logs the 409 it was answered; nothing else went wrong.
    assert.deepEqual(errors.filter((error) => !error.includes("409 (Conflict)")), []);
  },
);

adminBrowserTest(
  "a merchant splits traffic and schedules a holiday theme that reverts by itself",
  async (browser, server) => {
    const made = await server.api("POST", "/apps", { slug: "shop", name: "Shop" });
    await made.body?.cancel();
    for (const text of ["One", "Holiday"]) {
      const zip = zipSync({ "index.html": strToU8(`<h1>${text}</h1>`) });
      const version = await server.api("POST", `/apps/shop/versions?label=${text}`, zip, {
        "content-type": "application/zip",
      });
      await version.body?.cancel();
    }
    const live = await server.api("PUT", "/apps/shop/live", { version: 1 });
    await live.body?.cancel();
    const { page, errors } = await signedInPage(browser, server);
    await page.goto(`${adminBase(server)}/apps/shop`);
    await hydrated(page);

    // By keyboard: the focused button shows its focus, Enter opens the confirmation with the
    // focus inside it, Escape closes it and gives the focus back.
    const promote = page.getByRole("button", { name: "Promote version 2" });
    await promote.focus();
    await page.keyboard.press("Shift+Tab");
    await page.keyboard.press("Tab");
    assert.notEqual(await promote.evaluate((el) => getComputedStyle(el).outlineStyle), "none");
    await page.keyboard.press("Enter");
    const dialog = page.getByRole("dialog", { name: "Make version 2 live?" });
    await dialog.waitFor();
    assert.ok(await dialog.evaluate((el) => el.contains(document.activeElement)));
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "hidden" });
    assert.ok(await promote.evaluate((el) => el === document.activeElement));

    await page.getByLabel("Share of version 1 in percent").fill("70");
    await page.getByLabel("Share of version 2 in percent").fill("30");
    await page.getByRole("button", { name: "Split traffic" }).click();
    await page.locator("#outcome", { hasText: "Traffic is split: v1 70% · v2 30%" }).waitFor();
    await page.locator("#live-now", { hasText: "v1 70% · v2 30%" }).waitFor();
    const back = await server.api("PUT", "/apps/shop/live", { version: 1 });
    await back.body?.cancel();
    await page.locator("#live-now", { hasText: "One" }).waitFor({ timeout: 2000 });

    const [from, to] = await page.evaluate(() => {
      const local = (ms: number) => {
        const d = new Date(Date.now() + ms - new Date().getTimezoneOffset() * 60_000);
        return d.toISOString().slice(0, 16);
      };
      return [local(86_400_000), local(2 * 86_400_000)];
    });
    await page.getByLabel("Version", { exact: true }).selectOption("2");
    await page.getByLabel("From").fill(from);
    await page.getByLabel("To", { exact: true }).fill(to);
    await page.getByRole("button", { name: "Schedule", exact: true }).click();
    await page.locator("#outcome", { hasText: "Scheduled: v2 from" }).waitFor();
    const items = page.locator("ul.schedule li");
    await items.nth(1).waitFor();
    assert.match(await items.nth(0).innerText(), /v2\s+(tomorrow|in 24 hours)/);
    assert.match(await items.nth(1).innerText(), /v1\s+(in 2 days|in 48 hours)/);
    const schedule = (await (await server.api("GET", "/apps/shop/live")).json()).schedule;
    assert.deepEqual(schedule.map((item: { version: number }) => item.version), [2, 1]);
    await auditPage(page, "app-scheduled");
    await page.getByRole("button", { name: "Remove the change to v1" }).click();
    await page.locator("#outcome", { hasText: "The scheduled change was removed" }).waitFor();
    await items.nth(1).waitFor({ state: "detached" });

    // A scheduled change takes effect by the clock, with no write: the page sees it come due.
    const at = new Date(Date.now() + 1500).toISOString();
    const soon = await server.api("POST", "/apps/shop/schedule", { at, version: 2 });
    assert.equal(soon.status, 201, await soon.text());
    await page.locator("#live-now", { hasText: "v2" }).waitFor({ timeout: 4000 });
    assert.deepEqual(errors, []);
  },
);

adminBrowserTest(
  "cancelling an upload stops it and leaves no version ready",
  async (browser, server) => {
    await (await server.api("POST", "/apps", { slug: "shop", name: "Shop" })).body?.cancel();
    const { context, page } = await signedInPage(browser, server);
    await page.goto(`${adminBase(server)}/apps/shop/upload`);
    await hydrated(page);
    // A slow uplink, so the upload is still going when Cancel is pressed.
    const cdp = await context.newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.emulateNetworkConditions", {
      offline: false,
      latency: 20,
      downloadThroughput: -1,
      uploadThroughput: 64 * 1024,
    });
    await dropFiles(page, { "index.html": "<h1>Big</h1>", "big.js": "x".repeat(2_000_000) });
    await page.locator("#upload-progress", { hasText: "of 2 files ·" }).waitFor();
    await page.getByRole("button", { name: "Cancel" }).click();
    await page.locator("#upload-refused", { hasText: "Upload cancelled" }).waitFor();
    const versions = await (await server.api("GET", "/apps/shop/versions")).json();
    assert.deepEqual(
      versions.items.map((v: { status: string }) => v.status),
      ["uploading"],
      "the manifest was recorded, the version never became ready",
    );
  },
);
