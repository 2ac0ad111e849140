/**
 * Answering a request for one file, to the letter of RFC 9110: the stored encoding picked by
 * `Accept-Encoding`, preconditions in the order of §13.2.2 (`If-Match`, `If-Unmodified-Since`,
 * `If-None-Match`, `If-Modified-Since`), then `Range`. A warm answer is a clone of the
 * variant's template: no header is built and no byte copied per request.
 */
import type { Answer } from "./answer.ts";
import type { EdgeContext } from "./context.ts";
import type { Encoding } from "./encoding.ts";
import { release } from "../lib/release.ts";
import { notAcceptable, notFoundPage } from "./pages.ts";
import { ifRangeHolds, parseRange } from "./ranges.ts";
import type { EdgeState } from "./state.ts";
import {
  type EdgeFile,
  notModified,
  prepare,
  type Prepared,
  type Variant,
  type VersionFiles,
} from "./version_files.ts";

/**
 * The stored variant the request prefers (`accepted`: its codings, most preferred first), or
 * null when none is acceptable.
 */
export function pickVariant(prepared: Prepared, accepted: Encoding[]): Variant | null {
  for (const encoding of accepted) {
    const variant = prepared[encoding];
    if (variant !== null) return variant;
  }
  return null;
}

/** The codings the request of `ctx` accepts, most preferred first. */
export function acceptedBy(ctx: EdgeContext): Encoding[] {
  return ctx.deps.encodings.accepted(ctx.request.headers.get("accept-encoding"));
}

/**
 * The full answer for `file` of the version whose table is `files` (GET or HEAD): 200, 206,
 * 304, 406, 412 or 416. Synchronous once the file's bytes are resident.
 */
export function sendFile(ctx: EdgeContext, file: EdgeFile, files: VersionFiles): Answer {
  const prepared = file.prepared ?? prepare(files, file);
  const request = ctx.request;
  const headers = request.headers;
  const variant = pickVariant(
    prepared,
    ctx.deps.encodings.accepted(headers.get("accept-encoding")),
  );
  if (variant === null) return notAcceptable();
  const failed = preconditions(headers, variant, files);
  if (failed !== null) return failed;
  if (request.method === "GET") {
    const range = headers.get("range");
    if (range !== null) {
      return sendRange(headers, range, variant, prepared, files, ctx.deps.state);
    }
  }
  const template = variant.template;
  if (template !== null) {
    variant.slot.used = true;
    return template.clone();
  }
  return loadAndSend(variant, prepared, files, ctx.deps.state);
}

function preconditions(headers: Headers, variant: Variant, files: VersionFiles): Response | null {
  const ifMatch = headers.get("if-match");
  if (ifMatch !== null) {
    if (!tagMatches(ifMatch, variant.etag, true)) return preconditionFailed(variant);
  } else {
    const since = headers.get("if-unmodified-since");
    if (since !== null && modifiedAfter(files, since) === true) return preconditionFailed(variant);
  }
  const ifNoneMatch = headers.get("if-none-match");
  if (ifNoneMatch !== null) {
    return tagMatches(ifNoneMatch, variant.etag, false) ? notModified(variant) : null;
  }
  const since = headers.get("if-modified-since");
  if (since !== null && modifiedAfter(files, since) === false) return notModified(variant);
  return null;
}

/**
 * `If-Match` compares strongly (a `W/` tag never matches), `If-None-Match` weakly (RFC 9110
 * §13.1.1, §13.1.2); `*` matches any current representation.
 */
function tagMatches(header: string, etag: string, strong: boolean): boolean {
  if (header === etag) return true;
  if (header.trim() === "*") return true;
  for (const part of header.split(",")) {
    const tag = part.trim();
    if (tag === etag) return true;
    if (!strong && tag.startsWith("W/") && tag.slice(2) === etag) return true;
  }
  return false;
}

/**
 * Whether the version changed after the HTTP date `since` (seconds precision); undefined for
 * a date that does not parse, which makes the condition be ignored (§13.1.3, §13.1.4).
 */
function modifiedAfter(files: VersionFiles, since: string): boolean | undefined {
  if (since === files.lastModified) return false;
  const time = Date.parse(since);
  if (Number.isNaN(time)) return undefined;
  return files.lastModifiedSeconds > Math.floor(time / 1000);
}

function preconditionFailed(variant: Variant): Response {
  return new Response(null, {
    status: 412,
    headers: [["etag", variant.etag], ["cache-control", "no-store"]],
  });
}

async function sendRange(
  headers: Headers,
  header: string,
  variant: Variant,
  prepared: Prepared,
  files: VersionFiles,
  state: EdgeState,
): Promise<Response> {
  const ifRange = headers.get("if-range");
  const size = variant.slot.size;
  const range = ifRange === null || ifRangeHolds(ifRange, variant.etag, files.lastModified)
    ? parseRange(header, size)
    : { kind: "whole" as const };
  if (range.kind === "unsatisfiable") {
    return new Response(null, {
      status: 416,
      headers: [["content-range", `bytes */${size}`], ["cache-control", "no-store"]],
    });
  }
  if (range.kind === "whole") {
    return variant.template?.clone() ?? await loadAndSend(variant, prepared, files, state);
  }
  const bytes = await bytesOf(variant, files, state);
  if (bytes === null) return notFoundPage();
  return new Response(bytes.subarray(range.start, range.end + 1) as Uint8Array<ArrayBuffer>, {
    status: 206,
    headers: [...variant.headers, ["content-range", `bytes ${range.start}-${range.end}/${size}`]],
  });
}

/**
 * The cold answer: reads the blob into the cache and makes the variant's template. A missing
 * compressed variant falls back to the file itself; a missing file is a 404.
 */
async function loadAndSend(
  variant: Variant,
  prepared: Prepared,
  files: VersionFiles,
  state: EdgeState,
): Promise<Response> {
  const slot = variant.slot;
  if (files.blobs.cacheable(slot)) {
    const base = await files.blobs.load(slot, () => state.readBlob(slot));
    if (base !== null) return templateOf(variant, files, base).clone();
  } else {
    const bytes = await state.readBlob(slot);
    if (bytes !== null) {
      const response = new Response(bytes as Uint8Array<ArrayBuffer>, { headers: variant.headers });
      release(bytes); // the body is a copy
      return response;
    }
  }
  if (variant !== prepared.identity) {
    return await loadAndSend(prepared.identity, prepared, files, state);
  }
  return notFoundPage();
}

/**
 * The variant's 200 template, made from `base` (its blob's body holder). Kept on the variant
 * only while that body is still the resident one: a body evicted since it was loaded answers
 * this one request.
 */
function templateOf(variant: Variant, files: VersionFiles, base: Response): Response {
  if (variant.template !== null) return variant.template;
  const template = base.clone();
  for (const [name, value] of variant.headers) template.headers.append(name, value);
  if (variant.slot.base === base) {
    variant.template = template;
    files.blobs.use(variant.slot, variant);
  }
  return template;
}

/** A variant's bytes (shared with the cache: never write into them). */
export async function bytesOf(
  variant: Variant,
  files: VersionFiles,
  state: EdgeState,
): Promise<Uint8Array | null> {
  const slot = variant.slot;
  if (!files.blobs.cacheable(slot)) return await state.readBlob(slot);
  const base = await files.blobs.load(slot, () => state.readBlob(slot));
  return base && await base.clone().bytes();
}
