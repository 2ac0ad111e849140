/**
 * The edge: every request to an app host. Host → app → selected version → file, all from
 * in-memory state after the first request. Imports nothing from `routes/` (STYLE "Shape").
 */
import type { Config } from "../config.ts";
import { EdgeState } from "./state.ts";
import { Counters } from "./counters.ts";
import { type EdgeContext, selectVersion } from "./context.ts";
import { serveFile } from "./serve.ts";
import { reservedPath } from "./reserved.ts";
import { nothingLivePage, unknownHostPage } from "./pages.ts";
import { clearPreviewCookie, PreviewSigner } from "./preview.ts";
import { visitorCookie } from "./visitor.ts";

export type { EdgeContext };

export interface Edge {
  handle(request: Request, host: string): Promise<Response>;
  state: EdgeState;
  counters: Counters;
  /** Stops timers and writes the counters still in memory. */
  close(): Promise<void>;
}

export function createEdge(kv: Deno.Kv, config: Config): Edge {
  if (!config.secret) {
    throw new Error('"SWITCHYARD_SECRET" must be resolved before the edge starts');
  }
  const state = new EdgeState(kv, config);
  const counters = new Counters(kv);
  const signer = new PreviewSigner(config.secret);
  const suffix = `.${config.appsDomain}`;
  const deps = { kv, config, state, counters, signer };

  async function handle(request: Request, host: string): Promise<Response> {
    const slug = host.endsWith(suffix) ? host.slice(0, -suffix.length) : "";
    if (!slug || slug.includes(".")) return unknownHostPage();
    const app = await state.apps.get(slug);
    if (!app) return unknownHostPage();

    const url = new URL(request.url);
    const now = config.now();
    const early = await reservedPath.beforeSelection(request, url, app, deps);
    if (early) return early;

    const ctx = await selectVersion(request, app, state, signer, now);
    const response = await respond(request, url, ctx);
    if (ctx.newVisitor) response.headers.append("set-cookie", visitorCookie(ctx.newVisitor, url));
    if (ctx.stalePreview) response.headers.append("set-cookie", clearPreviewCookie(url));
    return response;
  }

  async function respond(request: Request, url: URL, ctx: EdgeContext): Promise<Response> {
    const injected = await reservedPath.afterSelection(request, url, ctx, deps);
    if (injected) return injected;
    if (!ctx.version) return nothingLivePage(ctx.app.slug);
    const files = await state.versionFiles(ctx.app, ctx.version);
    if (!files) return nothingLivePage(ctx.app.slug);
    return await serveFile(request, url, files, ctx, state);
  }

  return {
    handle,
    state,
    counters,
    async close() {
      state.close();
      await counters.flush();
    },
  };
}
