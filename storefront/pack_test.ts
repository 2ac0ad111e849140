import assert from "node:assert/strict";
import { STOREFRONT_VARIANTS, storefrontFiles } from "./pack.ts";

const decoder = new TextDecoder();
const FIELD_TYPES = new Set(["string", "text", "boolean", "integer", "decimal", "color", "image"]);

for (const variant of STOREFRONT_VARIANTS) {
  Deno.test(`storefront ${variant}: complete package`, async () => {
    const files = await storefrontFiles(variant);
    for (
      const path of [
        "index.html",
        "app.js",
        "styles.css",
        "theme.css",
        "products.json",
        "fields/settings.json",
      ]
    ) {
      assert.ok(files.has(path), `${variant} lacks ${path}`);
    }
    for (const path of files.keys()) {
      assert.ok(!/^(settings|analytics)\//.test(path), `${path} is a reserved path`);
      assert.ok(!path.startsWith("/") && !path.split("/").includes(".."), path);
    }
    assert.deepEqual([...files.keys()], [...files.keys()].sort());
  });

  Deno.test(`storefront ${variant}: index.html hooks and local references`, async () => {
    const files = await storefrontFiles(variant);
    const html = decoder.decode(files.get("index.html"));
    for (
      const hook of [
        '<script src="/settings/account.js"></script>',
        '<script src="/settings/app.js"></script>',
        '<link rel="stylesheet" href="/settings/style.css">',
        '<script src="/analytics/pageview.js" defer></script>',
      ]
    ) {
      assert.ok(html.includes(hook), `${variant} index.html lacks ${hook}`);
    }
    assert.ok(html.indexOf("/analytics/pageview.js") > html.indexOf("<body"));
    // The shared header and cart markup is filled in; no include marker or partial ships.
    assert.ok(html.includes('<dialog id="cart"') && html.includes('id="checkout-dialog"'));
    assert.ok(html.includes('<header class="site-header">'), `${variant} lacks the shared header`);
    assert.ok(!html.includes("switchyard:include"), `${variant} index.html kept an include marker`);
    assert.ok(![...files.keys()].some((path) => path.startsWith("partials/")));
    for (const [, ref] of html.matchAll(/(?:src|href)="([^"]+)"/g)) {
      if (ref.startsWith("/") || ref.startsWith("#") || ref === "./") continue;
      assert.ok(files.has(ref), `${variant} index.html references missing ${ref}`);
    }
  });

  Deno.test(`storefront ${variant}: products`, async () => {
    const files = await storefrontFiles(variant);
    const products = JSON.parse(decoder.decode(files.get("products.json")));
    assert.equal(products.length, 8);
    assert.equal(new Set(products.map((p: { id: string }) => p.id)).size, 8);
    for (const p of products) {
      assert.equal(typeof p.name, "string");
      assert.equal(typeof p.description, "string");
      assert.ok(Number.isInteger(p.price) && p.price > 0, `${p.id} price`);
      assert.equal(p.currency, "USD");
      assert.ok(files.has(p.image), `${p.id} image ${p.image}`);
      if (p.compare_at_price !== undefined) assert.ok(p.compare_at_price > p.price);
    }
  });

  Deno.test(`storefront ${variant}: fields/settings.json`, async () => {
    const files = await storefrontFiles(variant);
    const fields = JSON.parse(decoder.decode(files.get("fields/settings.json")));
    assert.ok(Array.isArray(fields));
    const names = fields.map((f: { name: string }) => f.name);
    assert.equal(new Set(names).size, names.length);
    for (const name of ["headline", "accent_color", "show_ratings", "products_per_row"]) {
      assert.ok(names.includes(name), `missing field ${name}`);
    }
    for (const f of fields) {
      assert.ok(FIELD_TYPES.has(f.type), `${f.name}: type ${f.type}`);
      for (const key of ["label", "description", "section"]) assert.equal(typeof f[key], "string");
      assert.equal(typeof f.required, "boolean");
    }
  });

  Deno.test(`storefront ${variant}: no external network resources`, async () => {
    const files = await storefrontFiles(variant);
    for (const [path, bytes] of files) {
      if (!/\.(html|css|js|json|svg)$/.test(path)) continue;
      const text = decoder.decode(bytes).replace(
        /xmlns=["']http:\/\/www\.w3\.org\/2000\/svg["']/g,
        "",
      );
      assert.ok(!/https?:\/\/|url\(\s*["']?\/\//.test(text), `${path} refers to the network`);
    }
  });
}

Deno.test("storefront: unknown variant is rejected", async () => {
  // deno-lint-ignore no-explicit-any
  await assert.rejects(() => storefrontFiles("nope" as any), TypeError);
});
