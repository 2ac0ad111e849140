/**
 * `deno task build`: everything the server needs that cannot be made at request time (Deno Deploy
 * runs no esbuild, spawns nothing and writes no files there), into `_build/`:
 *
 * - `cli.js`: `cli/main.ts` as one ES module, served at `/cli.js` so a merchant's CI runs
 *   `deno run -A https://<platform>/cli.js deploy …` with nothing installed;
 * - `islands/`: every `islands/*.tsx` bundled for the browser with code splitting and
 *   content-hashed names (Fresh's model, DESIGN "Dependencies");
 * - `manifest.json`, written last: what the server loads at start (`lib/build_output.ts`).
 */
import * as esbuild from "esbuild";
import { fileURLToPath as fromFileUrl } from "node:url";
import { type BuildManifest, MANIFEST_FILE } from "./lib/build_output.ts";
import { sha256Hex } from "./lib/crypto.ts";

const ROOT = new URL("./", import.meta.url);

export interface BuildOptions {
  /** Default `_build/` beside this file. Emptied first. */
  outDir?: URL;
  /** Default `islands/`. */
  islandsDir?: URL;
  /** Default `cli/main.ts`. */
  cliEntry?: URL;
}

const CLI_FILE = "cli.js";
const ISLANDS = "islands";
const ISLAND_FILE = /^([A-Za-z][\w-]*)\.(tsx|jsx)$/;

export async function build(options: BuildOptions = {}): Promise<BuildManifest> {
  const outDir = options.outDir ?? new URL("_build/", ROOT);
  // Emptied first, so the folder holds exactly this build, and a build that fails leaves no
  // manifest: the server then says the build is missing instead of serving an older one.
  await Deno.remove(outDir, { recursive: true }).catch((error) => {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  });
  await Deno.mkdir(outDir, { recursive: true });
  try {
    await bundleCli(options.cliEntry ?? new URL("cli/main.ts", ROOT), new URL(CLI_FILE, outDir));
    const islands = await bundleIslands(
      options.islandsDir ?? new URL(`${ISLANDS}/`, ROOT),
      new URL(`${ISLANDS}/`, outDir),
    );
    const manifest: BuildManifest = {
      built_at: new Date().toISOString(),
      cli: CLI_FILE,
      islands,
      files: await describeFiles(outDir),
    };
    await Deno.writeTextFile(
      new URL(MANIFEST_FILE, outDir),
      JSON.stringify(manifest, null, 2) + "\n",
    );
    return manifest;
  } finally {
    await esbuild.stop();
  }
}

/** The CLI imports only `node:` built-ins and relative files, so the bundle is self-contained. */
async function bundleCli(entry: URL, outfile: URL): Promise<void> {
  await esbuild.build({
    entryPoints: [fromFileUrl(entry)],
    outfile: fromFileUrl(outfile),
    bundle: true,
    format: "esm",
    platform: "neutral",
    target: "es2022",
    external: ["node:*"],
    charset: "utf8",
    logLevel: "warning",
    banner: {
      js: "// Switchyard CLI, bundled by `deno task build`. " +
        "Run: deno run -A https://<platform>/cli.js --help",
    },
  });
}

/** Bundles each top-level `islands/*.tsx`; returns island name → path of its entry bundle. */
async function bundleIslands(dir: URL, outDir: URL): Promise<Record<string, string>> {
  const entryPoints: Record<string, string> = {};
  for (const entry of await listDir(dir)) {
    const match = entry.isFile ? ISLAND_FILE.exec(entry.name) : null;
    if (match) entryPoints[match[1]] = fromFileUrl(new URL(entry.name, dir));
  }
  if (Object.keys(entryPoints).length === 0) return {};
  const result = await esbuild.build({
    entryPoints,
    outdir: fromFileUrl(outDir),
    entryNames: "[name]-[hash]",
    chunkNames: "chunk-[hash]",
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    minify: true,
    jsx: "automatic",
    jsxImportSource: "preact",
    // Islands outside the project (tests build fixtures) still find the pinned npm packages.
    nodePaths: [fromFileUrl(new URL("node_modules/", ROOT))],
    metafile: true,
    logLevel: "warning",
  });
  const byInput = new Map(Object.entries(entryPoints).map(([name, path]) => [path, name]));
  const islands: Record<string, string> = {};
  for (const [output, info] of Object.entries(result.metafile.outputs)) {
    if (!info.entryPoint) continue;
    const name = byInput.get(resolvePath(info.entryPoint));
    const base = output.slice(output.lastIndexOf("/") + 1);
    if (name !== undefined) islands[name] = `${ISLANDS}/${base}`;
  }
  return islands;
}

async function listDir(dir: URL): Promise<Deno.DirEntry[]> {
  try {
    return await Array.fromAsync(Deno.readDir(dir));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw error;
  }
}

/** esbuild names inputs relative to the working folder. */
function resolvePath(path: string): string {
  return path.startsWith("/") ? path : fromFileUrl(new URL(path, `file://${Deno.cwd()}/`));
}

async function describeFiles(dir: URL, prefix = ""): Promise<BuildManifest["files"]> {
  const files: BuildManifest["files"] = {};
  for await (const entry of Deno.readDir(dir)) {
    if (entry.isDirectory) {
      const inner = await describeFiles(new URL(`${entry.name}/`, dir), `${prefix}${entry.name}/`);
      Object.assign(files, inner);
    } else if (entry.isFile) {
      const bytes = await Deno.readFile(new URL(entry.name, dir));
      files[prefix + entry.name] = { sha256: await sha256Hex(bytes), size: bytes.byteLength };
    }
  }
  return Object.fromEntries(Object.entries(files).sort(([a], [b]) => a < b ? -1 : 1));
}

if (import.meta.main) {
  const manifest = await build();
  const files = Object.entries(manifest.files);
  const bytes = files.reduce((sum, [, file]) => sum + file.size, 0);
  const islands = Object.keys(manifest.islands);
  console.log(
    `Built _build/: ${files.length} files, ${(bytes / 1024).toFixed(1)} KiB ` +
      `(cli.js, ${islands.length} island${islands.length === 1 ? "" : "s"}` +
      `${islands.length ? `: ${islands.join(", ")}` : ""})`,
  );
}
