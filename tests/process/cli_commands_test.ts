/**
 * The CLI as a merchant runs it, in its own process against a real server process: every
 * command from the repository (`deno task …`) and from the copy the platform serves at
 * `/cli.js`, each with its table or line, its `--json` and its exit code, and hints that name
 * the command line that works for the way it was run.
 */
import assert from "node:assert/strict";
import { type CliMode, type CliRun, runCli, show } from "../helpers/cli_process.ts";
import { PROCESS_TOKEN, spawnSwitchyard, type SwitchyardProcess } from "../helpers/process.ts";
import { rawRequest } from "../helpers/http.ts";

async function withServer(fn: (server: SwitchyardProcess, url: string) => Promise<void>) {
  const server = await spawnSwitchyard();
  assert.ok(server.listening, JSON.stringify(server.lines));
  try {
    await fn(server, `http://127.0.0.1:${server.port}`);
  } finally {
    await server.stop();
  }
}

async function storefront(text: string): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "sy-cli-site-" });
  await Deno.writeTextFile(`${dir}/index.html`, `<!doctype html><h1>${text}</h1>`);
  return dir;
}

/** A session of one person: one way of running the CLI, pointed at one server. */
function session(mode: CliMode, url: string) {
  const env = { SWITCHYARD_URL: url, SWITCHYARD_TOKEN: PROCESS_TOKEN };
  const cli = (args: string[], stdin?: string) => runCli(mode, args, { env, stdin });
  /** Runs and expects exit 0. */
  const ok = async (...args: string[]): Promise<CliRun> => {
    const run = await cli(args);
    assert.equal(run.code, 0, `${args.join(" ")}\n${show(run)}`);
    return run;
  };
  const json = async (...args: string[]) => JSON.parse((await ok(...args, "--json")).stdout);
  return { cli, ok, json };
}

/** Every command a merchant uses, in the order of a first day; `hint` prefixes the hints. */
async function firstDay(mode: CliMode, url: string, port: number, hint: string) {
  const { cli, ok, json } = session(mode, url);
  const dir = await storefront("Spring");
  try {
    assert.match(
      (await ok("apps", "create", "shop", "--name", "My shop")).stdout,
      /Created app "shop"/,
    );
    const apps = await ok("apps");
    assert.match(apps.lines[0], /^SLUG +NAME +LIVE +URL +CREATED/);
    assert.match(apps.lines[1], /^shop +My shop +none +http:\/\/shop\.localhost:/);
    assert.equal((await json("apps", "list")).items[0].slug, "shop");

    const deployed = await ok("deploy", dir, "--app", "shop", "--label", "spring", "-m", "First");
    assert.match(deployed.stdout, /^Version 1 of "shop": 1 file/);
    assert.ok(deployed.stdout.includes(`  ${hint} promote 1 --app shop\n`), show(deployed));
    const again = await ok("deploy", dir, "--app", "shop");
    assert.match(again.stdout, /Nothing new to deploy: version 1 of "shop" already has these/);
    const unchanged = await json("deploy", dir, "--app", "shop", "--link", "QA");
    assert.deepEqual([unchanged.version, unchanged.unchanged], [1, true]);
    assert.match(unchanged.link, /\/_switchyard\/preview\?token=/);
    const forced = await json("deploy", dir, "--app", "shop", "--force");
    assert.deepEqual([forced.version, forced.unchanged, forced.uploaded], [2, false, 0]);

    assert.match((await ok("promote", "1", "--app", "shop")).stdout, /Version 1 of "shop" is live/);
    assert.deepEqual(await json("promote", "2", "--app", "shop", "--expect", "1"), {
      version: 2,
      previous: 1,
    });
    const versions = await ok("versions", "--app", "shop");
    assert.match(
      versions.lines[0],
      /^VERSION +LIVE +STATUS +FILES +SIZE +AUTHOR +CREATED \(UTC\) +LABEL +MESSAGE$/,
    );
    assert.match(versions.lines[1], /^2 +live +ready +1 +\d+ B +bootstrap/);
    assert.match(versions.lines[2], /^1 +ready +1 +\d+ B +bootstrap .* spring +First$/);
    assert.equal((await json("versions", "--app", "shop")).live, 2);
    const rolled = await ok("rollback", "--app", "shop");
    assert.match(rolled.stdout, /Rolled "shop" back to version 1 \(was 2\)/);
    await ok("promote", "2", "--app", "shop", "-q");
    assert.deepEqual(await json("rollback", "--app", "shop"), { version: 1, previous: 2 });
    const page = await rawRequest(port, { path: "/", host: "shop.localhost" });
    assert.match(page.text(), /Spring/);

    const created = await ok("links", "create", "1", "--label", "For QA", "--app", "shop");
    assert.match(created.stdout, /Test link for version 1 of "shop": http:\/\/shop\.localhost/);
    const invited = await json("links", "invite", "2", "jane@example.com", "--app", "shop");
    assert.deepEqual([invited.label, invited.invitation_sent], ["For jane@example.com", false]);
    assert.match(
      (await ok("links", "invite", "2", "joe@example.com", "--app", "shop")).stdout,
      /No invitation mailed to joe@example\.com/,
    );
    const links = await ok("links", "--app", "shop");
    assert.match(links.lines[0], /^ID +VERSION +LABEL +EMAIL +STATUS +UNTIL \(UTC\) +VISITS$/);
    assert.equal(links.lines.length, 5, show(links));
    const revoked = await ok("links", "revoke", invited.id, "--app", "shop");
    assert.match(revoked.stdout, new RegExp(`Revoked test link ${invited.id}`));
    const listed = await json("links", "list", "--app", "shop");
    const state = listed.items.find((link: { id: string }) => link.id === invited.id);
    assert.ok(state.revoked_at);

    const token = await json("tokens", "create", "ci");
    assert.match(token.token, /^sy_/);
    const tokens = await ok("tokens");
    assert.match(tokens.lines[0], /^ID +NAME +SCOPE +BY +CREATED \(UTC\) +EXPIRES +LAST USED$/);
    // Made with the bootstrap token, which no person made: no one to name.
    assert.ok(tokens.lines.some((line) => / ci +full +- /.test(line)), show(tokens));
    assert.match((await ok("tokens", "create", "deploys")).stdout, /this is the only time/);
    assert.deepEqual(await json("tokens", "revoke", token.id), { revoked: token.id });

    const refused = await cli(["apps", "delete", "shop"], "shp\n");
    assert.equal(refused.code, 2, show(refused));
    assert.match(refused.stderr, /Not deleted: the slug typed does not match: "shp"/);
    const unasked = await cli(["apps", "delete", "shop"]);
    assert.equal(unasked.code, 2, show(unasked));
    assert.ok(unasked.stderr.includes(`${hint} apps delete shop --yes`), show(unasked));
    const deleted = await cli(["apps", "delete", "shop"], "shop\n");
    assert.equal(deleted.code, 0, show(deleted));
    assert.match(deleted.stdout, /Deleted app "shop"/);
    assert.deepEqual(await json("apps", "create", "shop").then((app) => app.slug), "shop");
    assert.deepEqual(await json("apps", "delete", "shop", "--yes"), { deleted: "shop" });
    const gone = await cli(["versions", "--app", "shop"]);
    assert.equal(gone.code, 4, show(gone));
    assert.ok(gone.stderr.includes(`Create it with: ${hint} apps create shop`), show(gone));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("a merchant's first day with deno task: every command, its table, --json and exit code", async () => {
  await withServer(async (server, url) => {
    await firstDay({ kind: "task" }, url, server.port, "deno task");
  });
});

Deno.test("the same day with the CLI the platform serves at /cli.js, its hints naming that URL", async () => {
  await withServer(async (server, url) => {
    const served = `${url}/cli.js`;
    await firstDay({ kind: "served", url: served }, url, server.port, `deno run -A ${served}`);
  });
});

Deno.test("every command has --help, from the repository and from /cli.js", async () => {
  await withServer(async (_server, url) => {
    const commands = ["apps", "deploy", "versions", "promote", "rollback", "links", "tokens"];
    const modes: [CliMode, string][] = [
      [{ kind: "main" }, "deno task"],
      [{ kind: "served", url: `${url}/cli.js` }, `deno run -A ${url}/cli.js`],
    ];
    for (const [mode, prefix] of modes) {
      const runs = await Promise.all(commands.map((command) => runCli(mode, [command, "--help"])));
      runs.forEach((run, i) => {
        assert.equal(run.code, 0, show(run));
        assert.ok(run.stdout.includes(`${prefix} ${commands[i]}`), show(run));
        assert.match(run.stdout, /--json/);
        assert.match(run.stdout, /Exit codes: 0 ok/);
      });
    }
  });
});
