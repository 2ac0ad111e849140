/**
 * Version selection for one request (DESIGN "Edge"): a valid preview cookie, else the split arm
 * the shopper is assigned to, else the live target (timeline applied). The result is the
 * request context every later feature reads: app, version, mode.
 */
import type { App } from "../kv/apps.ts";
import { linkState, type TestLink } from "../kv/links.ts";
import { activeTarget } from "../kv/live_record.ts";
import type { EdgeState } from "./state.ts";
import { PREVIEW_COOKIE, type PreviewSigner } from "./preview.ts";
import { parseCookies, pickArm } from "./visitor.ts";

export interface EdgeContext {
  app: App;
  /** 0 when nothing is live. */
  version: number;
  mode: "live" | "test";
  /** The test link behind a preview. */
  link: TestLink | null;
  cookies: Map<string, string>;
  /** The shopper id a split assigned from, when the shopper had none yet (set it). */
  newVisitor: string | null;
  /** The request carried a preview cookie that no longer holds (clear it). */
  stalePreview: boolean;
}

export async function selectVersion(
  request: Request,
  app: App,
  state: EdgeState,
  signer: PreviewSigner,
  now: number,
): Promise<EdgeContext> {
  const header = request.headers.get("cookie");
  const cookies = header ? parseCookies(header) : EMPTY;
  const ctx: EdgeContext = {
    app,
    version: 0,
    mode: "live",
    link: null,
    cookies,
    newVisitor: null,
    stalePreview: false,
  };
  const preview = cookies.get(PREVIEW_COOKIE);
  if (preview) {
    const link = await previewLink(app, preview, state, signer, now);
    if (link) return { ...ctx, version: link.version, mode: "test", link };
    ctx.stalePreview = true;
  }
  const target = activeTarget(await state.live.get(app.id), now);
  if (target.split) {
    const visitor = cookies.get("sy_visitor") ?? crypto.randomUUID();
    if (!cookies.has("sy_visitor")) ctx.newVisitor = visitor;
    ctx.version = pickArm(target.split, visitor, app.id);
  } else {
    ctx.version = target.version ?? 0;
  }
  return ctx;
}

const EMPTY = new Map<string, string>();

async function previewLink(
  app: App,
  cookie: string,
  state: EdgeState,
  signer: PreviewSigner,
  now: number,
): Promise<TestLink | null> {
  const claim = await signer.verify(app.id, cookie);
  if (!claim) return null;
  const link = await state.links.get(`${app.id}/${claim.linkId}`);
  if (!link || link.version !== claim.version || linkState(link, now) !== "valid") return null;
  return link;
}
