import assert from "node:assert/strict";
import { cacheControlFor, isHashedName } from "./version_files.ts";

const YEAR = "public, max-age=31536000, immutable";
const SHORT = "public, max-age=300, must-revalidate";

// What bundlers write: the content hash right before the extension, after "." or "-".
const HASHED = [
  "assets/main.3f2a1b9c.js", // Parcel, webpack [contenthash:8]
  "static/js/main.5e8c9a0b.js", // Create React App
  "static/js/787.2b3c4d5e.chunk.js", // Create React App chunk
  "static/css/main.a1b2c3d4.chunk.css",
  "main.7f3a2b1c9d8e6f5a.js", // Angular (webpack), 16 hex
  "styles.ef46db3751d8e999.css",
  "_next/static/chunks/framework-2c79e2a64abdb08b.js", // Next.js
  "_next/static/chunks/pages/_app-9a8b7c6d5e4f3a2b.js",
  "js/app.0123456789abcdef0123.js", // webpack 5 default, 20 hex
  "chunk-ABCD1234.js", // esbuild
  "polyfills-RT5I6R6G.js", // Angular (esbuild)
  "assets/index-BxQ3aF9k.js", // Vite / Rollup
  "assets/index-B-x3aF9k.css",
  "assets/vendor-Dq_4lK9z.js",
  "_app/immutable/entry/start.BfRj2Xy3.js", // SvelteKit
  "assets/inter-latin-400-normal-Cb5r1X0Q.woff2",
  "img/hero.9f86d081.webp",
];

// Ordinary names that merely have a number in them: a year in browsers would be wrong.
const ORDINARY = [
  "img/product-photo-01.jpg",
  "img/logo-header2x.png",
  "css/theme-holiday2025.css",
  "js/app.bundle2023.js",
  "fonts/inter-variable-v4.woff2",
  "data/catalog-2025-11.json",
  "js/jquery-3.7.1.min.js",
  "app.js",
  "favicon-32x32.png",
  "img/background-1920x1080.jpg",
  "apple-touch-icon-180x180.png",
  "downloads/release-20251101.zip", // digits only: a date, not a hash
  "img/feed-deadbeef.png", // hex letters only
  "img/banner-Sale2x.png", // 6 characters
  "img/photo-summer2025.jpg", // 10 characters, not hex
  "img/IMG_20230101_120000.jpg",
  "assets/main.3f2a1b9c.js.map", // the map of a hashed file
  "assets/index-bx3qaf9k.js", // 8 lowercase characters: an ordinary word or id
  "fonts/icon-FACEBOOK.svg", // uppercase without a digit
  "js/widget.abc12.js", // too short
  "index.html",
  "3f2a1b9c.js", // nothing before the hash
];

Deno.test("real bundler hashes are recognised and cached for a year", () => {
  for (const name of HASHED) {
    assert.equal(isHashedName(name), true, name);
    assert.equal(cacheControlFor(name, false), YEAR, name);
  }
});

Deno.test("ordinary names with numbers are not taken for hashes", () => {
  for (const name of ORDINARY) {
    assert.equal(isHashedName(name), false, name);
    assert.equal(cacheControlFor(name, false), SHORT, name);
  }
});

Deno.test("HTML is never cached for long, hashed name or not", () => {
  assert.equal(cacheControlFor("pages/about.3f2a1b9c.html", true), "no-cache");
});
