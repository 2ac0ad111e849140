import assert from "node:assert/strict";
import { AddressRanges, parseAddress } from "./addresses.ts";

Deno.test("a single address matches itself, in either form a listener reports it", () => {
  const proxy = AddressRanges.parse("127.0.0.1");
  assert.ok(proxy.has("127.0.0.1"));
  assert.ok(proxy.has("::ffff:127.0.0.1"), "IPv4-mapped, from a dual-stack listener");
  assert.ok(!proxy.has("127.0.0.2"));
  assert.ok(!proxy.has("::1"));
  assert.ok(!proxy.has("not an address"));
});

Deno.test("CIDR ranges of IPv4 and IPv6 match what they cover and nothing else", () => {
  const proxies = AddressRanges.parse("10.0.0.0/8, 192.168.1.128/25 fd00::/8,::1");
  for (const inside of ["10.255.0.1", "192.168.1.200", "fd12:3456::1", "::1", "[::1]"]) {
    assert.ok(proxies.has(inside), inside);
  }
  for (const outside of ["11.0.0.1", "192.168.1.127", "fe80::1", "::2", "::ffff:11.0.0.1"]) {
    assert.ok(!proxies.has(outside), outside);
  }
  assert.ok(AddressRanges.parse("0.0.0.0/0").has("203.0.113.9"));
  assert.ok(!AddressRanges.parse("0.0.0.0/0").has("2001:db8::1"), "an IPv4 range holds no IPv6");
});

Deno.test("the text forms of RFC 4291 are read", () => {
  assert.deepEqual(parseAddress("::"), new Uint8Array(16));
  assert.deepEqual(
    parseAddress("2001:db8::8:800:200c:417a"),
    parseAddress("2001:DB8:0:0:8:800:200C:417A"),
  );
  assert.deepEqual(parseAddress("::ffff:192.0.2.1"), parseAddress("192.0.2.1"));
  assert.deepEqual(parseAddress("fe80::1%eth0"), parseAddress("fe80::1"));
  for (
    const bad of [
      "1.2.3",
      "1.2.3.256",
      "1::2::3",
      "1:2:3:4:5:6:7",
      "12345::",
      "1:2:3:4:5:6:7:8:9",
      "",
    ]
  ) {
    assert.equal(parseAddress(bad), null, bad);
  }
});

Deno.test("an entry that is no address or range is refused, named", () => {
  for (
    const bad of ["", " , ", "10.0.0.0/33", "::/129", "10.0.0.0/", "10.0.0.0/8x", "proxy.local"]
  ) {
    assert.throws(() => AddressRanges.parse(bad), /Not an IP address or CIDR range/, bad);
  }
  assert.throws(() => AddressRanges.parse("10.0.0.1, 10.0.0.300"), /"10\.0\.0\.300"/);
});

Deno.test("a refused entry names the setting it came from", () => {
  assert.throws(
    () => AddressRanges.parse("10.0.0.1 proxy.local", "SWITCHYARD_TRUSTED_PROXY"),
    /^Error: "SWITCHYARD_TRUSTED_PROXY" must list IP addresses or CIDR ranges: "proxy\.local"$/,
  );
});
