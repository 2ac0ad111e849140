/**
 * A real OpenID provider on loopback for sign-in tests: npm `oidc-provider` (certified by the
 * OpenID Foundation) with its development login pages and in-memory storage, served by
 * `node:http`. Whoever types a login there is that person: `alice@example.test` signs in as
 * Alice with a verified address; a login starting with `unverified` has `email_verified: false`.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import Provider from "oidc-provider";
import { CookieJar } from "./cookie_jar.ts";

export { CookieJar };

export interface TestProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Seconds an authorization code lives; tests shorten it to see one expire. */
  setCodeTtl(seconds: number): void;
  close(): Promise<void>;
}

export async function startOidcProvider(redirectUri: string): Promise<TestProvider> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientId = "switchyard";
  const clientSecret = "s".repeat(48);
  let codeTtl = 60;
  const provider = new Provider(issuer, {
    clients: [{
      client_id: clientId,
      client_secret: clientSecret,
      redirect_uris: [redirectUri],
      token_endpoint_auth_method: "client_secret_basic",
    }],
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
    features: { devInteractions: { enabled: true } },
    pkce: { required: () => true },
    ttl: {
      AuthorizationCode: () => codeTtl,
      Interaction: 600,
      Session: 3600,
      Grant: 3600,
      AccessToken: 600,
      IdToken: 600,
    },
    cookies: { keys: ["test-cookie-key-".repeat(3)] },
    findAccount: (_ctx: unknown, id: string) => ({
      accountId: id,
      claims: () => ({
        sub: id,
        email: id,
        email_verified: !id.startsWith("unverified"),
        name: id.split("@")[0].replace(/^./, (c) => c.toUpperCase()),
      }),
    }),
  });
  // oidc-provider prints "Unsupported runtime" under Deno and works (STACK-NOTES).
  server.on("request", provider.callback());
  return {
    issuer,
    clientId,
    clientSecret,
    setCodeTtl(seconds) {
      codeTtl = seconds;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/**
 * Goes through the provider's login and consent pages the way a person would, starting from
 * its authorization URL, and stops at the redirect back to us: answers that callback URL
 * (not followed) — or throws with the page the provider showed instead.
 */
export async function loginAtProvider(
  authorizationUrl: string,
  login: string,
  jar = new CookieJar(),
): Promise<string> {
  let url = authorizationUrl;
  let init: RequestInit = {};
  const origin = new URL(authorizationUrl).origin;
  for (let step = 0; step < 12; step++) {
    const response = await fetch(url, {
      ...init,
      redirect: "manual",
      headers: { ...init.headers as Record<string, string>, cookie: jar.header() },
    });
    jar.take(response);
    const location = response.headers.get("location");
    if (location) {
      await response.body?.cancel();
      const next = new URL(location, url);
      if (next.origin !== origin) return next.toString();
      url = next.toString();
      init = {};
      continue;
    }
    const page = await response.text();
    const form = /<form[^>]*action="([^"]+)"[^>]*method="post"/.exec(page);
    if (response.status !== 200 || !form) {
      const text = page.replace(/<style[\s\S]*?<\/style>/g, "").replace(/<[^>]+>/g, " ");
      throw new Error(`The provider answered ${response.status}: ${text.replace(/\s+/g, " ")}`);
    }
    const fields = new URLSearchParams();
    for (const input of page.matchAll(/<input[^>]*name="([^"]+)"[^>]*>/g)) {
      const value = /value="([^"]*)"/.exec(input[0])?.[1];
      fields.set(input[1], value ?? (input[1] === "login" ? login : "any password"));
    }
    url = new URL(form[1].replaceAll("&amp;", "&"), url).toString();
    init = {
      method: "POST",
      body: fields.toString(),
      headers: { "content-type": "application/x-www-form-urlencoded" },
    };
  }
  throw new Error("The provider's pages went round in circles");
}
