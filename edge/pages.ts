/** The few pages the edge writes itself, plain and self-contained (no app is involved). */

const STYLE =
  "body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:15vh auto;padding:0 1rem;color:#222}" +
  "h1{font-size:1.4rem}p{color:#555}";

function page(
  status: number,
  title: string,
  text: string,
  extra: [string, string][] = [],
): Response {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width,initial-scale=1"><title>${title}</title>` +
    `<style>${STYLE}</style></head><body><h1>${title}</h1><p>${text}</p></body></html>`;
  return new Response(html, {
    status,
    headers: [
      ["content-type", "text/html; charset=utf-8"],
      ["cache-control", "no-store"],
      ["x-content-type-options", "nosniff"],
      ...extra,
    ],
  });
}

// The fixed pages are made once and cloned (a clone shares the body and copies the headers).
const UNKNOWN_HOST = page(404, "No store here", "No Switchyard app answers at this address.");
const NOT_FOUND = page(404, "Not found", "This page does not exist in this store.");
const BAD_REQUEST = page(400, "Bad request", "This address is not valid.");

export const unknownHostPage = () => UNKNOWN_HOST.clone();

export const nothingLivePage = (slug: string) =>
  page(
    404,
    "Nothing is live yet",
    `The app “${slug}” has no live version. Its merchant can promote one from the admin or with <code>deno task promote</code>.`,
  );

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
