/**
 * The two ways a version goes up from the browser. A folder goes as `deno task deploy` goes:
 * hash every file, send the manifest, upload only the blobs the server lacks, finalize. An
 * archive goes whole, in one request. Both report progress and stop when cancelled.
 */
import { archiveType, type HashedFile, hashFiles, type PickedFile } from "./folder.ts";
import { pool, refusal, send, type Sent } from "./transfer.ts";

export interface Progress {
  phase: "hashing" | "uploading" | "installing";
  files: number;
  filesDone: number;
  bytes: number;
  bytesDone: number;
}

export type UploadResult =
  | { ok: true; version: number; sentBlobs: number; sentBytes: number }
  | { ok: false; message: string; entries: string[] };

const BLOBS_AT_ONCE = 4;

type Refused = { message: string; entries: string[] };

function query(meta: { label: string; message: string }): string {
  const params = new URLSearchParams();
  if (meta.label) params.set("label", meta.label);
  if (meta.message) params.set("message", meta.message);
  const text = params.toString();
  return text ? `?${text}` : "";
}

export async function uploadFolder(
  slug: string,
  picked: PickedFile[],
  meta: { label: string; message: string },
  onProgress: (progress: Progress) => void,
  signal: AbortSignal,
): Promise<UploadResult> {
  const total = picked.reduce((sum, f) => sum + f.file.size, 0);
  const report = (p: Omit<Progress, "files" | "bytes"> & Partial<Progress>) =>
    onProgress({ files: picked.length, bytes: total, ...p });
  report({ phase: "hashing", filesDone: 0, bytesDone: 0 });
  const files = await hashFiles(
    picked,
    (done) => report({ phase: "hashing", filesDone: done, bytesDone: 0 }),
    signal,
  );
  const manifest = await fetch(`/api/v1/apps/${slug}/versions`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify({
      files: files.map(({ path, sha256, size }) => ({ path, sha256, size })),
      label: meta.label || undefined,
      message: meta.message || undefined,
    }),
    signal,
  });
  const answer = { status: manifest.status, body: await manifest.text() };
  if (!manifest.ok) return { ok: false, ...refusal(answer, files.map((f) => f.path)) };
  const { version, missing } = JSON.parse(answer.body) as {
    version: { number: number };
    missing: string[];
  };
  const sent = await sendBlobs(slug, files, missing, onProgress, signal);
  if ("message" in sent) return { ok: false, ...sent };
  onProgress({ phase: "installing", ...sent.progress });
  const done = await fetch(`/api/v1/apps/${slug}/versions/${version.number}/finalize`, {
    method: "POST",
    headers: { accept: "application/json" },
    signal,
  });
  if (!done.ok) return { ok: false, ...refusal({ status: done.status, body: await done.text() }) };
  return { ok: true, version: version.number, sentBlobs: sent.blobs, sentBytes: sent.bytes };
}

async function sendBlobs(
  slug: string,
  files: HashedFile[],
  missing: string[],
  onProgress: (progress: Progress) => void,
  signal: AbortSignal,
): Promise<Refused | { blobs: number; bytes: number; progress: Omit<Progress, "phase"> }> {
  const bySha = new Map(files.map((f) => [f.sha256, f]));
  // Largest first, so one big file does not finish alone at the end (as the CLI does).
  const blobs = [...new Set(missing)].flatMap((sha) => bySha.get(sha) ?? [])
    .sort((a, b) => b.size - a.size);
  const progress = {
    files: blobs.length,
    filesDone: 0,
    bytes: blobs.reduce((sum, f) => sum + f.size, 0),
    bytesDone: 0,
  };
  const inFlight = new Map<string, number>();
  const update = () => {
    const moving = [...inFlight.values()].reduce((a, b) => a + b, 0);
    onProgress({ phase: "uploading", ...progress, bytesDone: progress.bytesDone + moving });
  };
  update();
  let failed = null as Refused | null;
  await pool(blobs, BLOBS_AT_ONCE, async (file) => {
    if (failed) return;
    const answer: Sent = await send(
      "PUT",
      `/api/v1/apps/${slug}/blobs/${file.sha256}`,
      file.file,
      "application/octet-stream",
      (bytes) => {
        inFlight.set(file.sha256, bytes);
        update();
      },
      signal,
    );
    inFlight.delete(file.sha256);
    if (answer.status >= 300) {
      const why = refusal(answer);
      failed = { message: why.message, entries: [`${file.path}: ${why.message}`] };
      return;
    }
    progress.filesDone++;
    progress.bytesDone += file.size;
    update();
  }, signal);
  return failed ?? { blobs: blobs.length, bytes: progress.bytes, progress };
}

export async function uploadArchive(
  slug: string,
  file: File,
  meta: { label: string; message: string },
  onProgress: (progress: Progress) => void,
  signal: AbortSignal,
): Promise<UploadResult> {
  const progress = { files: 1, filesDone: 0, bytes: file.size, bytesDone: 0 };
  onProgress({ phase: "uploading", ...progress });
  const answer = await send(
    "POST",
    `/api/v1/apps/${slug}/versions${query(meta)}`,
    file,
    archiveType(file),
    (bytes) => {
      const phase = bytes >= file.size ? "installing" : "uploading";
      onProgress({ phase, ...progress, bytesDone: bytes });
    },
    signal,
  );
  if (answer.status !== 201) return { ok: false, ...refusal(answer) };
  const version = JSON.parse(answer.body) as { number: number };
  return { ok: true, version: version.number, sentBlobs: 0, sentBytes: file.size };
}
