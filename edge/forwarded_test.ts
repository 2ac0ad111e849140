import assert from "node:assert/strict";
import { AddressRanges } from "../lib/addresses.ts";
import { forwardedProto, requestIsHttps } from "./forwarded.ts";

function from(hostname: string): Deno.ServeHandlerInfo {
  return {
    remoteAddr: { transport: "tcp", hostname, port: 40000 },
    completed: Promise.resolve(),
  };
}

const PROXY = AddressRanges.parse("10.0.0.2");
const CLAIM = { "x-forwarded-proto": "https" };

Deno.test("a forwarded protocol is believed only from a trusted peer", () => {
  const request = () => new Request("http://shop.localhost/", { headers: CLAIM });
  assert.ok(requestIsHttps(request(), from("10.0.0.2"), PROXY));
  assert.ok(!requestIsHttps(request(), from("10.0.0.3"), PROXY), "another peer");
  assert.ok(!requestIsHttps(request(), from("10.0.0.2"), null), "no proxy trusted");
  assert.ok(!requestIsHttps(request(), undefined, PROXY), "no peer known");
  const unix: Deno.ServeHandlerInfo = {
    remoteAddr: { transport: "unix", path: "/run/sy.sock" },
    completed: Promise.resolve(),
  };
  assert.ok(!requestIsHttps(request(), unix, PROXY), "not a TCP peer");
});

Deno.test("an https URL is https whoever the peer, and a proxy saying http is believed", () => {
  assert.ok(requestIsHttps(new Request("https://shop.localhost/"), undefined, null));
  const plain = new Request("http://shop.localhost/", { headers: { "x-forwarded-proto": "http" } });
  assert.ok(!requestIsHttps(plain, from("10.0.0.2"), PROXY));
});

Deno.test("Forwarded: the proto of the last element, the one the nearest proxy added", () => {
  const proto = (forwarded: string) => forwardedProto(new Headers({ forwarded }));
  assert.equal(proto("for=192.0.2.60;proto=https;by=203.0.113.43"), "https");
  assert.equal(proto('for="[2001:db8:cafe::17]:4711"; Proto=HTTPS'), "https");
  assert.equal(proto("for=192.0.2.43;proto=https, for=198.51.100.17;proto=http"), "http");
  assert.equal(proto('for="a,b;proto=http";proto="https"'), "https", "separators in quotes");
  assert.equal(proto("for=192.0.2.43;proto=https, for=198.51.100.17"), null, "the last has none");
  assert.equal(proto('for="unterminated;proto=https'), null);
});

Deno.test("X-Forwarded-Proto: the last value, when Forwarded has no proto", () => {
  const headers = (init: Record<string, string>) => forwardedProto(new Headers(init));
  assert.equal(headers({ "x-forwarded-proto": "HTTPS" }), "https");
  assert.equal(headers({ "x-forwarded-proto": "https, http" }), "http");
  assert.equal(headers({ "x-forwarded-proto": "http", forwarded: "proto=https" }), "https");
  assert.equal(headers({ "x-forwarded-proto": "https", forwarded: "for=10.0.0.9" }), "https");
  assert.equal(headers({}), null);
});
