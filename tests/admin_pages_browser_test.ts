/**
 * The admin's version, settings and account pages in Debian's Chromium: a test link made, opened
 * in a second browser (the storefront shows the test version) and revoked; settings edited and
 * read back from the storefront's `/settings/app.json`; the diff naming the changed file; what an
 * analyst is not shown; and axe-core on every page in light and dark.
 */
import assert from "node:assert/strict";
import type { Browser, Page } from "playwright-core";
import { loadBuildOutput } from "../lib/build_output.ts";
import { addMember, createPerson } from "../kv/people.ts";
import { install, promote } from "./helpers/fixtures.ts";
import { startSmtp } from "./helpers/smtp.ts";
import { launchChromium, skipBrowser } from "./helpers/browser.ts";
import { startServer, type TestServer } from "./helpers/server.ts";
import { auditPage, axeViolations, hydrated, screenshot, signedInPage } from "./helpers/admin.ts";

const FIELDS = [
  { name: "headline", type: "string", label: "Headline", section: "Page", default_value: "Hi" },
  { name: "per_row", type: "integer", label: "Products per row", min_value: 2, max_value: 6 },
  {
    name: "layout",
    type: "string",
    label: "Layout",
    options: [{ display: "Wide", value: "wide" }, { display: "Narrow", value: "narrow" }],
  },
];
const STYLE = [{ name: "accent", type: "color", label: "Accent colour", section: "Colours" }];

async function shop(server: TestServer): Promise<void> {
  const files = {
    "fields/settings.json": JSON.stringify(FIELDS),
    "fields/style.json": JSON.stringify(STYLE),
  };
  await install(server, "shop", { "index.html": "<h1>Version one</h1>", "app.js": "1", ...files });
  await install(server, "shop", { "index.html": "<h1>Version two</h1>", "app.js": "1", ...files });
  await promote(server, "shop", 1);
}

/** A signed-in page (the default account's owner unless `personId`), failed requests noted. */
async function signedIn(browser: Browser, server: TestServer, personId?: string) {
  const { context, page } = await signedInPage(browser, server, { personId });
  return { context, page, problems: watchProblems(page) };
}

/** Script errors and failed requests of a page (a browser's own favicon probe aside). */
function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on("pageerror", (error) => problems.push(error.message));
  page.on("response", (answer) => {
    if (answer.status() >= 400 && !answer.url().endsWith("/favicon.ico")) {
      problems.push(`${answer.status()}: ${answer.url()}`);
    }
  });
  return problems;
}

async function withAdmin(
  fn: (ctx: { server: TestServer; browser: Browser; base: string }) => Promise<void>,
  overrides: Parameters<typeof startServer>[0] = {},
) {
  const build = await loadBuildOutput();
  assert.ok(build, 'no _build/: run "deno task build"');
  const server = await startServer(overrides, { build });
  const browser = await launchChromium();
  try {
    await shop(server);
    await fn({ server, browser, base: `http://127.0.0.1:${server.port}` });
  } finally {
    await browser.close();
    await server.close();
  }
}

const browserTest = (name: string, fn: Parameters<typeof withAdmin>[0]) =>
  Deno.test({
    name,
    ignore: skipBrowser,
    sanitizeResources: false,
    sanitizeOps: false,
    fn: () => withAdmin(fn),
  });

browserTest("a test link is made, opens the test version elsewhere, and is revoked", async (t) => {
  const { context, page, problems } = await signedIn(t.browser, t.server);
  await page.goto(`${t.base}/apps/shop/versions/2`);
  await page.getByLabel("Label").fill("Review by Sam");
  await page.getByRole("button", { name: "Create test link" }).click();
  const url = await page.locator("#created-url").inputValue();
  assert.match(url, /^http:\/\/shop\.localhost:\d+\/_switchyard\/preview\?token=syt_/);
  assert.equal(await page.locator(".qr-code svg").count(), 1, "a QR code beside the link");
  await screenshot(page, "version-link-created", true);

  const tester = await t.browser.newContext();
  const phone = await tester.newPage();
  await phone.goto(url);
  assert.equal(await phone.locator("h1").textContent(), "Version two");
  assert.doesNotMatch(phone.url(), /token=/, "the token leaves the address bar");

  await page.goto(`${t.base}/apps/shop/versions/2?links`);
  const row = page.locator("tr", { hasText: "Review by Sam" });
  assert.match(await row.textContent() ?? "", /Active/);
  assert.equal((await row.locator("td.num").textContent())?.trim(), "1", "one visit counted");
  await row.getByRole("button", { name: /Revoke/ }).click();
  await page.locator("tr", { hasText: "Review by Sam" }).getByText("Revoked").waitFor();

  // Revoked: the tester's browser is back on the live version within a second or so.
  let heading = "";
  for (let i = 0; i < 30 && heading !== "Version one"; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    await phone.reload();
    heading = await phone.locator("h1").textContent() ?? "";
  }
  assert.equal(heading, "Version one");
  assert.deepEqual(problems, []);
  await tester.close();
  await context.close();
});

browserTest("Open in preview shows the version on the app's own host", async (t) => {
  const { context, page, problems } = await signedIn(t.browser, t.server);
  await page.goto(`${t.base}/apps/shop/versions/2`);
  await page.getByRole("button", { name: "Open in preview" }).click();
  await page.waitForURL(/^http:\/\/shop\.localhost:\d+\/$/);
  assert.equal(await page.locator("h1").textContent(), "Version two");
  await page.goto(`${t.base}/apps/shop/versions/2?links`);
  assert.match(
    await page.locator("tr", { hasText: "Preview by" }).textContent() ?? "",
    /Active/,
    "the preview is a one-hour test link, listed like the others",
  );
  assert.deepEqual(problems, []);
  await context.close();
});

Deno.test({
  name: "a test link with an email mails the invitation, and the page says so",
  ignore: skipBrowser,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const smtp = await startSmtp();
    try {
      await withAdmin(async (t) => {
        const { context, page } = await signedIn(t.browser, t.server);
        await page.goto(`${t.base}/apps/shop/versions/2`);
        await page.getByLabel("Label").fill("Agency review");
        await page.getByLabel(/Invite by email/).fill("reviewer@example.com");
        await page.getByRole("button", { name: "Create test link" }).click();
        const url = await page.locator("#created-url").inputValue();
        assert.match(
          await page.locator(".created").textContent() ?? "",
          /An invitation was mailed to reviewer@example\.com/,
        );
        assert.deepEqual(smtp.received.map((mail) => mail.to), [["reviewer@example.com"]]);
        const unfolded = smtp.received[0].data.replace(/=\r?\n/g, "");
        assert.ok(unfolded.includes(new URL(url).searchParams.get("token")!), "the mail holds it");
        await page.getByLabel(/Invite by email/).fill("not an address");
        await page.getByLabel("Label").fill("Second");
        await page.getByRole("button", { name: "Create test link" }).click();
        assert.match(
          await page.locator("#link-email-error").textContent() ?? "",
          /Enter an email address/,
        );
        assert.equal(await page.getByLabel("Label").inputValue(), "Second", "the form keeps it");
        await context.close();
      }, { smtpUrl: `smtp://127.0.0.1:${smtp.port}` });
    } finally {
      await smtp.close();
    }
  },
});

browserTest(
  "the diff names the changed file and the files list the compressed sizes",
  async (t) => {
    const { context, page } = await signedIn(t.browser, t.server);
    await page.goto(`${t.base}/apps/shop/versions/2`);
    const changes = page.locator("#changes");
    assert.match(await changes.locator("h2").textContent() ?? "", /against the live version 1/);
    const changed = changes.locator(".diff-changed li code");
    assert.deepEqual(await changed.allTextContents(), ["index.html"]);
    assert.equal(await changes.locator(".diff-added").count(), 0);
    const files = page.locator("#files tbody tr");
    assert.equal(await files.count(), 4);
    // Compared with another version instead: version 1 against version 2, chosen in the form.
    await page.goto(`${t.base}/apps/shop/versions/1`);
    assert.match(await changes.locator("h2").textContent() ?? "", /this is the live version/);
    await page.getByLabel("Compare with").selectOption("2");
    await page.getByRole("button", { name: "Compare" }).click();
    await page.waitForURL(/against=2/);
    assert.match(await changes.locator("h2").textContent() ?? "", /against version 2/);
    assert.deepEqual(await changes.locator(".diff-changed li code").allTextContents(), [
      "index.html",
    ]);
    await context.close();
  },
);

browserTest("settings saved in the form are what the storefront reads", async (t) => {
  const { context, page } = await signedIn(t.browser, t.server);
  await page.goto(`${t.base}/apps/shop/settings`);
  await page.getByLabel("Headline").fill("Winter sale");
  await page.getByLabel("Products per row").fill("9");
  await page.getByRole("button", { name: "Save settings" }).click();
  assert.match(
    await page.locator(".field.invalid").textContent() ?? "",
    /Products per row must be at most 6/,
  );
  assert.equal(await page.getByLabel("Headline").inputValue(), "Winter sale", "input kept");
  await page.getByLabel("Products per row").fill("4");
  await page.getByLabel("Layout").selectOption("narrow");
  await page.getByLabel("Accent colour").fill("#112233");
  await page.getByRole("button", { name: "Save settings" }).click();
  await page.getByText("Saved.").waitFor();
  await screenshot(page, "settings", true);

  const values = (await t.server.edge("shop", "/settings/app.json")).json<
    Record<string, unknown>
  >();
  assert.equal(values.headline, "Winter sale");
  assert.equal(values.per_row, 4);
  assert.equal(values.layout, "narrow");
  const style = (await t.server.edge("shop", "/settings/style.json")).json<
    Record<string, unknown>
  >();
  assert.equal(style.accent, "#112233");
  await context.close();
});

browserTest("an analyst sees no button it may not press", async (t) => {
  const analyst = await createPerson(t.server.kv, { email: "ana@example.com", name: "Ana" });
  await addMember(t.server.kv, t.server.accountId, analyst.id, "analyst");
  const { context, page } = await signedIn(t.browser, t.server, analyst.id);
  await page.goto(`${t.base}/apps/shop/versions/2`);
  assert.equal(await page.getByRole("button", { name: "Create test link" }).count(), 0);
  assert.equal(await page.getByRole("button", { name: "Open in preview" }).count(), 0);
  await page.goto(`${t.base}/apps/shop/settings`);
  assert.equal(await page.getByRole("button", { name: "Save settings" }).count(), 0);
  assert.ok(await page.getByLabel("Headline").isDisabled());
  await page.goto(`${t.base}/account/tokens`);
  assert.equal(await page.getByRole("button", { name: "Create token" }).count(), 0);
  await context.close();
});

browserTest("an API token is shown once with a copy button, listed, then revoked", async (t) => {
  const { context, page } = await signedIn(t.browser, t.server);
  await page.goto(`${t.base}/account/tokens`);
  await page.getByLabel("Name").fill("GitHub Actions");
  await page.getByRole("button", { name: "Create token" }).click();
  const token = await page.locator("#new-token").inputValue();
  assert.match(token, /^sy_[0-9A-Za-z]{32}[0-9a-f]{6}$/);
  const me = await fetch(`${t.base}/api/v1/apps`, {
    headers: { authorization: `Bearer ${token}` },
  });
  assert.equal(me.status, 200, "the token works");
  await me.body?.cancel();
  await screenshot(page, "tokens", true);
  await page.goto(`${t.base}/account/tokens`);
  assert.equal(await page.locator("#new-token").count(), 0, "never shown again");
  assert.match(
    await page.locator("tr", { hasText: "GitHub Actions" }).textContent() ?? "",
    /made now by Owner/,
  );
  await page.locator("tr", { hasText: "GitHub Actions" }).getByRole("button", { name: /Revoke/ })
    .click();
  await page.waitForURL(/\/account\/tokens$/);
  assert.equal(await page.locator("tr", { hasText: "GitHub Actions" }).count(), 0);
  const after = await fetch(`${t.base}/api/v1/apps`, {
    headers: { authorization: `Bearer ${token}` },
  });
  assert.equal(after.status, 401);
  await after.body?.cancel();
  await context.close();
});

const PAGES = [
  ["version", "/apps/shop/versions/2"],
  ["settings", "/apps/shop/settings"],
  ["members", "/account/members"],
  ["tokens", "/account/tokens"],
  ["passkeys", "/account/passkeys"],
  ["audit", "/account/audit"],
];

/** Pages on other branches' APIs: their error states are checked here, their screenshots taken
 * with data by tests/admin_account_browser_test.ts. */
const ISLAND_PAGES = ["/account/members", "/account/passkeys", "/account/audit"];

browserTest("axe finds no serious or critical problem on these pages, light or dark", async (t) => {
  const { context, page } = await signedIn(t.browser, t.server);
  for (const [name, path] of PAGES) {
    await page.goto(`${t.base}${path}`);
    if (await page.locator("sy-island").count()) await hydrated(page);
    await page.waitForLoadState("networkidle");
    if (!ISLAND_PAGES.includes(path)) {
      await auditPage(page, name);
      continue;
    }
    for (const scheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      assert.deepEqual(await axeViolations(page), [], `${path} in the ${scheme} theme`);
    }
    await page.emulateMedia({ colorScheme: "light" });
  }
  await context.close();
});
