/**
 * Installing packages over HTTP: every hostile archive of the shared corpus is refused with
 * the status, rule and entry it deserves, and leaves nothing `ready`; the manifest flow
 * uploads only what is missing and verifies every blob.
 */
import assert from "node:assert/strict";
import { hostileArchives, tgzOf, zipOf } from "./fixtures/archives.ts";
import { startServer, type TestServer } from "./helpers/server.ts";
import { DEFAULT_PACKAGE_LIMITS } from "../package/limits.ts";
import { sha256Hex } from "../lib/crypto.ts";
import { ARCHIVE_MEDIA_TYPES, archiveFormat } from "../package/read_package.ts";

async function newApp(server: TestServer, slug: string) {
  const res = await server.api("POST", "/apps", { slug, name: slug });
  assert.equal(res.status, 201);
  await res.body?.cancel();
}

Deno.test("every hostile archive is refused with its rule over HTTP and leaves nothing ready", async () => {
  const cases = hostileArchives();
  assert.ok(cases.length >= 30, `only ${cases.length} hostile archives`);
  const groups = Map.groupBy(cases, (c) => JSON.stringify(c.limits ?? {}));
  for (const [limitsJson, group] of groups) {
    const limits = { ...DEFAULT_PACKAGE_LIMITS, ...JSON.parse(limitsJson) };
    const server = await startServer({ packageLimits: limits });
    try {
      await newApp(server, "target");
      for (const hostile of group) {
        const res = await server.api("POST", "/apps/target/versions", hostile.bytes, {
          "content-type": hostile.contentType,
        });
        const body = await res.json();
        assert.ok(
          res.status >= 400 && res.status < 500,
          `${hostile.name}: ${JSON.stringify(body)}`,
        );
        // A tar header promising more bytes than the stream holds reads either as a size lie or
        // as a truncated archive, depending on where the upload's chunks happen to end.
        const rules = hostile.rule === "size_mismatch" && hostile.contentType.includes("gzip")
          ? ["package_size_mismatch", "package_corrupt_archive"]
          : [`package_${hostile.rule}`];
        assert.ok(rules.includes(body.error.code), `${hostile.name}: ${body.error.code}`);
        if (body.error.code !== `package_${hostile.rule}`) continue;
        assert.equal(res.status, hostile.status, hostile.name);
        assert.ok(body.error.message.length > 10, hostile.name);
        // Where a damaged stream ends depends on the upload's chunks: only other refusals are
        // sure to name their entry.
        if (hostile.entry !== undefined && hostile.rule !== "corrupt_archive") {
          assert.equal(body.error.details.entry, hostile.entry, hostile.name);
        }
      }
      const versions = await (await server.api("GET", "/apps/target/versions")).json();
      assert.deepEqual(versions.items, [], "no version was recorded");
      // Nothing went live or became servable either.
      assert.equal((await server.edge("target", "/")).status, 404);
    } finally {
      await server.close();
    }
  }
});

Deno.test("the reserved-folder refusal tells the merchant to remove the folder", async () => {
  const server = await startServer();
  try {
    await newApp(server, "reserved");
    for (const folder of ["settings", "analytics"]) {
      const res = await server.api(
        "POST",
        "/apps/reserved/versions",
        zipOf({ "index.html": "x", [`${folder}/app.js`]: "x" }),
        { "content-type": "application/zip" },
      );
      assert.equal(res.status, 422);
      const { error } = await res.json();
      assert.match(error.message, new RegExp(`${folder}/`));
      assert.match(error.message, /remove/i);
      assert.match(error.message, /inject/i);
    }
  } finally {
    await server.close();
  }
});

Deno.test("an npm pack tarball and a tar -C dist . tarball install with clean paths", async () => {
  const server = await startServer();
  try {
    await newApp(server, "tarballs");
    const packed = tgzOf({ "package/index.html": "<p>npm</p>", "package/js/app.js": "1" });
    let res = await server.api("POST", "/apps/tarballs/versions", packed, {
      "content-type": "application/gzip",
    });
    assert.equal(res.status, 201, await res.clone().text());
    await res.body?.cancel();
    const dotted = tgzOf({ "./index.html": "<p>dot</p>", "./js/app.js": "2" });
    res = await server.api("POST", "/apps/tarballs/versions", dotted, {
      "content-type": "application/gzip",
    });
    assert.equal(res.status, 201, await res.clone().text());
    await res.body?.cancel();
    for (const n of [1, 2]) {
      const files = await (await server.api("GET", `/apps/tarballs/versions/${n}/files`)).json();
      assert.deepEqual(files.items.map((f: { path: string }) => f.path), [
        "index.html",
        "js/app.js",
      ]);
    }
  } finally {
    await server.close();
  }
});

Deno.test("the manifest flow uploads only missing blobs and verifies each one", async () => {
  const server = await startServer();
  try {
    await newApp(server, "flow");
    const files = { "index.html": "<p>hello</p>", "app.js": "console.log(1)" };
    const manifest = await Promise.all(
      Object.entries(files).map(async ([path, text]) => ({
        path,
        sha256: await sha256Hex(text),
        size: new TextEncoder().encode(text).byteLength,
      })),
    );
    let res = await server.api("POST", "/apps/flow/versions", {
      files: manifest,
      message: "first",
    });
    assert.equal(res.status, 201);
    const created = await res.json();
    assert.equal(created.version.status, "uploading");
    assert.deepEqual(created.missing.sort(), manifest.map((f) => f.sha256).sort());

    res = await server.api("POST", "/apps/flow/versions/1/finalize");
    assert.equal(res.status, 422);
    assert.equal((await res.json()).error.details.missing.length, 2);

    res = await server.api("PUT", `/apps/flow/blobs/${manifest[0].sha256}`, "tampered", {
      "content-type": "application/octet-stream",
    });
    assert.equal(res.status, 422);
    assert.equal((await res.json()).error.code, "hash_mismatch");
    for (const [i, text] of Object.values(files).entries()) {
      res = await server.api("PUT", `/apps/flow/blobs/${manifest[i].sha256}`, text, {
        "content-type": "application/octet-stream",
      });
      assert.equal(res.status, 204);
    }
    res = await server.api("POST", "/apps/flow/versions/1/finalize");
    assert.equal(res.status, 200);
    assert.equal((await res.json()).status, "ready");

    res = await server.api("POST", "/apps/flow/versions", { files: manifest });
    const again = await res.json();
    assert.deepEqual(again.missing, [], "an identical re-upload needs no blob");
    await (await server.api("PUT", "/apps/flow/live", { version: 1 })).body?.cancel();
    assert.equal((await server.edge("flow", "/app.js")).text(), files["app.js"]);
  } finally {
    await server.close();
  }
});

Deno.test("manifest paths obey the archive rules, and oversize blobs are 413", async () => {
  const server = await startServer({
    packageLimits: { ...DEFAULT_PACKAGE_LIMITS, fileBytes: 1024 },
  });
  try {
    await newApp(server, "rules");
    const sha = "0".repeat(64);
    for (
      const [path, rule] of [
        ["../x.js", "package_path_escape"],
        ["settings/x.js", "package_reserved_folder"],
        ["a\\b.js", "package_backslash_path"],
      ]
    ) {
      const res = await server.api("POST", "/apps/rules/versions", {
        files: [{ path: "index.html", sha256: sha, size: 1 }, { path, sha256: sha, size: 1 }],
      });
      assert.equal(res.status, 422, path);
      assert.equal((await res.json()).error.code, rule, path);
    }
    const big = await server.api("PUT", `/apps/rules/blobs/${sha}`, "x".repeat(2048), {
      "content-type": "application/octet-stream",
    });
    assert.equal(big.status, 413);
    await big.body?.cancel();
    const wrongType = await server.api("POST", "/apps/rules/versions", "hello", {
      "content-type": "text/plain",
    });
    assert.equal(wrongType.status, 415);
    assert.match((await wrongType.json()).error.message, /"text\/plain"/);
  } finally {
    await server.close();
  }
});

Deno.test("a manifest whose declared size differs from the blob's is refused, never ready", async () => {
  const server = await startServer();
  try {
    await newApp(server, "sizes");
    const text = "<p>forty-three bytes of a real index page</p>";
    const sha256 = await sha256Hex(text);
    let res = await server.api("POST", "/apps/sizes/versions", {
      files: [{ path: "index.html", sha256, size: 5 }],
    });
    assert.equal(res.status, 201);
    await res.body?.cancel();
    res = await server.api("PUT", `/apps/sizes/blobs/${sha256}`, text, {
      "content-type": "application/octet-stream",
    });
    assert.equal(res.status, 204);
    res = await server.api("POST", "/apps/sizes/versions/1/finalize");
    assert.equal(res.status, 422);
    const { error } = await res.json();
    assert.equal(error.code, "package_size_mismatch");
    assert.match(error.message, /index\.html/);
    // With the blob stored, the lie is caught when the manifest is sent.
    res = await server.api("POST", "/apps/sizes/versions", {
      files: [{ path: "index.html", sha256, size: 999 }],
    });
    assert.equal(res.status, 422);
    assert.equal((await res.json()).error.code, "package_size_mismatch");
    const versions = await (await server.api("GET", "/apps/sizes/versions")).json();
    assert.deepEqual(versions.items.map((v: { status: string }) => v.status), ["uploading"]);
  } finally {
    await server.close();
  }
});

Deno.test("every media type the API documents for archives installs that archive", async () => {
  const server = await startServer();
  try {
    await newApp(server, "types");
    const files = { "index.html": "<p>hi</p>" };
    const documented = (await (await fetch(
      `http://127.0.0.1:${server.port}/api/v1/openapi.json`,
    )).json()).paths["/apps/{slug}/versions"].post.requestBody.content;
    const archiveTypes = Object.keys(documented).filter((type) => type !== "application/json");
    assert.deepEqual(archiveTypes.sort(), Object.keys(ARCHIVE_MEDIA_TYPES).sort());
    for (const type of archiveTypes) {
      const format = archiveFormat(type);
      const bytes = format === "zip" ? zipOf(files) : tgzOf(files);
      const res = await server.api("POST", "/apps/types/versions", bytes, {
        "content-type": type,
      });
      const body = await res.json();
      assert.equal(res.status, 201, `${type}: ${JSON.stringify(body)}`);
      assert.equal(body.status, "ready", type);
    }
  } finally {
    await server.close();
  }
});
