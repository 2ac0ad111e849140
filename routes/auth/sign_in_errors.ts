/**
 * What `/signin?error=<code>` means, for the admin's sign-in page to show: every code a failed
 * sign-in navigation can be sent there with (navigation.ts sends any other as `sign_in_failed`),
 * with a sentence that says what happened and what to do. Plain data, so the page imports it
 * without the auth routes.
 */
export const SIGN_IN_ERRORS = {
  sign_in_link_invalid: "This sign-in link is unknown, used or expired. Ask for a new one.",
  invitation_invalid:
    "This invitation is unknown, used, revoked or expired. Ask the account's owner for a new one.",
  invitation_for_another_email:
    "This invitation is for another email address than yours. Sign out, or sign in with the " +
    "invited address, then open it again.",
  oauth_state_missing: "The sign-in came back incomplete. Start it again.",
  oauth_state_invalid:
    "This sign-in expired, was already used or was started in another browser. Start it again.",
  oauth_sign_in_refused: "The provider did not sign you in. Start again, or choose another way.",
  oauth_response_invalid: "The provider's answer failed a check. Start the sign-in again.",
  oauth_provider_unavailable: "The provider could not be reached. Try again in a moment.",
  email_not_verified: "The provider has no verified email address for you. Verify one there first.",
  provider_not_configured: "That way of signing in is not set up on this Switchyard.",
  no_account: "You belong to no account here. Ask an owner to invite you.",
  unauthorized: "You belong to no account here. Ask an owner to invite you.",
  cross_origin_request: "That request came from another site, so it was refused. Sign in here.",
  too_many_sign_in_attempts:
    "Too many failed sign-ins from your address. Wait a while, then retry.",
  sign_in_failed: "The sign-in did not work. Try again, or choose another way.",
} as const;

export type SignInErrorCode = keyof typeof SIGN_IN_ERRORS;

/** The code as the sign-in page gets it: one it has a message for. */
export function signInErrorCode(code: string): SignInErrorCode {
  return Object.hasOwn(SIGN_IN_ERRORS, code) ? code as SignInErrorCode : "sign_in_failed";
}
