/**
 * The demo seed for `deno task start`: app `demo` with the starter storefront as version 1
 * (live) and its holiday theme as version 2, installed through the same archive path merchants
 * use, so a newcomer sees a working store at once.
 */
import { zipSync } from "fflate";
import { type Config, DEMO_SLUG } from "../config.ts";
import { storefrontFiles } from "../storefront/pack.ts";
import { createApp, findAppBySlug } from "../kv/apps.ts";
import { installArchive } from "./archive.ts";
import { promote } from "../kv/live.ts";

function zipOfFiles(files: Map<string, Uint8Array>): ReadableStream<Uint8Array> {
  return new Blob([zipSync(Object.fromEntries(files)) as BlobPart]).stream();
}

/** Seeds the demo once; a later start finds app `demo` and leaves it as the merchant left it. */
export async function seedDemo(kv: Deno.Kv, config: Config, accountId: string): Promise<boolean> {
  if (await findAppBySlug(kv, DEMO_SLUG)) return false;
  const app = await createApp(
    kv,
    accountId,
    { slug: DEMO_SLUG, name: "Demo store" },
    config.platformHost,
  );
  const by = "demo seed";
  for (const [variant, label] of [["classic", "classic"], ["holiday", "holiday"]] as const) {
    await installArchive(
      kv,
      app,
      zipOfFiles(await storefrontFiles(variant)),
      "zip",
      config.packageLimits,
      {
        label,
        message: `Starter storefront (${label})`,
        createdBy: by,
      },
    );
  }
  await promote(kv, app, { version: 1, expect: null, by });
  return true;
}
