/**
 * Precompression at install (DESIGN "Packages": text assets are precompressed, br and gzip):
 * variants are blobs of their own, kept only when smaller, made for archive installs and at
 * manifest finalize, and reused by later installs of the same file.
 */
import assert from "node:assert/strict";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { noise, zipOf } from "./fixtures/archives.ts";
import { startServer } from "./helpers/server.ts";
import { compressibleText, install } from "./helpers/fixtures.ts";
import { findAppBySlug } from "../kv/apps.ts";
import { blobMetas, readBlob } from "../kv/blobs.ts";
import { blobMetaKey } from "../kv/keys.ts";
import { installArchive } from "../install/archive.ts";
import { sha256HexSync } from "../lib/sha256_sync.ts";
import { DEFAULT_PACKAGE_LIMITS } from "../package/limits.ts";

interface FileItem {
  path: string;
  sha256: string;
  size: number;
  br?: { sha256: string; size: number };
  gzip?: { sha256: string; size: number };
}

const SCRIPT = compressibleText("main", 16);

Deno.test("an archive install stores br and gzip variants of text files, only when smaller", async () => {
  const server = await startServer();
  try {
    await install(server, "pack", {
      "index.html": "<p>x</p>",
      "main.js": SCRIPT,
      "image.png": noise(8192),
      "data.json": JSON.stringify({ items: Array(300).fill({ name: "thing", price: 100 }) }),
      "random.txt": noise(2048),
    });
    const files = await (await server.api("GET", "/apps/pack/versions/1/files")).json();
    const byPath = new Map<string, FileItem>(files.items.map((f: FileItem) => [f.path, f]));
    const app = (await findAppBySlug(server.kv, "pack"))!;
    const main = byPath.get("main.js")!;
    assert.ok(main.br && main.gzip);
    assert.ok(main.br.size < main.gzip.size && main.gzip.size < main.size / 4);
    const br = (await readBlob(server.kv, app.account_id, main.br.sha256, main.br.size))!;
    assert.equal(new TextDecoder().decode(brotliDecompressSync(br)), SCRIPT);
    assert.equal(sha256HexSync(br), main.br.sha256, "a variant is a content-addressed blob");
    const gz = (await readBlob(server.kv, app.account_id, main.gzip.sha256, main.gzip.size))!;
    assert.equal(new TextDecoder().decode(gunzipSync(gz)), SCRIPT);
    assert.ok(byPath.get("data.json")!.br);
    for (const path of ["index.html", "image.png", "random.txt"]) {
      assert.equal(byPath.get(path)!.br, undefined, path);
      assert.equal(byPath.get(path)!.gzip, undefined, path);
    }
    const metas = await blobMetas(server.kv, app.account_id, [main.sha256]);
    assert.deepEqual(metas.get(main.sha256)!.variants, { br: main.br, gzip: main.gzip });
  } finally {
    await server.close();
  }
});

Deno.test("a reinstall reuses recorded variants, and recompresses when they are gone", async () => {
  const server = await startServer();
  try {
    await install(server, "again", { "index.html": "x" });
    const app = (await findAppBySlug(server.kv, "again"))!;
    const archive = () => new Blob([zipOf({ "index.html": "x", "main.js": SCRIPT })]).stream();
    const first = await installArchive(server.kv, app, archive(), "zip", DEFAULT_PACKAGE_LIMITS, {
      createdBy: "test",
    });
    assert.equal(first.newBlobs, 3, "the file and its two variants");
    const second = await installArchive(server.kv, app, archive(), "zip", DEFAULT_PACKAGE_LIMITS, {
      createdBy: "test",
    });
    assert.equal(second.newBlobs, 0, "nothing compressed or written again");

    const mainSha = sha256HexSync(SCRIPT);
    const variants = (await blobMetas(server.kv, app.account_id, [mainSha])).get(mainSha)!
      .variants!;
    await server.kv.delete(blobMetaKey(app.account_id, variants.br!.sha256)); // as GC would
    const third = await installArchive(server.kv, app, archive(), "zip", DEFAULT_PACKAGE_LIMITS, {
      createdBy: "test",
    });
    assert.equal(third.newBlobs, 1, "the missing variant is made again");
  } finally {
    await server.close();
  }
});

Deno.test("finalize of a manifest upload adds the variants, and the edge serves them", async () => {
  const server = await startServer();
  try {
    await (await server.api("POST", "/apps", { slug: "cli", name: "cli" })).body?.cancel();
    const index = "<p>cli</p>";
    const entries = [
      { path: "index.html", sha256: sha256HexSync(index), size: index.length },
      { path: "main.js", sha256: sha256HexSync(SCRIPT), size: SCRIPT.length },
    ];
    const created = await server.api("POST", "/apps/cli/versions", { files: entries });
    assert.equal(created.status, 201);
    const { version, missing } = await created.json();
    assert.equal(missing.length, 2);
    for (const [sha256, body] of [[entries[0].sha256, index], [entries[1].sha256, SCRIPT]]) {
      const put = await server.api("PUT", `/apps/cli/blobs/${sha256}`, body, {
        "content-type": "application/octet-stream",
      });
      assert.equal(put.status, 204);
      await put.body?.cancel();
    }
    const done = await server.api("POST", `/apps/cli/versions/${version.number}/finalize`);
    assert.equal(done.status, 200, await done.clone().text());
    await done.body?.cancel();
    const files = await (await server.api("GET", `/apps/cli/versions/${version.number}/files`))
      .json();
    const main = files.items.find((f: FileItem) => f.path === "main.js");
    assert.ok(main.br && main.gzip, JSON.stringify(main));
    const app = (await findAppBySlug(server.kv, "cli"))!;
    const meta = (await blobMetas(server.kv, app.account_id, [main.sha256])).get(main.sha256)!;
    assert.deepEqual(meta.variants, { br: main.br, gzip: main.gzip }, "recorded for next time");

    await (await server.api("PUT", "/apps/cli/live", { version: version.number })).body?.cancel();
    const res = await server.edge("cli", "/main.js", { headers: { "accept-encoding": "br" } });
    assert.equal(res.headers.get("content-encoding"), "br");
    assert.equal(new TextDecoder().decode(brotliDecompressSync(res.bytes)), SCRIPT);
  } finally {
    await server.close();
  }
});

Deno.test("a package refused after compression started leaves no version and no work running", async () => {
  const server = await startServer();
  try {
    await (await server.api("POST", "/apps", { slug: "late", name: "late" })).body?.cancel();
    const files: Record<string, string> = { "index.html": "x" };
    for (let i = 0; i < 80; i++) files[`js/f${i}.js`] = compressibleText(`f${i}`, 4);
    files["settings/x.js"] = "reserved"; // refused once every path is known
    const res = await server.api("POST", "/apps/late/versions", zipOf(files), {
      "content-type": "application/zip",
    });
    assert.equal(res.status, 422);
    assert.equal((await res.json()).error.code, "package_reserved_folder");
    const versions = await (await server.api("GET", "/apps/late/versions")).json();
    assert.equal(versions.items.length, 0);
  } finally {
    await server.close();
  }
});
