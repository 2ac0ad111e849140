/** What every shopper API handler reads from its context, and how it reads a body. */
import type { Context } from "hono";
import type { z } from "zod";
import type { Config } from "../../config.ts";
import type { PaymentGateway } from "../../commerce/gateway.ts";
import type { ClientOrigin, ShopperContext } from "../../edge/shopper_api.ts";
import type { ShopperToken } from "../../kv/shopper_tokens.ts";
import type { Logger } from "../../lib/log.ts";
import { invalidInput } from "./errors.ts";
import { readLimited } from "../../lib/body.ts";
import { TooLargeError } from "../../lib/errors.ts";
import type { ShopLimits } from "./limits.ts";
import { type View, viewOf } from "./view.ts";

export interface ShopEnv {
  /** What the edge knows of the request; null on the platform host. */
  Bindings: {
    shopper: ShopperContext | null;
    /** Where the request comes from, on either host (the edge's, or the platform's). */
    origin: ClientOrigin;
  };
  Variables: {
    kv: Deno.Kv;
    config: Config;
    log: Logger;
    limits: ShopLimits;
    /** The gateway payments go through (createShopApi's). */
    gateway: PaymentGateway;
    token: ShopperToken;
    /** The body, once read (`bodyText`). */
    body: string;
  };
}

export type ShopContext = Context<ShopEnv>;

/** Shopper bodies are a cart, an item or a card: small. */
export const BODY_LIMIT = 64 * 1024;

/**
 * The request's body as text, refused past `BODY_LIMIT` while it streams in (read once, kept).
 * Not Hono's bodyLimit: it re-wraps the request, which makes Deno warn about `request.signal`.
 */
export async function bodyText(c: ShopContext): Promise<string> {
  let text = c.get("body");
  if (text === undefined) {
    const tooLarge = () => new TooLargeError(`The body is larger than ${BODY_LIMIT} bytes`);
    if (Number(c.req.header("content-length") ?? 0) > BODY_LIMIT) throw tooLarge();
    const bytes = await readLimited(c.req.raw.body, BODY_LIMIT, tooLarge);
    text = new TextDecoder().decode(bytes);
    c.set("body", text);
  }
  return text;
}

/** The request's body parsed by `schema`; an empty body is `{}` (Comecero POSTs some bare). */
export async function bodyOf<T extends z.ZodType>(
  c: ShopContext,
  schema: T,
  where: string,
): Promise<z.infer<T>> {
  const text = await bodyText(c);
  const raw = text.trim() === "" ? {} : JSON.parse(text);
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw invalidInput(parsed.error, where);
  return parsed.data;
}

export function viewFor(c: ShopContext): View {
  return viewOf((name) => c.req.query(name));
}
