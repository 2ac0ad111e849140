/**
 * The edge: every request to an app host. Host → app → selected version → file, all from
 * memory after the first request. A warm request for a file of the selected version reads no
 * KV and awaits nothing: every step answers synchronously when its data is in memory and returns
 * a promise only when it is not (`answer.ts`). The injected `/settings/*` and `/analytics/*`
 * paths, and an asset served from a shopper's pinned version, still go through a promise. Once
 * the version is selected the request travels as one `EdgeContext`.
 * Imports nothing from `routes/` (STYLE "Shape").
 */
import type { Config } from "../config.ts";
import { type EdgeOptions, EdgeState } from "./state.ts";
import { Counters } from "./counters.ts";
import { BeaconLimits } from "./beacon_limits.ts";
import { Encodings } from "./encoding.ts";
import { type Answer, then } from "./answer.ts";
import type { EdgeContext, EdgeDeps, Serving } from "./context.ts";
import { selectVersion } from "./select.ts";
import { serveRequest } from "./serve.ts";
import { isInjected, reservedPath } from "./reserved.ts";
import { nothingLivePage, unknownHostPage } from "./pages.ts";
import { clearPreviewCookie, PreviewSigner } from "./preview.ts";
import { visitorCookie } from "./visitor.ts";
import { rawPath } from "./paths.ts";
import { annotate } from "../lib/log.ts";
import { isHttps } from "./cookies.ts";
import type { Site } from "./sites.ts";
import type { VersionFiles } from "./version_files.ts";

export interface Edge {
  /**
   * A warm request is answered synchronously; anything that waits on KV returns a promise.
   * `info` is `Deno.serve`'s: its TCP peer decides whether a proxy's headers are believed.
   */
  handle(request: Request, host: string, info?: Deno.ServeHandlerInfo): Answer;
  state: EdgeState;
  counters: Counters;
  /** Starts the periodic timers an edge made with `deferTimers` holds back. */
  startTimers(): void;
  /** Stops watches and timers and writes the counters still in memory. */
  close(): Promise<void>;
}

/**
 * The edge of one Switchyard instance over `kv`: its caches, counters and signers are made here
 * and belong to it alone (`EdgeDeps`), so two edges in one process share nothing but the code.
 */
export function createEdge(kv: Deno.Kv, config: Config, options: EdgeOptions = {}): Edge {
  if (!config.secret) {
    throw new Error('"SWITCHYARD_SECRET" must be resolved before the edge starts');
  }
  const state = new EdgeState(kv, config, options);
  const counters = new Counters(kv, { log: options.log, deferTimers: options.deferTimers });
  const signer = new PreviewSigner(config.secret);
  const encodings = new Encodings();
  const beacons = new BeaconLimits();
  const deps: EdgeDeps = {
    kv,
    config,
    state,
    counters,
    signer,
    encodings,
    beacons,
    shopperApi: options.shopperApi,
  };
  const suffix = `.${config.appsDomain}`;

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

  function route(request: Request, host: string, info?: Deno.ServeHandlerInfo): Answer {
    const slug = slugOf(host);
    // A label that is no app slug gets the unknown-host page from the site cache, unread.
    if (!slug) return unknownHostPage();
    const site = state.sites.get(slug);
    // Only a cold host waits, and only it pays for the closure.
    if (site instanceof Promise) return site.then((site) => withSite(site, request, info));
    return withSite(site, request, info);
  }

  function withSite(site: Site, request: Request, info?: Deno.ServeHandlerInfo): Answer {
    if (site.app === null) return unknownHostPage();
    const raw = rawPath(request.url);
    if (raw.startsWith("/_switchyard/")) {
      return reservedPath.beforeSelection(request, info, raw, site, deps);
    }
    return selectVersion(request, info, raw, site, deps, respond);
  }

  function respond(ctx: EdgeContext): Answer {
    if (options.annotate) {
      annotate(ctx.request, { version: ctx.version || null, mode: ctx.mode.name });
    }
    const answer = answerFor(ctx);
    if (ctx.newVisitor === null && !ctx.stalePreview) return answer;
    return then(answer, setSelectionCookies, ctx);
  }

  return {
    handle: route,
    state,
    counters,
    startTimers() {
      state.startTimers();
      counters.startTimers();
    },
    async close() {
      await state.close();
      await counters.close();
    },
  };
}

function answerFor(ctx: EdgeContext): Answer {
  if (isInjected(ctx.raw)) return reservedPath.afterSelection(ctx);
  if (!ctx.version) return nothingLivePage();
  return then(ctx.deps.state.versionFiles(ctx.app, ctx.version, ctx.site), serveFiles, ctx);
}

function serveFiles(files: VersionFiles | null, ctx: EdgeContext): Answer {
  if (files === null) return nothingLivePage();
  ctx.files = files;
  return serveRequest(ctx as Serving);
}

/** The cookies the selection asks for: a split's new shopper id, a stale preview's removal. */
function setSelectionCookies(response: Response, ctx: EdgeContext): Response {
  const https = isHttps(ctx);
  if (ctx.newVisitor) response.headers.append("set-cookie", visitorCookie(ctx.newVisitor, https));
  if (ctx.stalePreview) response.headers.append("set-cookie", clearPreviewCookie(https));
  return response;
}
