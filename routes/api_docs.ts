/**
 * `/api/v1/docs`: the OpenAPI document rendered by Swagger UI, for a person with a browser and no
 * token yet. The renderer is the `swagger-ui-dist` package that `deno task build` copies into
 * `_build/`, served from this origin, so the page's CSP names only `'self'`: nothing is loaded
 * from a CDN, and nothing runs inline (the start-up script is a file of its own).
 */
import type { Context } from "hono";
import { BUILD_URL_PREFIX, buildMissing, type BuildOutput } from "../lib/build_output.ts";

export const API_DOCS_PATH = "/api/v1/docs";
export const API_DOCS_INIT_PATH = `${API_DOCS_PATH}/init.js`;

/**
 * What Swagger UI needs and nothing more: its script and ours, its stylesheet, the images its
 * stylesheet inlines as `data:` URLs, and fetches of the document and "Try it out" calls to this
 * origin. Its React code sets styles through the DOM, which `style-src` does not govern.
 */
export const API_DOCS_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

const INIT_SCRIPT = `// Starts Swagger UI on the Switchyard API's OpenAPI document.
window.ui = SwaggerUIBundle({
  url: "/api/v1/openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  // The public validator would be an image from another origin; the document is valid by build.
  validatorUrl: null,
});
`;

function page(folder: string): string {
  const asset = (name: string) => `${BUILD_URL_PREFIX}${folder}${name}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Switchyard API reference</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${asset("swagger-ui.css")}">
</head>
<body>
<div id="swagger-ui"><p>The Switchyard API reference needs JavaScript; the document itself is
<a href="/api/v1/openapi.json">/api/v1/openapi.json</a>.</p></div>
<script src="${asset("swagger-ui-bundle.js")}"></script>
<script src="${API_DOCS_INIT_PATH}"></script>
</body>
</html>
`;
}

const headers = (contentType: string) => ({
  "content-type": contentType,
  "content-security-policy": API_DOCS_CSP,
  // The page changes with each build; revalidating is cheap and never shows an old one.
  "cache-control": "no-cache",
});

/** The reference page; without a build it says what to run, as `/cli.js` does. */
export function apiDocsPage(c: Context, build: BuildOutput | null): Response {
  if (!build?.manifest.swagger_ui) throw buildMissing();
  return c.body(page(build.manifest.swagger_ui), 200, headers("text/html; charset=utf-8"));
}

export function apiDocsInit(c: Context): Response {
  return c.body(INIT_SCRIPT, 200, headers("text/javascript; charset=utf-8"));
}
