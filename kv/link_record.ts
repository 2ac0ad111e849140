/**
 * The shape of a test link record, apart from `links.ts` so that versions (which revoke the
 * links of a deleted version) and links (which check the version they open) need not import
 * each other.
 */

export interface TestLink {
  id: string;
  app_id: string;
  version: number;
  label: string;
  email: string | null;
  banner: boolean;
  created_at: string;
  created_by: string;
  expires_at: string;
  revoked_at: string | null;
  hash: string;
}

export const DEFAULT_LINK_HOURS = 168;
export const MAX_LINK_HOURS = 720;
