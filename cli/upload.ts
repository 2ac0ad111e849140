/**
 * Sending a version's bytes: the blobs the server lacks, largest first and a few at a time, then
 * the finalize that makes the version ready (re-sending a blob collected in between).
 */
import type { SwitchyardClient } from "./client.ts";
import { ApiError, CliError, ExitCode } from "./errors.ts";
import type { HashedFile } from "./files.ts";
import { mapPool } from "./pool.ts";
import type { Progress } from "./progress.ts";

const UPLOAD_CONCURRENCY = 8;

/** What of a deploy's options the uploads heed. */
export interface UploadOptions {
  /** Uploads in flight at once (default 8). */
  concurrency?: number;
  signal?: AbortSignal;
  /** Called after each blob the server accepted. */
  onBlobUploaded?: (sha256: string, size: number) => void;
}

export class Uploader {
  blobs = 0;
  bytes = 0;
  readonly #bySha = new Map<string, HashedFile>();

  constructor(
    readonly client: SwitchyardClient,
    readonly slug: string,
    files: HashedFile[],
    readonly options: UploadOptions,
    readonly progress: Progress,
  ) {
    for (const file of files) if (!this.#bySha.has(file.sha256)) this.#bySha.set(file.sha256, file);
  }

  /** Sends the listed blobs, largest first so one big file does not finish alone at the end. */
  async upload(missing: string[]): Promise<void> {
    const files = missing.flatMap((sha) => this.#bySha.get(sha) ?? []);
    files.sort((a, b) => b.size - a.size);
    if (files.length === 0) {
      return this.progress.note("The server already holds every file; nothing to upload");
    }
    this.progress.uploading(files.length, files.reduce((sum, file) => sum + file.size, 0));
    const concurrency = this.options.concurrency ?? UPLOAD_CONCURRENCY;
    await mapPool(files, concurrency, (file) => this.#send(file), this.options.signal);
  }

  async #send(file: HashedFile): Promise<void> {
    const bytes = await Deno.readFile(file.absolute);
    try {
      await this.client.putBlob(this.slug, file.sha256, bytes);
    } catch (error) {
      if (error instanceof ApiError && error.code === "hash_mismatch") {
        throw new CliError(
          ExitCode.unexpected,
          `File changed while deploying: "${file.path}"; run the deploy again`,
          [],
          "file_changed",
        );
      }
      throw error;
    }
    this.blobs++;
    this.bytes += bytes.byteLength;
    this.progress.uploaded(bytes.byteLength);
    this.options.onBlobUploaded?.(file.sha256, bytes.byteLength);
  }
}

/**
 * Finalizes, and if the server still misses blobs (one it had may have been collected as
 * garbage between the manifest and now), sends those once and finalizes again.
 */
export async function finalize(
  client: SwitchyardClient,
  slug: string,
  version: number,
  uploader: Uploader,
): Promise<void> {
  try {
    await client.finalize(slug, version);
  } catch (error) {
    if (!(error instanceof ApiError) || error.code !== "blobs_missing") throw error;
    const { missing } = error.details as { missing: string[] };
    await uploader.upload(missing);
    await client.finalize(slug, version);
  }
}
