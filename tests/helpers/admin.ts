/**
 * The admin in Chromium: a signed-in page (through a one-time sign-in link, as a person would),
 * axe's accessibility check in the light and the dark theme, and screenshots for docs/ when
 * `SWITCHYARD_SCREENSHOTS=1`.
 */
import assert from "node:assert/strict";
import { AxeBuilder } from "@axe-core/playwright";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { createSignInLink } from "../../kv/signin_links.ts";
import type { Config } from "../../config.ts";
import { loadBuildOutput } from "../../lib/build_output.ts";
import { launchChromium, skipBrowser } from "./browser.ts";
import { startServer, type TestServer } from "./server.ts";
import { ownerLink } from "./session.ts";

export const SCREENSHOTS = Deno.env.get("SWITCHYARD_SCREENSHOTS") === "1";
const SCREENSHOT_DIR = new URL("../../docs/screenshots/", import.meta.url);

export function adminBase(server: TestServer): string {
  return `http://127.0.0.1:${server.port}`;
}

/**
 * A Chromium test of the admin: a test server serving the built islands (with `overrides` to its
 * configuration) and a launched Chromium, both closed however the test ends. Fails, never skips,
 * when `deno task build` has not been run.
 */
export function adminBrowserTest(
  name: string,
  fn: (browser: Browser, server: TestServer) => Promise<void>,
  overrides: Partial<Config> = {},
): void {
  Deno.test({
    name,
    ignore: skipBrowser,
    sanitizeResources: false,
    sanitizeOps: false,
    async fn() {
      const build = await loadBuildOutput();
      assert.ok(build, 'run "deno task build" first');
      const server = await startServer(overrides, { build });
      const browser = await launchChromium();
      try {
        await fn(browser, server);
      } finally {
        await browser.close();
        await server.close();
      }
    },
  });
}

/**
 * A new browser context signed in as `personId` (default: the default account's owner), its page
 * on the dashboard. Console errors and page errors are collected in `errors`.
 */
export async function signedInPage(
  browser: Browser,
  server: TestServer,
  options: { personId?: string; accountId?: string; width?: number } = {},
): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({
    viewport: { width: options.width ?? 1200, height: 900 },
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  const secret = await createSignInLink(server.kv, {
    personId: options.personId ?? server.ownerId,
    accountId: options.accountId ?? server.accountId,
    purpose: "start",
  });
  await page.goto(`${adminBase(server)}/auth/link/${secret}`);
  assert.equal(new URL(page.url()).pathname, "/", "the link lands on the dashboard");
  return { context, page, errors };
}

/** Waits until the page's islands are hydrated (a page without islands never sets it). */
export async function hydrated(page: Page): Promise<void> {
  await page.locator("html[data-hydrated]").waitFor({ state: "attached" });
}

/** Serious and critical axe violations of the page as it is now, in words. */
export async function axeViolations(page: Page): Promise<string[]> {
  // deno-lint-ignore no-explicit-any
  const results = await new AxeBuilder({ page: page as any }).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target).join(", ")}`);
}

/**
 * Checks the page in the light and the dark theme with axe (no serious or critical violation),
 * and, with SWITCHYARD_SCREENSHOTS=1, saves `<name>-light.png`, `<name>-dark.png` and
 * `<name>-phone.png` (375 px wide) into docs/screenshots/.
 */
export async function auditPage(page: Page, name: string): Promise<void> {
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    assert.deepEqual(await axeViolations(page), [], `${name} in the ${scheme} theme`);
    await screenshot(page, `${name}-${scheme}`);
  }
  await page.emulateMedia({ colorScheme: "light" });
  if (SCREENSHOTS) {
    const size = page.viewportSize()!;
    await page.setViewportSize({ width: 375, height: 800 });
    await screenshot(page, `${name}-phone`, true);
    await page.setViewportSize(size);
  }
}

export async function screenshot(page: Page, name: string, fullPage = false): Promise<void> {
  if (!SCREENSHOTS) return;
  await Deno.mkdir(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: new URL(`${name}.png`, SCREENSHOT_DIR).pathname, fullPage });
}

/**
 * A browser context with a virtual platform authenticator (DevTools `WebAuthn` domain) that
 * answers every ceremony at once, signed in as the default account's owner through a one-time
 * link at `http://localhost:<port>` (WebAuthn refuses an IP address as relying party id, so the
 * server runs with `platformHost: "localhost"`); the link goes on to `next`. `bypassCSP` lets a
 * test's own script run ceremonies the page's CSP would refuse.
 */
export async function authenticatorPage(
  browser: Browser,
  server: TestServer,
  options: { next?: string; bypassCSP?: boolean } = {},
): Promise<{ context: BrowserContext; page: Page; origin: string }> {
  const context = await browser.newContext({ bypassCSP: options.bypassCSP ?? false });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: {
      protocol: "ctap2",
      transport: "internal",
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  const origin = `http://localhost:${server.port}`;
  const secret = await ownerLink(server);
  const next = options.next ? `?next=${options.next}` : "";
  await page.goto(`${origin}/auth/link/${secret}${next}`);
  return { context, page, origin };
}
