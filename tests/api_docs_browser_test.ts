/**
 * The API reference at /api/v1/docs in a real browser: Swagger UI, served from the platform's
 * own origin, renders every operation of the OpenAPI document without a token and without one
 * Content-Security-Policy violation.
 */
import assert from "node:assert/strict";
import { loadBuildOutput } from "../lib/build_output.ts";
import { startServer } from "./helpers/server.ts";
import { launchChromium, skipBrowser } from "./helpers/browser.ts";

Deno.test({
  name: "the API reference renders every operation under its own strict CSP",
  ignore: skipBrowser,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const build = await loadBuildOutput();
    assert.ok(build, 'no _build/: run "deno task build"');
    const server = await startServer({}, { build });
    const browser = await launchChromium();
    try {
      const base = `http://127.0.0.1:${server.port}`;
      const doc = await (await fetch(`${base}/api/v1/openapi.json`)).json();
      const operations = Object.values(doc.paths as Record<string, object>)
        .reduce((sum, item) => sum + Object.keys(item).length, 0);
      const page = await browser.newPage();
      const problems: string[] = [];
      page.on("pageerror", (error) => problems.push(error.message));
      page.on("console", (message) => {
        if (message.type() === "error") problems.push(message.text());
      });
      page.on("requestfailed", (request) => problems.push(`failed: ${request.url()}`));
      page.on("response", (answer) => {
        if (answer.status() >= 400) problems.push(`${answer.status()}: ${answer.url()}`);
      });
      await page.addInitScript(() => {
        document.addEventListener("securitypolicyviolation", (event) => {
          console.error(`CSP: ${event.violatedDirective} ${event.blockedURI}`);
        });
      });
      const response = await page.goto(`${base}/api/v1/docs`);
      assert.equal(response?.status(), 200);
      assert.match(response!.headers()["content-security-policy"], /script-src 'self'/);
      await page.locator(".opblock").first().waitFor();
      assert.equal(await page.locator(".opblock").count(), operations);
      assert.match(await page.locator(".info .title").textContent() ?? "", /Switchyard API/);
      // Opening an operation shows its description and example, still within the policy.
      await page.locator(".opblock-summary").first().click();
      await page.locator(".opblock-body").first().waitFor();
      assert.deepEqual(problems, []);
    } finally {
      await browser.close();
      await server.close();
    }
  },
});

Deno.test("the API reference needs no token, and without a build says what to run", async () => {
  const server = await startServer();
  try {
    const res = await fetch(`http://127.0.0.1:${server.port}/api/v1/docs`);
    assert.equal(res.status, 503);
    assert.equal((await res.json()).error.code, "build_missing");
    const init = await fetch(`http://127.0.0.1:${server.port}/api/v1/docs/init.js`);
    assert.equal(init.status, 200);
    assert.match(await init.text(), /SwaggerUIBundle/);
  } finally {
    await server.close();
  }
});
