/**
 * A file answered to a preview (test link): always the whole file, `private, no-store` and
 * `noindex`, no validators (a preview is never cached), and the banner on HTML pages.
 */
import type { EdgeContext } from "./context.ts";
import { injectBanner, PREVIEW_HEADERS } from "./preview.ts";
import { notFoundPage } from "./pages.ts";
import { acceptedBy, bytesOf, pickVariant } from "./respond.ts";
import { type EdgeFile, prepare, uncachedHeaders, type VersionFiles } from "./version_files.ts";

/** Answers `file` of the previewed version (whose table is `files`) to a preview request. */
export async function servePreview(
  ctx: EdgeContext,
  file: EdgeFile,
  files: VersionFiles,
): Promise<Response> {
  const prepared = prepare(files, file);
  const banner = file.html && ctx.link !== null && ctx.link.banner;
  // The banner changes the bytes, so a bannered page is sent unencoded.
  const variant = banner
    ? prepared.identity
    : pickVariant(prepared, acceptedBy(ctx)) ?? prepared.identity;
  let bytes = await bytesOf(variant, files, ctx.deps.state);
  if (bytes === null) return notFoundPage();
  if (banner) bytes = injectBanner(bytes, ctx.version);
  return new Response(bytes as Uint8Array<ArrayBuffer>, {
    headers: [...uncachedHeaders(variant), ...PREVIEW_HEADERS],
  });
}
