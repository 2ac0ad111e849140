/**
 * Sign-in with any OpenID Connect provider (Okta, Google Workspace, Keycloak, Entra ID…):
 * discovery from the issuer URL, the authorization code flow with PKCE (S256) and a nonce, the
 * ID token checked by oauth4webapi (signature, issuer, audience, nonce, times). Only a verified
 * email signs anyone in (OIDC Core §5.1 `email_verified`): an unverified address could be
 * anyone's, and it is what finds the person here.
 */
import * as oauth from "oauth4webapi";
import type { OidcSettings } from "../../config.ts";
import { ForbiddenError } from "../../lib/errors.ts";
import {
  type ExternalIdentity,
  type Flight,
  type OAuthProvider,
  requestOptions,
  signInFailure,
} from "./oauth_provider.ts";

/** Discovered metadata is kept this long per process (keys rotate through the JWKS, not here). */
const DISCOVERY_TTL_MS = 3_600_000;
const discovered = new Map<string, { as: oauth.AuthorizationServer; at: number }>();

async function discover(settings: OidcSettings): Promise<oauth.AuthorizationServer> {
  const known = discovered.get(settings.issuer);
  if (known && Date.now() - known.at < DISCOVERY_TTL_MS) return known.as;
  const issuer = new URL(settings.issuer);
  const response = await oauth.discoveryRequest(issuer, {
    algorithm: "oidc",
    ...requestOptions(settings.issuer),
  });
  const as = await oauth.processDiscoveryResponse(issuer, response);
  discovered.set(settings.issuer, { as, at: Date.now() });
  return as;
}

export function oidcProvider(settings: OidcSettings): OAuthProvider {
  const client: oauth.Client = { client_id: settings.clientId };
  const name = settings.name;
  return {
    id: "oidc",
    name,
    usesNonce: true,
    async authorizationUrl(flight) {
      const as = await discover(settings).catch((error) => {
        throw signInFailure(name, error);
      });
      const url = new URL(as.authorization_endpoint!);
      url.search = new URLSearchParams({
        response_type: "code",
        client_id: settings.clientId,
        redirect_uri: flight.redirectUri,
        scope: "openid email profile",
        state: flight.state,
        nonce: flight.nonce!,
        code_challenge: flight.codeChallenge,
        code_challenge_method: "S256",
      }).toString();
      return url;
    },
    async identify(callback, flight) {
      try {
        return await redeem(settings, client, callback, flight);
      } catch (error) {
        if (error instanceof ForbiddenError) throw error;
        throw signInFailure(name, error);
      }
    },
  };
}

async function redeem(
  settings: OidcSettings,
  client: oauth.Client,
  callback: URL,
  flight: Flight,
): Promise<ExternalIdentity> {
  const as = await discover(settings);
  const options = requestOptions(settings.issuer);
  const params = oauth.validateAuthResponse(as, client, callback, flight.state);
  const response = await oauth.authorizationCodeGrantRequest(
    as,
    client,
    oauth.ClientSecretBasic(settings.clientSecret),
    params,
    flight.redirectUri,
    flight.codeVerifier,
    options,
  );
  const tokens = await oauth.processAuthorizationCodeResponse(as, client, response, {
    expectedNonce: flight.nonce!,
    requireIdToken: true,
  });
  const idToken = oauth.getValidatedIdTokenClaims(tokens)!;
  let claims: Record<string, unknown> = idToken;
  // Providers that follow OIDC Core §5.4 to the letter put profile claims in UserInfo only.
  if (typeof idToken.email !== "string" && as.userinfo_endpoint) {
    const info = await oauth.userInfoRequest(as, client, tokens.access_token, options);
    claims = { ...idToken, ...await oauth.processUserInfoResponse(as, client, idToken.sub, info) };
  }
  const email = claims.email;
  if (typeof email !== "string" || claims.email_verified !== true) {
    throw new ForbiddenError(
      `${settings.name} has no verified email address for you: verify one there, then sign in again`,
      "email_not_verified",
    );
  }
  const name = typeof claims.name === "string" && claims.name ? claims.name : email;
  return { subject: idToken.sub, email, name: name.slice(0, 100) };
}
