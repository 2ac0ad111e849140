/**
 * Files the edge injects at run time on every app host (DESIGN "Reserved paths"): settings as
 * JSON or as a script that fills `window.__settings`, the merchant's custom script and CSS, and
 * the analytics scripts. Served `no-cache`, so a change shows on the next page load.
 */

const NO_CACHE: [string, string][] = [
  ["cache-control", "no-cache"],
  ["x-content-type-options", "nosniff"],
];

/** JSON that is also safe inside a `<script>` and in every JS parser (no `</script>`, U+2028). */
function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/** The default headers of an injected file, with `extra` (a preview's) replacing same names. */
function headersOf(type: string, extra: [string, string][]): Headers {
  const headers = new Headers([["content-type", type], ...NO_CACHE]);
  for (const [name, value] of extra) headers.set(name, value);
  return headers;
}

export function settingsFile(
  name: "app" | "style" | "account",
  format: "js" | "json",
  value: unknown,
  extra: [string, string][] = [],
  /** Script run before the settings are set (the `js` format only). */
  before = "",
): Response {
  if (format === "json") {
    return new Response(JSON.stringify(value), {
      headers: headersOf("application/json; charset=utf-8", extra),
    });
  }
  const body =
    `${before}window.__settings = window.__settings || {}; window.__settings.${name} = ` +
    `${scriptSafeJson(value)};\n`;
  return new Response(body, { headers: headersOf("text/javascript; charset=utf-8", extra) });
}

export function textFile(body: string, type: string, extra: [string, string][] = []): Response {
  return new Response(body, { headers: headersOf(`${type}; charset=utf-8`, extra) });
}

/**
 * Reports client-side navigations of a single-page app (`history.pushState`, back and
 * forward) through the same-origin API. The page load itself is not sent: the edge counted it
 * when it served the page. `keepalive` lets the request finish while the page unloads.
 */
export const PAGEVIEW_JS = `(function () {
  function send(body) {
    try {
      fetch("/api/v1/events", { method: "POST", keepalive: true, credentials: "same-origin",
        headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    } catch (_) {}
  }
  var last = location.pathname;
  function view() {
    if (location.pathname === last) return;
    last = location.pathname;
    send({ type: "pageview", path: last });
  }
  var push = history.pushState;
  history.pushState = function () { push.apply(this, arguments); view(); };
  addEventListener("popstate", view);
})();
`;

/**
 * `switchyard.conversion({ value, currency, order_id })` records a conversion; a script tag with
 * `data-value` (minor units) records one as soon as it loads, for thank-you pages.
 */
export const CONVERSION_JS = `(function () {
  function conversion(details) {
    details = details || {};
    try {
      fetch("/api/v1/events", { method: "POST", keepalive: true, credentials: "same-origin",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ type: "conversion", value: details.value || 0,
          currency: details.currency || null, order_id: details.order_id || null }) });
    } catch (_) {}
  }
  window.switchyard = window.switchyard || {};
  window.switchyard.conversion = conversion;
  var tag = document.currentScript;
  if (tag && tag.dataset.value) conversion({ value: Number(tag.dataset.value), currency: tag.dataset.currency });
})();
`;
