/**
 * Parsing and validating `switchyard.json` at install (its format is described in
 * site_config.ts). Only install loads this module: picomatch, which checks the header globs
 * here, has no place in the edge's start-up.
 */
// @ts-types="@types/picomatch"
import picomatch from "picomatch";
import { PackageError } from "../lib/errors.ts";
import {
  DEFAULT_SITE_CONFIG,
  type HeaderRule,
  type RedirectRule,
  type RedirectStatus,
  SITE_CONFIG_PATH,
  type SiteConfig,
} from "./site_config.ts";

/** Kept inside the version record (64 KiB in all, shared with the settings schemas). */
const MAX_SITE_CONFIG_BYTES = 12 * 1024;
const MAX_HEADER_RULES = 100;
const MAX_REDIRECTS = 500;
const MAX_PATTERN = 512;
const MAX_HEADER_VALUE = 4096;

/**
 * Headers the edge computes itself: setting them from a package would break encodings, ranges,
 * validators or the shopper's cookies.
 */
const PROTECTED_HEADERS: ReadonlySet<string> = new Set([
  "accept-ranges",
  "connection",
  "content-encoding",
  "content-length",
  "content-range",
  "date",
  "etag",
  "keep-alive",
  "last-modified",
  "location",
  "proxy-connection",
  "set-cookie",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "vary",
  "x-content-type-options",
]);

const KEYS = ["$schema", "spa", "clean_urls", "headers", "redirects", "deploy"];
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// deno-lint-ignore no-control-regex
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f]/;
const STATUSES = [301, 302, 307, 308];

/** Refuses the package, naming the rule of `switchyard.json` that failed and the value. */
function refuse(rule: string, problem: string, value?: unknown): never {
  const shown = value === undefined ? "" : `: ${JSON.stringify(value)?.slice(0, 120)}`;
  throw new PackageError(
    "invalid_switchyard_json",
    `Invalid ${SITE_CONFIG_PATH}: "${rule}" ${problem}${shown}`,
    SITE_CONFIG_PATH,
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function parseSiteConfig(bytes: Uint8Array): SiteConfig {
  if (bytes.byteLength > MAX_SITE_CONFIG_BYTES) {
    refuse("(file)", `is larger than ${MAX_SITE_CONFIG_BYTES / 1024} KiB`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch (error) {
    refuse("(file)", `is not valid UTF-8 JSON (${(error as Error).message})`);
  }
  if (!isObject(raw)) refuse("(file)", "must be a JSON object", raw);
  for (const key of Object.keys(raw)) {
    if (!KEYS.includes(key)) refuse(key, `is not a known key (use ${KEYS.slice(1).join(", ")})`);
  }
  // Read by the CLI, whose own checks (a token there is refused) run before the upload.
  if ("deploy" in raw && !isObject(raw.deploy)) {
    refuse("deploy", "must be an object (the deploy CLI's settings)", raw.deploy);
  }
  const flag = (key: "spa" | "clean_urls") => {
    const value = raw[key] ?? DEFAULT_SITE_CONFIG[key];
    if (typeof value !== "boolean") refuse(key, "must be true or false", value);
    return value;
  };
  return {
    spa: flag("spa"),
    clean_urls: flag("clean_urls"),
    headers: headerRules(raw.headers ?? {}),
    redirects: redirectRules(raw.redirects ?? []),
  };
}

function headerRules(value: unknown): HeaderRule[] {
  if (!isObject(value)) refuse("headers", "must be an object of glob → headers", value);
  const globs = Object.keys(value);
  if (globs.length > MAX_HEADER_RULES) {
    refuse("headers", `has more than ${MAX_HEADER_RULES} globs`);
  }
  return globs.map((glob) => {
    const rule = `headers.${glob}`;
    if (!glob.startsWith("/") || glob.length > MAX_PATTERN || CONTROL.test(glob)) {
      refuse(rule, `must be a glob starting with "/", at most ${MAX_PATTERN} characters`, glob);
    }
    try {
      picomatch.makeRe(glob.slice(1), { dot: true });
    } catch (error) {
      refuse(rule, `is not a valid glob (${(error as Error).message})`, glob);
    }
    const headers = value[glob];
    if (!isObject(headers)) refuse(rule, "must be an object of header name → value", headers);
    return {
      glob,
      headers: Object.entries(headers).map(([name, text]) => header(rule, name, text)),
    };
  });
}

function header(rule: string, name: string, value: unknown): [string, string] {
  if (!TOKEN.test(name)) refuse(`${rule}.${name}`, "is not a valid header name");
  const lower = name.toLowerCase();
  if (PROTECTED_HEADERS.has(lower)) {
    refuse(`${rule}.${name}`, "is set by Switchyard and cannot be changed");
  }
  if (typeof value !== "string" || value.length > MAX_HEADER_VALUE || CONTROL.test(value)) {
    refuse(
      `${rule}.${name}`,
      `must be a string of at most ${MAX_HEADER_VALUE} characters without line breaks`,
      value,
    );
  }
  return [lower, value.trim()];
}

function redirectRules(value: unknown): RedirectRule[] {
  if (!Array.isArray(value)) refuse("redirects", "must be a list of {from, to, status}", value);
  if (value.length > MAX_REDIRECTS) refuse("redirects", `has more than ${MAX_REDIRECTS} rules`);
  const seen = new Set<string>();
  return value.map((item, i) => {
    const rule = `redirects[${i}]`;
    if (!isObject(item)) refuse(rule, "must be an object {from, to, status}", item);
    for (const key of Object.keys(item)) {
      if (!["from", "to", "status"].includes(key)) {
        refuse(`${rule}.${key}`, "is not a known key (use from, to, status)");
      }
    }
    const from = redirectFrom(`${rule}.from`, item.from);
    if (seen.has(from)) refuse(`${rule}.from`, "repeats an earlier redirect", from);
    seen.add(from);
    const to = redirectTo(`${rule}.to`, item.to, from.endsWith("/*"));
    const status = item.status ?? 308;
    if (!STATUSES.includes(status as number)) {
      refuse(`${rule}.status`, "must be 301, 302, 307 or 308", status);
    }
    return { from, to, status: status as RedirectStatus };
  });
}

function redirectFrom(rule: string, from: unknown): string {
  if (typeof from !== "string" || !from.startsWith("/") || from.length > MAX_PATTERN) {
    refuse(rule, `must be a path starting with "/", at most ${MAX_PATTERN} characters`, from);
  }
  if (/[?#\s]/.test(from) || CONTROL.test(from)) {
    refuse(rule, "must be a path without query, fragment or spaces", from);
  }
  if (from.slice(0, -2).includes("*") || (from.endsWith("*") && !from.endsWith("/*"))) {
    refuse(rule, 'may only use "*" as a final "/*" (a prefix)', from);
  }
  return from;
}

function redirectTo(rule: string, to: unknown, splat: boolean): string {
  if (typeof to !== "string" || to.length > 2048 || CONTROL.test(to) || /\s/.test(to)) {
    refuse(rule, "must be a path or an http(s) URL of at most 2048 characters", to);
  }
  if (!/^[\x21-\x7e]+$/.test(to)) {
    refuse(rule, "must be ASCII: percent-encode other characters", to);
  }
  const absolute = /^https?:\/\//i.test(to);
  if (!absolute && (!to.startsWith("/") || to.startsWith("//"))) {
    refuse(rule, 'must start with "/" (this app) or "https://" (another site)', to);
  }
  if (absolute && !URL.canParse(to)) refuse(rule, "is not a valid URL", to);
  if (to.includes(":splat") && !splat) {
    refuse(rule, 'uses ":splat", but "from" does not end with "/*"', to);
  }
  return to;
}
