/**
 * The confirm page in real Chromium, under its own CSP (not bypassed): its hashed stylesheet
 * applies, nothing is refused, and pressing its button posts the form from our origin and signs
 * the person in. Set SWITCHYARD_SCREENSHOTS=<dir> to keep light, dark and phone screenshots.
 */
import assert from "node:assert/strict";
import { createPersonWithAccount } from "../kv/people.ts";
import { createSignInLink } from "../kv/signin_links.ts";
import { launchChromium, skipBrowser } from "./helpers/browser.ts";
import { startServer } from "./helpers/server.ts";

Deno.test({
  name: "the confirm page is styled under its CSP, and its button signs in",
  ignore: skipBrowser,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const server = await startServer();
    const browser = await launchChromium();
    const shots = Deno.env.get("SWITCHYARD_SCREENSHOTS");
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
        const page = await browser.newPage({
          colorScheme: scheme,
          viewport: { width, height: 700 },
        });
        const refused: string[] = [];
        page.on("console", (message) => refused.push(message.text()));
        await page.goto(url);
        const button = page.getByRole("button", { name: "Sign in" });
        const background = await button.evaluate((el) => getComputedStyle(el).backgroundColor);
        assert.equal(background, scheme === "light" ? "rgb(36, 86, 214)" : "rgb(107, 149, 255)");
        assert.deepEqual(refused, [], "nothing the CSP refused");
        if (shots) await page.screenshot({ path: `${shots}/confirm_${name}.png` });
        await page.close();
      }
      const phone = await browser.newPage({ viewport: { width: 375, height: 667 } });
      await phone.goto(url);
      const box = await phone.getByRole("button", { name: "Sign in" }).boundingBox();
      assert.ok(box && box.x >= 16 && box.x + box.width <= 375 - 16, "fits a phone");
      if (shots) await phone.screenshot({ path: `${shots}/confirm_phone.png` });
      await Promise.all([phone.waitForURL(/\/auth\/providers$/), phone.click("button")]);
      const cookies = await phone.context().cookies();
      assert.ok(cookies.some((cookie) => cookie.name === "sy_session"), "signed in");
    } finally {
      await browser.close();
      await server.close();
    }
  },
});
