/**
 * The web admin on the platform host (issue 14; docs/ADMIN.md): server-rendered pages in the
 * files of this folder, laid out like their URLs. Each request is signed in from its session
 * cookie (a page that needs one and has none sends the browser to `/signin?next=`), each form
 * post passes the same-origin check and the CSRF token before its page sees it, and each page's
 * view is rendered in the shell with a fresh CSP nonce.
 */
import { type Context, Hono } from "hono";
import type { Config } from "../../config.ts";
import type { BuildOutput } from "../../lib/build_output.ts";
import { readLimited } from "../../lib/body.ts";
import {
  ForbiddenError,
  NotFoundError,
  TooLargeError,
  UnauthenticatedError,
  UnsupportedMediaTypeError,
} from "../../lib/errors.ts";
import type { Logger } from "../../lib/log.ts";
import { localeOf } from "../../lib/relative_time.ts";
import { assertSameOrigin } from "../auth/session.ts";
import { signedInOf } from "./signed_in.ts";
import {
  type AdminEnv,
  type AuthedContext,
  canFor,
  type PageContext,
  type PageModule,
  type PageResult,
  type SignedIn,
} from "./context.ts";
import { assertCsrf, CSRF_FIELD } from "./csrf.ts";
import { adminErrorHandler, signInRedirect } from "./errors.tsx";
import { htmlResponse, newNonce, renderDocument, shellUser } from "./render.tsx";
import { PAGES, STREAMS } from "./pages.ts";

export function adminRoutes(
  kv: Deno.Kv,
  config: Config,
  build: BuildOutput | null,
  log: Logger,
): Hono<AdminEnv> {
  // Mounted at "/" beside the API: no `use("*")` here, or it would run for every platform path.
  const admin = new Hono<AdminEnv>();
  const setUp = (c: Context<AdminEnv>) => {
    c.set("kv", kv);
    c.set("config", config);
    c.set("nonce", newNonce());
  };
  for (const [path, page] of PAGES) {
    if (page.GET) {
      admin.get(path, async (c, next) => {
        // `GET /` answers a browser the dashboard; other clients keep the platform's JSON index.
        if (path === "/" && !wantsHtml(c)) return await next();
        setUp(c);
        return await answer(c, build, page, "GET");
      });
    }
    if (page.POST) {
      admin.post(path, (c) => {
        setUp(c);
        return answer(c, build, page, "POST");
      });
    }
  }
  for (const [path, stream] of STREAMS) {
    admin.get(path, async (c) => {
      setUp(c);
      const user = await signedInOf(c);
      if (!user) throw new UnauthenticatedError();
      return await stream(authed(baseContext(c, build), user));
    });
  }
  // A browser that follows a stale link under /apps/ gets the admin's page, not the API's JSON.
  admin.get("/apps/*", async (c) => {
    setUp(c);
    if (!await signedInOf(c)) throw new UnauthenticatedError();
    throw new NotFoundError(`There is no page at "${c.req.path}"`);
  });
  admin.onError(adminErrorHandler(log, build));
  return admin;
}

function wantsHtml(c: Context): boolean {
  return (c.req.header("accept") ?? "").includes("text/html");
}

async function answer(
  c: Context<AdminEnv>,
  build: BuildOutput | null,
  page: PageModule,
  method: "GET" | "POST",
): Promise<Response> {
  const user = await signedInOf(c);
  if (!user && !page.public) {
    if (method === "GET") return signInRedirect(c.req.path + new URL(c.req.url).search);
    throw new UnauthenticatedError("Your session has ended: sign in again");
  }
  const base = baseContext(c, build);
  let result: PageResult;
  if (method === "POST") {
    assertSameOrigin(c);
    if (user && !page.public) assertMayPost(page, user);
    const form = await readForm(c);
    if (user) await assertCsrf(c.get("config").secret!, user.open.hash, form.get(CSRF_FIELD));
    result = page.public
      ? await page.POST!({ ...base, user }, form)
      : await page.POST!(authed(base, user!), form);
  } else {
    result = page.public
      ? await page.GET!({ ...base, user })
      : await page.GET!(authed(base, user!));
  }
  if (result instanceof Response) return result;
  const html = renderDocument(result, {
    build,
    nonce: base.nonce,
    user: user ? shellUser(user) : null,
  });
  return htmlResponse(html, result.status ?? 200, base.nonce);
}

function assertMayPost(page: PageModule, user: SignedIn): void {
  const needs = page.postNeeds;
  if (needs && !canFor(user)(needs.permission)) {
    throw new ForbiddenError(needs.refusal(user.principal.role), "insufficient_role");
  }
}

/**
 * Admin forms carry text (names, roles, settings, each KV value under 64 KiB); files go through
 * the API's upload, never an admin form. So a form body is capped while it streams in, before
 * anything parses it: the session and same-origin checks ran before, the CSRF token (inside the
 * body) is checked right after, so an unchecked post costs at most this much memory.
 */
export const ADMIN_FORM_LIMIT = 256 * 1024;

async function readForm(c: Context<AdminEnv>): Promise<FormData> {
  const tooLarge = () =>
    new TooLargeError(
      `This form is larger than ${ADMIN_FORM_LIMIT / 1024} KiB: admin forms take text, ` +
        "files are uploaded on the app's upload page",
      "form_too_large",
    );
  const claimed = Number(c.req.header("content-length") ?? 0);
  if (claimed > ADMIN_FORM_LIMIT) {
    await c.req.raw.body?.cancel().catch(() => {});
    throw tooLarge();
  }
  const bytes = await readLimited(c.req.raw.body, ADMIN_FORM_LIMIT, tooLarge);
  const type = c.req.header("content-type") ?? "";
  try {
    return await new Response(bytes as Uint8Array<ArrayBuffer>, {
      headers: { "content-type": type },
    }).formData();
  } catch {
    throw new UnsupportedMediaTypeError(
      "Admin forms are sent as application/x-www-form-urlencoded or multipart/form-data",
    );
  }
}

function baseContext(c: Context<AdminEnv>, build: BuildOutput | null): PageContext {
  const config = c.get("config");
  return {
    c,
    kv: c.get("kv"),
    config,
    build,
    url: new URL(c.req.url),
    params: c.req.param() as Record<string, string>,
    nonce: c.get("nonce"),
    locale: localeOf(c.req.header("accept-language")),
    now: config.now(),
  };
}

function authed(base: PageContext, user: SignedIn): AuthedContext {
  return { ...base, user, can: canFor(user) };
}
