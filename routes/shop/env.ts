/** What every shopper API handler reads from its context, and how it reads a body. */
import type { Context } from "hono";
import type { z } from "zod";
import type { Config } from "../../config.ts";
import type { ShopperContext } from "../../edge/shopper_api.ts";
import type { ShopperToken } from "../../kv/shopper_tokens.ts";
import type { Logger } from "../../lib/log.ts";
import { invalidInput } from "./errors.ts";
import { type View, viewOf } from "./view.ts";

export interface ShopEnv {
  /** What the edge knows of the request; null on the platform host. */
  Bindings: { shopper: ShopperContext | null };
  Variables: { kv: Deno.Kv; config: Config; log: Logger; token: ShopperToken };
}

export type ShopContext = Context<ShopEnv>;

/** The request's body parsed by `schema`; an empty body is `{}` (Comecero POSTs some bare). */
export async function bodyOf<T extends z.ZodType>(
  c: ShopContext,
  schema: T,
  where: string,
): Promise<z.infer<T>> {
  const text = await c.req.text();
  const raw = text.trim() === "" ? {} : JSON.parse(text);
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw invalidInput(parsed.error, where);
  return parsed.data;
}

export function viewFor(c: ShopContext): View {
  return viewOf((name) => c.req.query(name));
}
