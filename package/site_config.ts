/**
 * `switchyard.json` at a package's root: how the edge serves the package (DESIGN "Packages").
 *
 * ```json
 * {
 *   "spa": true,
 *   "clean_urls": false,
 *   "headers": { "/assets/**": { "Access-Control-Allow-Origin": "*" } },
 *   "redirects": [{ "from": "/old/*", "to": "/new/:splat", "status": 301 }]
 * }
 * ```
 *
 * - `spa` (default true): an extensionless navigation with no file answers `index.html`.
 * - `clean_urls` (default false): `/about` serves `about.html`, and `/about.html` redirects there.
 * - `headers`: glob (matched against the served file's path, `/` first) → headers; every
 *   matching rule applies in order, a later one replacing an earlier one's header of the same
 *   name. Headers Switchyard owns (encoding, length, validators, cookies…) cannot be set.
 * - `redirects`: checked in order before any file; `from` is a path, or a prefix ending in `/*`
 *   whose rest replaces `:splat` in `to`; `status` 301, 302, 307 or 308 (default 308).
 * - `deploy`: the deploy CLI's own settings (`app`, `url`, `dir`, `source_maps`; docs/CLI.md).
 *   The CLI reads it and uploads the file like any other; here it only has to be an object, and
 *   it is ignored when serving: it is not kept in the result, so the edge never sees it.
 *
 * Validated once at install (site_config_parse.ts); a bad file refuses the package naming the
 * rule that failed. The result is stored in the version record, so the edge never parses it
 * per request; this module holds only its shape, which the edge reads.
 */

export const SITE_CONFIG_PATH = "switchyard.json";

export type RedirectStatus = 301 | 302 | 307 | 308;

export interface HeaderRule {
  glob: string;
  headers: [string, string][];
}

export interface RedirectRule {
  from: string;
  to: string;
  status: RedirectStatus;
}

export interface SiteConfig {
  spa: boolean;
  clean_urls: boolean;
  headers: HeaderRule[];
  redirects: RedirectRule[];
}

export const DEFAULT_SITE_CONFIG: SiteConfig = Object.freeze({
  spa: true,
  clean_urls: false,
  headers: [],
  redirects: [],
}) as SiteConfig;
