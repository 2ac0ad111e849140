/**
 * A real third-party static bundle: the `npm pack` tarball of swagger-ui-dist (a built web
 * app on npm, with its single `package/` top folder) is installed and every file is served
 * byte-exact. The expected bytes come from Deno's own extraction of the same package into
 * node_modules, so the check does not lean on our archive reader.
 */
import assert from "node:assert/strict";
import { startServer } from "./helpers/server.ts";

const NAME = "swagger-ui-dist";
const VERSION = "5.35.0";
const TARBALL = `https://registry.npmjs.org/${NAME}/-/${NAME}-${VERSION}.tgz`;
const INTEGRITY =
  "sha512-U06rpMtW9V3XPGOBeamTUSr0Z09jMX4IJuANpE/EZbAhw0G8CgwrzU4YmXkn/h0wCDNsXdGarTNNHC3sU8yVUQ==";
const EXTRACTED = new URL(`../node_modules/${NAME}/`, import.meta.url);

async function tarball(): Promise<Uint8Array> {
  const res = await fetch(TARBALL);
  assert.equal(res.status, 200, `the npm registry answered ${res.status} for ${TARBALL}`);
  const bytes = new Uint8Array(await res.arrayBuffer());
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-512", bytes));
  assert.equal(`sha512-${btoa(String.fromCharCode(...digest))}`, INTEGRITY, "tarball integrity");
  return bytes;
}

async function* walk(dir: URL, prefix = ""): AsyncGenerator<string> {
  for await (const entry of Deno.readDir(dir)) {
    if (entry.isDirectory) yield* walk(new URL(`${entry.name}/`, dir), `${prefix}${entry.name}/`);
    else if (entry.isFile) yield `${prefix}${entry.name}`;
  }
}

Deno.test("swagger-ui-dist from npm installs and every file is served byte-exact", async () => {
  const server = await startServer();
  try {
    await (await server.api("POST", "/apps", { slug: "swagger", name: "Swagger UI" })).body
      ?.cancel();
    const res = await server.api("POST", "/apps/swagger/versions", await tarball(), {
      "content-type": "application/gzip",
    });
    const version = await res.json();
    assert.equal(res.status, 201, JSON.stringify(version));
    await (await server.api("PUT", "/apps/swagger/live", { version: version.number })).body
      ?.cancel();

    const expected: string[] = [];
    for await (const path of walk(EXTRACTED)) expected.push(path);
    assert.equal(version.file_count, expected.length);
    for (const path of expected) {
      const want = await Deno.readFile(new URL(path, EXTRACTED));
      const got = await server.edge("swagger", `/${path}`);
      assert.equal(got.status, 200, path);
      assert.equal(got.bytes.byteLength, want.byteLength, path);
      assert.deepEqual(got.bytes, want, path);
    }
    const home = await server.edge("swagger", "/");
    assert.match(home.text(), /swagger-ui/i);
  } finally {
    await server.close();
  }
});
