/**
 * Serving a file of the selected version: path resolution, index files, the SPA fallback,
 * conditional requests and HEAD. Live traffic uses the headers prebuilt per version; a preview
 * swaps in private, no-store headers and gets the banner on HTML pages.
 */
import type { EdgeContext } from "./context.ts";
import type { EdgeState } from "./state.ts";
import type { EdgeFile, VersionFiles } from "./version_files.ts";
import { isExtensionless, resolvePath } from "./paths.ts";
import { badRequestPage, notFoundPage } from "./pages.ts";
import { injectBanner, PREVIEW_HEADERS } from "./preview.ts";

export function findFile(
  request: Request,
  url: URL,
  files: VersionFiles,
): EdgeFile | Response {
  const resolved = resolvePath(url.pathname);
  if (!resolved.ok) return resolved.status === 400 ? badRequestPage() : notFoundPage();
  if (resolved.directory || resolved.path === "") {
    const file = files.files.get(resolved.path ? `${resolved.path}/index.html` : "index.html");
    return file ?? notFoundPage();
  }
  const file = files.files.get(resolved.path);
  if (file) return file;
  if (files.files.has(`${resolved.path}/index.html`)) {
    return new Response(null, {
      status: 308,
      headers: { location: `${url.pathname}/${url.search}` },
    });
  }
  if (isExtensionless(resolved.path) && acceptsHtml(request) && files.index) return files.index;
  return notFoundPage();
}

export async function serveFile(
  request: Request,
  url: URL,
  files: VersionFiles,
  ctx: EdgeContext,
  state: EdgeState,
): Promise<Response> {
  const file = findFile(request, url, files);
  if (file instanceof Response) return file;
  if (ctx.mode === "test") return await servePreview(request, file, ctx, state);

  const etags = request.headers.get("if-none-match");
  if (etags && matchesEtag(etags, file.etag)) {
    return new Response(null, { status: 304, headers: file.notModified });
  }
  if (request.method === "HEAD") {
    return new Response(null, {
      headers: [...file.headers, ["content-length", String(file.size)]],
    });
  }
  const bytes = await state.bytes(ctx.app, file);
  if (!bytes) return notFoundPage();
  return new Response(bytes as Uint8Array<ArrayBuffer>, { headers: file.headers });
}

async function servePreview(
  request: Request,
  file: EdgeFile,
  ctx: EdgeContext,
  state: EdgeState,
): Promise<Response> {
  const headers = [
    ...file.headers.filter(([name]) => name !== "cache-control" && name !== "etag"),
    ...PREVIEW_HEADERS,
  ];
  let bytes = await state.bytes(ctx.app, file);
  if (!bytes) return notFoundPage();
  if (file.html && ctx.link?.banner) bytes = injectBanner(bytes, ctx.version);
  if (request.method === "HEAD") {
    return new Response(null, {
      headers: [...headers, ["content-length", String(bytes.byteLength)]],
    });
  }
  return new Response(bytes as Uint8Array<ArrayBuffer>, { headers });
}

function acceptsHtml(request: Request): boolean {
  const accept = request.headers.get("accept");
  return !accept || accept.includes("text/html") || accept.includes("*/*");
}

/** `If-None-Match` uses the weak comparison (RFC 9110 §13.1.2): `W/` prefixes are ignored. */
function matchesEtag(header: string, etag: string): boolean {
  if (header.trim() === "*") return true;
  return header.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag);
}
