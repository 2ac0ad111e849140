/**
 * A version's file table for the edge, built once per version from its manifest and its
 * `switchyard.json` rules: the fast lookup table keyed by request path, and per file and stored
 * encoding the exact headers of every answer. A file's headers are made on its first request
 * (a 20,000-file version must not cost its first shopper 20,000 header sets); after that the
 * request path only looks things up and clones.
 */
import { importLazily } from "../lib/lazy_import.ts";
import type { App } from "../kv/apps.ts";
import type { ManifestFile } from "../kv/manifests.ts";
import type { Version } from "../kv/versions.ts";
import { siteConfigOf } from "../package/package_config.ts";
import { SITE_CONFIG_PATH, type SiteConfig } from "../package/site_config.ts";
import type { BlobCache, BlobSlot, BlobUser } from "./blob_cache.ts";
import type { Bucket } from "./counters.ts";
import type { Encoding } from "./encoding.ts";
import { requestPathOf } from "./paths.ts";
import { type CompiledRedirect, compileRedirects, findRedirect } from "./redirects.ts";
import type { Pin } from "./skew.ts";

/** One stored representation of a file: the file itself, or its brotli or gzip variant. */
export interface Variant extends BlobUser {
  encoding: Encoding;
  slot: BlobSlot;
  etag: string;
  /** Headers of a 200 answer (Content-Length comes from the body). */
  headers: [string, string][];
  /** The 304 answer, made on first use. */
  notModified: Response | null;
}

export interface Prepared {
  identity: Variant;
  br: Variant | null;
  gzip: Variant | null;
}

export interface EdgeFile {
  path: string;
  entry: ManifestFile;
  html: boolean;
  /** A bundler's content-hashed name: cached for a year, looked for in earlier versions (skew). */
  hashed: boolean;
  /** Made on the first request for the file. */
  prepared: Prepared | null;
}

export interface VersionFiles {
  app: App;
  version: number;
  record: Version;
  /** By installed path (no leading "/"). */
  files: Map<string, EdgeFile>;
  /** By request path exactly as browsers send it: the one lookup of a warm request. */
  routes: Map<string, EdgeFile>;
  index: EdgeFile | undefined;
  /** The package's `404.html`, answered (with status 404) to navigations that find nothing. */
  notFound: EdgeFile | undefined;
  site: SiteConfig;
  redirects: CompiledRedirect[];
  headerRules: { matches: (path: string) => boolean; headers: [string, string][] }[];
  /** HTTP date of the version (its creation: every byte of it is fixed from then on). */
  lastModified: string;
  lastModifiedSeconds: number;
  /** The pin cookie its pages hand out, signed on the first page and renewed now and then. */
  pin: Pin | null;
  blobs: BlobCache;
  /** Page-view counters of this version, made on its first counted page. */
  liveBucket?: Bucket;
  testBucket?: Bucket;
}

/**
 * A bundler's content hash right before the extension (or before `.chunk.ext`, as Create React
 * App names chunks), after a `.` or `-`: lowercase hex of 8 or more characters with a digit and
 * a letter (webpack, Parcel, Angular: `main.3f2a1b9c.js`), or exactly 8 base64url characters
 * with an uppercase letter and a digit (esbuild `chunk-ABCD1234.js`, Vite `index-BxQ3aF9k.js`).
 * Ordinary names with a number in them (`product-photo-01.jpg`, `theme-holiday2025.css`) are
 * not hashes: a year of caching would keep a replaced file in browsers. A real hash that happens
 * to have no digit is missed (a short cache and no skew fallback for that file: slower, never
 * wrong).
 */
const HEX_HASH = /[.-]([0-9a-f]{8,})(?:\.chunk)?\.[a-z0-9]+$/;
const SHORT_HASH = /[.-]([\w-]{8})(?:\.chunk)?\.[a-z0-9]+$/;

export function isHashedName(path: string): boolean {
  const name = path.slice(path.lastIndexOf("/") + 1);
  const hex = HEX_HASH.exec(name);
  if (hex !== null && /\d/.test(hex[1]) && /[a-f]/.test(hex[1])) return true;
  const short = SHORT_HASH.exec(name);
  return short !== null && /\d/.test(short[1]) && /[A-Z]/.test(short[1]);
}

export function cacheControlFor(path: string, html: boolean): string {
  if (html) return "no-cache";
  if (isHashedName(path)) return "public, max-age=31536000, immutable";
  return "public, max-age=300, must-revalidate";
}

export async function buildVersionFiles(
  app: App,
  record: Version,
  manifest: ManifestFile[],
  blobs: BlobCache,
): Promise<VersionFiles> {
  const site = siteConfigOf(record.config);
  const created = new Date(record.created_at);
  const files = new Map<string, EdgeFile>();
  for (const entry of manifest) {
    if (entry.path === SITE_CONFIG_PATH) continue; // configuration, not content
    files.set(entry.path, {
      path: entry.path,
      entry,
      html: entry.content_type.startsWith("text/html"),
      hashed: isHashedName(entry.path),
      prepared: null,
    });
  }
  const redirects = compileRedirects(site.redirects);
  const globs = site.headers.length
    ? await importLazily<typeof import("./globs.ts")>(new URL("./globs.ts", import.meta.url))
    : null;
  return {
    app,
    version: record.number,
    record,
    files,
    routes: buildRoutes(files, site, redirects),
    index: files.get("index.html"),
    notFound: files.get("404.html"),
    site,
    redirects,
    headerRules: site.headers.map((rule) => ({
      matches: globs!.globMatcher(rule.glob),
      headers: rule.headers,
    })),
    lastModified: created.toUTCString(),
    lastModifiedSeconds: Math.floor(created.getTime() / 1000),
    pin: null,
    blobs,
  };
}

/**
 * Request path → file for every answer that needs no decision: files, directory indexes and
 * (with `clean_urls`) extensionless pages. Paths a redirect claims are left out, so they go
 * through the full lookup where redirects come first.
 */
function buildRoutes(
  files: Map<string, EdgeFile>,
  site: SiteConfig,
  redirects: CompiledRedirect[],
): Map<string, EdgeFile> {
  const routes = new Map<string, EdgeFile>();
  const add = (shownPath: string, file: EdgeFile) => {
    const key = requestPathOf(shownPath);
    if (!routes.has(key) && !findRedirect(redirects, `/${shownPath}`)) routes.set(key, file);
  };
  for (const [path, file] of files) {
    if (!(site.clean_urls && path.endsWith(".html"))) add(path, file);
  }
  for (const [path, file] of files) {
    if (path === "index.html") add("", file);
    else if (path.endsWith("/index.html")) add(path.slice(0, -"index.html".length), file);
    else if (site.clean_urls && path.endsWith(".html")) add(path.slice(0, -".html".length), file);
  }
  return routes;
}

/** The variants of a file with their headers, made on its first request. */
export function prepare(files: VersionFiles, file: EdgeFile): Prepared {
  if (file.prepared) return file.prepared;
  const { entry } = file;
  const varies = entry.br !== undefined || entry.gzip !== undefined;
  const common: [string, string][] = [
    ["content-type", entry.content_type],
    ["cache-control", cacheControlFor(file.path, file.html)],
    ["last-modified", files.lastModified],
    ["accept-ranges", "bytes"],
    ["x-content-type-options", "nosniff"],
  ];
  for (const rule of files.headerRules) {
    if (!rule.matches(file.path)) continue;
    for (const [name, value] of rule.headers) {
      const at = common.findIndex(([existing]) => existing === name);
      if (at === -1) common.push([name, value]);
      else common[at] = [name, value];
    }
  }
  const tag = entry.sha256.slice(0, 32);
  const variant = (encoding: Encoding, sha256: string, size: number, suffix: string): Variant => {
    const etag = `"${tag}${suffix}"`;
    const headers: [string, string][] = [["etag", etag], ...common];
    if (varies) headers.push(["vary", "Accept-Encoding"]);
    if (encoding !== "identity") headers.push(["content-encoding", encoding]);
    return {
      encoding,
      slot: files.blobs.slot(files.app.account_id, sha256, size),
      etag,
      headers,
      template: null,
      notModified: null,
    };
  };
  file.prepared = {
    identity: variant("identity", entry.sha256, entry.size, ""),
    br: entry.br ? variant("br", entry.br.sha256, entry.br.size, "-br") : null,
    gzip: entry.gzip ? variant("gzip", entry.gzip.sha256, entry.gzip.size, "-gz") : null,
  };
  return file.prepared;
}

const NOT_MODIFIED_HEADERS = new Set(["etag", "cache-control", "last-modified", "vary"]);
/** What an answer no cache may keep has no use for: validators, caching rules, ranges. */
const CACHING_HEADERS = new Set(["etag", "last-modified", "cache-control", "accept-ranges"]);

/**
 * The headers of a variant's whole answer when no cache may keep it (a package's 404 page, a
 * preview): the caller adds its own `Cache-Control`.
 */
export function uncachedHeaders(variant: Variant): [string, string][] {
  return variant.headers.filter(([name]) => !CACHING_HEADERS.has(name));
}

/** The 304 answer of a variant: its validators and caching rules, no content headers. */
export function notModified(variant: Variant): Response {
  variant.notModified ??= new Response(null, {
    status: 304,
    headers: variant.headers.filter(([name]) => NOT_MODIFIED_HEADERS.has(name)),
  });
  return variant.notModified.clone();
}
