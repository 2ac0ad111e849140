/**
 * The one object a request to an app host travels with once its version is selected, as Fresh's
 * `ctx` or Hono's `c`: what was read of the request, what the selection decided, the selected
 * version's file table once loaded, and the edge's shared parts. One is made per request (the
 * only allocation of a warm request besides its response); every step takes it instead of a
 * list of parameters.
 */
import type { Config } from "../config.ts";
import type { App } from "../kv/apps.ts";
import type { TestLink } from "../kv/link_record.ts";
import type { Counters } from "./counters.ts";
import type { PreviewSigner } from "./preview.ts";
import type { Site } from "./sites.ts";
import type { EdgeState } from "./state.ts";
import type { VersionFiles } from "./version_files.ts";

/** What every request shares: made once by `createEdge`. */
export interface EdgeDeps {
  kv: Deno.Kv;
  config: Config;
  state: EdgeState;
  counters: Counters;
  signer: PreviewSigner;
}

export interface EdgeContext {
  request: Request;
  /** The request path exactly as sent: undecoded, without the query (`paths.ts`). */
  raw: string;
  /** The request's time, read once: every step (schedules, pins, counts, links) agrees on it. */
  now: number;
  /** The request's `Cookie` header. */
  cookie: string | null;
  site: Site;
  app: App;
  /** The selected version; 0 when nothing is live. */
  version: number;
  mode: "live" | "test";
  /** The test link behind a preview. */
  link: TestLink | null;
  /** The shopper id a split assigned from, when the shopper had none yet (set it). */
  newVisitor: string | null;
  /** The request carried a preview cookie that no longer holds (clear it). */
  stalePreview: boolean;
  /** The selected version's file table, set once it is loaded (before any file is served). */
  files: VersionFiles | null;
  deps: EdgeDeps;
}

/** A request whose selected version's table is loaded: what serving a file reads. */
export type Serving = EdgeContext & { files: VersionFiles };
