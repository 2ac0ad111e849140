/**
 * Hostile request paths against the edge (DESIGN "Edge"; ARCHITECTURE "The edge at production
 * grade"): decoded once, and whatever the encoding trick, the answer is 400 or 404 — never a 5xx,
 * never a file outside the selected version — while real names with spaces, accents or "%" still
 * work.
 */
import assert from "node:assert/strict";
import { startServer, type TestServer } from "./helpers/server.ts";
import { install, liveApp } from "./helpers/fixtures.ts";

const SECRET = "secret-of-version-one";

const ATTACKS = [
  "/../../etc/passwd",
  "/docs/../../index.html",
  "/%2e%2e/%2e%2e/etc/passwd",
  "/docs/%2e%2e/%2e%2e/x",
  "/%2e%2e%2fetc%2fpasswd",
  "/.%2e/secret.txt",
  "/%2e/index.html",
  "/docs/%2e%2e",
  "/docs/..",
  "/%252e%252e/index.html",
  "/%252e%252e%252fsecret.txt",
  "/docs/..%5cindex.html",
  "/%5c..%5cindex.html",
  "/docs\\..\\secret.txt",
  "/%2e%2e%5c%2e%2e%5cetc%5cpasswd",
  "/index.html%00.js",
  "/index.html%00",
  "/%00",
  "/%c0%ae%c0%ae/index.html",
  "/%e0%80%ae/x",
  "/%c0%af",
  "/%c1%9c",
  "/%ed%a0%80",
  "/%ff",
  "/%",
  "/%zz",
  "/%uff0e%uff0e/secret.txt",
  "/%ef%bc%8e%ef%bc%8e/secret.txt",
  "/a/./b.js",
  "/./index.html",
  "//etc/passwd",
  "/docs//index.html",
  "/%0aindex.html",
  "/%0d%0aSet-Cookie:%20x=1",
  "/%09index.html",
  "/%7f",
  "/..;/secret.txt",
  "/docs/index.html/..",
  "/1/secret.txt",
  "/switchyard.json",
  "/.git/config",
];

async function site(server: TestServer) {
  await install(server, "paths", {
    "index.html": "<p>one</p>",
    "secret.txt": SECRET,
  });
  await liveApp(server, "paths", {
    "index.html": "<p>home</p>",
    "docs/index.html": "<p>docs</p>",
    "a b.txt": "space",
    "café.txt": "accent",
    "50%off.css": "percent",
    "switchyard.json": JSON.stringify({ spa: false }),
  });
}

Deno.test("a corpus of hostile paths is 400 or 404, never 5xx, never another version's file", async () => {
  assert.ok(ATTACKS.length >= 30);
  const server = await startServer();
  try {
    await site(server);
    for (const path of ATTACKS) {
      for (const method of ["GET", "HEAD"]) {
        const res = await server.edge("paths", path, { method, headers: { accept: "text/html" } });
        assert.ok([400, 404].includes(res.status), `${method} ${path}: ${res.status}`);
        assert.ok(!res.text().includes(SECRET), `${path} leaked a file of another version`);
        assert.equal(res.headers.get("set-cookie"), null, `${path} set a cookie`);
      }
    }
  } finally {
    await server.close();
  }
});

Deno.test("bytes no client library would send are refused by the server or the edge", async () => {
  const server = await startServer();
  try {
    await site(server);
    for (const target of ["/docs\t/index.html", "/index.html\u0000", "/caf\u00e9/../secret.txt"]) {
      const status = await rawStatus(server.port, "paths.localhost", target);
      assert.ok(status >= 400 && status < 500, `${JSON.stringify(target)}: ${status}`);
    }
  } finally {
    await server.close();
  }
});

Deno.test("names with spaces, accents and a literal % are served, decoded exactly once", async () => {
  const server = await startServer();
  try {
    await site(server);
    const text = async (path: string) => {
      const res = await server.edge("paths", path);
      return `${res.status} ${res.text()}`;
    };
    assert.equal(await text("/a%20b.txt"), "200 space");
    assert.equal(await text("/caf%C3%A9.txt"), "200 accent");
    assert.equal(await text("/cafe%CC%81.txt"), "200 accent", "NFD is normalised to NFC");
    assert.equal(await text("/50%25off.css"), "200 percent");
    assert.equal((await server.edge("paths", "/50%2525off.css")).status, 404, "no second decoding");
    assert.equal(await text("/docs/?q=%2e%2e"), "200 <p>docs</p>", "the query is not the path");
  } finally {
    await server.close();
  }
});

/** Status of a request written byte for byte on a socket (a target node:http refuses). */
async function rawStatus(port: number, host: string, target: string): Promise<number> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    const request = `GET ${target} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`;
    await conn.write(new TextEncoder().encode(request));
    const buffer = new Uint8Array(1024);
    let text = "";
    for (;;) {
      const n = await conn.read(buffer);
      if (n === null) break;
      text += new TextDecoder().decode(buffer.subarray(0, n));
      if (text.includes("\r\n")) break;
    }
    return Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
  } finally {
    conn.close();
  }
}
