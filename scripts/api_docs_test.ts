import assert from "node:assert/strict";
import { API_DOC_PATH, formattedApiDocs, renderApiDocs } from "./api_docs.ts";

Deno.test(`${API_DOC_PATH} is the OpenAPI document as it is now`, async () => {
  const file = await Deno.readTextFile(new URL(`../${API_DOC_PATH}`, import.meta.url));
  assert.ok(file === await formattedApiDocs(), `${API_DOC_PATH} is stale: run "deno task docs"`);
});

Deno.test("the API reference has a section per tag and every operation's path", () => {
  const text = renderApiDocs();
  for (const heading of ["## Apps", "## Going live", "## Test links", "## Tokens"]) {
    assert.ok(text.includes(`\n${heading}\n`), heading);
  }
  assert.ok(text.includes("`POST /api/v1/apps/{slug}/rollback`"));
  assert.ok(text.includes("### Create an app"));
});
