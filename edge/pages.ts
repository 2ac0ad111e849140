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

export const unknownHostPage = () =>
  page(404, "No store here", "No Switchyard app answers at this address.");

export const nothingLivePage = (slug: string) =>
  page(
    404,
    "Nothing is live yet",
    `The app “${slug}” has no live version. Its merchant can promote one from the admin or with <code>deno task promote</code>.`,
  );

export const notFoundPage = () => page(404, "Not found", "This page does not exist in this store.");

export const badRequestPage = () => page(400, "Bad request", "This address is not valid.");

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
