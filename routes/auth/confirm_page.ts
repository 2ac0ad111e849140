/**
 * The confirm page a one-time link opens: "Sign in" or "Join <account>", one button in a form
 * that POSTs back to the same URL. Mail security scanners fetch every link in a mail with GET
 * before the person sees it; a link used up by that GET would be dead when they click. So the
 * GET only shows this page and the POST (same-origin checked) uses the link up.
 *
 * Server-rendered and script-free, under a strict CSP: nothing loads, the one inline stylesheet
 * is allowed by its hash, and the form may post only to this origin. The styling is kept in this
 * one file so the admin's design (branch admin-core) can restyle it in one place later.
 */
import type { Context } from "hono";
import { escapeHtml } from "../../lib/mail.ts";

const CSS = `
:root{color-scheme:light dark;--bg:#f6f7f9;--card:#fff;--text:#1b1f24;--muted:#5b6470;
--accent:#2456d6;--accent-text:#fff;--border:#dde1e6}
@media (prefers-color-scheme:dark){:root{--bg:#0f1216;--card:#181c22;--text:#e6e9ed;
--muted:#9aa4b0;--accent:#6b95ff;--accent-text:#0b1020;--border:#2a3038}}
*{box-sizing:border-box}
body{margin:0;min-height:100vh;display:grid;place-items:center;padding:24px 16px;
background:var(--bg);color:var(--text);
font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
main{width:100%;max-width:400px;background:var(--card);border:1px solid var(--border);
border-radius:12px;padding:32px 28px;box-shadow:0 1px 3px rgb(0 0 0/.08)}
.brand{margin:0 0 24px;font-weight:600;font-size:14px;letter-spacing:.02em;color:var(--muted)}
h1{margin:0 0 8px;font-size:22px;line-height:1.3;overflow-wrap:anywhere}
p{margin:0 0 24px;color:var(--muted);overflow-wrap:anywhere}
button{width:100%;padding:12px 16px;border:0;border-radius:8px;background:var(--accent);
color:var(--accent-text);font:inherit;font-weight:600;cursor:pointer}
button:hover{filter:brightness(1.08)}
button:focus-visible{outline:3px solid var(--accent);outline-offset:3px}
`;

let cspOnce: Promise<string> | null = null;

/** The page's CSP: nothing but its own hashed stylesheet, and a form posting to this origin. */
export function confirmPageCsp(): Promise<string> {
  cspOnce ??= crypto.subtle.digest("SHA-256", new TextEncoder().encode(CSS)).then((digest) => {
    const hash = btoa(String.fromCharCode(...new Uint8Array(digest)));
    return [
      "default-src 'none'",
      `style-src 'sha256-${hash}'`,
      "form-action 'self'",
      "base-uri 'none'",
      "frame-ancestors 'none'",
    ].join("; ");
  });
  return cspOnce;
}

export interface ConfirmPage {
  /** The page's title and heading: "Sign in to Switchyard", "Join My shop". */
  title: string;
  /** One sentence under the heading (plain text). */
  text: string;
  /** Where the form posts: the link's own path (and query), same origin. */
  action: string;
  /** The button's label: "Sign in", "Join My shop". */
  button: string;
}

/** The confirm page, answered with its CSP; never stored by a cache (the URL holds a secret). */
export async function confirmPage<E extends { Variables: object }>(
  c: Context<E>,
  page: ConfirmPage,
): Promise<Response> {
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(page.title)}</title><style>${CSS}</style></head>
<body><main>
<p class="brand">Switchyard</p>
<h1>${escapeHtml(page.title)}</h1>
<p>${escapeHtml(page.text)}</p>
<form method="post" action="${escapeHtml(page.action)}">
<button type="submit">${escapeHtml(page.button)}</button>
</form>
</main></body></html>
`;
  return c.html(html, 200, {
    "content-security-policy": await confirmPageCsp(),
    "cache-control": "no-store",
  });
}
