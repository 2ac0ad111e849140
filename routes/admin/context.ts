/**
 * What an admin page is given and what it answers (docs/ADMIN.md). A page module under
 * `routes/admin/` (laid out like its URL) exports `default definePage({ GET, POST? })`; the
 * router (`routes/admin/mod.ts`) signs the request in, checks a form's CSRF token, and renders
 * what the page returns inside the admin's shell.
 */
import type { Context } from "hono";
import type { VNode } from "preact";
import type { Config } from "../../config.ts";
import type { Account, Principal } from "../../kv/accounts.ts";
import type { Member } from "../../kv/people.ts";
import type { OpenSession } from "../../kv/sessions.ts";
import { allows, type Permission } from "../../kv/permissions.ts";
import type { BuildOutput } from "../../lib/build_output.ts";
import type { PlatformBindings } from "../auth/cookie.ts";

export type AdminEnv = {
  Bindings: PlatformBindings;
  Variables: { config: Config; kv: Deno.Kv; requestId: string; nonce: string };
};

/** The signed-in person, in the account they work in now. */
export interface SignedIn {
  principal: Principal;
  open: OpenSession;
  /** The account the session works in, and every account the person belongs to (switcher). */
  account: Account;
  memberships: { account: Account; role: Member["role"] }[];
  /** The synchronizer token every form of the page must send as `_csrf`. */
  csrf: string;
}

/** What every page function gets (Fresh's `ctx`, on Hono's `c`). */
export interface PageContext {
  c: Context<AdminEnv>;
  kv: Deno.Kv;
  config: Config;
  build: BuildOutput | null;
  url: URL;
  /** Path parameters (`:slug` of `/apps/:slug`). */
  params: Record<string, string>;
  /** The CSP nonce of this response (the shell puts it on its scripts; pages rarely need it). */
  nonce: string;
  /** The browser's locale (Accept-Language), for dates and relative times. */
  locale: string;
  /** Now, from the configured clock. */
  now: number;
}

/** A page's context when the page needs a signed-in person (every page but public ones). */
export interface AuthedContext extends PageContext {
  user: SignedIn;
  /** Whether the person's role allows `permission`: show only buttons they may press. */
  can(permission: Permission): boolean;
}

/** What a page renders: the shell's title, the body, and the status (default 200). */
export interface PageView {
  title: string;
  body: VNode;
  status?: 200 | 400 | 404 | 409 | 422;
  /** Shown as the page's heading area; default `title`. */
  heading?: string;
}

/** A page answers a view to render, or a Response of its own (a redirect, a stream). */
export type PageResult = PageView | Response;

export interface PageDefinition<Ctx extends PageContext> {
  GET?: (ctx: Ctx) => Promise<PageResult> | PageResult;
  /**
   * A form post. Runs only after the same-origin check and the CSRF token have passed; the form
   * is already read. Answer a redirect (303) on success, or a view showing what was wrong.
   */
  POST?: (ctx: Ctx, form: FormData) => Promise<PageResult> | PageResult;
  /**
   * The least permission every post of this page needs, and the refusal (given the role) shown
   * when it is missing. The router checks it before it reads the body, so a member who may not
   * post here gets a 403 without the server reading what they sent.
   */
  postNeeds?: { permission: Permission; refusal: (role: string) => string };
}

export type PageModule =
  | ({ public: true } & PageDefinition<PageContext & { user: SignedIn | null }>)
  | ({ public?: false } & PageDefinition<AuthedContext>);

/** A page for signed-in people (a request without a session is sent to `/signin?next=`). */
export function definePage(page: PageDefinition<AuthedContext>): PageModule {
  return { ...page, public: false };
}

/** A page anyone may open (sign-in); `ctx.user` is whoever is signed in, or null. */
export function definePublicPage(
  page: PageDefinition<PageContext & { user: SignedIn | null }>,
): PageModule {
  return { ...page, public: true };
}

/** `can` for a signed-in person. */
export function canFor(user: SignedIn): (permission: Permission) => boolean {
  return (permission) => allows(user.principal, permission);
}

/** A long-lived answer for a signed-in person (server-sent events), registered in `STREAMS`. */
export type StreamHandler = (ctx: AuthedContext) => Promise<Response> | Response;
