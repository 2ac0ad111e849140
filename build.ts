/**
 * `deno task build`: everything the server needs that cannot be made at request time (Deno Deploy
 * runs no esbuild, spawns nothing and writes no files there), into `_build/`:
 *
 * - `cli.js`: `cli/main.ts` as one ES module, served at `/cli.js` so a merchant's CI runs
 *   `deno run -A https://<platform>/cli.js deploy …` with nothing installed;
 * - `islands/`: every `islands/*.tsx` bundled for the browser with code splitting and
 *   content-hashed names (Fresh's model, DESIGN "Dependencies");
 * - `swagger-ui-<version>/`: the API reference's renderer, copied from the npm package so the
 *   platform serves it from its own origin (`/api/v1/docs`);
 * - `manifest.json`, written last: what the server loads at start (`lib/build_output.ts`).
 *
 * `--if-stale` builds only when `_build/` is missing or was built from other sources (the
 * manifest keeps a fingerprint of them): `deno task start` runs it first, so a fresh clone
 * serves `/cli.js`, and a start with a current build pays a few milliseconds, not esbuild.
 */
import { fileURLToPath as fromFileUrl } from "node:url";
import { type BuildManifest, MANIFEST_FILE } from "./lib/build_output.ts";
import { sha256Hex } from "./lib/crypto.ts";
import { CLIENT_NAME } from "./lib/islands.ts";

const ROOT = new URL("./", import.meta.url);

export interface BuildOptions {
  /** Default `_build/` beside this file. Emptied first. */
  outDir?: URL;
  /** Default `islands/`. */
  islandsDir?: URL;
  /** Default `cli/main.ts`. */
  cliEntry?: URL;
  /** Default `components/styles/`: each top-level `.css` not named `_*` becomes a stylesheet. */
  stylesDir?: URL;
  /** Default the installed `swagger-ui-dist` package. */
  swaggerUiDir?: URL;
}

const CLI_FILE = "cli.js";
const ISLANDS = "islands";
const ISLAND_FILE = /^([A-Za-z][\w-]*)\.(tsx|jsx)$/;
const DEFAULT_OUT = new URL("_build/", ROOT);
/** The admin's client entry, under `islands/` (named `CLIENT_NAME` in the manifest's islands). */
const CLIENT_ENTRY = "lib/client.ts";
const STYLES = "components/styles/";
/** What `swagger-ui-dist` ships that the reference page loads, and its licence. */
const SWAGGER_UI_FILES = ["swagger-ui-bundle.js", "swagger-ui.css", "LICENSE", "NOTICE"];
/** Every source a build is made from: a change to any of them makes `_build/` stale. */
const INPUT_DIRS = ["cli/", "lib/", "package/", "islands/", "components/"];
const INPUT_FILES = ["build.ts", "deno.json", "deno.lock"];

export async function build(options: BuildOptions = {}): Promise<BuildManifest> {
  // Loaded here, not at the top: `--if-stale` with a current build never needs esbuild.
  const esbuild = await import("esbuild");
  const outDir = options.outDir ?? DEFAULT_OUT;
  // Emptied first, so the folder holds exactly this build, and a build that fails leaves no
  // manifest: the server then says the build is missing instead of serving an older one.
  await Deno.remove(outDir, { recursive: true }).catch((error) => {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  });
  await Deno.mkdir(outDir, { recursive: true });
  try {
    const inputs = await inputsFingerprint();
    await bundleCli(
      esbuild,
      options.cliEntry ?? new URL("cli/main.ts", ROOT),
      new URL(CLI_FILE, outDir),
    );
    const islands = await bundleIslands(
      esbuild,
      options.islandsDir ?? new URL(`${ISLANDS}/`, ROOT),
      new URL(`${ISLANDS}/`, outDir),
    );
    const styles = await bundleStyles(esbuild, options.stylesDir ?? new URL(STYLES, ROOT), outDir);
    const swaggerUi = await copySwaggerUi(
      options.swaggerUiDir ?? new URL("node_modules/swagger-ui-dist/", ROOT),
      outDir,
    );
    const manifest: BuildManifest = {
      built_at: new Date().toISOString(),
      inputs,
      cli: CLI_FILE,
      islands,
      styles,
      swagger_ui: swaggerUi,
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

type Esbuild = typeof import("esbuild");

/** The CLI imports only `node:` built-ins and relative files, so the bundle is self-contained. */
async function bundleCli(esbuild: Esbuild, entry: URL, outfile: URL): Promise<void> {
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
async function bundleIslands(
  esbuild: Esbuild,
  dir: URL,
  outDir: URL,
): Promise<Record<string, string>> {
  const entryPoints: Record<string, string> = {};
  for (const entry of await listDir(dir)) {
    const match = entry.isFile ? ISLAND_FILE.exec(entry.name) : null;
    if (match) entryPoints[match[1]] = fromFileUrl(new URL(entry.name, dir));
  }
  if (Object.keys(entryPoints).length === 0) return {};
  await addClientEntry(entryPoints, dir);
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

/**
 * The admin's one client entry, which hydrates the island markers of a page: bundled with the
 * islands so preact lands in a chunk they share. Its name starts with `_`, which no island's can.
 */
async function addClientEntry(entryPoints: Record<string, string>, dir: URL): Promise<void> {
  const client = new URL(CLIENT_ENTRY, dir);
  if (await exists(client)) entryPoints[CLIENT_NAME] = fromFileUrl(client);
}

async function exists(file: URL): Promise<boolean> {
  try {
    return (await Deno.stat(file)).isFile;
  } catch {
    return false;
  }
}

/**
 * Bundles each top-level `.css` of `dir` (with its `@import`s) into `<name>-<hash>.css`, minified:
 * the admin serves its styles as immutable files of its own origin (CSP `style-src 'self'`).
 * Returns style name → path.
 */
async function bundleStyles(
  esbuild: Esbuild,
  dir: URL,
  outDir: URL,
): Promise<Record<string, string>> {
  const entryPoints: Record<string, string> = {};
  for (const entry of await listDir(dir)) {
    // `_parts.css` are partials, pulled in by an entry's `@import`.
    if (entry.isFile && entry.name.endsWith(".css") && !entry.name.startsWith("_")) {
      entryPoints[entry.name.slice(0, -4)] = fromFileUrl(new URL(entry.name, dir));
    }
  }
  if (Object.keys(entryPoints).length === 0) return {};
  const result = await esbuild.build({
    entryPoints,
    outdir: fromFileUrl(new URL("styles/", outDir)),
    entryNames: "[name]-[hash]",
    bundle: true,
    minify: true,
    metafile: true,
    logLevel: "warning",
  });
  const styles: Record<string, string> = {};
  for (const [output, info] of Object.entries(result.metafile.outputs)) {
    const name = info.entryPoint ? /([\w-]+)\.css$/.exec(info.entryPoint)?.[1] : undefined;
    if (name !== undefined) styles[name] = `styles/${output.slice(output.lastIndexOf("/") + 1)}`;
  }
  return styles;
}

/**
 * Copies the reference renderer into `swagger-ui-<version>/` and returns that folder. The version
 * is in the path because the platform serves `_build/` as immutable: an upgrade gets new URLs.
 */
async function copySwaggerUi(from: URL, outDir: URL): Promise<string> {
  const { version } = JSON.parse(await Deno.readTextFile(new URL("package.json", from)));
  const folder = `swagger-ui-${version}/`;
  await Deno.mkdir(new URL(folder, outDir));
  for (const name of SWAGGER_UI_FILES) {
    await Deno.copyFile(new URL(name, from), new URL(folder + name, outDir));
  }
  return folder;
}

/** SHA-256 over the path and bytes of every input file, in a fixed order. */
export async function inputsFingerprint(root: URL = ROOT): Promise<string> {
  const paths = [...INPUT_FILES];
  for (const dir of INPUT_DIRS) {
    for (const path of await walk(new URL(dir, root))) paths.push(dir + path);
  }
  paths.sort();
  const parts: Uint8Array[] = [];
  const encoder = new TextEncoder();
  for (const path of paths) {
    parts.push(
      encoder.encode(`${path}\0`),
      await Deno.readFile(new URL(path, root)),
      Uint8Array.of(0),
    );
  }
  const all = new Uint8Array(parts.reduce((sum, part) => sum + part.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    all.set(part, offset);
    offset += part.byteLength;
  }
  return await sha256Hex(all);
}

/** Files under `dir`, relative to it; tests are not part of a build. */
async function walk(dir: URL, prefix = ""): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await listDir(dir)) {
    if (entry.isDirectory) {
      found.push(...await walk(new URL(`${entry.name}/`, dir), `${prefix}${entry.name}/`));
    } else if (entry.isFile && !/_test\.tsx?$/.test(entry.name)) found.push(prefix + entry.name);
  }
  return found;
}

/** Whether `outDir` holds a complete build of the current sources. */
export async function isBuildCurrent(outDir: URL = DEFAULT_OUT): Promise<boolean> {
  let manifest: BuildManifest;
  try {
    manifest = JSON.parse(await Deno.readTextFile(new URL(MANIFEST_FILE, outDir)));
  } catch {
    return false;
  }
  if (manifest.inputs !== await inputsFingerprint()) return false;
  for (const path of Object.keys(manifest.files)) {
    try {
      await Deno.stat(new URL(path, outDir));
    } catch {
      return false;
    }
  }
  return true;
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

/**
 * `deno task dev`: builds, runs the server, and on a change to any source builds again (when
 * the change is one of the build's inputs) and restarts the server, which reads the build once
 * at start. One server at a time: a KV file must never be opened by two processes.
 */
async function developLoop(): Promise<void> {
  await build();
  const serve = () =>
    new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "--unstable-kv", "main.ts"],
      cwd: fromFileUrl(ROOT),
    }).spawn();
  let server = serve();
  // Ctrl-C (or the task runner's stop) ends the server with us, never leaving it holding the KV.
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    Deno.addSignalListener(signal, async () => {
      server.kill("SIGTERM");
      await server.status;
      Deno.exit(0);
    });
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  let changed: string[] = [];
  let queue = Promise.resolve();
  const restart = async (paths: string[]) => {
    try {
      const root = fromFileUrl(ROOT);
      const inputs = paths.some((path) => INPUT_DIRS.some((dir) => path.startsWith(root + dir)));
      if (inputs) await build();
      server.kill("SIGTERM");
      await server.status;
      server = serve();
    } catch (error) {
      console.error("Build failed; the server keeps the previous build:", error);
    }
  };
  for await (const event of Deno.watchFs(fromFileUrl(ROOT))) {
    const paths = event.paths.filter((path) =>
      /\.(tsx?|css|json)$/.test(path) &&
      !/\/(_build|node_modules|\.switchyard|\.git|tests|docs)\//.test(path) &&
      !/_test\.tsx?$/.test(path)
    );
    if (paths.length === 0) continue;
    changed.push(...paths);
    clearTimeout(timer);
    // Editors write a file in bursts; act once they settle.
    timer = setTimeout(() => {
      const batch = changed;
      changed = [];
      queue = queue.then(() => restart(batch));
    }, 150);
  }
}

if (import.meta.main && Deno.args.includes("--dev")) {
  await developLoop();
} else if (import.meta.main) {
  if (Deno.args.includes("--if-stale") && await isBuildCurrent()) Deno.exit(0);
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
