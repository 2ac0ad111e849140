/** What every `/auth/*` handler's context holds (its own file, so sub-routers need not import mod.ts). */
import type { Config } from "../../config.ts";
import type { PlatformBindings } from "./cookie.ts";

export type AuthEnv = {
  Bindings: PlatformBindings;
  Variables: { config: Config; kv: Deno.Kv; requestId: string };
};
