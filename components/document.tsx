/**
 * The admin's HTML shell: `<head>` (title, the built stylesheet, preloads for the page's island
 * bundles) and `<body>` (skip link, top bar with the account switcher, the way to the account's
 * pages and sign-out, then the page).
 * The head is rendered after the body, once the page's render has said which islands it used;
 * a page that used none gets no script at all.
 */
import type { ComponentChildren, VNode } from "preact";
import { ISLAND_MAP_ID } from "../lib/islands.ts";
import AccountSwitcher from "../islands/AccountSwitcher.tsx";
import { Island } from "./island.tsx";
import { CsrfField } from "./ui.tsx";

/** Who is signed in, as the top bar shows them. */
export interface ShellUser {
  name: string;
  role: string;
  accountId: string;
  accountName: string;
  accounts: { id: string; name: string; role: string }[];
  csrf: string;
}

export interface HeadProps {
  title: string;
  stylesheet: string | undefined;
  /** The client entry and island bundles to preload; empty when the page has no islands. */
  scripts: string[];
}

export function Head({ title, stylesheet, scripts }: HeadProps): VNode {
  return (
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <meta name="color-scheme" content="light dark" />
      <meta name="referrer" content="strict-origin-when-cross-origin" />
      <link rel="icon" href="data:," />
      <title>{title === "Switchyard" ? title : `${title} · Switchyard`}</title>
      {stylesheet && <link rel="stylesheet" href={stylesheet} />}
      {scripts.map((src) => <link key={src} rel="modulepreload" href={src} />)}
    </head>
  );
}

/** The scripts at the end of `<body>`: the island bundle map and the client entry. */
export function ClientScripts(
  { client, islands, nonce }: { client: string; islands: Record<string, string>; nonce: string },
): VNode {
  const map = JSON.stringify(islands).replace(/</g, "\\u003c");
  return (
    <>
      <script
        type="application/json"
        id={ISLAND_MAP_ID}
        nonce={nonce}
        dangerouslySetInnerHTML={{ __html: map }}
      />
      <script type="module" src={client} nonce={nonce} />
    </>
  );
}

export function Body(
  { user, heading, children }: {
    user: ShellUser | null;
    heading: string | null;
    children: ComponentChildren;
  },
): VNode {
  return (
    <body>
      <a class="skip" href="#main">Skip to content</a>
      <header class="topbar">
        <a class="brand" href="/" aria-label="Switchyard, all apps">
          <span class="brand-mark" aria-hidden="true" />Switchyard
        </a>
        {user && (
          <nav class="topnav" aria-label="Sections">
            <a href="/">Apps</a>
            <a href="/catalog">Catalog</a>
            <a href="/orders">Orders</a>
          </nav>
        )}
        {user && <TopBarUser user={user} />}
      </header>
      <main id="main" class="page" tabIndex={-1}>
        {heading && <h1 class="page-title">{heading}</h1>}
        {children}
      </main>
    </body>
  );
}

function TopBarUser({ user }: { user: ShellUser }): VNode {
  return (
    <div class="topbar-user">
      {user.accounts.length > 1
        ? (
          <Island
            component={AccountSwitcher}
            props={{ current: user.accountId, accounts: user.accounts }}
          />
        )
        : <span class="account-name">{user.accountName}</span>}
      <a
        class="account-link"
        href="/account/members"
        title={`Members, API tokens, passkeys and audit log of ${user.accountName}`}
      >
        Account
      </a>
      <span class="person" title={`Signed in as ${user.name} (${user.role})`}>
        {user.name} <span class="role">{user.role}</span>
      </span>
      <form method="post" action="/auth/signout" class="signout">
        <CsrfField token={user.csrf} />
        <button type="submit" class="button ghost small">Sign out</button>
      </form>
    </div>
  );
}
