/**
 * Sign-in with GitHub (an OAuth app; docs/OPERATING.md says how to make one). GitHub is plain
 * OAuth 2 with PKCE, not OpenID Connect: no ID token, so who signed in comes from its REST API
 * with the access token — the user, and their primary email only when GitHub has verified it
 * (`GET /user/emails`; `/user`'s public email may be unverified or absent). The token is used for
 * those two reads and forgotten.
 */
import * as oauth from "oauth4webapi";
import type { GithubSettings } from "../../config.ts";
import { ForbiddenError, UnauthenticatedError } from "../../lib/errors.ts";
import {
  type ExternalIdentity,
  type OAuthProvider,
  requestOptions,
  signInFailure,
} from "./oauth_provider.ts";

const NAME = "GitHub";
/** `read:user` for the profile, `user:email` for the verified addresses (GitHub's scopes). */
const SCOPE = "read:user user:email";

interface GithubEmail {
  email: string;
  primary: boolean;
  verified: boolean;
}

export function githubProvider(settings: GithubSettings): OAuthProvider {
  // GitHub publishes no discovery document: its endpoints, as its OAuth docs name them.
  const as: oauth.AuthorizationServer = {
    issuer: settings.webUrl,
    authorization_endpoint: `${settings.webUrl}/login/oauth/authorize`,
    token_endpoint: `${settings.webUrl}/login/oauth/access_token`,
  };
  const client: oauth.Client = { client_id: settings.clientId };
  return {
    id: "github",
    name: NAME,
    usesNonce: false,
    authorizationUrl(flight) {
      const url = new URL(as.authorization_endpoint!);
      url.search = new URLSearchParams({
        client_id: settings.clientId,
        redirect_uri: flight.redirectUri,
        scope: SCOPE,
        state: flight.state,
        code_challenge: flight.codeChallenge,
        code_challenge_method: "S256",
        allow_signup: "true",
      }).toString();
      return Promise.resolve(url);
    },
    async identify(callback, flight) {
      try {
        const params = oauth.validateAuthResponse(as, client, callback, flight.state);
        const response = await oauth.authorizationCodeGrantRequest(
          as,
          client,
          oauth.ClientSecretPost(settings.clientSecret),
          params,
          flight.redirectUri,
          flight.codeVerifier,
          requestOptions(settings.webUrl),
        );
        await refusalIn(response);
        const tokens = await oauth.processAuthorizationCodeResponse(as, client, response);
        return await whoIs(settings, tokens.access_token);
      } catch (error) {
        if (error instanceof ForbiddenError || error instanceof UnauthenticatedError) throw error;
        throw signInFailure(NAME, error);
      }
    },
  };
}

/**
 * GitHub answers a refused code exchange (a used or expired code, a PKCE verifier that does not
 * match, a wrong redirect URI) with 200 and an `error` in the body, where RFC 6749 §5.2 has a
 * 400: read it as the refusal it is.
 */
async function refusalIn(response: Response): Promise<void> {
  if (response.status !== 200) return;
  const body = await response.clone().json().catch(() => null);
  if (body && typeof body.error === "string") {
    throw new UnauthenticatedError(
      `GitHub refused the sign-in: "${body.error_description ?? body.error}"; start again`,
      "oauth_sign_in_refused",
    );
  }
}

async function githubGet<T>(settings: GithubSettings, token: string, path: string): Promise<T> {
  const response = await fetch(`${settings.apiUrl}${path}`, {
    headers: {
      authorization: `Bearer ${token}`,
      accept: "application/vnd.github+json",
      "x-github-api-version": "2022-11-28",
      // GitHub's REST API refuses requests without a User-Agent.
      "user-agent": "Switchyard",
    },
    signal: AbortSignal.timeout(10_000),
  });
  if (!response.ok) {
    await response.body?.cancel();
    throw new Error(`GitHub answered ${response.status} to GET ${path}`);
  }
  return await response.json() as T;
}

async function whoIs(settings: GithubSettings, token: string): Promise<ExternalIdentity> {
  const user = await githubGet<{ id: number; login: string; name: string | null }>(
    settings,
    token,
    "/user",
  );
  const emails = await githubGet<GithubEmail[]>(settings, token, "/user/emails");
  const primary = Array.isArray(emails) ? emails.find((e) => e.primary && e.verified) : undefined;
  if (!primary || typeof primary.email !== "string") {
    throw new ForbiddenError(
      "GitHub has no verified primary email address for you: verify one at GitHub, then sign in again",
      "email_not_verified",
    );
  }
  const name = (user.name || user.login || primary.email).slice(0, 100);
  return { subject: String(user.id), email: primary.email, name };
}
