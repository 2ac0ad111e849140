/**
 * A deploy, as a function tests and benchmarks call directly (`cli/main.ts` is a thin shell
 * over it): list and check the files, hash them, send the manifest, upload only the blobs the
 * server lacks, finalize, then optionally promote and create a test link. Blobs are content
 * addressed, so a rerun after an interruption sends only what never arrived. A folder whose
 * files are exactly those of the newest ready version makes no new version unless forced.
 */
import type { AppInfo, LiveChange } from "./api_types.ts";
import { SwitchyardClient } from "./client.ts";
import { CONFIG_FILE, readConfigFile } from "./config.ts";
import { ApiError, CliError, ExitCode } from "./errors.ts";
import { type HashedFile, hashFiles, listFiles } from "./files.ts";
import { loadIgnore } from "./ignore.ts";
import { commandLine } from "./invocation.ts";
import { checkPackagePaths } from "./local_check.ts";
import { finalize, Uploader } from "./upload.ts";
import { createProgress, type Progress } from "./progress.ts";

export interface DeployOptions {
  /** Folder to deploy; its files are served under their paths relative to it. */
  dir: string;
  app: string;
  /** Platform origin, e.g. `https://switchyard.example`. */
  url: string;
  token: string;
  label?: string;
  message?: string;
  /** Make the new version live. */
  promote?: boolean;
  /** With `promote`: the version believed live (`null`: none); a stale one fails (exit 6). */
  expect?: number | null;
  /** Create a test link with this label for the new version. */
  link?: string;
  /** Make a new version even when the newest ready one has exactly these files. */
  force?: boolean;
  /** Deploy `*.map` files too. */
  sourceMaps?: boolean;
  /** Uploads in flight at once (default 8). */
  concurrency?: number;
  /** Extra tries of a failed request (default 4). */
  retries?: number;
  /** How long one request may wait for its answer, in seconds (default 60). */
  timeoutSeconds?: number;
  progress?: Progress;
  signal?: AbortSignal;
  /** Called after each blob the server accepted (tests interrupt a deploy with it). */
  onBlobUploaded?: (sha256: string, size: number) => void;
}

export interface DeployResult {
  app: string;
  /** The version with these files: the new one, or the existing one when `unchanged`. */
  version: number;
  /** True when no version was made: the newest ready version already has exactly these files. */
  unchanged: boolean;
  files: number;
  bytes: number;
  /** Blobs sent: the files the server did not already hold. */
  uploaded: number;
  bytes_uploaded: number;
  /** The live version after the deploy. */
  live: number | null;
  /** Test link URL, when one was asked for. */
  link: string | null;
  link_expires_at: string | null;
  /** The app's live storefront URL. */
  url: string;
}

export async function deploy(options: DeployOptions): Promise<DeployResult> {
  const progress = options.progress ?? createProgress({ quiet: true });
  const client = new SwitchyardClient({
    url: options.url,
    token: options.token,
    retries: options.retries,
    timeoutSeconds: options.timeoutSeconds,
    signal: options.signal,
  });
  // Asking for the app first fails fast on a bad token or slug, before any hashing.
  const app = await client.getApp(options.app);
  const hashed = await hashPackage(options, progress);
  const same = options.force ? null : await versionWithFiles(client, app.slug, hashed);
  const uploader = new Uploader(client, app.slug, hashed, options, progress);
  let number: number;
  if (same !== null) {
    number = same;
    progress.note(
      `Version ${same} already has these files; no new version made (--force makes one)`,
    );
  } else {
    number = await makeVersion(client, app.slug, hashed, options, uploader);
    progress.note(`Version ${number} is ready`);
  }
  const live = options.promote
    ? await promote(client, app, number, options.expect, progress)
    : app.live;
  const link = options.link
    ? await client.createLink(app.slug, number, { label: options.link })
    : null;
  progress.done();
  return {
    app: app.slug,
    version: number,
    unchanged: same !== null,
    files: hashed.length,
    bytes: hashed.reduce((sum, file) => sum + file.size, 0),
    uploaded: uploader.blobs,
    bytes_uploaded: uploader.bytes,
    live,
    link: link?.url ?? null,
    link_expires_at: link?.expires_at ?? null,
    url: app.url,
  };
}

/** Sends the manifest, the blobs the server lacks, and finalizes; returns the version number. */
async function makeVersion(
  client: SwitchyardClient,
  slug: string,
  hashed: HashedFile[],
  options: DeployOptions,
  uploader: Uploader,
): Promise<number> {
  const { version, missing } = await client.createVersion(slug, {
    files: hashed.map(({ path, sha256, size }) => ({ path, sha256, size })),
    label: options.label,
    message: options.message,
  });
  await uploader.upload(missing);
  await finalize(client, slug, version.number, uploader);
  return version.number;
}

/**
 * The newest ready version when its files are exactly `files` (same paths, same hashes), else
 * null. The file count and total size are compared first (a version's `bytes` is the sum of its
 * files' sizes), so most changed packages cost one request, not a listing of every file.
 */
async function versionWithFiles(
  client: SwitchyardClient,
  slug: string,
  files: HashedFile[],
): Promise<number | null> {
  const newest = (await client.listVersions(slug, 20)).items.find((v) => v.status === "ready");
  const bytes = files.reduce((sum, file) => sum + file.size, 0);
  if (!newest || newest.file_count !== files.length || newest.bytes !== bytes) return null;
  // The server keeps paths in Unicode NFC (package/paths.ts); compare them that way.
  const key = (path: string, sha256: string) => `${path.normalize("NFC")}\0${sha256}`;
  const local = new Set(files.map((file) => key(file.path, file.sha256)));
  const remote = await client.listFiles(slug, newest.number);
  const same = remote.length === local.size &&
    remote.every((file) => local.has(key(file.path, file.sha256)));
  return same ? newest.number : null;
}

/** The files to deploy with their hashes, after the local checks passed. */
async function hashPackage(options: DeployOptions, progress: Progress): Promise<HashedFile[]> {
  const files = await listFiles(options.dir, await loadIgnore(options.dir, options));
  if (files.length === 0) {
    throw new CliError(
      ExitCode.usage,
      `Folder to deploy is empty: ${JSON.stringify(options.dir)}`,
      [
        "Build the storefront into it first, or name the folder that holds its index.html",
        "(dotfiles, node_modules/ and *.map are left out, as is what .switchyardignore lists)",
      ],
      "folder_empty",
    );
  }
  checkPackagePaths(files.map((file) => file.path));
  // The root switchyard.json is uploaded (the server reads its serving rules), so its deploy
  // section is checked here too: a token in it must never leave the machine, even when
  // `deploy()` is called without the CLI's settings resolution.
  const config = files.find((file) => file.path === CONFIG_FILE);
  if (config) await readConfigFile(config.absolute);
  progress.hashing(files.length);
  return await hashFiles(files, {
    signal: options.signal,
    onHashed: (file) => progress.hashed(file.size),
  });
}

async function promote(
  client: SwitchyardClient,
  app: AppInfo,
  version: number,
  expect: number | null | undefined,
  progress: Progress,
): Promise<number | null> {
  let change: LiveChange;
  try {
    change = await client.promote(app.slug, version, expect);
  } catch (error) {
    // A retried promote whose first try went through is refused as stale by the second;
    // the server then reports our own version live, which is success.
    const live = (error as ApiError).details as { live?: number | null } | undefined;
    if (error instanceof ApiError && error.attempts > 1 && live?.live === version) return version;
    if (error instanceof ApiError && error.code === "live_changed") {
      throw notMadeLive(app.slug, version, expect, live?.live ?? null);
    }
    throw error;
  }
  progress.note(`Version ${version} is live (was ${change.previous ?? "none"})`);
  return change.version;
}

/** A stale `--expect`: the version is ready, and the person needs its number to go on. */
function notMadeLive(
  slug: string,
  version: number,
  expect: number | null | undefined,
  live: number | null,
): CliError {
  return new CliError(
    ExitCode.conflict,
    `Version ${version} is ready but was not made live, as --expect is stale: ` +
      `${live === null ? "nothing" : `version ${live}`} is live, not ${
        expect === null || expect === undefined ? "nothing" : `version ${expect}`
      }`,
    [
      `Version ${version} of "${slug}" is ready; nothing else changed.`,
      `Make it live anyway: ${commandLine(`promote ${version} --app ${slug}`)}`,
    ],
    "live_changed",
    { version, live },
  );
}
