import { PackageError } from "../lib/errors.ts";

/**
 * Paths of files in a package. Shared by the archive readers, the manifest upload flow and
 * the CLI, so every refusal carries a message that stands on its own.
 */

/** Longest path, in UTF-8 bytes; the edge keys files by path, and URLs this long are suspect. */
const MAX_PATH_BYTES = 1024;
/** Longest folder or file name, in UTF-8 bytes (NAME_MAX on Linux and most file systems). */
const MAX_SEGMENT_BYTES = 255;
/** Folders Switchyard injects at run time on every storefront host (DESIGN "Edge"). */
const RESERVED_ROOT_FOLDERS: readonly string[] = ["settings", "analytics"];

// C0 controls (NUL included), DEL and C1 controls: invisible in a listing, and NUL truncates
// the name for any C API that later sees it. Matching them is the point of this pattern.
// deno-lint-ignore no-control-regex
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;
const WINDOWS_DRIVE = /^[A-Za-z]:[\\/]/;
const SHOWN_CHARACTERS = 200;

/**
 * Quotes a raw entry for a message, escaping what a terminal would hide or act on (controls,
 * lone surrogates) and shortening very long names.
 */
export function quoteEntry(raw: string): string {
  const shown = raw.length > SHOWN_CHARACTERS ? `${raw.slice(0, SHOWN_CHARACTERS)}…` : raw;
  // JSON escapes C0 and lone surrogates but leaves DEL and C1 as they are.
  return JSON.stringify(shown).replace(
    /[\u007f-\u009f]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/** UTF-8 length of a well-formed string, without allocating its encoding. */
function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

function refuse(rule: string, message: string, raw: string): never {
  throw new PackageError(rule, `${message}: ${quoteEntry(raw)}`, raw);
}

/**
 * Checks the path of one file of a package and returns it normalized (Unicode NFC, so names
 * typed on macOS and elsewhere match). Throws a `PackageError` naming the entry otherwise.
 * A `"folder"` (an archive's folder entry) may end with one "/".
 */
export function validatePackagePath(raw: string, kind: "file" | "folder" = "file"): string {
  if (raw === "") refuse("empty_path", "Package entry has an empty path", raw);
  const path = kind === "folder" && raw.length > 1 && raw.endsWith("/") ? raw.slice(0, -1) : raw;
  if (!path.isWellFormed()) {
    refuse("invalid_unicode", "Package entry name is not valid Unicode (lone surrogate)", raw);
  }
  const control = CONTROL_CHARACTER.exec(path);
  if (control) {
    const what = control[0] === "\0" ? "a NUL character" : "a control character";
    refuse("control_character", `Package entry name contains ${what}`, raw);
  }
  if (path.startsWith("/") || path.startsWith("\\") || WINDOWS_DRIVE.test(path)) {
    refuse(
      "absolute_path",
      "Package entry path is absolute; make it relative to the app root",
      raw,
    );
  }
  if (path.includes("\\")) {
    refuse(
      "backslash_path",
      'Package entry path contains a backslash; separate folders with "/"',
      raw,
    );
  }
  const segments = path.split("/");
  if (segments.includes("..")) refuse("path_escape", "Package entry escapes the app root", raw);
  if (kind === "file" && path.endsWith("/")) {
    refuse("trailing_slash", 'Package file path ends with "/"', raw);
  }
  if (utf8Length(path) > MAX_PATH_BYTES) {
    refuse("path_too_long", `Package entry path is longer than ${MAX_PATH_BYTES} bytes`, raw);
  }
  for (const segment of segments) {
    if (segment === "") refuse("empty_segment", 'Package entry path contains "//"', raw);
    if (segment === ".") refuse("dot_segment", 'Package entry path contains a "." segment', raw);
    if (utf8Length(segment) > MAX_SEGMENT_BYTES) {
      refuse(
        "path_too_long",
        `Package entry has a folder or file name longer than ${MAX_SEGMENT_BYTES} bytes`,
        raw,
      );
    }
  }
  return path.normalize("NFC");
}

/** The one folder every path lives under, or null (an `npm pack` tarball has `package/`). */
function sharedTopFolder(paths: readonly string[]): string | null {
  let top: string | null = null;
  for (const path of paths) {
    const slash = path.indexOf("/");
    if (slash === -1) return null;
    const folder = path.slice(0, slash + 1);
    if (top === null) top = folder;
    else if (folder !== top) return null;
  }
  return top;
}

/** Refuses `settings/` and `analytics/` at the root: Switchyard serves those paths itself. */
export function checkReserved(finalPath: string, raw: string): void {
  const slash = finalPath.indexOf("/");
  if (slash === -1) return;
  const folder = finalPath.slice(0, slash);
  if (!RESERVED_ROOT_FOLDERS.includes(folder)) return;
  throw new PackageError(
    "reserved_folder",
    `Remove the "${folder}/" folder from the package root: Switchyard injects ${folder}/ ` +
      `at run time; found ${quoteEntry(raw)}`,
    raw,
  );
}

/** A file may not also be a folder of another file ("a" and "a/b"): no file system holds both. */
function checkFileFolderConflicts(finals: Map<string, string>): void {
  for (const [finalPath, raw] of finals) {
    for (
      let slash = finalPath.indexOf("/");
      slash !== -1;
      slash = finalPath.indexOf("/", slash + 1)
    ) {
      const folder = finalPath.slice(0, slash);
      if (finals.has(folder)) {
        throw new PackageError(
          "path_conflict",
          `Package path is both a file and a folder: ${quoteEntry(folder)} (see ${
            quoteEntry(raw)
          })`,
          raw,
        );
      }
    }
  }
}

/**
 * Archivers' artefacts that are not part of the app: `tar -C dist -czf app.tgz .` writes `./`
 * before every name, and macOS Finder adds a `__MACOSX/` folder of resource forks. Returns the
 * name without them, or null for an entry to skip.
 */
export function archiveEntryName(name: string): string | null {
  if (!name.startsWith("./")) return isFinderFork(name) ? null : name;
  let out = name;
  while (out.startsWith("./")) out = out.slice(2);
  if (out === "" || out === ".") return null;
  return isFinderFork(out) ? null : out;
}

function isFinderFork(name: string): boolean {
  return name === "__MACOSX/" || name.startsWith("__MACOSX/");
}

/**
 * Turns the validated raw paths of a package into the paths it is served under (raw → final):
 * normalizes each, strips a single top-level folder shared by every file, then refuses
 * `settings/` or `analytics/` at the root, duplicates and a missing `index.html`.
 */
export function finalizePackagePaths(
  paths: readonly string[],
  options: { stripTopFolder?: boolean } = {},
): Map<string, string> {
  if (paths.length === 0) {
    throw new PackageError(
      "empty_package",
      "Package contains no files; add an index.html at its root",
    );
  }
  const normalized = paths.map((path) => validatePackagePath(path));
  // The manifest flow sends paths relative to the folder deployed: nothing to strip there.
  const top = options.stripTopFolder === false ? null : sharedTopFolder(normalized);
  const rawByFinal = new Map<string, string>();
  const finalByRaw = new Map<string, string>();
  normalized.forEach((path, i) => {
    const raw = paths[i];
    const finalPath = top === null ? path : path.slice(top.length);
    checkReserved(finalPath, raw);
    const earlier = rawByFinal.get(finalPath);
    if (earlier !== undefined) {
      throw new PackageError(
        "duplicate_entry",
        `Package contains the same path twice (after normalization): ${quoteEntry(finalPath)} ` +
          `from ${quoteEntry(earlier)} and ${quoteEntry(raw)}`,
        raw,
      );
    }
    rawByFinal.set(finalPath, raw);
    finalByRaw.set(raw, finalPath);
  });
  checkFileFolderConflicts(rawByFinal);
  if (!rawByFinal.has("index.html")) {
    const where = top === null ? "" : ` (the shared top folder ${quoteEntry(top)} is stripped)`;
    throw new PackageError(
      "missing_index",
      `Package has no "index.html" at its root${where}; add one, it is the storefront's entry page`,
    );
  }
  return finalByRaw;
}
