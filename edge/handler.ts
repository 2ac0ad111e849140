/**
 * The edge: every request to an app host. Host → app → selected version → file, all from
 * memory after the first request. A warm request reads no KV and awaits nothing: every step
 * answers synchronously when its data is in memory and returns a promise only when it is not.
 * Imports nothing from `routes/` (STYLE "Shape").
 */
import type { Config } from "../config.ts";
import { type EdgeOptions, EdgeState } from "./state.ts";
import { Counters } from "./counters.ts";
import { type EdgeContext, selectVersion } from "./context.ts";
import { type ServeDeps, serveRequest } from "./serve.ts";
import { type EdgeDeps, isInjected, reservedPath } from "./reserved.ts";
import { nothingLivePage, unknownHostPage } from "./pages.ts";
import { clearPreviewCookie, PreviewSigner } from "./preview.ts";
import { visitorCookie } from "./visitor.ts";
import { rawPath } from "./paths.ts";
import { annotate } from "../lib/log.ts";
import { secureSuffix } from "./cookies.ts";
import type { Site } from "./sites.ts";
import type { VersionFiles } from "./version_files.ts";

export type { EdgeContext, EdgeOptions };

export interface Edge {
  /** A warm request is answered synchronously; anything that waits on KV returns a promise. */
  handle(request: Request, host: string): Response | Promise<Response>;
  state: EdgeState;
  counters: Counters;
  /** Stops watches and timers and writes the counters still in memory. */
  close(): Promise<void>;
}

type Answer = Response | Promise<Response>;

export function createEdge(kv: Deno.Kv, config: Config, options: EdgeOptions = {}): Edge {
  if (!config.secret) {
    throw new Error('"SWITCHYARD_SECRET" must be resolved before the edge starts');
  }
  const state = new EdgeState(kv, config, options);
  const counters = new Counters(kv);
  const signer = new PreviewSigner(config.secret);
  const suffix = `.${config.appsDomain}`;
  const deps: EdgeDeps = { kv, config, state, counters, signer };
  const serveDeps: ServeDeps = { state, counters };

  // Host → app slug. The host strings come from the server's memo, so a hit costs a pointer
  // compare and the slug is one string per host, its hash computed once (bounded like that memo).
  const slugs = new Map<string, string>();
  function slugOf(host: string): string {
    let slug = slugs.get(host);
    if (slug === undefined) {
      slug = host.endsWith(suffix) ? host.slice(0, -suffix.length) : "";
      if (slugs.size >= 4096) slugs.clear();
      slugs.set(host, slug);
    }
    return slug;
  }

  function route(request: Request, host: string): Answer {
    const slug = slugOf(host);
    // A label that is no app slug gets the unknown-host page from the site cache, unread.
    if (!slug) return unknownHostPage();
    const now = config.now();
    const site = state.sites.get(slug, now);
    if (site instanceof Promise) return site.then((site) => withSite(request, site, now));
    return withSite(request, site, now);
  }

  function withSite(request: Request, site: Site, now: number): Answer {
    if (site.app === null) return unknownHostPage();
    const raw = rawPath(request.url);
    if (raw.startsWith("/_switchyard/")) {
      return reservedPath.beforeSelection(request, raw, site, deps);
    }
    const ctx = selectVersion(request, site, state, signer, now);
    if (ctx instanceof Promise) return ctx.then((ctx) => withCookies(request, ctx, raw));
    return withCookies(request, ctx, raw);
  }

  function withCookies(request: Request, ctx: EdgeContext, raw: string): Answer {
    if (options.annotate) annotate(request, { version: ctx.version || null, mode: ctx.mode });
    const answer = respond(request, ctx, raw);
    if (ctx.newVisitor === null && !ctx.stalePreview) return answer;
    const add = (response: Response) => {
      const secure = secureSuffix(request.url);
      if (ctx.newVisitor) {
        response.headers.append("set-cookie", visitorCookie(ctx.newVisitor, secure));
      }
      if (ctx.stalePreview) response.headers.append("set-cookie", clearPreviewCookie(secure));
      return response;
    };
    return answer instanceof Promise ? answer.then(add) : add(answer);
  }

  function respond(request: Request, ctx: EdgeContext, raw: string): Answer {
    if (isInjected(raw)) return reservedPath.afterSelection(request, raw, ctx, deps);
    if (!ctx.version) return nothingLivePage(ctx.app.slug);
    const files = state.versionFiles(ctx.app, ctx.version, ctx.site);
    if (files instanceof Promise) {
      return files.then((files) => serve(request, raw, files, ctx));
    }
    return serve(request, raw, files, ctx);
  }

  function serve(
    request: Request,
    raw: string,
    files: VersionFiles | null,
    ctx: EdgeContext,
  ): Answer {
    if (files === null) return nothingLivePage(ctx.app.slug);
    return serveRequest(request, raw, files, ctx, serveDeps);
  }

  return {
    handle: route,
    state,
    counters,
    async close() {
      await state.close();
      await counters.flush();
    },
  };
}
