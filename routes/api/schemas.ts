/**
 * The request and response schemas of the public API (shared/API.md). The same objects
 * validate requests and generate `/api/v1/openapi.json`, so the document cannot drift.
 */
import { z } from "@hono/zod-openapi";
import { SLUG_PATTERN } from "../../kv/apps.ts";
import { MAX_VERSION_NUMBER, VERSION_NUMBER_PATTERN } from "../../lib/version_number.ts";
import { MAX_LINK_HOURS } from "../../kv/link_record.ts";
import { SCOPES } from "../../kv/permissions.ts";

export const ErrorSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.unknown().optional(),
  }),
}).openapi("Error");

export const SlugParam = z.object({
  slug: z.string().max(40).openapi({ param: { name: "slug", in: "path" }, example: "shop" }),
});

/** An id in a path (ULIDs are 26 characters; anything much longer is not ours). */
export const IdParam = z.string().min(1).max(64).openapi({ example: "01JDQAB3C4D5E6F7G8H9J0K1M2" });

/** A version number in a path, written the one way (lib/version_number.ts); else 404. */
export const VersionParam = SlugParam.extend({
  n: z.string().regex(VERSION_NUMBER_PATTERN).transform(Number).pipe(
    z.number().max(MAX_VERSION_NUMBER),
  ).openapi({ param: { name: "n", in: "path" }, example: "1", type: "integer" }),
});

export const ListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).optional(),
  cursor: z.string().max(500).optional(),
});

export const listOf = <T extends z.ZodType>(item: T, name: string) =>
  z.object({ items: z.array(item), next_cursor: z.string().nullable() }).openapi(name);

export const AppCreate = z.object({
  slug: z.string().regex(
    SLUG_PATTERN,
    "Use 1–40 lowercase letters, digits and inner hyphens",
  ),
  name: z.string().trim().min(1).max(100),
}).openapi("AppCreate");

export const AppSchema = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  url: z.string(),
  live: z.number().int().nullable(),
  created_at: z.string(),
}).openapi("App");

export const VersionSchema = z.object({
  number: z.number().int(),
  label: z.string().nullable(),
  message: z.string().nullable(),
  status: z.enum(["uploading", "ready"]),
  file_count: z.number().int(),
  bytes: z.number().int(),
  created_at: z.string(),
  created_by: z.string(),
}).openapi("Version");

export const VersionMeta = z.object({
  label: z.string().max(100).nullable().optional(),
  message: z.string().max(1000).nullable().optional(),
});

export const ManifestCreate = VersionMeta.extend({
  files: z.array(z.object({
    path: z.string().min(1).max(1024),
    sha256: z.string().regex(/^[0-9a-f]{64}$/, "A lowercase hex SHA-256"),
    size: z.number().int().min(0),
  })).min(1).max(100_000),
}).openapi("ManifestCreate");

export const ManifestCreated = z.object({
  version: VersionSchema,
  missing: z.array(z.string()),
}).openapi("ManifestCreated");

export const FileSchema = z.object({
  path: z.string(),
  sha256: z.string(),
  size: z.number().int(),
  content_type: z.string(),
}).openapi("File");

export const BlobParam = SlugParam.extend({
  sha256: z.string().regex(/^[0-9a-f]{64}$/, "A lowercase hex SHA-256").openapi({
    param: { name: "sha256", in: "path" },
  }),
});

const Expect = z.number().int().positive().nullable().optional().openapi({
  description: "The version the caller believes is live (null: nothing live); 409 when stale",
});

const SplitArmSchema = z.object({
  version: z.number().int().positive(),
  weight: z.number().int().min(1).max(100),
});

const SplitSchema = z.array(SplitArmSchema).min(2).max(10).refine(
  (arms) => arms.reduce((sum, arm) => sum + arm.weight, 0) === 100,
  "Weights must sum to 100",
).refine(
  (arms) => new Set(arms.map((arm) => arm.version)).size === arms.length,
  "Each version may appear once",
);

export const LivePut = z.union([
  z.object({ version: z.number().int().positive(), expect: Expect }).strict(),
  z.object({ split: SplitSchema, expect: Expect }).strict(),
]).openapi("LivePut");

export const LiveChanged = z.object({
  version: z.number().int().nullable(),
  previous: z.number().int().nullable(),
}).openapi("LiveChanged");

const ScheduleSchema = z.object({
  id: z.string(),
  at: z.string(),
  version: z.number().int().nullable(),
  split: z.array(SplitArmSchema).nullable(),
});

export const LiveSchema = z.object({
  version: z.number().int().nullable(),
  split: z.array(SplitArmSchema).nullable(),
  schedule: z.array(ScheduleSchema),
  updated_at: z.string().nullable(),
  updated_by: z.string().nullable(),
}).openapi("Live");

export const ReleaseSchema = z.object({
  version: z.number().int().nullable(),
  split: z.array(SplitArmSchema).nullable(),
  previous: z.number().int().nullable(),
  at: z.string(),
  by: z.string(),
  kind: z.enum(["promote", "rollback", "split", "schedule"]),
}).openapi("Release");

export const ScheduleCreate = z.union([
  z.object({ at: z.iso.datetime({ offset: true }), version: z.number().int().positive() })
    .strict(),
  z.object({ at: z.iso.datetime({ offset: true }), split: SplitSchema }).strict(),
]).openapi("ScheduleCreate");

/** A token lives at most a year when it expires at all. */
export const MAX_TOKEN_DAYS = 365;

const ScopeSchema = z.enum(SCOPES).openapi({
  description: "What the token may do: `read` (read only), `deploy` (what `deno task deploy` " +
    "needs: versions, blobs, test links, going live) or `full` (everything, tokens included). " +
    "It acts with no more than its creator's role allows.",
});

export const TokenCreate = z.object({
  name: z.string().trim().min(1).max(100),
  scope: ScopeSchema.default("full"),
  expires_at: z.iso.datetime({ offset: true }).optional().openapi({
    description: "When the token starts being refused like an unknown one (RFC 3339); default: " +
      `never. At most ${MAX_TOKEN_DAYS} days ahead.`,
  }),
  expires_in_days: z.number().int().min(1).max(MAX_TOKEN_DAYS).optional().openapi({
    description: "The same as a number of days from now; give one of the two.",
  }),
}).strict().refine((input) => !(input.expires_at && input.expires_in_days), {
  message: "Give expires_at or expires_in_days, not both",
  path: ["expires_in_days"],
}).openapi("TokenCreate");

export const TokenSchema = z.object({
  id: z.string(),
  name: z.string(),
  scope: ScopeSchema,
  created_at: z.string(),
  created_by: z.object({ person_id: z.string(), name: z.string().nullable() }).nullable()
    .openapi({
      description: "The member who made it: the token acts with no more than their role now, " +
        "and is refused once they leave the account. Null for the bootstrap token.",
    }),
  expires_at: z.string().nullable(),
  last_used_at: z.string().nullable().openapi({
    description: "When the token was last used, to the minute (written at most once a minute)",
  }),
}).openapi("Token");

/**
 * A string that lets whoever holds it in (a token, a test link's URL). Marked `x-secret` in the
 * OpenAPI document: an operation answering one must say `Cache-Control: no-store`, which
 * tests/hardening_test.ts checks for every such operation it finds there.
 */
const secret = (description: string) => z.string().openapi({ description, "x-secret": true });

export const TokenCreated = TokenSchema.extend({
  token: secret("The token itself; shown only here, stored only as a hash"),
}).openapi("TokenCreated");

export const LinkCreate = z.object({
  label: z.string().trim().min(1).max(100),
  email: z.email().max(254).nullable().optional(),
  expires_in_hours: z.number().int().min(1).max(MAX_LINK_HOURS).optional(),
  banner: z.boolean().optional().openapi({ description: "Show the preview banner (default true)" }),
}).openapi("LinkCreate");

export const LinkCreated = z.object({
  id: z.string(),
  url: secret("The link; it opens the version for anyone who has it, and is shown only here"),
  version: z.number().int(),
  label: z.string(),
  email: z.string().nullable(),
  expires_at: z.string(),
  invitation_sent: z.boolean(),
}).openapi("LinkCreated");

export const LinkSchema = z.object({
  id: z.string(),
  version: z.number().int(),
  label: z.string(),
  email: z.string().nullable(),
  banner: z.boolean(),
  created_at: z.string(),
  expires_at: z.string(),
  revoked_at: z.string().nullable(),
  visits: z.number().int(),
}).openapi("Link");

const Values = z.record(z.string().max(64), z.unknown());

export const SettingsPut = z.object({
  app: Values.optional(),
  style: Values.optional(),
  script: z.string().optional(),
  css: z.string().optional(),
}).strict().openapi("SettingsPut");

export const SettingsSchema = z.object({
  app: Values,
  style: Values,
  script: z.string(),
  css: z.string(),
  updated_at: z.string().nullable(),
  version: z.number().int().nullable().openapi({
    description: "The live version whose schema the values were checked against",
  }),
}).openapi("Settings");
