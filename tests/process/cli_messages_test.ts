/**
 * The CLI's messages, each one a person can act on, from the repository (`deno run -A
 * cli/main.ts`) and from the copy the platform serves at `/cli.js`: the nearest flag or command
 * for a typo, the cause and URL of a network failure, URLs without a scheme, an empty folder, a
 * stale `--expect`, a missing token.
 */
import assert from "node:assert/strict";
import { type CliMode, type CliRun, runCli, show } from "../helpers/cli_process.ts";
import { freePort, PROCESS_TOKEN, spawnSwitchyard } from "../helpers/process.ts";

/** Every `"` opened is closed, and no `'` stands in for one. */
function assertQuotesBalanced(text: string) {
  assert.equal((text.match(/"/g) ?? []).length % 2, 0, `unbalanced quotes:\n${text}`);
  assert.ok(!/'-/.test(text), `a flag in single quotes:\n${text}`);
}

function expectFailure(run: CliRun, code: number, ...patterns: RegExp[]) {
  assert.equal(run.code, code, show(run));
  for (const pattern of patterns) assert.match(run.stderr, pattern, show(run));
  assertQuotesBalanced(run.stderr);
}

/** A TCP listener that accepts connections and never answers. */
function silentServer() {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const held: Deno.Conn[] = [];
  (async () => {
    for await (const conn of listener) held.push(conn);
  })().catch(() => {});
  return {
    port: (listener.addr as Deno.NetAddr).port,
    close() {
      listener.close();
      for (const conn of held) conn.close();
    },
  };
}

async function checkMessages(mode: CliMode, port: number, prefix: string) {
  const url = `http://127.0.0.1:${port}`;
  const env = { SWITCHYARD_URL: url, SWITCHYARD_TOKEN: PROCESS_TOKEN };
  const cli = (args: string[], more: Record<string, string> = {}) =>
    runCli(mode, args, { env: { ...env, ...more } });
  const dir = await Deno.makeTempDir({ prefix: "sy-cli-msg-" });
  const silent = silentServer();
  try {
    await Deno.writeTextFile(`${dir}/index.html`, "<h1>one</h1>");
    await Deno.mkdir(`${dir}/empty`);
    const created = await cli(["apps", "create", "shop"]);
    assert.equal(created.code, 0, show(created));
    const closed = freePort();
    const [typo, command, sub, refused, dns, tls, timeout, noScheme, empty, noToken] = await Promise
      .all([
        cli(["deploy", dir, "--prmote"]),
        cli(["promte", "1"]),
        cli(["apps", "craete", "x"]),
        cli(["apps", "--url", `http://127.0.0.1:${closed}`]),
        cli(["apps", "--url", "http://no-such-host.invalid"]),
        cli(["apps", "--url", `https://127.0.0.1:${port}`]),
        cli(["apps", "--url", `http://127.0.0.1:${silent.port}`, "--timeout", "1"]),
        cli(["apps", "--url", "shop.example.com"]),
        cli(["deploy", `${dir}/empty`, "--app", "shop"]),
        cli(["apps"], { SWITCHYARD_TOKEN: "" }),
      ]);
    expectFailure(typo, 2, /Unknown flag of "deploy": "--prmote"/, /Did you mean "--promote"\?/);
    expectFailure(command, 2, /Unknown command: "promte"/, /Did you mean "promote"\?/);
    expectFailure(sub, 2, /Unknown apps command: "craete"/, /One of: list, create, delete/);
    expectFailure(
      refused,
      7,
      new RegExp(`Connection refused: "http://127\\.0\\.0\\.1:${closed}/api/v1/apps`),
      /is Switchyard running/,
    );
    expectFailure(dns, 7, /Host name not found \(DNS\): "http:\/\/no-such-host\.invalid\/api/);
    expectFailure(tls, 7, new RegExp(`TLS handshake failed: "https://127\\.0\\.0\\.1:${port}/`));
    expectFailure(
      timeout,
      7,
      new RegExp(`No answer within 1 s: "http://127\\.0\\.0\\.1:${silent.port}/api/v1/apps`),
      /--timeout/,
    );
    expectFailure(noScheme, 2, /URL has no scheme: "shop\.example\.com"/, /"https:\/\/shop/);
    expectFailure(empty, 2, /Folder to deploy is empty: ".*empty"/);
    expectFailure(noToken, 2, /"SWITCHYARD_TOKEN" must be set/);

    // 127.0.0.1 without a scheme is this machine, over http (localhost: cli/config_test.ts).
    const bare = await cli(["apps", "--json"], { SWITCHYARD_URL: `127.0.0.1:${port}` });
    assert.equal(bare.code, 0, show(bare));

    const first = await cli(["deploy", dir, "--app", "shop", "--promote", "--json"]);
    assert.equal(JSON.parse(first.stdout).live, 1, show(first));
    await Deno.writeTextFile(`${dir}/index.html`, "<h1>two</h1>");
    const stale = await cli(["deploy", dir, "--app", "shop", "--expect", "none", "--json"]);
    expectFailure(
      stale,
      6,
      /Version 2 is ready but was not made live, as --expect is stale: version 1 is live, not nothing/,
      new RegExp(`Make it live anyway: ${prefix} promote 2 --app shop`),
    );
    const error = JSON.parse(stale.stdout).error;
    assert.deepEqual([error.code, error.version, error.live, error.exit_code], [
      "live_changed",
      2,
      1,
      6,
    ]);
  } finally {
    silent.close();
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("messages a person can act on, from the repository and from /cli.js", async () => {
  const server = await spawnSwitchyard();
  assert.ok(server.listening, JSON.stringify(server.lines));
  try {
    await checkMessages({ kind: "main" }, server.port, "deno task");
    const served = `http://127.0.0.1:${server.port}/cli.js`;
    // A second app name: the first run made "shop".
    await fetch(`http://127.0.0.1:${server.port}/api/v1/apps/shop`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${PROCESS_TOKEN}` },
    }).then((res) => res.body?.cancel());
    await checkMessages({ kind: "served", url: served }, server.port, `deno run -A ${served}`);
  } finally {
    await server.stop();
  }
});
