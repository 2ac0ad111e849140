/**
 * Assembles the starter storefront packages.
 *
 * A package is the files of `shared/` (app.js, styles.css, images/) overlaid with the files of
 * the variant folder (index.html, theme.css, products.json, fields/settings.json). A variant
 * file with the same path as a shared file replaces it. Nothing is linked: the result is a
 * complete, self-contained package with `index.html` at its root.
 *
 * @module
 */

export type StorefrontVariant = "classic" | "holiday";

export const STOREFRONT_VARIANTS: readonly StorefrontVariant[] = ["classic", "holiday"];

const ROOT = new URL("./", import.meta.url);

/** Path (relative, "/"-separated, no leading slash) → bytes, sorted by path. */
export async function storefrontFiles(
  variant: StorefrontVariant,
): Promise<Map<string, Uint8Array>> {
  if (!STOREFRONT_VARIANTS.includes(variant)) {
    throw new TypeError(`unknown storefront variant: ${JSON.stringify(variant)}`);
  }
  const files = new Map<string, Uint8Array>();
  await collect(new URL("shared/", ROOT), "", files);
  await collect(new URL(`${variant}/`, ROOT), "", files);
  const index = files.get("index.html");
  if (!index) throw new Error(`storefront ${variant}: no index.html`);
  files.set("index.html", await includePartials(index));
  return new Map([...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

const INCLUDE = /^[ \t]*<!-- switchyard:include ([\w.-]+) -->\n/gm;

/**
 * Both variants share the header, cart drawer and checkout dialog markup: each page names it with an
 * include marker, filled in here from `partials/` (which is not itself part of a package).
 */
async function includePartials(page: Uint8Array): Promise<Uint8Array> {
  let html = new TextDecoder().decode(page);
  for (const [marker, name] of [...html.matchAll(INCLUDE)]) {
    const partial = await Deno.readTextFile(new URL(`partials/${name}`, ROOT));
    html = html.replace(marker, partial);
  }
  return new TextEncoder().encode(html);
}

async function collect(dir: URL, prefix: string, out: Map<string, Uint8Array>): Promise<void> {
  const entries: Deno.DirEntry[] = [];
  for await (const entry of Deno.readDir(dir)) entries.push(entry);
  for (const entry of entries) {
    if (entry.name.startsWith(".")) continue; // .DS_Store and friends
    if (entry.isDirectory) {
      await collect(new URL(`${entry.name}/`, dir), `${prefix}${entry.name}/`, out);
    } else if (entry.isFile) {
      out.set(`${prefix}${entry.name}`, await Deno.readFile(new URL(entry.name, dir)));
    } else {
      throw new Error(`storefront: unexpected non-regular file ${prefix}${entry.name}`);
    }
  }
}
