/**
 * The configuration tables in the docs are generated from `CONFIG_VARIABLES`; this fails when a
 * variable was added, changed or removed without `deno task docs:config`.
 */
import assert from "node:assert/strict";
import { CONFIG_VARIABLES, loadConfig } from "../config.ts";
import { DOCS_WITH_TABLE, renderConfigTable, tableIn, withTable } from "../scripts/config_table.ts";

const root = new URL("../", import.meta.url);

for (const path of DOCS_WITH_TABLE) {
  Deno.test(`${path} lists exactly the variables of CONFIG_VARIABLES`, async () => {
    const table = tableIn(await Deno.readTextFile(new URL(path, root)));
    assert.ok(table !== null, `${path} has no config-table markers`);
    assert.equal(table, renderConfigTable(), `${path} is stale: run "deno task docs:config"`);
  });
}

Deno.test("every variable config.ts reads is in CONFIG_VARIABLES, and no other", () => {
  const read = new Set<string>();
  // A KV Connect URL, so the token it needs is asked for too.
  const given: Record<string, string> = {
    SWITCHYARD_KV: "https://kv.example/",
    DENO_KV_ACCESS_TOKEN: "token",
  };
  loadConfig((name) => {
    read.add(name);
    return given[name];
  });
  const listed = CONFIG_VARIABLES.map((v) => v.name);
  assert.deepEqual(
    [...read].filter((name) => name !== "DENO_DEPLOYMENT_ID").sort(),
    [
      ...listed,
    ].sort(),
  );
});

Deno.test("withTable replaces only what stands between the markers", () => {
  const text = "# Doc\n\n<!-- config-table:start -->\nold\n<!-- config-table:end -->\n\nAfter.\n";
  const updated = withTable(text, "| a |");
  assert.equal(
    updated,
    "# Doc\n\n<!-- config-table:start -->\n\n| a |\n\n<!-- config-table:end -->\n\nAfter.\n",
  );
  assert.throws(() => withTable("no markers"), /Markers missing/);
});
