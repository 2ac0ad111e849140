/**
 * The files of the deployed folder: found by walking it (minus ignored entries), then
 * hashed. Only the hashes are kept; the bytes of the few files the server lacks are read
 * again at upload time, so memory stays flat however large the package is.
 */
import { isAbsolute, join, relative, sep as SEP } from "node:path";
import { sha256HexSync } from "../lib/sha256_sync.ts";
import { quoteEntry } from "../package/paths.ts";
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

/**
 * Files under `dir` that `ignore` keeps, sorted by path. A symlink is followed when its real
 * path is inside `dir`, and deployed under the link's own path; one that leads outside would
 * publish a file never meant to be (`dist/config.txt -> ../.env`), so, as archive uploads
 * refuse links, the package is refused (exit 5) listing every such entry. Ignored entries are
 * never followed, so where they point does not matter.
 */
export async function listFiles(dir: string, ignore: Ignore): Promise<LocalFile[]> {
  let root: string;
  try {
    root = await Deno.realPath(dir);
    if (!(await Deno.stat(root)).isDirectory) throw new Deno.errors.NotADirectory(dir);
  } catch {
    throw new CliError(ExitCode.usage, `Folder to deploy not found: "${dir}"`, [], "usage");
  }
  const walk = new Walk(root, ignore);
  await walk.folder(root, "", new Set([root]));
  if (walk.outside.length > 0) throw outsideRefusal(walk.outside);
  return walk.files.sort(byPath);
}

interface OutsideLink {
  path: string;
  target: string;
}

class Walk {
  readonly files: LocalFile[] = [];
  readonly outside: OutsideLink[] = [];

  constructor(readonly root: string, readonly ignore: Ignore) {}

  /**
   * Reads the real folder `absolute`, served under `prefix`. `ancestors` are the real folders
   * being read above it: a symlink back to one would loop forever, so it is skipped. A link to
   * any other folder is read again under the link's path, as the merchant asked.
   */
  async folder(absolute: string, prefix: string, ancestors: Set<string>): Promise<void> {
    for await (const entry of Deno.readDir(absolute)) {
      const path = prefix + entry.name;
      const child = join(absolute, entry.name);
      // A link is resolved once, through any chain of links, and the resolved path is what is
      // checked, walked and later read.
      const target = entry.isSymlink ? await resolveLink(child) : { real: child, info: entry };
      if (target === null) continue; // A dangling symlink points at nothing to deploy.
      const { real, info } = target;
      if (info.isDirectory) {
        if (this.ignore.ignores(path, true)) continue;
        if (entry.isSymlink && !this.#inside(path, real)) continue;
        if (ancestors.has(real)) continue;
        ancestors.add(real);
        await this.folder(real, `${path}/`, ancestors);
        ancestors.delete(real);
      } else if (info.isFile && !this.ignore.ignores(path)) {
        if (entry.isSymlink && !this.#inside(path, real)) continue;
        this.files.push({ path, absolute: real });
      }
    }
  }

  /** Whether `real` is inside the deployed folder; if not, records the link at `path`. */
  #inside(path: string, real: string): boolean {
    const rel = relative(this.root, real);
    if (rel !== ".." && !rel.startsWith(`..${SEP}`) && !isAbsolute(rel)) return true;
    this.outside.push({ path, target: real });
    return false;
  }
}

async function resolveLink(link: string): Promise<{ real: string; info: Deno.FileInfo } | null> {
  try {
    const real = await Deno.realPath(link);
    return { real, info: await Deno.stat(real) };
  } catch {
    return null;
  }
}

function byPath(a: { path: string }, b: { path: string }): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

function outsideRefusal(links: OutsideLink[]): CliError {
  links.sort(byPath);
  const count = links.length === 1 ? "1 entry" : `${links.length} entries`;
  return new CliError(
    ExitCode.packageRefused,
    `Package refused before upload (${count}); nothing was sent`,
    links.map(({ path, target }) =>
      `Symlink ${quoteEntry(path)} leads outside the deployed folder (to ${
        JSON.stringify(target)
      }): copy the file into the folder, or remove the link`
    ),
    "package_symlink_outside",
  );
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
    const hashed = { ...file, size: bytes.byteLength, sha256: sha256HexSync(bytes) };
    options.onHashed?.(hashed);
    return hashed;
  }, options.signal);
}
