/**
 * The edge to the letter of HTTP (ARCHITECTURE "The edge at production grade": compression, HTTP):
 * precompressed variants negotiated by Accept-Encoding, validators and preconditions, ranges, HEAD,
 * Cache-Control.
 */
import assert from "node:assert/strict";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { noise } from "./fixtures/archives.ts";
import { startServer, type TestServer } from "./helpers/server.ts";
import { compressibleText, liveApp } from "./helpers/fixtures.ts";

const SCRIPT = compressibleText("app");
const SITE = {
  "index.html": `<!doctype html><title>Shop</title>${compressibleText("page", 2)}`,
  "app.js": SCRIPT,
  "assets/chunk.4f9a2b7c.js": compressibleText("chunk"),
  "tiny.css": "body{}",
  "photo.png": noise(4096),
  "random.txt": noise(4096),
};

async function withSite(test: (server: TestServer) => Promise<void>) {
  const server = await startServer();
  try {
    await liveApp(server, "web", SITE);
    await test(server);
  } finally {
    await server.close();
  }
}

Deno.test("text is precompressed at install; br and gzip are negotiated with q-values", async () => {
  await withSite(async (server) => {
    const get = (encoding?: string) =>
      server.edge(
        "web",
        "/app.js",
        encoding === undefined ? {} : { headers: { "accept-encoding": encoding } },
      );

    const br = await get("gzip, deflate, br, zstd");
    assert.equal(br.headers.get("content-encoding"), "br");
    assert.equal(br.headers.get("vary"), "Accept-Encoding");
    assert.ok(br.bytes.byteLength < SCRIPT.length / 4, `br is ${br.bytes.byteLength} bytes`);
    assert.equal(new TextDecoder().decode(brotliDecompressSync(br.bytes)), SCRIPT);

    const gzip = await get("gzip");
    assert.equal(gzip.headers.get("content-encoding"), "gzip");
    assert.equal(new TextDecoder().decode(gunzipSync(gzip.bytes)), SCRIPT);
    assert.equal((await get("br;q=0.5, gzip")).headers.get("content-encoding"), "gzip");
    assert.equal((await get("x-gzip")).headers.get("content-encoding"), "gzip");
    assert.equal((await get("*")).headers.get("content-encoding"), "br");
    assert.equal((await get("*;q=0, gzip;q=0.1")).headers.get("content-encoding"), "gzip");

    for (const encoding of [undefined, "identity", "br;q=0, gzip;q=0", "compress"]) {
      const plain = await get(encoding);
      assert.equal(plain.status, 200);
      assert.equal(plain.headers.get("content-encoding"), null, `${encoding}`);
      assert.equal(plain.headers.get("vary"), "Accept-Encoding");
      assert.equal(plain.text(), SCRIPT);
    }
    const refused = await get("identity;q=0");
    assert.equal(refused.status, 406);

    const etags = new Set([br, gzip, await get()].map((res) => res.headers.get("etag")));
    assert.equal(etags.size, 3, "each stored encoding has its own strong ETag");
  });
});

Deno.test("files not worth compressing have no variants and no Vary", async () => {
  await withSite(async (server) => {
    for (const path of ["/tiny.css", "/photo.png", "/random.txt"]) {
      const res = await server.edge("web", path, { headers: { "accept-encoding": "br, gzip" } });
      assert.equal(res.status, 200, path);
      assert.equal(res.headers.get("content-encoding"), null, path);
      assert.equal(res.headers.get("vary"), null, path);
    }
    const files = await (await server.api("GET", "/apps/web/versions/1/files")).json();
    const byPath = new Map(files.items.map((f: { path: string }) => [f.path, f]));
    assert.ok((byPath.get("app.js") as { br?: unknown }).br, "app.js has a br variant");
    assert.equal((byPath.get("photo.png") as { br?: unknown }).br, undefined);
    assert.equal((byPath.get("random.txt") as { gzip?: unknown }).gzip, undefined, "not smaller");
  });
});

Deno.test("Cache-Control: hashed names immutable, HTML no-cache, others short with revalidation", async () => {
  await withSite(async (server) => {
    const cc = async (path: string) =>
      (await server.edge("web", path)).headers.get("cache-control");
    assert.equal(await cc("/assets/chunk.4f9a2b7c.js"), "public, max-age=31536000, immutable");
    assert.equal(await cc("/"), "no-cache");
    assert.equal(await cc("/app.js"), "public, max-age=300, must-revalidate");
    const missing = await server.edge("web", "/assets/gone.77aa88bb.js");
    assert.equal(missing.status, 404);
    assert.equal(missing.headers.get("cache-control"), "no-store");
  });
});

Deno.test("If-None-Match and If-Modified-Since answer 304 with the validators", async () => {
  await withSite(async (server) => {
    const first = await server.edge("web", "/app.js", { headers: { "accept-encoding": "br" } });
    const etag = first.headers.get("etag")!;
    const lastModified = first.headers.get("last-modified")!;
    assert.match(lastModified, /GMT$/);

    const cases: [Record<string, string>, number][] = [
      [{ "if-none-match": etag }, 304],
      [{ "if-none-match": `"other", W/${etag}` }, 304],
      [{ "if-none-match": "*" }, 304],
      [{ "if-none-match": '"other"' }, 200],
      [{ "if-modified-since": lastModified }, 304],
      [{ "if-modified-since": new Date(Date.now() + 60_000).toUTCString() }, 304],
      [{ "if-modified-since": "Thu, 01 Jan 1970 00:00:00 GMT" }, 200],
      [{ "if-modified-since": "not a date" }, 200],
      // If-None-Match wins over If-Modified-Since (RFC 9110 §13.2.2).
      [{ "if-none-match": '"other"', "if-modified-since": lastModified }, 200],
    ];
    for (const [headers, status] of cases) {
      const res = await server.edge("web", "/app.js", {
        headers: { "accept-encoding": "br", ...headers },
      });
      assert.equal(res.status, status, JSON.stringify(headers));
      if (status === 304) {
        assert.equal(res.bytes.byteLength, 0);
        assert.equal(res.headers.get("etag"), etag);
        assert.equal(res.headers.get("vary"), "Accept-Encoding");
        assert.equal(res.headers.get("cache-control"), "public, max-age=300, must-revalidate");
      }
    }
    const gzipTag = await server.edge("web", "/app.js", {
      headers: { "accept-encoding": "gzip", "if-none-match": etag },
    });
    assert.equal(gzipTag.status, 200, "a br ETag does not validate the gzip variant");
  });
});

Deno.test("If-Match and If-Unmodified-Since fail with 412", async () => {
  await withSite(async (server) => {
    const etag = (await server.edge("web", "/app.js")).headers.get("etag")!;
    const status = async (headers: Record<string, string>) =>
      (await server.edge("web", "/app.js", { headers })).status;
    assert.equal(await status({ "if-match": etag }), 200);
    assert.equal(await status({ "if-match": "*" }), 200);
    assert.equal(await status({ "if-match": '"nope"' }), 412);
    assert.equal(await status({ "if-match": `W/${etag}` }), 412, "If-Match compares strongly");
    assert.equal(await status({ "if-unmodified-since": "Thu, 01 Jan 1970 00:00:00 GMT" }), 412);
    assert.equal(
      await status({ "if-unmodified-since": new Date(Date.now() + 6e4).toUTCString() }),
      200,
    );
  });
});

Deno.test("Range: one range is 206, unsatisfiable 416, several or invalid 200; If-Range", async () => {
  await withSite(async (server) => {
    const whole = await server.edge("web", "/random.txt");
    const size = whole.bytes.byteLength;
    const range = (value: string, extra: Record<string, string> = {}) =>
      server.edge("web", "/random.txt", { headers: { range: value, ...extra } });

    const part = await range("bytes=10-19");
    assert.equal(part.status, 206);
    assert.equal(part.headers.get("content-range"), `bytes 10-19/${size}`);
    assert.deepEqual(part.bytes, whole.bytes.subarray(10, 20));
    assert.equal(part.headers.get("content-length"), "10");

    const tail = await range("bytes=-5");
    assert.equal(tail.headers.get("content-range"), `bytes ${size - 5}-${size - 1}/${size}`);
    assert.deepEqual(tail.bytes, whole.bytes.subarray(size - 5));
    const open = await range(`bytes=${size - 3}-`);
    assert.equal(open.bytes.byteLength, 3);
    const clipped = await range(`bytes=0-${size * 2}`);
    assert.equal(clipped.status, 206);
    assert.equal(clipped.bytes.byteLength, size);

    for (const value of [`bytes=${size}-`, `bytes=${size + 10}-${size + 20}`, "bytes=-0"]) {
      const res = await range(value);
      assert.equal(res.status, 416, value);
      assert.equal(res.headers.get("content-range"), `bytes */${size}`);
    }
    for (const value of ["bytes=0-1,5-6", "bytes=5-1", "items=0-1", "bytes=x-y"]) {
      const res = await range(value);
      assert.equal(res.status, 200, value);
      assert.equal(res.bytes.byteLength, size);
    }
    const etag = whole.headers.get("etag")!;
    assert.equal((await range("bytes=0-0", { "if-range": etag })).status, 206);
    assert.equal((await range("bytes=0-0", { "if-range": '"stale"' })).status, 200);
    const lastModified = whole.headers.get("last-modified")!;
    assert.equal((await range("bytes=0-0", { "if-range": lastModified })).status, 206);

    const encoded = await server.edge("web", "/app.js", {
      headers: { "accept-encoding": "br", range: "bytes=0-9" },
    });
    assert.equal(encoded.status, 206, "a range applies to the selected (encoded) representation");
    assert.equal(encoded.headers.get("content-encoding"), "br");
  });
});

Deno.test("HEAD has exactly GET's headers and no body", async () => {
  await withSite(async (server) => {
    for (const path of ["/", "/app.js", "/photo.png", "/missing.js"]) {
      for (const encoding of ["br", ""]) {
        const headers = { "accept-encoding": encoding };
        const get = await server.edge("web", path, { headers });
        const head = await server.edge("web", path, { method: "HEAD", headers });
        assert.equal(head.status, get.status, path);
        assert.equal(head.bytes.byteLength, 0);
        const names = (res: typeof get) =>
          [...res.headers].filter(([name]) => name !== "date" && name !== "x-request-id");
        assert.deepEqual(names(head), names(get), `${path} ${encoding}`);
        if (get.status === 200) {
          assert.equal(head.headers.get("content-length"), String(get.bytes.byteLength));
        }
      }
    }
  });
});

Deno.test("files answer GET and HEAD only; OPTIONS lists them", async () => {
  await withSite(async (server) => {
    const post = await server.edge("web", "/app.js", { method: "POST", body: "x" });
    assert.equal(post.status, 405);
    assert.equal(post.headers.get("allow"), "GET, HEAD, OPTIONS");
    const options = await server.edge("web", "/app.js", { method: "OPTIONS" });
    assert.equal(options.status, 204);
    assert.equal(options.headers.get("allow"), "GET, HEAD, OPTIONS");
  });
});

Deno.test("a warm file is the same response many times over (templates are never consumed)", async () => {
  await withSite(async (server) => {
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        server.edge("web", i % 2 ? "/app.js" : "/", {
          headers: { "accept-encoding": i % 4 < 2 ? "br" : "" },
        })),
    );
    for (const [i, res] of answers.entries()) {
      assert.equal(res.status, 200);
      const expected = i % 2 ? SCRIPT : SITE["index.html"];
      const text = res.headers.get("content-encoding") === "br"
        ? new TextDecoder().decode(brotliDecompressSync(res.bytes))
        : res.text();
      assert.equal(text, expected);
    }
  });
});
