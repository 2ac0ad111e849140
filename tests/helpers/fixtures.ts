/**
 * Fixture factories for HTTP tests: an app with versions installed through the real API, promoted
 * when asked, and text large enough to be worth precompressing.
 */
import assert from "node:assert/strict";
import { type Content, zipOf } from "../fixtures/archives.ts";
import { createAccount, createToken } from "../../kv/accounts.ts";
import type { TestServer } from "./server.ts";

/** Creates app `slug` (if needed) and installs `files` as its next version; returns the number. */
export async function install(
  server: TestServer,
  slug: string,
  files: Record<string, Content>,
): Promise<number> {
  const created = await server.api("POST", "/apps", { slug, name: slug });
  await created.body?.cancel();
  const res = await server.api("POST", `/apps/${slug}/versions`, zipOf(files), {
    "content-type": "application/zip",
  });
  const body = await res.json();
  assert.equal(res.status, 201, JSON.stringify(body));
  return body.number;
}

/** Makes another account with an API token and app `slug` in it; returns the token. */
export async function otherAccount(server: TestServer, slug: string): Promise<string> {
  const account = await createAccount(server.kv, `Owner of ${slug}`);
  const { token } = await createToken(server.kv, account.id, "ci");
  const res = await server.api("POST", "/apps", { slug, name: slug }, {
    authorization: `Bearer ${token}`,
  });
  assert.equal(res.status, 201, await res.clone().text());
  await res.body?.cancel();
  return token;
}

/** Sends live traffic of `slug` to `version`. */
export async function promote(server: TestServer, slug: string, version: number): Promise<void> {
  const res = await server.api("PUT", `/apps/${slug}/live`, { version });
  assert.equal(res.status, 200, await res.clone().text());
  await res.body?.cancel();
}

/** Installs `files` and makes them live at once. */
export async function liveApp(
  server: TestServer,
  slug: string,
  files: Record<string, Content>,
): Promise<number> {
  const version = await install(server, slug, files);
  await promote(server, slug, version);
  return version;
}

/** Repetitive text that compresses well (a few KiB of plausible script). */
export function compressibleText(label: string, kib = 8): string {
  const line = `export function ${label}(value) { return value.map((item) => item * 2); }\n`;
  return line.repeat(Math.ceil((kib * 1024) / line.length));
}

/** The headers of a browser navigation (document load). */
export const NAVIGATION = {
  accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
  "sec-fetch-mode": "navigate",
  "sec-fetch-dest": "document",
};

/** The headers of a script or fetch request made by a page. */
export const SUBRESOURCE = {
  accept: "*/*",
  "sec-fetch-mode": "no-cors",
  "sec-fetch-dest": "script",
};

/** The `name=value` of each `Set-Cookie` of a response, by name. */
export function setCookies(headers: Headers): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of headers.getSetCookie()) {
    const pair = line.split(";")[0];
    out.set(pair.slice(0, pair.indexOf("=")), pair);
  }
  return out;
}

/** A KV handle that counts the reads (and watches) made through it. */
export function countingKv(
  kv: Deno.Kv,
): { kv: Deno.Kv; calls: { reads: number; watches: number } } {
  const calls = { reads: 0, watches: 0 };
  const proxy = new Proxy(kv, {
    get(target, name) {
      const value = Reflect.get(target, name, target);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        if (name === "get" || name === "getMany" || name === "list") calls.reads++;
        if (name === "watch") calls.watches++;
        return value.apply(target, args);
      };
    },
  });
  return { kv: proxy, calls };
}

/**
 * The real KV, whose `method` fails with `fail()` while `outage.on` is true: a store that goes
 * down mid-test, which a real one cannot be made to do on demand.
 */
export function failingKv(
  kv: Deno.Kv,
  method: keyof Deno.Kv,
  fail: () => unknown,
): { kv: Deno.Kv; outage: { on: boolean } } {
  const outage = { on: false };
  const proxy = new Proxy(kv, {
    get(target, name) {
      const value = Reflect.get(target, name, target);
      if (typeof value !== "function") return value;
      if (name === method && outage.on) return fail;
      return value.bind(target);
    },
  });
  return { kv: proxy, outage };
}

/**
 * The real KV, each of whose atomic commits goes through `around` (which gets the real commit to
 * call, or not): a store that is slow, or loses answers, where a real one cannot be made to.
 */
export function commitWrappedKv(
  kv: Deno.Kv,
  around: (commit: () => Promise<Deno.KvCommitResult | Deno.KvCommitError>) => Promise<
    Deno.KvCommitResult | Deno.KvCommitError
  >,
): Deno.Kv {
  return new Proxy(kv, {
    get(target, name) {
      const value = Reflect.get(target, name, target);
      if (name !== "atomic") return typeof value === "function" ? value.bind(target) : value;
      return () => {
        const op = target.atomic();
        const commit = op.commit.bind(op);
        op.commit = () => around(commit);
        return op;
      };
    },
  });
}

/** Waits until `check` holds, polling every 5 ms; answers how long it took. */
export async function until(check: () => Promise<boolean>, limitMs: number): Promise<number> {
  const started = performance.now();
  while (!(await check())) {
    if (performance.now() - started > limitMs) throw new Error(`Not within ${limitMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return performance.now() - started;
}
