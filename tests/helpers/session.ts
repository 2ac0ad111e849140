/**
 * A signed-in browser for HTTP tests: follows a one-time sign-in link the way a browser does and
 * keeps the session cookie it is given.
 */
import { createSignInLink } from "../../kv/signin_links.ts";
import { addMember, createPerson, type Person } from "../../kv/people.ts";
import type { Role } from "../../kv/permissions.ts";
import type { TestServer } from "./server.ts";

export interface Browser {
  /** The `Cookie` header this browser sends. */
  cookie: string;
  /** Calls `/api/v1` as a page of the admin would (same origin, with the cookie). */
  api(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<Response>;
}

/** The `name=value` of a response's `Set-Cookie`, or null when it sets none. */
export function cookieOf(response: Response): string | null {
  const header = response.headers.get("set-cookie");
  return header === null ? null : header.split(";")[0];
}

/**
 * A one-time sign-in link's secret for the default account's owner: `start` (the start-up link,
 * one click) or `email` (confirmed on a page), made at `now`.
 */
export function ownerLink(
  server: TestServer,
  purpose: "start" | "email" = "start",
  now = Date.now(),
): Promise<string> {
  return createSignInLink(server.kv, {
    personId: server.ownerId,
    accountId: server.accountId,
    purpose,
  }, now);
}

/** Opens the sign-in link `secret` (may carry `?next=`) as a script: GET, unfollowed, unread. */
export async function openSignInLink(
  server: TestServer,
  secret: string,
  headers: HeadersInit = {},
): Promise<Response> {
  const response = await fetch(`http://127.0.0.1:${server.port}/auth/link/${secret}`, {
    redirect: "manual",
    headers,
  });
  await response.body?.cancel();
  return response;
}

/** Signs `personId` in (default: the default account's owner) through a one-time link. */
export async function signIn(
  server: TestServer,
  personId = server.ownerId,
  accountId: string | null = server.accountId,
): Promise<Browser> {
  const secret = await createSignInLink(server.kv, { personId, accountId, purpose: "start" });
  const response = await openSignInLink(server, secret);
  const cookie = cookieOf(response);
  if (response.status !== 303 || cookie === null) {
    throw new Error(`Sign-in failed: ${response.status}`);
  }
  return browserWith(server, cookie);
}

/** A new person, member of the default account with `role`, signed in (named `name`, else
 * the part of `email` before the @). */
export async function signInMember(
  server: TestServer,
  email: string,
  role: Role,
  name = email.split("@")[0],
): Promise<{ person: Person; browser: Browser }> {
  const person = await createPerson(server.kv, { email, name });
  await addMember(server.kv, server.accountId, person.id, role);
  return { person, browser: await signIn(server, person.id) };
}

/** A browser sending `cookie` from the admin's own pages. */
export function browserWith(server: TestServer, cookie: string): Browser {
  return {
    cookie,
    api(method, path, body, headers = {}) {
      const init: RequestInit = {
        method,
        headers: { cookie, "sec-fetch-site": "same-origin", ...headers },
      };
      if (body !== undefined) {
        init.body = JSON.stringify(body);
        (init.headers as Record<string, string>)["content-type"] = "application/json";
      }
      return fetch(`http://127.0.0.1:${server.port}/api/v1${path}`, init);
    },
  };
}

/**
 * Opens a one-time link that answers a confirm page (an emailed sign-in link, an invitation) as
 * a person does: GET shows the page, whose form POSTs back from our own origin; answers the
 * POST's response, unfollowed. A GET answering anything but the page is answered as it is.
 */
export async function confirmLink(url: string, cookie?: string): Promise<Response> {
  const headers: Record<string, string> = cookie ? { cookie } : {};
  const page = await fetch(url, { redirect: "manual", headers });
  if (page.status !== 200) return page;
  const html = await page.text();
  const action = /<form method="post" action="([^"]+)">/.exec(html)?.[1];
  if (!action) throw new Error(`No confirm form in: ${html}`);
  const target = new URL(action.replaceAll("&#38;", "&"), url);
  if (target.origin !== new URL(url).origin) throw new Error(`The form posts away: ${action}`);
  return await fetch(target, {
    method: "POST",
    redirect: "manual",
    headers: { ...headers, "sec-fetch-site": "same-origin" },
  });
}

/**
 * Requests an admin page as a browser does: asking for HTML, with `browser`'s session cookie if
 * any, redirects unfollowed.
 */
export function adminPage(
  server: TestServer,
  path: string,
  browser?: Browser,
  init: RequestInit = {},
): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set("accept", "text/html");
  if (browser) headers.set("cookie", browser.cookie);
  return fetch(`http://127.0.0.1:${server.port}${path}`, { redirect: "manual", ...init, headers });
}

/** Posts `fields` to `path` as an admin page's own form does (same origin, urlencoded). */
export function formPost(
  server: TestServer,
  path: string,
  browser: Browser,
  fields: Record<string, string>,
): Promise<Response> {
  return adminPage(server, path, browser, {
    method: "POST",
    body: new URLSearchParams(fields),
    headers: { "sec-fetch-site": "same-origin" },
  });
}

/** The CSRF token in a page's form; throws when the page has no form carrying one. */
export function csrfOf(html: string): string {
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  if (!token) throw new Error(`No _csrf field in: ${html.slice(0, 500)}`);
  return token;
}
