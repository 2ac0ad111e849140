import assert from "node:assert/strict";
import { platformUrl, resolveSettings } from "./config.ts";
import { CliError } from "./errors.ts";

Deno.test("a URL without a scheme is http:// for this machine and refused for any other host", () => {
  assert.equal(platformUrl("localhost:8000"), "http://localhost:8000");
  assert.equal(platformUrl("127.0.0.1:8000/api/v1"), "http://127.0.0.1:8000/api/v1");
  assert.equal(platformUrl("[::1]:8000"), "http://[::1]:8000");
  assert.equal(platformUrl("localhost"), "http://localhost");
  assert.equal(platformUrl("https://shop.example"), "https://shop.example");
  assert.throws(() => platformUrl("shop.example:443"), /URL has no scheme: "shop.example:443"/);
  assert.throws(() => platformUrl("ftp://shop.example"), /must be http or https/);
  assert.throws(() => platformUrl("http://"), /Not a valid URL/);
});

Deno.test("apps and tokens need no app; the others name it when it is missing", async () => {
  const env = (name: string) =>
    ({ SWITCHYARD_URL: "localhost:8000", SWITCHYARD_TOKEN: "t" } as Record<string, string>)[name];
  const settings = await resolveSettings({}, env, false);
  assert.deepEqual([settings.url, settings.app], ["http://localhost:8000", ""]);
  await assert.rejects(() => resolveSettings({}, env), CliError);
});
