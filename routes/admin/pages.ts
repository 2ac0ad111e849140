/**
 * Every admin page by URL, and the file it lives in (the files are laid out like the URLs,
 * Fresh's `routes/`; `[slug]` is a parameter). Listed here rather than read from the folder:
 * Deno Deploy bundles what is imported, and a list is one place to read the admin's map.
 */
import type { PageModule, StreamHandler } from "./context.ts";
import dashboard from "./index.tsx";
import signIn from "./signin.tsx";
import appPage from "./apps/[slug]/index.tsx";
import uploadPage from "./apps/[slug]/upload.tsx";
import { appEvents } from "./apps/[slug]/events.ts";
import versionPage from "./apps/[slug]/versions/[n].tsx";
import settingsPage from "./apps/[slug]/settings.tsx";
import membersPage from "./account/members.tsx";
import tokensPage from "./account/tokens.tsx";
import passkeysPage from "./account/passkeys.tsx";
import auditPage from "./account/audit.tsx";
import statsPage from "./apps/[slug]/stats.tsx";
import catalogPage from "./catalog/index.tsx";
import productPage from "./catalog/[id].tsx";
import ordersPage from "./orders.tsx";

export const PAGES: [string, PageModule][] = [
  ["/", dashboard],
  ["/signin", signIn],
  ["/apps/:slug", appPage],
  ["/apps/:slug/upload", uploadPage],
  ["/apps/:slug/versions/:n", versionPage],
  ["/apps/:slug/settings", settingsPage],
  ["/account/members", membersPage],
  ["/account/tokens", tokensPage],
  ["/account/passkeys", passkeysPage],
  ["/account/audit", auditPage],
  ["/apps/:slug/stats", statsPage],
  ["/catalog", catalogPage],
  ["/catalog/:id", productPage],
  ["/orders", ordersPage],
];

/** Server-sent event streams the pages' islands subscribe to. */
export const STREAMS: [string, StreamHandler][] = [
  ["/apps/:slug/events", appEvents],
];
