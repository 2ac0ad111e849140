/**
 * The files of the deployed folder: found by walking it (minus ignored entries), then
 * hashed. Only the hashes are kept; the bytes of the few files the server lacks are read
 * again at upload time, so memory stays flat however large the package is.
 */
import { sha256Hex } from "../lib/crypto.ts";
import { CliError, ExitCode } from "./errors.ts";
import type { Ignore } from "./ignore.ts";
import { mapPool } from "./pool.ts";

export interface LocalFile {
  /** Relative to the deployed folder, "/"-separated: the path the file is served under. */
  path: string;
  /** Where to read it on disk. */
  absolute: string;
}

export interface HashedFile extends LocalFile {
  size: number;
  sha256: string;
}

/** Files under `dir` that `ignore` keeps, sorted by path. Symlinks are followed once. */
export async function listFiles(dir: string, ignore: Ignore): Promise<LocalFile[]> {
  let root: string;
  try {
    root = await Deno.realPath(dir);
    if (!(await Deno.stat(root)).isDirectory) throw new Deno.errors.NotADirectory(dir);
  } catch {
    throw new CliError(ExitCode.usage, `Folder to deploy not found: "${dir}"`, [], "usage");
  }
  const files: LocalFile[] = [];
  await walk(root, "", ignore, files, new Set([root]));
  return files.sort((a, b) => a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
}

async function walk(
  absolute: string,
  prefix: string,
  ignore: Ignore,
  out: LocalFile[],
  seen: Set<string>,
): Promise<void> {
  for await (const entry of Deno.readDir(absolute)) {
    const path = prefix + entry.name;
    const child = `${absolute}/${entry.name}`;
    // Symlinks are resolved so a linked asset is deployed as the file it points to.
    const info = entry.isSymlink ? await statOrNull(child) : entry;
    if (info === null) continue;
    if (info.isDirectory) {
      if (ignore.ignores(path, true)) continue;
      // A symlink back into an ancestor would loop forever; each real folder is read once.
      const real = entry.isSymlink ? await Deno.realPath(child) : child;
      if (seen.has(real)) continue;
      seen.add(real);
      await walk(child, `${path}/`, ignore, out, seen);
    } else if (info.isFile && !ignore.ignores(path)) {
      out.push({ path, absolute: child });
    }
  }
}

async function statOrNull(path: string): Promise<Deno.FileInfo | null> {
  try {
    return await Deno.stat(path);
  } catch {
    return null; // A dangling symlink points at nothing to deploy.
  }
}

export interface HashOptions {
  concurrency?: number;
  signal?: AbortSignal;
  onHashed?: (file: HashedFile) => void;
}

/** SHA-256 of every file, at most `concurrency` (default 16) files open at once. */
export function hashFiles(files: LocalFile[], options: HashOptions = {}): Promise<HashedFile[]> {
  return mapPool(files, options.concurrency ?? 16, async (file) => {
    const bytes = await Deno.readFile(file.absolute);
    const hashed = { ...file, size: bytes.byteLength, sha256: await sha256Hex(bytes) };
    options.onHashed?.(hashed);
    return hashed;
  }, options.signal);
}
