/**
 * The start bundle (DESIGN "Cold start"): `program.ts` and everything it imports, made by
 * `deno task build` into `_start/` (lib/start_bundle_build.ts) and run by `main.ts` in place of
 * the ~70 source modules of the start. Loading one bundled module saves a fresh process
 * ~13 ms of its first byte (docs/BENCHMARKS.md "Cold start").
 *
 * A bundle runs only when it was built from exactly the files here: `inputs.json` names every
 * file it was made from and a SHA-256 over them, and this reads them again (1–2 ms, measured,
 * while main.ts loads the bundle) before choosing it. An edit without a rebuild runs from source,
 * never a stale bundle.
 */

/** Where the build writes the start bundle, beside `_build/`. */
export const START_DIR_NAME = "_start/";
export const START_ENTRY = "program.js";
export const START_INPUTS = "inputs.json";

const ROOT = new URL("../", import.meta.url);

/** What `_start/inputs.json` holds. */
export interface StartInputs {
  built_at: string;
  /** The files the bundle was made from, relative to the project root, sorted. */
  files: string[];
  /** Hex SHA-256 of `inputsDigest(files)`. */
  sha256: string;
}

/** Hex SHA-256 over each file's path and bytes, in the order given. Throws if one is gone. */
export async function inputsDigest(files: string[], root: URL = ROOT): Promise<string> {
  const encoder = new TextEncoder();
  const parts: Uint8Array[] = [];
  for (const path of files) {
    parts.push(encoder.encode(`${path}\0`), Deno.readFileSync(new URL(path, root)), ZERO);
  }
  const all = new Uint8Array(parts.reduce((sum, part) => sum + part.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    all.set(part, offset);
    offset += part.byteLength;
  }
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", all));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

const ZERO = Uint8Array.of(0);

/** Where the start bundle's entry is (whether or not there is one). */
export function startBundleEntry(root: URL = ROOT): URL {
  return new URL(`${START_DIR_NAME}${START_ENTRY}`, root);
}

/**
 * The start bundle's entry when `_start/` holds one built from the files under `root` as they
 * are now; null when there is none, it is unreadable or any of its sources changed.
 */
export async function currentStartBundle(root: URL = ROOT): Promise<URL | null> {
  const dir = new URL(START_DIR_NAME, root);
  try {
    const inputs: StartInputs = JSON.parse(
      Deno.readTextFileSync(new URL(START_INPUTS, dir)),
    );
    if (!Array.isArray(inputs.files) || inputs.files.length === 0) return null;
    return await inputsDigest(inputs.files, root) === inputs.sha256 ? startBundleEntry(root) : null;
  } catch {
    // No bundle, a malformed inputs.json, or a source file gone since: run from source.
    return null;
  }
}
