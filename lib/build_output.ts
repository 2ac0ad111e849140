/**
 * What `deno task build` leaves in `_build/`: the CLI as one module, the island bundles and a
 * manifest naming them. The server reads it all once at start (Deno Deploy allows reading files,
 * but nothing may be built or written at request time) and serves it from memory: `/cli.js`, and
 * every other file under `/_build/` with its content hash in the name.
 */
import { contentTypeFor } from "./content_type.ts";
import { NotFoundError, UnavailableError } from "./errors.ts";

export const BUILD_DIR = new URL("../_build/", import.meta.url);
export const MANIFEST_FILE = "manifest.json";
/** Where the platform serves the hashed files (island bundles and their chunks). */
export const BUILD_URL_PREFIX = "/_build/";

export interface BuildManifest {
  built_at: string;
  /** Fingerprint of the sources it was built from; another one means the build is stale. */
  inputs: string;
  /** The CLI bundle's path, served at `/cli.js`. */
  cli: string;
  /** Island name (its file name in `islands/` without extension) → path of its bundle. */
  islands: Record<string, string>;
  /** Stylesheet name (its file name in `components/styles/`) → path of its hashed bundle. */
  styles?: Record<string, string>;
  /** Folder of the API reference's renderer (`swagger-ui-<version>/`). */
  swagger_ui: string;
  /** Every file of the build by path, with its SHA-256 (the ETag) and size. */
  files: Record<string, { sha256: string; size: number }>;
}

export interface BuiltFile {
  bytes: Uint8Array;
  etag: string;
  contentType: string;
  /** The name carries the content hash, so the file can be cached forever. */
  immutable: boolean;
}

export interface BuildOutput {
  manifest: BuildManifest;
  cli: BuiltFile;
  /** By path under `_build/`. */
  files: Map<string, BuiltFile>;
}

/**
 * Reads the build from `dir`, or returns null when it has not been built (no manifest; the
 * manifest is written last, so a build that failed half way is also "not built"). A manifest
 * naming a file that is missing throws.
 */
export async function loadBuildOutput(dir: URL = BUILD_DIR): Promise<BuildOutput | null> {
  let manifest: BuildManifest;
  try {
    manifest = JSON.parse(await Deno.readTextFile(new URL(MANIFEST_FILE, dir)));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
  const files = new Map<string, BuiltFile>();
  for (const [path, { sha256 }] of Object.entries(manifest.files)) {
    const bytes = await Deno.readFile(new URL(path, dir)).catch((error) => {
      throw new Error(`Build output is incomplete, run "deno task build": "${path}" is missing`, {
        cause: error,
      });
    });
    files.set(path, {
      bytes,
      etag: `"${sha256}"`,
      contentType: contentTypeFor(path),
      immutable: path !== manifest.cli,
    });
  }
  return { manifest, cli: files.get(manifest.cli)!, files };
}

/** The URL of an island's bundle, for the page that hydrates it. */
export function islandUrl(build: BuildOutput, name: string): string | undefined {
  const path = build.manifest.islands[name];
  return path === undefined ? undefined : BUILD_URL_PREFIX + path;
}

/** The URL of a built stylesheet (`admin` for `components/styles/admin.css`). */
export function styleUrl(build: BuildOutput, name: string): string | undefined {
  const path = build.manifest.styles?.[name];
  return path === undefined ? undefined : BUILD_URL_PREFIX + path;
}

/**
 * Answers a request for a built file: 304 on a matching `If-None-Match`, and HEAD. Throws a
 * `NotFoundError` for a file the build lacks, and an `UnavailableError` telling the operator
 * what to run when there is no build at all.
 */
/** What a server started without its build output answers for what the build makes. */
export function buildMissing(): UnavailableError {
  return new UnavailableError(
    'This server was started without its build output: run "deno task build", then restart it',
    "build_missing",
  );
}

export function serveBuilt(request: Request, build: BuildOutput | null, path: string): Response {
  if (!build) throw buildMissing();
  const file = path === build.manifest.cli ? build.cli : build.files.get(path);
  if (!file) throw new NotFoundError(`No such file: "${path}"`);
  const headers = {
    "content-type": file.contentType,
    etag: file.etag,
    "x-content-type-options": "nosniff",
    // The CLI keeps its URL across builds, so clients revalidate it; hashed names never change.
    "cache-control": file.immutable ? "public, max-age=31536000, immutable" : "no-cache",
  };
  if (request.headers.get("if-none-match")?.split(",").some((tag) => tag.trim() === file.etag)) {
    return new Response(null, { status: 304, headers });
  }
  if (request.method === "HEAD") {
    return new Response(null, {
      headers: { ...headers, "content-length": String(file.bytes.byteLength) },
    });
  }
  return new Response(file.bytes as Uint8Array<ArrayBuffer>, { headers });
}
