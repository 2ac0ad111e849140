/**
 * What every OAuth provider (GitHub, generic OpenID Connect) offers the sign-in glue in
 * oauth.ts: where to send the browser, and who came back. The protocol work is oauth4webapi's
 * (a certified OpenID relying party library); this module only turns its failures into our
 * domain errors, so a refused callback answers a clear 4xx and never a 500.
 */
import * as oauth from "oauth4webapi";
import { isLoopbackUrl } from "../../config.ts";
import { type DomainError, UnauthenticatedError, UnavailableError } from "../../lib/errors.ts";

/** Who the provider says signed in, with an address it has verified. */
export interface ExternalIdentity {
  /** The provider's stable id of the person (`sub`, GitHub's user id). */
  subject: string;
  email: string;
  name: string;
}

/** What one sign-in's round trip carries besides the provider's own settings. */
export interface Flight {
  state: string;
  codeVerifier: string;
  /** OIDC only. */
  nonce: string | null;
  redirectUri: string;
}

export interface OAuthProvider {
  /** `github` or `oidc`: the path segment and the session's sign-in method. */
  id: string;
  /** For the sign-in page's button. */
  name: string;
  /** Whether the flow carries an OIDC nonce. */
  usesNonce: boolean;
  authorizationUrl(flight: Omit<Flight, "codeVerifier"> & { codeChallenge: string }): Promise<URL>;
  /** Checks the callback and redeems its code; throws a domain error when anything is off. */
  identify(callback: URL, flight: Flight): Promise<ExternalIdentity>;
}

/**
 * oauth4webapi refuses plain http; a provider on loopback (a developer's, the tests') is let
 * through, as config.ts lets such an issuer be configured.
 */
export function requestOptions(url: string): { [oauth.allowInsecureRequests]?: boolean } {
  return isLoopbackUrl(new URL(url)) ? { [oauth.allowInsecureRequests]: true } : {};
}

/** The domain error for a failure of a sign-in at `providerName`. */
export function signInFailure(providerName: string, error: unknown): DomainError {
  if (error instanceof oauth.AuthorizationResponseError) {
    // The person declined, or the provider refused the request (RFC 6749 §4.1.2.1).
    const why = error.error_description ?? error.error;
    return new UnauthenticatedError(
      `${providerName} did not sign you in: "${why}"`,
      "oauth_sign_in_refused",
    );
  }
  if (error instanceof oauth.ResponseBodyError) {
    // The token endpoint's refusal: an expired or used code, a PKCE verifier that does not
    // match, a redirect URI that is not the one the code was issued for (RFC 6749 §5.2).
    return new UnauthenticatedError(
      `${providerName} refused the sign-in: "${
        error.error_description ?? error.error
      }"; start again`,
      "oauth_sign_in_refused",
    );
  }
  if (error instanceof oauth.OperationProcessingError) {
    // A response that fails a check: an ID token's nonce, issuer, audience or signature.
    return new UnauthenticatedError(
      `${providerName}'s answer failed a check: "${error.message}"; start again`,
      "oauth_response_invalid",
    );
  }
  return new UnavailableError(
    `${providerName} could not be reached to complete the sign-in; try again shortly`,
    "oauth_provider_unavailable",
    30,
  );
}
