/**
 * `GET /api/v1/apps/{slug}/versions/{n}/diff`: what a version changes, file by file, against
 * the live version or another one. The admin's version page reads the same `diffVersions`.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { diffVersions } from "../../kv/version_diff.ts";
import { MAX_VERSION_NUMBER, VERSION_NUMBER_PATTERN } from "../../lib/version_number.ts";
import { ErrorSchema, VersionParam } from "./schemas.ts";
import { apiRouter, appOf, jsonResponse } from "./env.ts";
import { needs } from "./permission.ts";

export const DiffQuery = z.object({
  against: z.union([
    z.literal("live"),
    z.string().regex(VERSION_NUMBER_PATTERN, 'Use "live" or a version number').transform(Number)
      .pipe(z.number().max(MAX_VERSION_NUMBER)),
  ]).optional().openapi({
    description: "The version to compare with: `live` (default) or a version number",
    example: "live",
    type: "string",
  }),
});

const Hashed = z.object({ sha256: z.string(), size: z.number().int() });
const DiffFileSchema = Hashed.extend({ path: z.string() }).openapi("DiffFile");

export const VersionDiffSchema = z.object({
  version: z.number().int(),
  against: z.number().int().nullable().openapi({
    description: "The version compared with; null when nothing is live (every file is added)",
  }),
  added: z.array(DiffFileSchema),
  removed: z.array(DiffFileSchema),
  changed: z.array(z.object({ path: z.string(), before: Hashed, after: Hashed })),
  unchanged: z.number().int().openapi({ description: "Files the same in both" }),
}).openapi("VersionDiff");

const SHA_A = "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90";
const SHA_B = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0";
const SHA_C = "9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a499c8b7a6f5e4d3c2b1a0f9e8d7c6b5a49";

const diffExample = {
  version: 4,
  against: 3,
  added: [{ path: "holiday.css", sha256: SHA_C, size: 2_048 }],
  removed: [],
  changed: [{
    path: "app.js",
    before: { sha256: SHA_A, size: 46_890 },
    after: { sha256: SHA_B, size: 47_312 },
  }],
  unchanged: 12,
};

export const versionDiff = apiRouter().openapi(
  createRoute({
    ...needs("read"),
    method: "get",
    path: "/apps/{slug}/versions/{n}/diff",
    tags: ["Versions"],
    summary: "Compare a version's files with the live version or another",
    description: "The files version `n` adds, removes and changes (same path, other SHA-256) " +
      "against `against`: `live` (the default; under a split, the arm with the greatest " +
      "weight) or a version number. With nothing live every file is added and `against` is " +
      "null. Each list is sorted by path.",
    request: { params: VersionParam, query: DiffQuery },
    responses: {
      200: jsonResponse(VersionDiffSchema, "The difference, by path", diffExample),
      404: jsonResponse(ErrorSchema, "No such app, version, or version to compare with"),
    },
  }),
  async (c) => {
    const { n } = c.req.valid("param");
    const { against = "live" } = c.req.valid("query");
    const app = await appOf(c);
    const diff = await diffVersions(c.get("kv"), app, n, against, c.get("config").now());
    return c.json(diff, 200);
  },
);
