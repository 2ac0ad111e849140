/**
 * The one object a request to an app host travels with once its version is selected, as Fresh's
 * `ctx` or Hono's `c`: what was read of the request, what the selection decided, the selected
 * version's file table once loaded, and the edge's shared parts. The selection makes one per
 * request (a warm file request's only object besides its response; a pin cookie adds its
 * parsed claim); every later step takes it
 * instead of a list of parameters.
 */
import type { Config } from "../config.ts";
import type { App } from "../kv/apps.ts";
import type { TestLink } from "../kv/link_record.ts";
import type { Answer } from "./answer.ts";
import type { Bucket, Counters } from "./counters.ts";
import type { Encodings } from "./encoding.ts";
import type { PreviewSigner } from "./preview.ts";
import type { BeaconLimits } from "./beacon_limits.ts";
import type { ShopperApiLoader } from "./shopper_api.ts";
import type { Site } from "./sites.ts";
import type { EdgeState } from "./state.ts";
import type { EdgeFile, VersionFiles } from "./version_files.ts";

/** What every request shares: made once by `createEdge`. */
export interface EdgeDeps {
  kv: Deno.Kv;
  config: Config;
  state: EdgeState;
  counters: Counters;
  signer: PreviewSigner;
  encodings: Encodings;
  beacons: BeaconLimits;
  /** Loads the shopper API on first use (server.ts); without it `/api/v1/*` is 404. */
  shopperApi?: ShopperApiLoader;
}

/**
 * Live traffic or a preview through a test link: chosen once, by the version selection, and
 * asked by every step that differs between the two (`modes.ts` has both).
 */
export interface Mode {
  /** As the counters, the logs and the injected settings name it. */
  readonly name: "live" | "test";
  /** Answers `file` of the version whose table is `files`. */
  send(ctx: EdgeContext, file: EdgeFile, files: VersionFiles): Answer;
  /** Where this mode counts the page views of the version of `files`. */
  bucket(files: VersionFiles, counters: Counters): Bucket;
  /**
   * Skew protection applies: pages hand out version pins, pinned asset requests are served from
   * their version, and a missing hashed asset is looked for in earlier live versions.
   */
  readonly skew: boolean;
  /** Headers every injected file (settings, analytics) carries in this mode. */
  readonly headers: [string, string][];
}

export interface EdgeContext {
  request: Request;
  /** `Deno.serve`'s handler info: the TCP peer; undefined for a request made in-process. */
  info: Deno.ServeHandlerInfo | undefined;
  /** Whether the request came over HTTPS; null until a cookie asks (`cookies.ts` `isHttps`). */
  https: boolean | null;
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
  mode: Mode;
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
