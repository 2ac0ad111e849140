/** Which version a shopper's page came from, for what the page sends (events, API calls). */
import type { EdgeContext } from "./context.ts";
import { pinnedVersion } from "./skew.ts";

/**
 * The version whose page sends an event or an API call: the one the shopper is pinned to (their
 * page came from it), else the selected one — so a beacon or a cart made after a switch counts for
 * the right page. The pin is verified before its version is looked at; a deleted version counts
 * nothing.
 */
export async function pageVersion(ctx: EdgeContext): Promise<number> {
  const pinned = ctx.mode.skew ? pinnedVersion(ctx) : null;
  if (pinned === null || pinned.version === ctx.version) return ctx.version;
  const { state } = ctx.deps;
  if (!await state.pins.holds(ctx.app.id, pinned, ctx.now)) return ctx.version;
  const files = await state.versionFiles(ctx.app, pinned.version, ctx.site);
  return files ? pinned.version : ctx.version;
}
