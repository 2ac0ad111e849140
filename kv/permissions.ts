/**
 * What a caller may do. Every API operation needs one permission; a member's role and an API
 * token's scope each grant a set of them, and a token acts with what both grant (the lesser of
 * its scope and its creator's role), so a token can never do more than the person who made it.
 */

export const PERMISSIONS = ["read", "deploy", "manage", "owner"] as const;
export const ROLES = ["owner", "developer", "analyst"] as const;
export const SCOPES = ["read", "deploy", "full"] as const;

/** What an operation needs: reading, deploying, managing the account's apps, or owning it. */
export type Permission = typeof PERMISSIONS[number];

/** A member's role in an account. */
export type Role = typeof ROLES[number];

/** An API token's scope. */
export type Scope = typeof SCOPES[number];

/**
 * A developer does everything with apps (versions, links, live, settings, schedules) but not
 * tokens or the account itself; an analyst only reads.
 */
const ROLE_GRANTS: Record<Role, readonly Permission[]> = {
  owner: ["read", "deploy", "manage", "owner"],
  developer: ["read", "deploy", "manage"],
  analyst: ["read"],
};

/** `deploy` is what `deno task deploy` needs in CI: versions, blobs, links, live. */
const SCOPE_GRANTS: Record<Scope, readonly Permission[]> = {
  full: ["read", "deploy", "manage", "owner"],
  deploy: ["read", "deploy"],
  read: ["read"],
};

/** Whom a request acts for, as far as permissions go. */
export interface Grant {
  scope: Scope;
  role: Role;
  /** The API token the request came with; null for a signed-in person (a session). */
  tokenId?: string | null;
}

/**
 * Why `grant` does not allow `permission`, as a message for the caller; null when it does.
 * The scope is named first: it is what the caller can change by making another token.
 */
export function refusal(grant: Grant, permission: Permission): string | null {
  if (!SCOPE_GRANTS[grant.scope].includes(permission)) {
    return `Forbidden: this token's scope "${grant.scope}" does not allow "${permission}"`;
  }
  if (!ROLE_GRANTS[grant.role].includes(permission)) {
    const whose = grant.tokenId === null ? "your role" : "the role";
    const of = grant.tokenId === null ? "" : " of this token's creator";
    return `Forbidden: ${whose} "${grant.role}"${of} does not allow "${permission}"`;
  }
  return null;
}

/** Whether `grant` allows `permission`. */
export function allows(grant: Grant, permission: Permission): boolean {
  return refusal(grant, permission) === null;
}
