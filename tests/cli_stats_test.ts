/**
 * `stats` in the CLI against the real server: the tables a person reads and the JSON a script
 * reads. Run in process (`main()`), so it needs no subprocess and runs under test:deploy too.
 */
import assert from "node:assert/strict";
import { startServer, TEST_TOKEN, type TestServer } from "./helpers/server.ts";
import { install, promote } from "./helpers/fixtures.ts";
import { counterBatches, flushCounters } from "../kv/counters.ts";
import { findAppBySlug } from "../kv/apps.ts";
import { main } from "../cli/main.ts";
import { ExitCode } from "../cli/errors.ts";
import { revenueFormat } from "../cli/stats.ts";

const today = () => new Date().toISOString().slice(0, 10);

/** Runs the CLI in this process and answers its exit code and what it printed on stdout. */
async function cli(args: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const [log, error] = [console.log, console.error];
  console.log = (text: string) => lines.push(text);
  console.error = () => {};
  try {
    return { code: await main(args), out: lines.join("\n") };
  } finally {
    [console.log, console.error] = [log, error];
  }
}

async function splitShop(server: TestServer) {
  for (const page of ["one", "two"]) await install(server, "shop", { "index.html": page });
  await promote(server, "shop", 1);
  const put = await server.api("PUT", "/apps/shop/live", {
    split: [{ version: 1, weight: 50 }, { version: 2, weight: 50 }],
  });
  assert.equal(put.status, 200, await put.text());
  const app = (await findAppBySlug(server.kv, "shop"))!;
  const delta = (version: number, name: string, amount: number) => ({
    appId: app.id,
    version,
    mode: "live",
    day: today(),
    name,
    amount,
  });
  const deltas = [
    delta(1, "visitors", 1000),
    delta(1, "page_views", 2500),
    delta(1, "carts", 100),
    delta(1, "orders", 25),
    delta(1, "revenue", 61_250),
    delta(2, "visitors", 1000),
    delta(2, "orders", 45),
  ];
  assert.equal(await flushCounters(server.kv, counterBatches(deltas)), null);
}

Deno.test("stats prints a table per version, the split's arms and its verdict", async () => {
  const server = await startServer();
  try {
    await splitShop(server);
    const common = ["--url", `http://127.0.0.1:${server.port}`, "--token", TEST_TOKEN];
    const { code, out } = await cli(["stats", "shop", "--from", today(), ...common]);
    assert.equal(code, 0, out);
    const lines = out.split("\n");
    assert.equal(lines[0], `"shop", live traffic, ${today()} to ${today()} (UTC days)`);
    assert.ok(lines.includes("Version 1") && lines.includes("Version 2"), out);
    assert.match(
      out,
      /^TOTAL\s+1,000\s+2,500\s+100\s+25\s+612\.50\s+2\.50 %\s+25\.00 %$/m,
    );
    assert.match(out, /^DAY\s+VISITORS\s+PAGE VIEWS\s+CARTS\s+ORDERS\s+REVENUE \(USD\)/m);
    assert.match(out, /^TOTAL\s+1,000\s+0\s+0\s+45\s+0\.00\s+4\.50 %\s+–$/m);
    assert.match(out, /^Split v1 50 % \/ v2 50 %, \S+ to \S+ \(in force now\)$/m);
    assert.match(out, /^1\s+50 %\s+1,000\s+25\s+2\.50 %\s+1\.70 % to 3\.66 %$/m);
    assert.match(out, /^2\s+50 %\s+1,000\s+45\s+4\.50 %\s+3\.38 % to 5\.97 %$/m);
    assert.match(out, /^v2 converts better than v1: \+2\.0 points, 95 % CI \+0\.4 to \+3\.7$/m);
    assert.match(out, /^ {2}\S+ \S+ {2}split {2}v1 50 % \/ v2 50 % {2}by /m);

    const json = await cli(["stats", "--app", "shop", "--mode", "test", "--json", ...common]);
    assert.equal(json.code, 0);
    const body = JSON.parse(json.out);
    assert.deepEqual([body.mode, body.versions, body.split], ["test", [], null]);
  } finally {
    await server.close();
  }
});

Deno.test("stats refuses a malformed day or mode before asking the server", async () => {
  const common = ["--url", "http://127.0.0.1:9", "--token", TEST_TOKEN];
  assert.equal(
    (await cli(["stats", "shop", "--from", "yesterday", ...common])).code,
    ExitCode.usage,
  );
  assert.equal((await cli(["stats", "shop", "--mode", "preview", ...common])).code, ExitCode.usage);
  assert.equal((await cli(["stats", "shop", "extra", ...common])).code, ExitCode.usage);
});

Deno.test("revenue is written in its currency's own decimals", () => {
  assert.equal(revenueFormat("USD")(123_456), "1,234.56");
  assert.equal(revenueFormat("JPY")(123_456), "123,456");
  assert.equal(revenueFormat("BHD")(123_456), "123.456");
  assert.equal(revenueFormat(undefined)(123_456), "123,456");
});
