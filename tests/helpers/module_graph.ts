/**
 * The modules Deno loads before an entry runs (its static import graph, from
 * `deno info --json`): dynamic `import()`s and type-only imports are left out, since neither is
 * loaded at start. Each module keeps the chain of imports that first reached it.
 */

export interface LoadedModule {
  /** `file:///…/edge/serve.ts`, `npm:/zod@4.6.7`, `node:crypto`. */
  specifier: string;
  /** The imports from the entry to this module, entry first. */
  chain: string[];
}

interface InfoDependency {
  specifier: string;
  code?: { specifier: string };
  isDynamic?: boolean;
}

interface InfoModule {
  specifier: string;
  kind: string;
  dependencies?: InfoDependency[];
  npmPackage?: string;
}

/** Every module `entry` loads statically, breadth first, with the chain that brought it in. */
export async function staticGraph(entry: URL): Promise<LoadedModule[]> {
  return (await walkStatic(entry)).loaded;
}

/**
 * The literal dynamic imports (`import("./x.ts")`) of the modules `entry` loads statically, each
 * as the chain to the importing module followed by what it imports. `deno run` reads the graph
 * behind every one of them before the program runs (lib/lazy_import.ts).
 */
export async function literalDynamicImports(entry: URL): Promise<string[][]> {
  return (await walkStatic(entry)).dynamic;
}

async function walkStatic(entry: URL): Promise<{ loaded: LoadedModule[]; dynamic: string[][] }> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", entry.pathname],
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!output.success) throw new Error(new TextDecoder().decode(output.stderr));
  const info = JSON.parse(new TextDecoder().decode(output.stdout));
  const redirects: Record<string, string> = info.redirects ?? {};
  const modules = new Map<string, InfoModule>(
    (info.modules as InfoModule[]).map((module) => [module.specifier, module]),
  );
  const seen = new Map<string, string[]>();
  const dynamic: string[][] = [];
  const queue = [entry.href];
  seen.set(entry.href, [relative(entry.href)]);
  while (queue.length) {
    const specifier = queue.shift()!;
    for (const dependency of modules.get(specifier)?.dependencies ?? []) {
      if (dependency.isDynamic && dependency.code) {
        dynamic.push([...seen.get(specifier)!, relative(dependency.code.specifier)]);
      }
      if (dependency.isDynamic || !dependency.code) continue;
      const target = redirects[dependency.code.specifier] ?? dependency.code.specifier;
      if (seen.has(target)) continue;
      seen.set(target, [...seen.get(specifier)!, relative(named(modules.get(target), target))]);
      queue.push(target);
    }
  }
  const loaded = [...seen].map(([specifier, chain]) => ({
    specifier: named(modules.get(specifier), specifier),
    chain,
  }));
  return { loaded, dynamic };
}

/** npm modules by package (`npm:zod@4.6.7`), whatever subpath was imported. */
function named(module: InfoModule | undefined, specifier: string): string {
  return module?.npmPackage ? `npm:${module.npmPackage}` : specifier;
}

const root = new URL("../../", import.meta.url).href;

function relative(specifier: string): string {
  return specifier.startsWith(root) ? specifier.slice(root.length) : specifier;
}
