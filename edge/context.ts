/**
 * Version selection for one request (DESIGN "Edge"): a valid preview cookie, else the split arm
 * the shopper is assigned to, else the live target (timeline applied). The result is the
 * request context every later feature reads: app, version, mode. Without a preview cookie the
 * selection is synchronous: a warm request awaits nothing here.
 */
import type { App } from "../kv/apps.ts";
import { linkState } from "../kv/links.ts";
import type { TestLink } from "../kv/link_record.ts";
import type { EdgeState } from "./state.ts";
import type { PreviewSigner } from "./preview.ts";
import { pickArm } from "./visitor.ts";
import { cookieValue, PREVIEW_COOKIE, VISITOR_COOKIE } from "./cookies.ts";
import type { Site } from "./sites.ts";

export interface EdgeContext {
  app: App;
  site: Site;
  /** 0 when nothing is live. */
  version: number;
  mode: "live" | "test";
  /** The test link behind a preview. */
  link: TestLink | null;
  /** The request's `Cookie` header. */
  cookie: string | null;
  /** The shopper id a split assigned from, when the shopper had none yet (set it). */
  newVisitor: string | null;
  /** The request carried a preview cookie that no longer holds (clear it). */
  stalePreview: boolean;
  /** The request's time, read once: every step of it (schedules, pins, counts) agrees on it. */
  now: number;
}

export function selectVersion(
  request: Request,
  site: Site,
  state: EdgeState,
  signer: PreviewSigner,
  now: number,
): EdgeContext | Promise<EdgeContext> {
  const cookie = request.headers.get("cookie");
  const preview = cookieValue(cookie, PREVIEW_COOKIE);
  if (preview) return selectPreview(site, cookie, preview, state, signer, now);
  return selectLive(site, cookie, state, now, false);
}

function selectLive(
  site: Site,
  cookie: string | null,
  state: EdgeState,
  now: number,
  stalePreview: boolean,
): EdgeContext {
  const target = state.sites.target(site, now);
  let version = target.version ?? 0;
  let newVisitor: string | null = null;
  if (target.split) {
    let visitor = cookieValue(cookie, VISITOR_COOKIE);
    if (!visitor) visitor = newVisitor = crypto.randomUUID();
    version = pickArm(target.split, visitor, site.app!.id);
  }
  return {
    app: site.app!,
    site,
    version,
    mode: "live",
    link: null,
    cookie,
    newVisitor,
    stalePreview,
    now,
  };
}

async function selectPreview(
  site: Site,
  cookie: string | null,
  preview: string,
  state: EdgeState,
  signer: PreviewSigner,
  now: number,
): Promise<EdgeContext> {
  const link = await previewLink(site.app!, preview, state, signer, now);
  // A link whose version was deleted ends its preview as a revoked one does: the shopper gets
  // the live store and the cookie is cleared (opening the link again says why).
  if (!link || await state.versionFiles(site.app!, link.version, site) === null) {
    return selectLive(site, cookie, state, now, true);
  }
  return {
    app: site.app!,
    site,
    version: link.version,
    mode: "test",
    link,
    cookie,
    newVisitor: null,
    stalePreview: false,
    now,
  };
}

async function previewLink(
  app: App,
  cookie: string,
  state: EdgeState,
  signer: PreviewSigner,
  now: number,
): Promise<TestLink | null> {
  const claim = signer.verify(app.id, cookie);
  if (!claim) return null;
  const link = await state.links.get(`${app.id}/${claim.linkId}`, now);
  if (!link || link.version !== claim.version || linkState(link, now) !== "valid") return null;
  return link;
}
