/**
 * Apps: a merchant's storefront, reached at `{slug}.{apps domain}`. The slug index is
 * platform-wide; a create checks `versionstamp: null` on it, so two accounts racing for one
 * slug get one app and one `ConflictError`.
 */
import { ConflictError, NotFoundError, ValidationError } from "../lib/errors.ts";
import { newId, nowIso } from "./ids.ts";
import {
  accountAppKey,
  accountAppsPrefix,
  accountKey,
  appBySlugKey,
  appKey,
  linksPrefix,
  liveKey,
  manifestsPrefix,
  releasesPrefix,
  settingsPrefix,
  versionCounterKey,
  versionsPrefix,
} from "./keys.ts";
import { allKeys, deleteAll, listPage, type Page } from "./page.ts";
import { notifyChange } from "./changes.ts";
import { type AuditBy, audited } from "./audit.ts";

/** A slug is one DNS label (`{slug}.{apps domain}`): 1–40 lowercase letters, digits, inner hyphens. */
export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;

/**
 * Names an app may not take, because its host (`{slug}.{apps domain}`) could pass for the
 * platform's own or a mail or status service's: the words below, the platform host's first
 * label, and any label in punycode (`xn--…`), which can spell a look-alike of any name.
 * docs/CLI.md ("App names") lists them for merchants.
 */
export const RESERVED_SLUGS: readonly string[] = [
  "www",
  "api",
  "admin",
  "app",
  "status",
  "mail",
  "localhost",
];

/** Why `slug` is reserved on a platform served at `platformHost`, or null when it is free. */
export function reservedSlugReason(slug: string, platformHost: string): string | null {
  if (slug.startsWith("xn--")) {
    return `App slug is reserved: "${slug}" (punycode names could imitate another name)`;
  }
  if (RESERVED_SLUGS.includes(slug) || slug === platformHost.split(".")[0]) {
    return `App slug is reserved: "${slug}" (its host could pass for the platform's own)`;
  }
  return null;
}

export interface App {
  id: string;
  account_id: string;
  slug: string;
  name: string;
  created_at: string;
}

/**
 * Creates an app; 422 for a reserved slug (`platformHost` is the one this platform answers on),
 * 409 when another app has it.
 */
export async function createApp(
  kv: Deno.Kv,
  accountId: string,
  input: { slug: string; name: string },
  platformHost: string,
  audit?: AuditBy,
): Promise<App> {
  const reserved = reservedSlugReason(input.slug, platformHost);
  if (reserved) {
    throw new ValidationError(reserved, [{ field: "slug", message: reserved }], "slug_reserved");
  }
  const app: App = {
    id: newId(),
    account_id: accountId,
    slug: input.slug,
    name: input.name,
    created_at: nowIso(),
  };
  await commitNewApp(kv, app, audit);
  notifyChange(kv, { kind: "host", slug: app.slug });
  return app;
}

/**
 * Writes a new app in one commit that also rewrites its account's record, unchanged: the record's
 * versionstamp moves with every app made, so `deleteAccount` (kv/account_changes.ts), which
 * checks the record it read beside an empty app list, fails and looks again when an app came
 * meanwhile; and a deleted (or changed) account fails this commit's check of the record. Of a
 * create and a delete racing, exactly one wins, and no app lives on in a deleted account.
 */
async function commitNewApp(kv: Deno.Kv, app: App, audit?: AuditBy): Promise<void> {
  const accountId = app.account_id;
  for (;;) {
    const account = await kv.get(accountKey(accountId));
    if (account.value === null) throw new NotFoundError(`No such account: "${accountId}"`);
    const op = kv.atomic()
      .check(account)
      .check({ key: appBySlugKey(app.slug), versionstamp: null })
      .check({ key: appKey(app.id), versionstamp: null })
      .set(accountKey(accountId), account.value)
      .set(appKey(app.id), app)
      .set(appBySlugKey(app.slug), app.id)
      .set(accountAppKey(accountId, app.id), app);
    const summary = { slug: app.slug, name: app.name };
    const result = await audited(op, audit, "app.create", { app, summary }).commit();
    if (result.ok) return;
    if ((await kv.get(appBySlugKey(app.slug))).value !== null) {
      throw new ConflictError(`App slug is taken: "${app.slug}"`, "slug_taken");
    }
    // Only the account record changed (renamed, another app made, or deleted): read it again.
  }
}

/** The app with `slug` in `accountId`; another account's app is "not found", never forbidden. */
export async function getApp(kv: Deno.Kv, accountId: string, slug: string): Promise<App> {
  const app = await findAppBySlug(kv, slug);
  if (!app || app.account_id !== accountId) throw new NotFoundError(`No such app: "${slug}"`);
  return app;
}

/** Resolves a slug across the platform (the edge uses this to map a host to an app). */
export async function findAppBySlug(
  kv: Deno.Kv,
  slug: string,
  consistency: Deno.KvConsistencyLevel = "strong",
): Promise<App | null> {
  // No app has a slug outside the pattern; one from a URL may be longer than a KV key can be.
  if (!SLUG_PATTERN.test(slug)) return null;
  const id = await kv.get<string>(appBySlugKey(slug), { consistency });
  if (!id.value) return null;
  return (await kv.get<App>(appKey(id.value), { consistency })).value;
}

export function listApps(
  kv: Deno.Kv,
  accountId: string,
  options: { limit?: number; cursor?: string | null },
): Promise<Page<App>> {
  return listPage<App>(kv, accountAppsPrefix(accountId), options);
}

/**
 * Deletes an app: the slug is freed at once (one commit removes app, slug index and live
 * record), then versions, history and links are swept. Blobs stay: they are per account and
 * may be shared with other apps; unreferenced ones are collected by `collectGarbage`.
 */
export async function deleteApp(
  kv: Deno.Kv,
  accountId: string,
  slug: string,
  audit?: AuditBy,
): Promise<void> {
  const app = await getApp(kv, accountId, slug);
  // Checked, so of two deletes racing one wins (and is logged) and the other is told 404.
  const entry = await kv.get<App>(appKey(app.id));
  if (!entry.value) throw new NotFoundError(`No such app: "${slug}"`);
  // The audit entry goes with this first commit, not the sweeps after it: this one is the
  // delete (the app is gone and its slug free); the sweeps clear records nothing reaches.
  const op = kv.atomic()
    .check(entry)
    .delete(appKey(app.id))
    .delete(appBySlugKey(app.slug))
    .delete(accountAppKey(accountId, app.id))
    .delete(liveKey(app.id))
    .delete(versionCounterKey(app.id));
  const result = await audited(op, audit, "app.delete", { app, summary: { slug: app.slug } })
    .commit();
  if (!result.ok) throw new NotFoundError(`No such app: "${slug}"`);
  notifyChange(kv, { kind: "host", slug: app.slug });
  for (
    const prefix of [
      versionsPrefix(app.id),
      releasesPrefix(app.id),
      linksPrefix(app.id),
      settingsPrefix(app.id),
      manifestsPrefix(app.id),
    ]
  ) {
    await deleteAll(kv, allKeys(kv, prefix));
  }
}
