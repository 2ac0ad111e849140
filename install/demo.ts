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
import { createProduct, listProducts, setShoppingOptions } from "../kv/catalog.ts";

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
  await seedCatalog(kv, accountId, await storefrontFiles("classic"));
  return true;
}

/** A product of the starter storefront's `products.json` (prices in minor units). */
interface StarterProduct {
  id: string;
  name: string;
  description?: string;
  price: number;
  currency: string;
  image?: string;
}

/**
 * The demo's catalog: the starter storefront's products, with a flat-rate shipping method, so
 * the demo store takes a test-card order. Left alone when the account already sells something.
 */
export async function seedCatalog(
  kv: Deno.Kv,
  accountId: string,
  files: Map<string, Uint8Array>,
): Promise<void> {
  if ((await listProducts(kv, accountId, { limit: 1 })).items.length > 0) return;
  const bytes = files.get("products.json");
  if (!bytes) return;
  const starters = JSON.parse(new TextDecoder().decode(bytes)) as StarterProduct[];
  for (const starter of starters) {
    const image = starter.image ? `/${starter.image}` : null;
    await createProduct(kv, accountId, {
      product_id: starter.id,
      name: starter.name,
      description: starter.description ?? null,
      headline: null,
      price: starter.price,
      currency: starter.currency,
      images: image ? [{ link_small: image, link_square: image, link_medium: image }] : [],
      type: "physical",
      active: true,
    });
  }
  await setShoppingOptions(kv, accountId, {
    shipping_methods: [
      { method_id: "standard", name: "Standard shipping", price: 500, currency: "USD" },
    ],
  });
}
