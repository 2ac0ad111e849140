/**
 * A version's file table for the edge, built once per version from its manifest: every header
 * a response needs is computed here, so the request path only looks things up.
 */
import type { ManifestFile } from "../kv/manifests.ts";
import type { Version } from "../kv/versions.ts";

export interface EdgeFile {
  path: string;
  sha256: string;
  /** Key in the blob cache: blobs are per account, so the cache is too. */
  blobKey: string;
  size: number;
  etag: string;
  /** Headers of a 200 answer (Content-Length is added by the runtime). */
  headers: [string, string][];
  /** Headers of a 304 answer: the validators and caching rules, no content headers. */
  notModified: [string, string][];
  html: boolean;
}

export interface VersionFiles {
  appId: string;
  version: number;
  record: Version;
  files: Map<string, EdgeFile>;
  index: EdgeFile | undefined;
}

/** `name.[hash].ext`: a bundler's content-hashed file name, safe to cache for a year. */
const HASHED_NAME = /[.-][0-9a-zA-Z_-]{8,}\.[a-z0-9]+$/;

export function cacheControlFor(path: string, html: boolean): string {
  if (html) return "no-cache";
  const name = path.slice(path.lastIndexOf("/") + 1);
  if (HASHED_NAME.test(name) && /\d/.test(name)) return "public, max-age=31536000, immutable";
  return "public, max-age=300, must-revalidate";
}

export function buildVersionFiles(
  accountId: string,
  record: Version,
  manifest: ManifestFile[],
): VersionFiles {
  const files = new Map<string, EdgeFile>();
  for (const file of manifest) {
    const html = file.content_type.startsWith("text/html");
    const etag = `"${file.sha256.slice(0, 32)}"`;
    const cacheControl = cacheControlFor(file.path, html);
    const common: [string, string][] = [
      ["etag", etag],
      ["cache-control", cacheControl],
      ["x-content-type-options", "nosniff"],
    ];
    files.set(file.path, {
      path: file.path,
      sha256: file.sha256,
      blobKey: `${accountId}/${file.sha256}`,
      size: file.size,
      etag,
      headers: [["content-type", file.content_type], ...common],
      notModified: common,
      html,
    });
  }
  return {
    appId: record.app_id,
    version: record.number,
    record,
    files,
    index: files.get("index.html"),
  };
}
