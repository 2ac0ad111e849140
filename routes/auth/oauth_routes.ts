/**
 * `/auth/providers`, `/auth/{provider}/signin` and `/auth/{provider}/callback`: the ways in the
 * sign-in page offers, and the OAuth round trip for each configured provider.
 */
import { Hono } from "hono";
import { type Config, isSmtpConfigured } from "../../config.ts";
import { NotFoundError } from "../../lib/errors.ts";
import type { AuthEnv } from "./env.ts";
import { handleCallback, signIn } from "./oauth.ts";
import { githubProvider } from "./oauth_github.ts";
import { oidcProvider } from "./oauth_oidc.ts";
import type { OAuthProvider } from "./oauth_provider.ts";
import { limitSignInAttempts, limitSignInStarts } from "./limits.ts";
import { failuresToSignInPage } from "./navigation.ts";

/** The providers the configuration enables, in the order the sign-in page shows them. */
export function oauthProviders(config: Config): OAuthProvider[] {
  const providers: OAuthProvider[] = [];
  if (config.github) providers.push(githubProvider(config.github));
  if (config.oidc) providers.push(oidcProvider(config.oidc));
  return providers;
}

function providerNamed(config: Config, id: string): OAuthProvider {
  const provider = oauthProviders(config).find((p) => p.id === id);
  if (!provider) {
    throw new NotFoundError(
      `Sign-in with "${id}" is not configured on this Switchyard`,
      "provider_not_configured",
    );
  }
  return provider;
}

/** The ways in this platform offers: what `/auth/providers` answers and the sign-in page shows. */
export interface SignInOffer {
  providers: { id: string; name: string; signin_url: string }[];
  passkey: boolean;
  email_link: boolean;
}

/** The sign-in methods configured here; nothing in it is secret. */
export function signInOffer(config: Config): SignInOffer {
  return {
    providers: oauthProviders(config).map((p) => ({
      id: p.id,
      name: p.name,
      signin_url: `/auth/${p.id}/signin`,
    })),
    passkey: true,
    email_link: isSmtpConfigured(config),
  };
}

export function oauthRoutes(config: Config): Hono<AuthEnv> {
  const routes = new Hono<AuthEnv>();

  routes.get("/providers", (c) => c.json(signInOffer(config)));

  // A failed round trip counts against the address (limits.ts), and a browser sent back with a
  // failure lands on the sign-in page with its code (navigation.ts), not on raw JSON.
  for (const path of ["/:provider/signin", "/:provider/callback"]) {
    routes.use(path, failuresToSignInPage, limitSignInAttempts);
  }
  routes.use("/:provider/signin", limitSignInStarts);
  routes.get("/:provider/signin", (c) => signIn(c, providerNamed(config, c.req.param("provider"))));
  routes.get(
    "/:provider/callback",
    (c) => handleCallback(c, providerNamed(config, c.req.param("provider"))),
  );
  return routes;
}
