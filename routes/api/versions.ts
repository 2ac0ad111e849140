/** `/api/v1/apps/{slug}/versions` and blobs: install by archive or manifest, list, delete. */
import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { readManifest } from "../../kv/manifests.ts";
import { deleteVersion, getVersion, listVersions, type Version } from "../../kv/versions.ts";
import { installArchive } from "../../install/archive.ts";
import { createFromManifest, finalizeVersion, putBlob } from "../../install/manifest.ts";
import {
  ARCHIVE_MEDIA_TYPES,
  archiveFormat,
  type PackageFormat,
} from "../../package/read_package.ts";
import { readLimited } from "../../lib/body.ts";
import { FairSlots, type SlotRefusal } from "../../lib/fair_slots.ts";
import { type Pace, PacedBody } from "../../lib/paced_body.ts";
import type { App } from "../../kv/apps.ts";
import { requestIdOf } from "../../lib/log.ts";
import {
  BadRequestError,
  PackageError,
  RateLimitedError,
  UnsupportedMediaTypeError,
  ValidationError,
} from "../../lib/errors.ts";
import {
  BlobParam,
  ErrorSchema,
  FileSchema,
  listOf,
  ListQuery,
  ManifestCreate,
  ManifestCreated,
  SlugParam,
  VersionMeta,
  VersionParam,
  VersionSchema,
} from "./schemas.ts";
import { type ApiEnv, apiRouter, appOf, jsonResponse } from "./env.ts";
import { needs } from "./permission.ts";
import { auditBy } from "./audit.ts";
import {
  fileListExample,
  manifestCreatedExample,
  manifestCreateExample,
  versionExample,
  versionListExample,
} from "./examples.ts";

/** A version as the API answers it (the admin's pages show the same). */
export function versionJson(version: Version) {
  return {
    number: version.number,
    label: version.label,
    message: version.message,
    status: version.status,
    file_count: version.file_count,
    bytes: version.bytes,
    created_at: version.created_at,
    created_by: version.created_by,
  };
}

const binary = { schema: z.string().openapi({ type: "string", format: "binary" }) };
const error = (description: string) => jsonResponse(ErrorSchema, description);

/**
 * Archive installs at once in one Switchyard instance, and the share of one account. A zip is
 * held in memory while it is read (its central directory is at the end), so each costs up to
 * the archive limit: beyond this many, uploads are asked to retry rather than exhaust the
 * process that serves every store. One account fills at most half the slots, so its uploads
 * (or an attacker's holding its token) leave another account's upload a slot; an account that
 * wants two at once retries, or uses the manifest flow, which takes no slot. Constants, not
 * configuration: they follow from the memory of one isolate, not from the deployment.
 */
const MAX_ARCHIVE_INSTALLS = 2;
const MAX_ARCHIVE_INSTALLS_PER_ACCOUNT = 1;

/**
 * The pace an archive upload must keep to hold its slot: no wait for bytes longer than 10 s,
 * and past its first MiB an average of at least 64 KiB/s (a 200 MB archive in under an hour) —
 * so slots held by connections that send nothing, or a trickle, free themselves within ~16 s.
 * Not configuration; tests lower `idleMs` to see a stall in a moment.
 */
export const ARCHIVE_UPLOAD_PACE: Pace = {
  idleMs: 10_000,
  floorBytesPerSecond: 64 * 1024,
  graceBytes: 1024 * 1024,
};

/** Install slots per instance (its KV handle): two instances never take each other's. */
const archiveSlots = new WeakMap<Deno.Kv, FairSlots>();

function slotsOf(kv: Deno.Kv): FairSlots {
  let slots = archiveSlots.get(kv);
  if (!slots) {
    slots = new FairSlots(MAX_ARCHIVE_INSTALLS, MAX_ARCHIVE_INSTALLS_PER_ACCOUNT);
    archiveSlots.set(kv, slots);
  }
  return slots;
}

const BUSY: Record<SlotRefusal, string> = {
  owner_busy:
    "Another package of this account is installing right now: try again once it is done (or use the manifest flow of deno task deploy)",
  all_busy:
    "Other packages are installing right now: try again in a few seconds (or use the manifest flow of deno task deploy)",
};

async function uploadArchive(c: Context<ApiEnv>, format: PackageFormat) {
  const release = slotsOf(c.get("kv")).take(c.get("principal").accountId);
  if (typeof release !== "function") {
    await c.req.raw.body?.cancel().catch(() => {});
    throw new RateLimitedError(BUSY[release], "too_many_uploads", 5);
  }
  try {
    return await installFromArchive(c, format);
  } finally {
    release();
  }
}

async function installFromArchive(c: Context<ApiEnv>, format: PackageFormat) {
  const meta = VersionMeta.safeParse(c.req.query());
  if (!meta.success) throw new ValidationError("Invalid label or message", meta.error.issues);
  const body = c.req.raw.body;
  if (!body) {
    throw new PackageError(
      "empty_archive",
      "The request has no archive in its body",
      undefined,
      "bad_request",
    );
  }
  const app = await appOf(c);
  const paced = new PacedBody(body, ARCHIVE_UPLOAD_PACE);
  try {
    const { version } = await installArchive(
      c.get("kv"),
      app,
      paced.stream,
      format,
      c.get("config").packageLimits,
      { ...meta.data, createdBy: c.get("principal").name, audit: auditBy(c) },
    );
    return c.json(versionJson(version), 201);
  } catch (error) {
    throw interruption(c, app, paced) ?? error;
  } finally {
    paced.dispose();
  }
}

/**
 * What to answer for an upload whose body ended early, whatever the archive reader made of it
 * (a reader may call a cut-off body a corrupt archive): a stall is the client's 408; a client
 * that went away is no failure of ours, so it is logged at info with what was lost, and answered
 * a 400 that no one reads. Null when the body did not end early.
 */
function interruption(c: Context<ApiEnv>, app: App, paced: PacedBody): Error | null {
  if (paced.interrupted === "stalled") return paced.stalled;
  if (paced.interrupted !== "abandoned") return null;
  c.get("log").info("Upload abandoned", {
    request_id: requestIdOf(c.req.raw),
    app: app.slug,
    bytes_received: paced.received,
  });
  return new BadRequestError(
    `The connection closed before the archive was whole: "${paced.received} bytes received"`,
    "upload_abandoned",
  );
}

export const versions = apiRouter()
  .openapi(
    createRoute({
      ...needs("deploy"),
      method: "post",
      path: "/apps/{slug}/versions",
      tags: ["Versions"],
      summary: "Install a version from an archive, or start one from a manifest",
      description:
        "Send a zip or tar.gz archive (any media type the body lists) to install it as a new " +
        "`ready` version in one request; its label and message go in the query. Or send a JSON " +
        "manifest of `{path, sha256, size}` for every file, as `deno task deploy` does: the " +
        "version is recorded `uploading`, the answer lists the blobs this account lacks, and " +
        "after `PUT /apps/{slug}/blobs/{sha256}` for each, `finalize` makes it ready. Either " +
        "way a refused package leaves nothing ready, and the message names the offending entry.",
      request: {
        params: SlugParam,
        query: VersionMeta,
        body: {
          required: false,
          content: {
            "application/json": { schema: ManifestCreate, example: manifestCreateExample },
            ...Object.fromEntries(Object.keys(ARCHIVE_MEDIA_TYPES).map((type) => [type, binary])),
          },
        },
      },
      responses: {
        201: {
          description:
            "An archive installs as a `ready` version; a manifest answers the blobs to upload",
          content: {
            "application/json": {
              schema: z.union([VersionSchema, ManifestCreated]),
              example: manifestCreatedExample,
            },
          },
        },
        400: error("Not a readable archive, or the connection closed before its end"),
        404: error("No such app"),
        408: error("The archive stopped coming, or came too slowly (`upload_stalled`)"),
        413: error("The package passes a size limit"),
        415: error("Not a zip, a tar.gz or a JSON manifest"),
        422: error("The package breaks a rule; the message names the entry"),
        429: error("Install slots are busy (`too_many_uploads`); retry after `Retry-After`"),
      },
    }),
    async (c) => {
      const contentType = c.req.header("content-type") ?? "";
      const format = archiveFormat(contentType);
      if (format) return await uploadArchive(c, format);
      const mediaType = contentType.split(";")[0].trim().toLowerCase();
      const input = c.req.valid("json");
      if (!input.files) {
        throw new UnsupportedMediaTypeError(
          `Send a zip (application/zip), a tar.gz (application/gzip) or a JSON manifest, not: "${mediaType}"`,
        );
      }
      const app = await appOf(c);
      const result = await createFromManifest(
        c.get("kv"),
        app,
        input.files,
        c.get("config").packageLimits,
        {
          label: input.label,
          message: input.message,
          createdBy: c.get("principal").name,
          audit: auditBy(c),
        },
      );
      return c.json({ version: versionJson(result.version), missing: result.missing }, 201);
    },
  )
  .openapi(
    createRoute({
      ...needs("read"),
      method: "get",
      path: "/apps/{slug}/versions",
      tags: ["Versions"],
      summary: "List versions",
      description:
        "The app's versions, newest first, ready or still uploading, with their label, " +
        "message, size, file count and who made them. Page with `limit` and `cursor`.",
      request: { params: SlugParam, query: ListQuery },
      responses: {
        200: jsonResponse(listOf(VersionSchema, "VersionList"), "Newest first", versionListExample),
      },
    }),
    async (c) => {
      const app = await appOf(c);
      const page = await listVersions(c.get("kv"), app, c.req.valid("query"));
      return c.json({ items: page.items.map(versionJson), next_cursor: page.next_cursor }, 200);
    },
  )
  .openapi(
    createRoute({
      ...needs("read"),
      method: "get",
      path: "/apps/{slug}/versions/{n}",
      tags: ["Versions"],
      summary: "Read a version",
      description: "Version `n` of the app. A number written any other way than plain decimal " +
        "(`01`, `1e3`), or one that was never made or was deleted, is 404.",
      request: { params: VersionParam },
      responses: {
        200: jsonResponse(VersionSchema, "The version", versionExample),
        404: error("No such version"),
      },
    }),
    async (c) => {
      const { n } = c.req.valid("param");
      const version = await getVersion(c.get("kv"), await appOf(c), n);
      return c.json(versionJson(version), 200);
    },
  )
  .openapi(
    createRoute({
      ...needs("read"),
      method: "get",
      path: "/apps/{slug}/versions/{n}/files",
      tags: ["Versions"],
      summary: "List a version's files",
      description: "Every file of version `n` by path: its SHA-256, size and content type (the " +
        "CLI compares them with a folder to tell an unchanged deploy). Page with `limit` and " +
        "`cursor`.",
      request: { params: VersionParam, query: ListQuery },
      responses: {
        200: jsonResponse(listOf(FileSchema, "FileList"), "Files by path", fileListExample),
      },
    }),
    async (c) => {
      const { n } = c.req.valid("param");
      const { limit = 100, cursor } = c.req.valid("query");
      const app = await appOf(c);
      const files = await readManifest(c.get("kv"), app.id, await getVersion(c.get("kv"), app, n));
      const start = cursor ? Number(cursor) : 0;
      if (!Number.isInteger(start) || start < 0) {
        throw new ValidationError(`Invalid cursor: "${cursor}"`);
      }
      const items = files.slice(start, start + limit);
      const next = start + limit < files.length ? String(start + limit) : null;
      return c.json({ items, next_cursor: next }, 200);
    },
  )
  .openapi(
    createRoute({
      ...needs("manage"),
      method: "delete",
      path: "/apps/{slug}/versions/{n}",
      tags: ["Versions"],
      summary: "Delete a version",
      description: "Removes version `n`; its number is never used again and its test links stop " +
        "opening. A version that is live, in a split or scheduled is refused with 409: change " +
        "what is live first. Its files are collected once no other version names them.",
      request: { params: VersionParam },
      responses: {
        204: { description: "Deleted" },
        404: error("No such version"),
        409: error("The version is live, in a split or scheduled"),
      },
    }),
    async (c) => {
      const { n } = c.req.valid("param");
      await deleteVersion(c.get("kv"), await appOf(c), n, auditBy(c));
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      ...needs("deploy"),
      method: "put",
      path: "/apps/{slug}/blobs/{sha256}",
      tags: ["Versions"],
      summary: "Upload one file's bytes for the manifest flow",
      description: "The raw bytes of one file a manifest listed as missing, named by their " +
        "SHA-256 (checked on arrival: bytes that hash otherwise are 422). Blobs belong to the " +
        "account, so a file any of its versions already has is never sent twice.",
      request: {
        params: BlobParam,
        body: {
          content: {
            "application/octet-stream": { ...binary, example: "(the file's bytes, as they are)" },
          },
        },
      },
      responses: {
        204: { description: "Stored (or already there)" },
        413: error("Larger than the per-file limit"),
        422: error("The bytes do not hash to the name"),
      },
    }),
    async (c) => {
      const { sha256 } = c.req.valid("param");
      const app = await appOf(c);
      const limit = c.get("config").packageLimits.fileBytes;
      const tooLarge = () =>
        new PackageError(
          "file_too_large",
          `Blob is larger than ${limit} bytes: "${sha256}"`,
          undefined,
          "too_large",
        );
      if (Number(c.req.header("content-length") ?? 0) > limit) throw tooLarge();
      const bytes = await readLimited(c.req.raw.body, limit, tooLarge);
      await putBlob(c.get("kv"), app, sha256, bytes, c.get("config").packageLimits);
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      ...needs("deploy"),
      method: "post",
      path: "/apps/{slug}/versions/{n}/finalize",
      tags: ["Versions"],
      summary: "Make an uploaded version ready",
      description: "Checks that every blob the manifest names is stored, then marks version `n` " +
        "ready in one commit. While blobs are missing it is 422 with their hashes in " +
        "`details.missing`: upload those and call it again.",
      request: { params: VersionParam },
      responses: {
        200: jsonResponse(VersionSchema, "The version, now ready", versionExample),
        422: error("Blobs still missing (listed in details.missing)"),
      },
    }),
    async (c) => {
      const { n } = c.req.valid("param");
      const version = await finalizeVersion(c.get("kv"), await appOf(c), n, auditBy(c));
      return c.json(versionJson(version), 200);
    },
  );
