/**
 * Version selection for one request (DESIGN "Edge"): a valid preview cookie, else the split arm
 * the shopper is assigned to, else the live target (timeline applied). It makes the request's
 * context, with the mode (live or preview) every later step asks. Without a preview cookie the
 * selection is synchronous: a warm request awaits nothing here.
 */
import type { App } from "../kv/apps.ts";
import { linkState } from "../kv/links.ts";
import type { TestLink } from "../kv/link_record.ts";
import type { Answer } from "./answer.ts";
import type { EdgeContext, EdgeDeps } from "./context.ts";
import { LIVE, PREVIEW } from "./modes.ts";
import { pickArm } from "./visitor.ts";
import { cookieValue, PREVIEW_COOKIE, VISITOR_COOKIE } from "./cookies.ts";
import type { Site } from "./sites.ts";

/**
 * Makes the context of a request to `site` (which has an app) at the path `raw`, and answers
 * with `serve(ctx)`: at once for live traffic, once its link is checked for a preview.
 */
export function selectVersion(
  request: Request,
  raw: string,
  site: Site,
  deps: EdgeDeps,
  serve: (ctx: EdgeContext) => Answer,
): Answer {
  const now = deps.config.now();
  const cookie = request.headers.get("cookie");
  const preview = cookieValue(cookie, PREVIEW_COOKIE);
  if (preview) return selectPreview(request, raw, site, deps, now, cookie, preview).then(serve);
  return serve(selectLive(request, raw, site, deps, now, cookie, false));
}

function selectLive(
  request: Request,
  raw: string,
  site: Site,
  deps: EdgeDeps,
  now: number,
  cookie: string | null,
  stalePreview: boolean,
): EdgeContext {
  const app = site.app!;
  const target = deps.state.sites.target(site, now);
  let version = target.version ?? 0;
  let newVisitor: string | null = null;
  if (target.split) {
    let visitor = cookieValue(cookie, VISITOR_COOKIE);
    if (!visitor) visitor = newVisitor = crypto.randomUUID();
    version = pickArm(target.split, visitor, app.id);
  }
  return {
    request,
    raw,
    now,
    cookie,
    site,
    app,
    version,
    mode: LIVE,
    link: null,
    newVisitor,
    stalePreview,
    files: null,
    deps,
  };
}

async function selectPreview(
  request: Request,
  raw: string,
  site: Site,
  deps: EdgeDeps,
  now: number,
  cookie: string | null,
  preview: string,
): Promise<EdgeContext> {
  const app = site.app!;
  const link = await previewLink(app, preview, deps, now);
  // A link whose version was deleted ends its preview as a revoked one does: the shopper gets
  // the live store and the cookie is cleared (opening the link again says why).
  if (!link || await deps.state.versionFiles(app, link.version, site) === null) {
    return selectLive(request, raw, site, deps, now, cookie, true);
  }
  return {
    request,
    raw,
    now,
    cookie,
    site,
    app,
    version: link.version,
    mode: PREVIEW,
    link,
    newVisitor: null,
    stalePreview: false,
    files: null,
    deps,
  };
}

/** The test link a preview cookie names, when the cookie is genuine and the link still valid. */
async function previewLink(
  app: App,
  cookie: string,
  deps: EdgeDeps,
  now: number,
): Promise<TestLink | null> {
  const claim = await deps.signer.verify(app.id, cookie);
  if (!claim) return null;
  const link = await deps.state.links.get(`${app.id}/${claim.linkId}`, now);
  if (!link || link.version !== claim.version || linkState(link, now) !== "valid") return null;
  return link;
}
