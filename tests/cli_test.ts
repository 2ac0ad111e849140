/**
 * The deploy CLI against the real server on a random port: the programmatic `deploy()` for
 * upload behaviour, and `cli/main.ts` as a subprocess for output and exit codes.
 */
import assert from "node:assert/strict";
import { startServer, TEST_TOKEN, type TestServer } from "./helpers/server.ts";
import { deploy, type DeployOptions } from "../cli/deploy.ts";
import { CliError, ExitCode } from "../cli/errors.ts";
import { blobsPrefix } from "../kv/keys.ts";

const MAIN = new URL("../cli/main.ts", import.meta.url).pathname;
const SLUG = "shop";
/** Temporary folders of the running test, removed when it ends. */
const temporary: string[] = [];

async function tempDir(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "switchyard_cli_" });
  temporary.push(dir);
  return dir;
}

/** A server of its own (in-memory KV) with the app "shop", so tests run in parallel. */
async function withApp(fn: (server: TestServer, slug: string) => Promise<void>) {
  const server = await startServer();
  try {
    const created = await server.api("POST", "/apps", { slug: SLUG, name: "Shop" });
    assert.equal(created.status, 201, await created.text());
    await fn(server, SLUG);
  } finally {
    await server.close();
    for (const dir of temporary.splice(0)) await Deno.remove(dir, { recursive: true });
  }
}

/** A temporary folder holding `files` (path → text). */
async function folderOf(files: Record<string, string>): Promise<string> {
  const dir = await tempDir();
  for (const [path, text] of Object.entries(files)) {
    const slash = path.lastIndexOf("/");
    if (slash !== -1) await Deno.mkdir(`${dir}/${path.slice(0, slash)}`, { recursive: true });
    await Deno.writeTextFile(`${dir}/${path}`, text);
  }
  return dir;
}

const storefront = (extra: Record<string, string> = {}) =>
  folderOf({
    "index.html": "<!doctype html><h1>Shop</h1>",
    "app.js": "console.log('shop');",
    "css/site.css": "body { color: teal }",
    ...extra,
  });

function deployTo(
  server: TestServer,
  slug: string,
  dir: string,
  more: Partial<DeployOptions> = {},
) {
  const url = `http://127.0.0.1:${server.port}`;
  return deploy({ dir, app: slug, url, token: TEST_TOKEN, ...more });
}

async function blobCount(server: TestServer): Promise<number> {
  let count = 0;
  for await (const _ of server.kv.list({ prefix: blobsPrefix(server.accountId) })) count++;
  return count;
}

/** GET on the merchant API, answered as JSON. */
async function get<T = Record<string, unknown>>(server: TestServer, path: string): Promise<T> {
  const response = await server.api("GET", path);
  assert.equal(response.status, 200, path);
  return await response.json() as T;
}

type FileList = { items: { path: string; sha256: string }[] };

/** Runs `cli/main.ts` in its own process, from an empty folder, with only `env` set. */
async function runCli(args: string[], env: Record<string, string>) {
  const cwd = await tempDir();
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--no-config", MAIN, ...args],
    env: { NO_COLOR: "1", ...env },
    clearEnv: true,
    cwd,
  }).output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code, stdout: decode(stdout), stderr: decode(stderr) };
}

const cliEnv = (server: TestServer, token = TEST_TOKEN) => ({
  SWITCHYARD_URL: `http://127.0.0.1:${server.port}`,
  SWITCHYARD_TOKEN: token,
});

Deno.test("deploy() uploads every kept file on a first deploy and leaves ignored ones out", async () => {
  await withApp(async (server, slug) => {
    const dir = await storefront({
      ".env": "SECRET=1",
      "node_modules/lib/index.js": "x",
      "app.js.map": "{}",
      ".well-known/security.txt": "Contact: me@example.com",
    });
    const result = await deployTo(server, slug, dir);
    assert.deepEqual([result.version, result.files, result.uploaded, result.live], [1, 4, 4, null]);
    const files = await get<FileList>(server, `/apps/${slug}/versions/1/files`);
    assert.deepEqual(files.items.map((file) => file.path).sort(), [
      ".well-known/security.txt",
      "app.js",
      "css/site.css",
      "index.html",
    ]);
    assert.equal((await get(server, `/apps/${slug}/versions/1`)).status, "ready");
  });
});

Deno.test("a re-deploy with one changed file uploads exactly one blob", async () => {
  await withApp(async (server, slug) => {
    const dir = await storefront();
    await deployTo(server, slug, dir);
    const before = await blobCount(server);
    const changed = "body { color: coral }";
    await Deno.writeTextFile(`${dir}/css/site.css`, changed);
    const sent: string[] = [];
    const result = await deployTo(server, slug, dir, {
      label: "coral",
      onBlobUploaded: (sha256) => sent.push(sha256),
    });
    assert.deepEqual([result.version, result.uploaded], [2, 1]);
    assert.equal(result.bytes_uploaded, changed.length);
    // The server's own store grew by exactly one blob: the changed file's.
    assert.equal(await blobCount(server), before + 1);
    const version = await get(server, `/apps/${slug}/versions/2`);
    assert.deepEqual([version.status, version.label, version.file_count], ["ready", "coral", 3]);
    const files = await get<FileList>(server, `/apps/${slug}/versions/2/files`);
    assert.deepEqual(sent, [files.items.find((file) => file.path === "css/site.css")!.sha256]);
  });
});

Deno.test("an interrupted deploy resumes, uploading only the blobs still missing", async () => {
  await withApp(async (server, slug) => {
    const pages = Object.fromEntries(
      Array.from({ length: 9 }, (_, i) => [`pages/${i}.html`, `<p>page ${i}</p>`]),
    );
    const dir = await storefront(pages);
    const controller = new AbortController();
    let sent = 0;
    await assert.rejects(() =>
      deployTo(server, slug, dir, {
        concurrency: 1,
        signal: controller.signal,
        onBlobUploaded: () => ++sent === 4 && controller.abort(),
      })
    );
    assert.equal(sent, 4);
    assert.equal((await get(server, `/apps/${slug}/versions/1`)).status, "uploading");
    const result = await deployTo(server, slug, dir);
    assert.deepEqual([result.files, result.uploaded], [12, 12 - 4]);
    assert.equal((await get(server, `/apps/${slug}/versions/2`)).status, "ready");
  });
});

Deno.test("deploy() refuses settings/ and analytics/ folders locally, listing each, before any upload", async () => {
  await withApp(async (server, slug) => {
    const dir = await storefront({ "settings/app.json": "{}", "analytics/tag.js": "x" });
    const error = await deployTo(server, slug, dir).then(() => null, (error) => error);
    assert.ok(error instanceof CliError, String(error));
    assert.equal(error.exitCode, ExitCode.packageRefused);
    assert.equal(error.lines.length, 2);
    assert.ok(error.lines[0].includes('"analytics/tag.js"'), error.lines[0]);
    assert.ok(error.lines[1].includes('Remove the "settings/" folder'), error.lines[1]);
    assert.deepEqual((await get(server, `/apps/${slug}/versions`)).items, []);
    assert.equal(await blobCount(server), 0);
    // The local message is the server's, word for word.
    const file = (path: string) => ({ path, sha256: "0".repeat(64), size: 1 });
    const refused = await server.api("POST", `/apps/${slug}/versions`, {
      files: [file("index.html"), file("settings/app.json")],
    });
    assert.equal(refused.status, 422);
    assert.equal((await refused.json()).error.message, error.lines[1]);
  });
});

Deno.test("deploy() with a link label creates a test link for the new version", async () => {
  await withApp(async (server, slug) => {
    const result = await deployTo(server, slug, await storefront(), { link: "For QA" });
    assert.ok(result.link?.includes("/_switchyard/preview?token="), String(result.link));
    const links = await get<{ items: { version: number; label: string }[] }>(
      server,
      `/apps/${slug}/links`,
    );
    assert.deepEqual(links.items.map((link) => [link.version, link.label]), [[1, "For QA"]]);
  });
});

Deno.test("deploy --json prints one JSON object with the result", async () => {
  await withApp(async (server, slug) => {
    const dir = await storefront();
    const run = await runCli(["deploy", dir, "--app", slug, "--promote", "--json"], cliEnv(server));
    assert.equal(run.code, 0, run.stderr);
    const result = JSON.parse(run.stdout);
    assert.deepEqual(
      [result.version, result.files, result.uploaded, result.live, result.link],
      [1, 3, 3, 1, null],
    );
    assert.ok(result.bytes_uploaded > 0);
    assert.equal(result.url, (await get(server, `/apps/${slug}`)).url);
  });
});

Deno.test("deploy with a bad token exits 3, an unknown app 4, a missing token 2", async () => {
  await withApp(async (server, slug) => {
    const dir = await storefront();
    const badToken = await runCli(["deploy", dir, "--app", slug], cliEnv(server, "sy_nope"));
    assert.equal(badToken.code, ExitCode.auth, badToken.stderr);
    const unknown = await runCli(["deploy", dir, "--app", "no-such-app", "--json"], cliEnv(server));
    assert.equal(unknown.code, ExitCode.notFound, unknown.stderr);
    assert.equal(JSON.parse(unknown.stdout).error.exit_code, ExitCode.notFound);
    const noToken = await runCli(["deploy", dir, "--app", slug], {
      SWITCHYARD_URL: cliEnv(server).SWITCHYARD_URL,
    });
    assert.equal(noToken.code, ExitCode.usage);
    assert.ok(noToken.stderr.includes('"SWITCHYARD_TOKEN" must be set'), noToken.stderr);
  });
});

Deno.test("promote with --expect, versions and rollback drive the live version; a stale expect exits 6", async () => {
  await withApp(async (server, slug) => {
    const dir = await storefront();
    assert.equal((await deployTo(server, slug, dir, { promote: true, expect: null })).live, 1);
    await Deno.writeTextFile(`${dir}/index.html`, "<h1>v2</h1>");
    const env = cliEnv(server);
    const stale = await runCli(["deploy", dir, "--app", slug, "--expect", "none"], env);
    assert.equal(stale.code, ExitCode.conflict, stale.stderr);
    assert.equal((await get(server, `/apps/${slug}`)).live, 1);
    const promoted = await runCli(["promote", "2", "--app", slug, "--expect", "1"], env);
    assert.equal(promoted.code, 0, promoted.stderr);
    const page = JSON.parse((await runCli(["versions", "--app", slug, "--json"], env)).stdout);
    assert.deepEqual([page.live, page.items.map((v: { number: number }) => v.number)], [2, [2, 1]]);
    const rolled = await runCli(["rollback", "--app", slug, "--json"], env);
    assert.deepEqual(JSON.parse(rolled.stdout), { version: 1, previous: 2 });
  });
});

Deno.test("deploy uploads the folder's switchyard.json: the edge applies its redirects and headers", async () => {
  await withApp(async (server, slug) => {
    const config = {
      redirects: [{ from: "/old", to: "/new", status: 301 }],
      headers: { "/**": { "X-Frame-Options": "DENY" } },
      deploy: { app: slug },
    };
    const dir = await storefront({ "switchyard.json": JSON.stringify(config) });
    // The app comes from the deploy section of the very file that is uploaded.
    const run = await runCli(["deploy", dir, "--promote", "--json"], cliEnv(server));
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout).files, 4);
    const old = await server.edge(slug, "/old");
    assert.equal(old.status, 301);
    assert.equal(old.headers.get("location"), "/new");
    const home = await server.edge(slug, "/");
    assert.equal(home.status, 200);
    assert.equal(home.headers.get("x-frame-options"), "DENY");
    assert.equal((await server.edge(slug, "/switchyard.json")).status, 404, "config is not served");
  });
});

Deno.test("deploy() refuses a token in the deployed switchyard.json before sending anything", async () => {
  await withApp(async (server, slug) => {
    const config = { deploy: { app: slug, token: "sy_leaked" } };
    const dir = await storefront({ "switchyard.json": JSON.stringify(config) });
    const error = await deployTo(server, slug, dir).then(() => null, (error) => error);
    assert.ok(error instanceof CliError, String(error));
    assert.equal(error.exitCode, ExitCode.usage);
    assert.match(error.message, /Remove "token"/);
    assert.deepEqual((await get(server, `/apps/${slug}/versions`)).items, []);
    assert.equal(await blobCount(server), 0);
  });
});

Deno.test("deploy() refuses symlinks leading outside the folder, listing each; links inside are followed", async () => {
  await withApp(async (server, slug) => {
    const root = await folderOf({
      "secret.env": "AWS_SECRET=hunter2",
      "shared/keys.txt": "private key",
      "dist/index.html": "<p>home</p>",
      "dist/assets/logo.txt": "logo",
    });
    const dist = `${root}/dist`;
    await Deno.symlink("../secret.env", `${dist}/config.txt`);
    await Deno.symlink("../shared", `${dist}/vendor`);
    await Deno.symlink("assets/logo.txt", `${dist}/alias.txt`);
    await Deno.symlink("assets", `${dist}/media`);
    // An ignored entry is never deployed, so where it points does not matter.
    await Deno.symlink("../secret.env", `${dist}/.env`);
    const error = await deployTo(server, slug, dist).then(() => null, (error) => error);
    assert.ok(error instanceof CliError, String(error));
    assert.equal(error.exitCode, ExitCode.packageRefused);
    assert.equal(error.code, "package_symlink_outside");
    assert.equal(error.lines.length, 2, error.lines.join("\n"));
    assert.ok(error.lines[0].includes('"config.txt"'), error.lines[0]);
    assert.ok(error.lines[1].includes('"vendor"'), error.lines[1]);
    assert.deepEqual((await get(server, `/apps/${slug}/versions`)).items, []);
    assert.equal(await blobCount(server), 0);

    await Deno.remove(`${dist}/config.txt`);
    await Deno.remove(`${dist}/vendor`);
    const result = await deployTo(server, slug, dist, { promote: true });
    const files = await get<FileList>(server, `/apps/${slug}/versions/${result.version}/files`);
    assert.deepEqual(files.items.map((file) => file.path).sort(), [
      "alias.txt",
      "assets/logo.txt",
      "index.html",
      "media/logo.txt",
    ]);
    assert.equal((await server.edge(slug, "/alias.txt")).text(), "logo");
    assert.equal((await server.edge(slug, "/media/logo.txt")).text(), "logo");
  });
});

Deno.test("a deploy token made by tokens create can deploy, promote and link; a read token exits 3", async () => {
  await withApp(async (server, slug) => {
    const made = await runCli(
      ["tokens", "create", "CI", "--scope", "deploy", "--days", "30", "--json"],
      cliEnv(server),
    );
    assert.equal(made.code, 0, made.stderr);
    const ci = JSON.parse(made.stdout);
    assert.equal(ci.scope, "deploy");
    assert.ok(ci.expires_at);
    const dir = await storefront();
    const args = ["deploy", dir, "--app", slug, "--promote", "--link", "For QA", "--json"];
    const deployed = await runCli(args, cliEnv(server, ci.token));
    assert.equal(deployed.code, 0, deployed.stderr);
    const first = JSON.parse(deployed.stdout);
    assert.equal(first.live, 1);
    assert.match(first.link ?? "", /\/_switchyard\/preview\?token=syt_/);
    const changed = await storefront({ "new.txt": "a change to deploy" });
    const second = await runCli(
      ["deploy", changed, "--app", slug, "--promote", "--json"],
      cliEnv(server, ci.token),
    );
    assert.equal(second.code, 0, second.stderr);
    assert.equal(JSON.parse(second.stdout).live, 2);
    const rolled = await runCli(["rollback", "--app", slug], cliEnv(server, ci.token));
    assert.equal(rolled.code, 0, rolled.stderr);
    const live = await (await server.api("GET", `/apps/${slug}/live`)).json();
    assert.equal(live.version, 1, "the deploy token rolled back");
    const reader = await (await server.api("POST", "/tokens", { name: "r", scope: "read" })).json();
    const third = await storefront({ "new.txt": "another change, not yet deployed" });
    const refused = await runCli(["deploy", third, "--app", slug], cliEnv(server, reader.token));
    assert.equal(refused.code, ExitCode.auth, refused.stderr);
    assert.ok(refused.stderr.includes('scope "read" does not allow "deploy"'), refused.stderr);
    const badScope = await runCli(["tokens", "create", "x", "--scope", "admin"], cliEnv(server));
    assert.equal(badScope.code, ExitCode.usage, badScope.stderr);
  });
});
