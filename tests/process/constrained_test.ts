/**
 * The real program under Deno Deploy's constraints: `main.ts` with only `--allow-net
 * --allow-env --allow-read` and KV in memory, the demo seeded and the build read at start. The
 * CLI it serves at `/cli.js` deploys, promotes, links and rolls back against it, the edge serves
 * and counts, and nothing in the log asks for a permission Deploy lacks.
 *
 * Needs `_build/` (`deno task test` builds first). `deno task test:deploy` runs the in-process
 * HTTP tests under the same permissions, and `.ci/run` the API contract.
 */
import assert from "node:assert/strict";
import { rawRequest } from "../helpers/http.ts";
import { DEPLOY_PERMISSIONS, PROCESS_TOKEN, spawnSwitchyard } from "../helpers/process.ts";

const decoder = new TextDecoder();

/** Runs the CLI straight from the server's `/cli.js`, as a merchant's CI would. */
async function cli(port: number, args: string[]) {
  const origin = `http://127.0.0.1:${port}`;
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `--reload=${origin}`, `${origin}/cli.js`, ...args, "--json"],
    env: { SWITCHYARD_TOKEN: PROCESS_TOKEN, NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stdout = decoder.decode(output.stdout);
  assert.equal(output.code, 0, `${stdout}\n${decoder.decode(output.stderr)}`);
  return JSON.parse(stdout);
}

Deno.test("under Deno Deploy's permissions the served CLI deploys, the edge serves and takes beacons", async () => {
  const site = await Deno.makeTempDir({ prefix: "sy-site-" });
  await Deno.writeTextFile(`${site}/index.html`, "<!doctype html><p>Deployed from /cli.js</p>");
  await Deno.writeTextFile(`${site}/app.js`, "console.log('v3');\n");
  const server = await spawnSwitchyard({
    permissions: DEPLOY_PERMISSIONS,
    env: { SWITCHYARD_KV: ":memory:", SWITCHYARD_DEMO: "1" },
  });
  try {
    assert.ok(server.listening, JSON.stringify(server.lines));
    assert.ok(!server.lines.some((line) => /build/i.test(line.msg ?? "")), "no build was loaded");
    const health = await fetch(`http://127.0.0.1:${server.port}/_switchyard/health`);
    assert.equal((await health.json()).kv, "ok");

    const deployed = await cli(server.port, ["deploy", site, "--app", "demo", "--promote"]);
    assert.equal(deployed.version, 3);
    assert.equal(deployed.live, 3);
    const page = await rawRequest(server.port, { path: "/", host: "demo.localhost" });
    assert.match(page.text(), /Deployed from \/cli\.js/);

    const link = await cli(server.port, ["links", "2", "--label", "QA", "--app", "demo"]);
    const preview = await rawRequest(server.port, {
      path: new URL(link.url).pathname + new URL(link.url).search,
      host: "demo.localhost",
    });
    assert.equal(preview.status, 303);

    const rolledBack = await cli(server.port, ["rollback", "--app", "demo"]);
    assert.deepEqual(rolledBack, { version: 1, previous: 3 });
    const beacon = await rawRequest(server.port, {
      method: "POST",
      path: "/api/v1/events",
      host: "demo.localhost",
      headers: { "content-type": "application/json", "sec-fetch-site": "same-origin" },
      body: '{"type":"pageview"}',
    });
    assert.equal(beacon.status, 204);

    server.signal("SIGTERM");
    assert.equal((await server.exited).code, 0);
    const log = JSON.stringify(server.lines);
    assert.doesNotMatch(log, /NotCapable|PermissionDenied|--allow-/);
    const requests = server.lines.filter((line) => line.msg === "request");
    assert.ok(requests.some((line) => line.path === "/cli.js" && line.status === 200));
    assert.ok(requests.every((line) => typeof line.request_id === "string"));
  } finally {
    await server.stop();
    await Deno.remove(site, { recursive: true });
  }
});

Deno.test("without a readable build the program still starts, and /cli.js says what to run and warns", async () => {
  // Denying `_build/` stands in for a checkout where "deno task build" never ran.
  const server = await spawnSwitchyard({
    permissions: [
      ...DEPLOY_PERMISSIONS,
      `--deny-read=${new URL("../../_build/", import.meta.url).pathname}`,
    ],
  });
  try {
    assert.ok(server.listening, JSON.stringify(server.lines));
    const response = await fetch(`http://127.0.0.1:${server.port}/cli.js`);
    assert.equal(response.status, 503);
    assert.match((await response.json()).error.message, /deno task build/);
    // The build is read when the platform first loads, and its absence is logged once then.
    await server.waitForLine((line) => line.level === "warn" && /cli\.js/.test(line.msg ?? ""));
  } finally {
    await server.stop();
  }
});
