/**
 * Test links: private URLs that open one version of an app on its live host. The token has
 * ≈190 random bits and is stored only as its SHA-256; the link record keeps label, email,
 * expiry, revocation and a visit counter.
 */
import { NotFoundError } from "../lib/errors.ts";
import { randomBase62, sha256Hex } from "../lib/crypto.ts";
import { newId, nowIso } from "./ids.ts";
import { linkByHashKey, linkKey, linksPrefix, linkVisitsKey } from "./keys.ts";
import { listPage, type Page } from "./page.ts";
import type { App } from "./apps.ts";
import { getVersion, requireReady } from "./versions.ts";
import { notifyChange } from "./changes.ts";
import { DEFAULT_LINK_HOURS, type TestLink } from "./link_record.ts";
import { type AuditBy, audited } from "./audit.ts";

export async function createLink(
  kv: Deno.Kv,
  app: App,
  input: {
    version: number;
    label: string;
    email?: string | null;
    expiresInHours?: number;
    banner?: boolean;
    by: string;
    now: number;
    /** Who makes the link, for the audit log. */
    audit?: AuditBy;
  },
): Promise<{ link: TestLink; token: string }> {
  requireReady(await getVersion(kv, app, input.version));
  const token = `syt_${randomBase62(32)}`;
  const hours = input.expiresInHours ?? DEFAULT_LINK_HOURS;
  const link: TestLink = {
    id: newId(),
    app_id: app.id,
    version: input.version,
    label: input.label,
    email: input.email ?? null,
    banner: input.banner ?? true,
    created_at: nowIso(input.now),
    created_by: input.by,
    expires_at: nowIso(input.now + hours * 3_600_000),
    revoked_at: null,
    hash: await sha256Hex(token),
  };
  const op = kv.atomic()
    .check({ key: linkKey(app.id, link.id), versionstamp: null })
    .check({ key: linkByHashKey(link.hash), versionstamp: null })
    .set(linkKey(app.id, link.id), link)
    .set(linkByHashKey(link.hash), { app_id: app.id, link_id: link.id });
  await audited(op, input.audit, "link.create", {
    app,
    target: { type: "link", id: link.id },
    summary: { version: link.version, label: link.label, expires_at: link.expires_at },
  }).commit();
  return { link, token };
}

export async function getLink(kv: Deno.Kv, appId: string, linkId: string) {
  return (await kv.get<TestLink>(linkKey(appId, linkId))).value;
}

/** The link a token opens, or null for a forged one. */
export async function findLinkByToken(kv: Deno.Kv, token: string): Promise<TestLink | null> {
  if (!/^syt_[0-9A-Za-z]{32}$/.test(token)) return null;
  const ref = await kv.get<{ app_id: string; link_id: string }>(
    linkByHashKey(await sha256Hex(token)),
  );
  return ref.value ? await getLink(kv, ref.value.app_id, ref.value.link_id) : null;
}

export type LinkState = "valid" | "expired" | "revoked";

export function linkState(link: TestLink, now: number): LinkState {
  if (link.revoked_at) return "revoked";
  return Date.parse(link.expires_at) <= now ? "expired" : "valid";
}

export async function listLinks(
  kv: Deno.Kv,
  app: App,
  options: { limit?: number; cursor?: string | null },
): Promise<Page<TestLink & { visits: number }>> {
  const page = await listPage<TestLink>(kv, linksPrefix(app.id), options);
  const items = await Promise.all(page.items.map(async (link) => {
    const visits = await kv.get<Deno.KvU64>(linkVisitsKey(app.id, link.id));
    return { ...link, visits: Number(visits.value?.value ?? 0n) };
  }));
  return { items, next_cursor: page.next_cursor };
}

/** Revokes a link; every edge stops honouring it within its revalidation interval. */
export async function revokeLink(
  kv: Deno.Kv,
  app: App,
  linkId: string,
  now: number,
  audit?: AuditBy,
) {
  const entry = await kv.get<TestLink>(linkKey(app.id, linkId));
  if (!entry.value) throw new NotFoundError(`No such test link: "${linkId}"`);
  if (entry.value.revoked_at) return;
  const revoked = { ...entry.value, revoked_at: nowIso(now) };
  // The hash index stays, so opening the link says "revoked" rather than "not valid".
  const op = kv.atomic().check(entry).set(linkKey(app.id, linkId), revoked);
  const summary = { version: revoked.version, label: revoked.label };
  audited(op, audit, "link.revoke", { app, target: { type: "link", id: linkId }, summary });
  const result = await op.commit();
  if (!result.ok) return await revokeLink(kv, app, linkId, now, audit);
  notifyChange(kv, { kind: "link", appId: app.id, linkId });
}

/** Counts one opening of a link (a `sum`, so concurrent openings never conflict). */
export async function countLinkVisit(kv: Deno.Kv, link: TestLink): Promise<void> {
  await kv.atomic().sum(linkVisitsKey(link.app_id, link.id), 1n).commit();
}
