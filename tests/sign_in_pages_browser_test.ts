/**
 * The confirm page in real Chromium, under its own CSP (not bypassed): its hashed stylesheet
 * applies, nothing is refused, and pressing its button posts the form from our origin and signs
 * the person in; axe finds no serious problem in either theme. SWITCHYARD_SCREENSHOTS=1 saves
 * light, dark and phone screenshots into docs/screenshots/, as the admin's browser tests do.
 */
import assert from "node:assert/strict";
import { createPersonWithAccount } from "../kv/people.ts";
import { createSignInLink } from "../kv/signin_links.ts";
import { launchChromium, skipBrowser } from "./helpers/browser.ts";
import { startServer } from "./helpers/server.ts";
import { axeViolations, screenshot } from "./helpers/admin.ts";

Deno.test({
  name: "the confirm page is styled under its CSP, and its button signs in",
  ignore: skipBrowser,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const server = await startServer();
    const browser = await launchChromium();
    try {
      const { person } = await createPersonWithAccount(server.kv, {
        email: "judy@example.test",
        name: "Judy",
        accountName: "Judy's",
      });
      const link = () =>
        createSignInLink(server.kv, { personId: person.id, accountId: null, purpose: "email" });
      const url = `http://127.0.0.1:${server.port}/auth/link/${await link()}?next=/auth/providers`;
      for (
        const [name, scheme, width] of [["light", "light", 1024], ["dark", "dark", 1024]] as const
      ) {
        // A context of its own: axe opens pages beside the one it checks.
        const context = await browser.newContext({
          colorScheme: scheme,
          viewport: { width, height: 700 },
        });
        const page = await context.newPage();
        const refused: string[] = [];
        page.on("console", (message) => refused.push(message.text()));
        await page.goto(url);
        const button = page.getByRole("button", { name: "Sign in" });
        const background = await button.evaluate((el) => getComputedStyle(el).backgroundColor);
        assert.equal(background, scheme === "light" ? "rgb(36, 86, 214)" : "rgb(107, 149, 255)");
        assert.deepEqual(refused, [], "nothing the CSP refused");
        assert.deepEqual(await axeViolations(page), [], `the confirm page, ${name}`);
        await screenshot(page, `confirm-${name}`);
        await context.close();
      }
      const phone = await browser.newPage({ viewport: { width: 375, height: 667 } });
      await phone.goto(url);
      const box = await phone.getByRole("button", { name: "Sign in" }).boundingBox();
      assert.ok(box && box.x >= 16 && box.x + box.width <= 375 - 16, "fits a phone");
      await screenshot(phone, "confirm-phone");
      await Promise.all([phone.waitForURL(/\/auth\/providers$/), phone.click("button")]);
      const cookies = await phone.context().cookies();
      assert.ok(cookies.some((cookie) => cookie.name === "sy_session"), "signed in");
    } finally {
      await browser.close();
      await server.close();
    }
  },
});
