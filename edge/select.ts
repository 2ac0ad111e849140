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
import { PREVIEW_COOKIE, readCookie, VISITOR_COOKIE } from "./cookies.ts";
import type { Site } from "./sites.ts";

/**
 * Makes the context of a request to `site` (which has an app) at the path `raw`, and answers
 * with `serve(ctx)`: at once for live traffic, once its link is checked for a preview.
 */
export function selectVersion(
  request: Request,
  info: Deno.ServeHandlerInfo | undefined,
  raw: string,
  site: Site,
  deps: EdgeDeps,
  serve: (ctx: EdgeContext) => Answer,
): Answer {
  // The one object of the request, made whole here (one shape) and filled in by the selection.
  const ctx: EdgeContext = {
    request,
    info,
    https: null,
    raw,
    now: deps.config.now(),
    cookie: request.headers.get("cookie"),
    site,
    app: site.app!,
    version: 0,
    mode: LIVE,
    link: null,
    newVisitor: null,
    stalePreview: false,
    files: null,
    deps,
  };
  const preview = readCookie(ctx, PREVIEW_COOKIE);
  if (preview) return selectPreview(ctx, preview).then(serve);
  return serve(selectLive(ctx));
}

/** Live traffic: the split arm the shopper is assigned to, else the live target. */
function selectLive(ctx: EdgeContext): EdgeContext {
  const target = ctx.deps.state.sites.target(ctx.site, ctx.now);
  ctx.version = target.version ?? 0;
  if (target.split) {
    let visitor = readCookie(ctx, VISITOR_COOKIE);
    if (!visitor) visitor = ctx.newVisitor = crypto.randomUUID();
    ctx.version = pickArm(target.split, visitor, ctx.app.id);
  }
  return ctx;
}

async function selectPreview(ctx: EdgeContext, preview: string): Promise<EdgeContext> {
  const { app, site, deps } = ctx;
  const link = await previewLink(app, preview, deps, ctx.now);
  // A link whose version was deleted ends its preview as a revoked one does: the shopper gets
  // the live store and the cookie is cleared (opening the link again says why).
  if (!link || await deps.state.versionFiles(app, link.version, site) === null) {
    ctx.stalePreview = true;
    return selectLive(ctx);
  }
  ctx.version = link.version;
  ctx.mode = PREVIEW;
  ctx.link = link;
  return ctx;
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
