/**
 * The web admin in Chromium, as a merchant uses it: sign in with the one-time link, create an
 * app, drop a folder onto the upload area and see it become ready, upload a zip, re-upload the
 * folder with one file changed (one blob sent), open a preview, promote and see the storefront
 * change, a 409 explained when live changed meanwhile, roll back, and the page following a
 * promote made elsewhere by itself. Every page passes axe in the light and the dark theme.
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { strToU8, zipSync } from "fflate";
import type { Page } from "playwright-core";
import { loadBuildOutput } from "../lib/build_output.ts";
import { startServer, type TestServer } from "./helpers/server.ts";
import { launchChromium, skipBrowser } from "./helpers/browser.ts";
import { adminBase, auditPage, hydrated, signedInPage } from "./helpers/admin.ts";

const build = await loadBuildOutput();

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

Deno.test({
  name: "a merchant uploads, previews, promotes, meets a 409, rolls back and sees live changes",
  ignore: skipBrowser,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    assert.ok(build, 'run "deno task build" first');
    const server = await startServer({}, { build });
    const browser = await launchChromium();
    try {
      const { page, errors } = await signedInPage(browser, server);
      await auditPage(page, "dashboard-empty");
      await page.getByLabel("Name", { exact: true }).fill("Shop");
      await page.getByLabel(/^Slug/).fill("shop");
      await page.getByRole("button", { name: "Create app" }).click();
      await page.waitForURL(`${adminBase(server)}/apps/shop`);
      await hydrated(page);
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

      // A promote from elsewhere (the CLI speaks this API) shows without a reload.
      const started = Date.now();
      const cli = await server.api("PUT", "/apps/shop/live", { version: 3 });
      await cli.body?.cancel();
      await page.locator("#live-now", { hasText: "v3" }).waitFor({ timeout: 2000 });
      assert.ok(Date.now() - started < 2000);
      await page.locator("ol.timeline li").first().waitFor();
      assert.match(await page.locator("ol.timeline li").first().innerText(), /Promoted v3/);
      await storefront(shopper, server, "Three");
      await auditPage(page, "app");
      // The browser logs the 409 it was answered; nothing else went wrong.
      assert.deepEqual(errors.filter((error) => !error.includes("409 (Conflict)")), []);
    } finally {
      await browser.close();
      await server.close();
    }
  },
});
