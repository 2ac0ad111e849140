/**
 * Previews through test links. Opening `/_switchyard/preview?token=…` trades the token for an
 * HttpOnly cookie that names the link and carries an HMAC binding it to this app and version,
 * then redirects to `/` so the token never stays in the address bar or a Referer. Every request
 * with the cookie re-checks the link (cached no longer than the revalidation interval), so a
 * revocation or expiry ends the preview everywhere within that interval.
 */
import type { TestLink } from "../kv/link_record.ts";
import { HmacSigner, timingSafeEqual } from "../lib/crypto.ts";
import { parseVersionNumber } from "../lib/version_number.ts";
import { PREVIEW_COOKIE, setCookie } from "./cookies.ts";
import { page } from "./pages.ts";

export const PREVIEW_HEADERS: [string, string][] = [
  ["cache-control", "private, no-store"],
  ["x-robots-tag", "noindex"],
  ["referrer-policy", "no-referrer"],
];

export class PreviewSigner {
  #signer: HmacSigner;

  constructor(secret: string) {
    this.#signer = new HmacSigner(`preview-cookie:${secret}`);
  }

  #mac(appId: string, linkId: string, version: number): Promise<string> {
    return Promise.resolve(this.#signer.sign(`${appId}|${linkId}|${version}`));
  }

  /** The cookie value of a preview through `link`: link id, version and their MAC. */
  async cookieValue(link: TestLink): Promise<string> {
    return `${link.id}.${link.version}.${await this.#mac(link.app_id, link.id, link.version)}`;
  }

  /** The link id and version a cookie names for `appId`, or null when forged or for another app. */
  async verify(appId: string, value: string): Promise<{ linkId: string; version: number } | null> {
    const [linkId, versionText, mac] = value.split(".");
    const version = parseVersionNumber(versionText ?? "");
    if (!linkId || !mac || version === null || linkId.length > 64) return null;
    const expected = await this.#mac(appId, linkId, version);
    return timingSafeEqual(expected, mac) ? { linkId, version } : null;
  }
}

/** The `Set-Cookie` of a preview (`__Host-` and Secure over HTTPS). */
export function previewCookie(value: string, https: boolean, maxAgeSeconds: number): string {
  return setCookie(
    PREVIEW_COOKIE,
    value,
    `Max-Age=${maxAgeSeconds}; HttpOnly; SameSite=Lax`,
    https,
  );
}

/** The `Set-Cookie` that ends a preview: the name it was set under over this protocol. */
export function clearPreviewCookie(https: boolean): string {
  return previewCookie("", https, 0);
}

/** The banner shown on previewed HTML pages, placed before `</body>` (or at the end). */
export function injectBanner(html: Uint8Array, version: number): Uint8Array {
  const banner = `<div id="switchyard-preview" role="status" style="position:fixed;left:50%;` +
    `bottom:12px;transform:translateX(-50%);z-index:2147483647;background:#111;color:#fff;` +
    `font:13px/1.4 system-ui,sans-serif;padding:6px 14px;border-radius:999px;` +
    `box-shadow:0 2px 10px rgba(0,0,0,.35)">Preview of v${version} · ` +
    `<a href="/_switchyard/preview/exit" style="color:#8cf">exit</a></div>`;
  const text = new TextDecoder().decode(html);
  const at = text.toLowerCase().lastIndexOf("</body>");
  const out = at === -1 ? text + banner : text.slice(0, at) + banner + text.slice(at);
  return new TextEncoder().encode(out);
}

/** Why a test link cannot be opened. */
type LinkProblem = "invalid" | "expired" | "revoked" | "deleted";

/** The plain page for a test link that cannot be opened, saying why. */
export function linkProblemPage(state: LinkProblem): Response {
  const [title, text] = {
    invalid: ["This test link is not valid", "Check that you copied the whole link."],
    expired: ["This test link has expired", "Ask the store for a new one."],
    revoked: ["This test link was revoked", "Ask the store for a new one."],
    deleted: [
      "The version of this test link was deleted",
      "Ask the store for a link to another version.",
    ],
  }[state];
  return page(state === "invalid" ? 404 : 410, title, text, PREVIEW_HEADERS);
}
