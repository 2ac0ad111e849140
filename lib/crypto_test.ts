import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { base64url, HmacSigner, sha256Hex } from "./crypto.ts";
import { sha256HexSync } from "./sha256_sync.ts";

Deno.test("HmacSigner signs as node:crypto's HMAC-SHA-256 in base64url did (cookies stay valid)", async () => {
  const signer = new HmacSigner("version-pin:secret");
  for (const data of ["app|1|1700000000", "", "ünïcode|7|1"]) {
    const expected = createHmac("sha256", "version-pin:secret").update(data).digest("base64url");
    assert.equal(await signer.sign(data), expected, data);
  }
});

Deno.test("a MAC made once is answered at once afterwards, without a promise", async () => {
  const signer = new HmacSigner("key");
  const first = signer.sign("data");
  assert.ok(first instanceof Promise);
  const mac = await first;
  assert.equal(signer.sign("data"), mac);
});

Deno.test("base64url is RFC 4648 §5 without padding", () => {
  assert.equal(base64url(new Uint8Array([0xfb, 0xff])), "-_8");
  assert.equal(base64url(new Uint8Array([])), "");
});

Deno.test("sha256Hex (WebCrypto) and sha256HexSync (node:crypto) agree", async () => {
  for (const data of ["", "abc", new Uint8Array(70_000).fill(7)]) {
    assert.equal(await sha256Hex(data), sha256HexSync(data));
  }
});
