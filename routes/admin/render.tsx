/**
 * Renders a page's view inside the shell and answers it with the admin's headers: a strict CSP
 * whose only script source is this response's nonce (`'strict-dynamic'` lets the client entry
 * load the island bundles it imports), styles only from our origin, no framing, and `no-store`
 * (every admin page is one person's data).
 */
import { renderToString } from "preact-render-to-string";
import { Body, ClientScripts, Head, type ShellUser } from "../../components/document.tsx";
import { IslandCollector, IslandContext } from "../../components/island.tsx";
import { type BuildOutput, islandUrl, styleUrl } from "../../lib/build_output.ts";
import { base64url } from "../../lib/crypto.ts";
import { CLIENT_NAME } from "../../lib/islands.ts";
import type { PageView, SignedIn } from "./context.ts";

/** A fresh nonce per response (CSP3 §7.2: at least 128 bits, unguessable). */
export function newNonce(): string {
  return base64url(crypto.getRandomValues(new Uint8Array(18)));
}

export function contentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}' 'strict-dynamic'`,
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "font-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** The admin's headers on any HTML answer it makes. */
function pageHeaders(nonce: string): Record<string, string> {
  return {
    "content-type": "text/html; charset=utf-8",
    "content-security-policy": contentSecurityPolicy(nonce),
    "cache-control": "no-store",
    "referrer-policy": "strict-origin-when-cross-origin",
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
  };
}

export function shellUser(user: SignedIn): ShellUser {
  return {
    name: user.principal.name,
    role: user.principal.role,
    accountId: user.account.id,
    accountName: user.account.name,
    accounts: user.memberships.map(({ account, role }) => ({
      id: account.id,
      name: account.name,
      role,
    })),
    csrf: user.csrf,
  };
}

/** The page as a complete HTML document. */
export function renderDocument(
  view: PageView,
  options: { build: BuildOutput | null; nonce: string; user: ShellUser | null },
): string {
  const { build, nonce, user } = options;
  const known = build ? new Set(Object.keys(build.manifest.islands)) : null;
  const collector = new IslandCollector(known, nonce);
  const body = renderToString(
    <IslandContext.Provider value={collector}>
      <Body user={user} heading={view.heading ?? view.title}>{view.body}</Body>
    </IslandContext.Provider>,
  );
  const scripts = build ? islandScripts(build, collector.used) : null;
  const head = renderToString(
    <Head
      title={view.title}
      stylesheet={build ? styleUrl(build, "admin") : undefined}
      scripts={scripts ? [scripts.client, ...Object.values(scripts.islands)] : []}
    />,
  );
  const tail = scripts ? renderToString(<ClientScripts {...scripts} nonce={nonce} />) : "";
  // The tail goes just before `</body>`, after everything it hydrates.
  const html = body.replace(/<\/body>$/, `${tail}</body>`);
  return `<!doctype html><html lang="en">${head}${html}</html>`;
}

function islandScripts(
  build: BuildOutput,
  used: ReadonlySet<string>,
): { client: string; islands: Record<string, string> } | null {
  const client = islandUrl(build, CLIENT_NAME);
  if (used.size === 0 || !client) return null;
  const islands: Record<string, string> = {};
  for (const name of used) islands[name] = islandUrl(build, name)!;
  return { client, islands };
}

export function htmlResponse(html: string, status: number, nonce: string): Response {
  return new Response(html, { status, headers: pageHeaders(nonce) });
}
