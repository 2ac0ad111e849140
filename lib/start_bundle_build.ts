/**
 * Makes the start bundle (lib/start_bundle.ts) at build time: `program.ts` and the modules it
 * imports, bundled by esbuild with code splitting, so what the platform loads later (imported
 * lazily) becomes chunks of the same bundle and shares every module with the edge — one
 * `kv/changes.ts`, one `lib/log.ts`, one `lib/errors.ts` per process, as from source.
 *
 * Three rewrites keep the bundle equal to the sources it replaces:
 * - `importLazily(new URL("./x.ts", import.meta.url))` becomes `import("./x.ts")` for esbuild,
 *   which makes `./x.ts` a chunk; in the output, each `import("./chunk.js")` becomes a computed
 *   specifier again, so Deno does not walk the chunks at start (lib/lazy_import.ts);
 * - any other `new URL("./file", import.meta.url)` (a worker, a folder read at run time) is
 *   made relative to `_start/`, so it still names the source file;
 * - npm packages and `node:` built-ins stay imports, resolved by Deno as from source.
 * The build fails when an output uses `import.meta` another way, or when the start entry's
 * static imports reach an npm package (tests/process/cold_start_test.ts holds the sources to it).
 */
import { fileURLToPath as fromFileUrl } from "node:url";
import { relative } from "node:path";
import {
  inputsDigest,
  START_DIR_NAME,
  START_ENTRY,
  START_INPUTS,
  type StartInputs,
} from "./start_bundle.ts";

import type { Metafile, Plugin } from "esbuild";

type Esbuild = typeof import("esbuild");

/** `importLazily<…>(new URL("./x.ts", import.meta.url))`, as callers write it. */
const LAZY_IMPORT =
  /importLazily(?:<[^>]*>)?\(\s*new URL\(\s*"(\.{1,2}\/[^"]+)",\s*import\.meta\.url,?\s*\),?\s*\)/g;
/** `new URL("./file", import.meta.url)`. */
const META_URL = /new URL\(\s*"(\.{1,2}\/[^"]*)",\s*import\.meta\.url\s*\)/g;
/** esbuild's import of a chunk. */
const CHUNK_IMPORT = /\bimport\("(\.\/[\w.-]+\.js)"\)/g;

/** Builds `_start/` under `root`; returns how many files and bytes it wrote. */
export async function buildStartBundle(
  esbuild: Esbuild,
  root: URL,
): Promise<{ files: number; bytes: number }> {
  const outDir = new URL(START_DIR_NAME, root);
  await Deno.remove(outDir, { recursive: true }).catch((error) => {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  });
  const result = await esbuild.build({
    absWorkingDir: fromFileUrl(root),
    entryPoints: ["program.ts"],
    outdir: fromFileUrl(outDir),
    entryNames: "[name]",
    chunkNames: "chunk-[hash]",
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "neutral",
    target: "esnext",
    packages: "external",
    external: ["node:*", "npm:*"],
    jsx: "automatic",
    jsxImportSource: "preact",
    define: { SWITCHYARD_START_BUNDLE: "true" },
    charset: "utf8",
    // No keepNames and no source maps: each cost the cold start 2–4 ms (measured; keepNames
    // wraps every function in a call, which V8 compiles eagerly, and Deno reads a linked map
    // when it loads the module). Class names survive unless two collide, which
    // `checkClassNames` refuses; stack traces name `_start/` lines (run program.ts to see
    // source lines).
    metafile: true,
    write: false,
    logLevel: "warning",
    plugins: [relocatePlugin(fromFileUrl(outDir))],
  });
  checkStartImports(result.metafile, `${START_DIR_NAME}${START_ENTRY}`);
  const files = [...Object.keys(result.metafile.inputs), "deno.json"].sort();
  await checkClassNames(result.outputFiles.map((file) => file.text), files, root);
  await Deno.mkdir(outDir, { recursive: true });
  let bytes = 0;
  for (const file of result.outputFiles) {
    const text = finishOutput(file.text, file.path);
    bytes += text.length;
    await Deno.writeTextFile(file.path, text);
  }
  const inputs: StartInputs = {
    built_at: new Date().toISOString(),
    files,
    sha256: await inputsDigest(files, root),
  };
  // Written last: a build that failed before leaves no bundle to run.
  await Deno.writeTextFile(
    new URL(START_INPUTS, outDir),
    JSON.stringify(inputs, null, 2) + "\n",
  );
  return { files: result.outputFiles.length, bytes };
}

/** Rewrites the project's sources as they load (see the module comment). */
function relocatePlugin(outDir: string): Plugin {
  return {
    name: "switchyard-start",
    setup(build) {
      build.onLoad({ filter: /\.tsx?$/ }, async (args) => {
        if (args.path.includes("/node_modules/")) return undefined;
        const here = args.path.slice(0, args.path.lastIndexOf("/"));
        const text = (await Deno.readTextFile(args.path))
          .replace(LAZY_IMPORT, (_, spec: string) => `import(${JSON.stringify(spec)})`)
          .replace(META_URL, (_, spec: string) => {
            let path = relative(outDir, `${here}/${spec}`);
            if (!path.startsWith(".")) path = `./${path}`;
            if (spec.endsWith("/") && !path.endsWith("/")) path += "/";
            return `new URL(${JSON.stringify(path)}, import.meta.url)`;
          });
        return { contents: text, loader: args.path.endsWith("x") ? "tsx" : "ts" };
      });
    },
  };
}

/** A chunk import made computed again; a use of `import.meta` the bundle cannot keep, refused. */
function finishOutput(text: string, path: string): string {
  const out = text.replace(
    CHUNK_IMPORT,
    (_, spec: string) => `import(String(${JSON.stringify(spec)}))`,
  );
  // `import.meta.main` keeps its meaning: false when main.ts imports the bundle.
  const left = out.replace(META_URL, "").replaceAll("import.meta.main", "")
    .match(/import\.meta[^\n]{0,60}/);
  if (left) {
    throw new Error(
      `${path}: "${left[0]}" would name the bundle, not the source file; ` +
        'write new URL("./file", import.meta.url) (rewritten at build) instead',
    );
  }
  return out;
}

/** The start entry's static imports (through shared chunks) must not leave the bundle. */
function checkStartImports(metafile: Metafile, entry: string): void {
  const seen = new Set<string>();
  const queue = [entry];
  while (queue.length) {
    const output = metafile.outputs[queue.shift()!];
    for (const imported of output?.imports ?? []) {
      if (imported.kind !== "import-statement") continue;
      if (imported.external) {
        throw new Error(
          `The start bundle imports "${imported.path}" at start: a shopper's request must not ` +
            "load it (tests/process/cold_start_test.ts names the chain)",
        );
      }
      if (!seen.has(imported.path)) {
        seen.add(imported.path);
        queue.push(imported.path);
      }
    }
  }
}

/**
 * Errors are named after their class (`new.target.name`, lib/errors.ts): a class esbuild had to
 * rename (two of the same name in the bundle) would log under another name, so it is refused.
 */
async function checkClassNames(outputs: string[], files: string[], root: URL): Promise<void> {
  const sources = (await Promise.all(
    files.map((path) => Deno.readTextFile(new URL(path, root))),
  )).join("\n");
  for (const text of outputs) {
    for (const [, bound, declared] of text.matchAll(/\bvar ([\w$]+) = class\b|\bclass ([\w$]+)/g)) {
      const name = bound ?? declared;
      if (!new RegExp(`\\bclass ${name.replaceAll("$", "\\$")}\\b`).test(sources)) {
        throw new Error(
          `esbuild renamed a class to "${name}": two classes of the start bundle share a name; ` +
            "rename one (error names come from class names)",
        );
      }
    }
  }
}
