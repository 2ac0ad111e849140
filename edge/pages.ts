/**
 * The few pages the edge writes itself, for shoppers and test-link holders (never merchants'
 * words: a shopper cannot promote anything), plain and self-contained: no app is involved, so
 * nothing but an inline style, light or dark as the browser prefers.
 */

const STYLE = ":root{color-scheme:light dark}" +
  "body{font:16px/1.5 system-ui,sans-serif;max-width:34rem;margin:18vh auto;padding:0 1.25rem;" +
  "color:#1f2328;background:#fff}h1{font-size:1.5rem;margin:0 0 .5rem}p{color:#59636e;margin:0}" +
  "@media (prefers-color-scheme:dark){body{color:#e6edf3;background:#0d1117}p{color:#9198a1}}";

/** What every page the edge writes says about itself: no scripts, no frames, no sniffing. */
const PAGE_HEADERS: [string, string][] = [
  ["content-type", "text/html; charset=utf-8"],
  ["cache-control", "no-store"],
  ["x-content-type-options", "nosniff"],
  [
    "content-security-policy",
    "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; " +
    "frame-ancestors 'none'",
  ],
  ["referrer-policy", "strict-origin-when-cross-origin"],
];

/** A page with `title` and one paragraph; `extra` headers replace the defaults they name. */
export function page(
  status: number,
  title: string,
  text: string,
  extra: [string, string][] = [],
): Response {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width,initial-scale=1"><title>${title}</title>` +
    `<style>${STYLE}</style></head><body><main><h1>${title}</h1><p>${text}</p></main></body></html>`;
  const replaced = new Set(extra.map(([name]) => name));
  return new Response(html, {
    status,
    headers: [...PAGE_HEADERS.filter(([name]) => !replaced.has(name)), ...extra],
  });
}

// The fixed pages are made once and cloned (a clone shares the body and copies the headers).
const UNKNOWN_HOST = page(
  404,
  "Store not found",
  "There is no store at this address. Check the address and try again.",
);
const NOT_FOUND = page(404, "Page not found", "This page does not exist in this store.");
const BAD_REQUEST = page(400, "Bad request", "This address is not valid.");
const NOTHING_LIVE = page(
  404,
  "Opening soon",
  "This store is not open yet. Please come back soon.",
);

export const unknownHostPage = () => UNKNOWN_HOST.clone();

export const nothingLivePage = () => NOTHING_LIVE.clone();

export const notFoundPage = () => NOT_FOUND.clone();

export const badRequestPage = () => BAD_REQUEST.clone();

const ALLOW = "GET, HEAD, OPTIONS";

/** Files answer GET and HEAD; OPTIONS says so, anything else is 405. */
export function methodNotAllowed(method: string): Response {
  if (method === "OPTIONS") return new Response(null, { status: 204, headers: { allow: ALLOW } });
  return new Response(`Method ${method} is not allowed here: use GET or HEAD\n`, {
    status: 405,
    headers: [
      ["allow", ALLOW],
      ["content-type", "text/plain; charset=utf-8"],
      ["cache-control", "no-store"],
    ],
  });
}

/** No stored encoding of the file is acceptable (`Accept-Encoding: identity;q=0` and no match). */
export function notAcceptable(): Response {
  return new Response("None of the encodings this file is stored in is acceptable\n", {
    status: 406,
    headers: [
      ["content-type", "text/plain; charset=utf-8"],
      ["cache-control", "no-store"],
      ["vary", "Accept-Encoding"],
    ],
  });
}

export function jsonResponse(status: number, body: unknown, extra: [string, string][] = []) {
  return new Response(JSON.stringify(body), {
    status,
    headers: [
      ["content-type", "application/json; charset=utf-8"],
      ["cache-control", "no-store"],
      ["x-content-type-options", "nosniff"],
      ...extra,
    ],
  });
}
