/**
 * A dropped or picked folder as the files `deno task deploy` would send: paths relative to the
 * folder (a single top-level folder stripped), the CLI's default ignores (dotfiles but
 * `.well-known/`, `node_modules/`, source maps: cli/ignore.ts), each hashed with Web Crypto.
 */

export interface PickedFile {
  path: string;
  file: File;
}

export interface HashedFile extends PickedFile {
  sha256: string;
  size: number;
}

const ARCHIVE = /\.(zip|tar\.gz|tgz)$/i;

/** Whether a lone file is an archive to send whole. */
export function isArchive(file: File): boolean {
  return ARCHIVE.test(file.name);
}

/** The media type the API takes the archive as. */
export function archiveType(file: File): string {
  return /\.zip$/i.test(file.name) ? "application/zip" : "application/gzip";
}

/** Whether the CLI's default rules leave `path` out. */
export function ignored(path: string): boolean {
  const parts = path.split("/");
  if (parts.some((part) => part === "node_modules")) return true;
  if (parts.some((part) => part.startsWith(".") && part !== ".well-known")) return true;
  return path.endsWith(".map");
}

/** Strips one folder every path starts with (a dropped `dist/` holds `dist/index.html`). */
export function stripCommonFolder(files: PickedFile[]): PickedFile[] {
  const first = files[0]?.path.split("/")[0];
  if (!first || !files.every((f) => f.path.startsWith(`${first}/`))) return files;
  return files.map((f) => ({ ...f, path: f.path.slice(first.length + 1) }));
}

/** Files of a drop: folders walked through the entries API, plain files as they are. */
export async function filesOfDrop(data: DataTransfer): Promise<PickedFile[]> {
  const entries = [...data.items]
    .map((item) => item.kind === "file" ? item.webkitGetAsEntry?.() ?? null : null);
  if (entries.length > 0 && entries.every((entry) => entry !== null)) {
    const found: PickedFile[] = [];
    for (const entry of entries) await walk(entry!, found);
    return found;
  }
  // A drop made by a script (and some browsers) has no entries: its files, by relative path.
  return [...data.files].map((file) => ({ path: file.webkitRelativePath || file.name, file }));
}

/** Files an `<input webkitdirectory>` picked. */
export function filesOfInput(list: FileList): PickedFile[] {
  return [...list].map((file) => ({ path: file.webkitRelativePath || file.name, file }));
}

async function walk(entry: FileSystemEntry, found: PickedFile[]): Promise<void> {
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) =>
      (entry as FileSystemFileEntry).file(resolve, reject)
    );
    found.push({ path: entry.fullPath.replace(/^\//, ""), file });
    return;
  }
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  // readEntries answers in batches (Chromium: 100) until it answers none.
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) =>
      reader.readEntries(resolve, reject)
    );
    if (batch.length === 0) return;
    for (const child of batch) await walk(child, found);
  }
}

/** SHA-256 of each file, in hex; `onHashed` after each (for the progress bar). */
export async function hashFiles(
  files: PickedFile[],
  onHashed: (done: number) => void,
  signal: AbortSignal,
): Promise<HashedFile[]> {
  const hashed: HashedFile[] = [];
  for (const picked of files) {
    signal.throwIfAborted();
    const digest = await crypto.subtle.digest("SHA-256", await picked.file.arrayBuffer());
    const sha256 = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
    hashed.push({ ...picked, sha256, size: picked.file.size });
    onHashed(hashed.length);
  }
  return hashed;
}
