import assert from "node:assert/strict";
import { Ignore, loadIgnore } from "./ignore.ts";

const NO_FOLDER = new URL("./no-such-folder", import.meta.url).pathname;

Deno.test("the default rules leave out dotfiles, node_modules and source maps, not .well-known or switchyard.json", async () => {
  // No .switchyardignore in the folder: only the defaults apply.
  const ignore = await loadIgnore(NO_FOLDER);
  assert.ok(ignore.ignoresFile(".env"));
  assert.ok(ignore.ignoresFile(".git/config"));
  assert.ok(ignore.ignoresFile("assets/.DS_Store"));
  assert.ok(ignore.ignoresFile("node_modules/preact/index.js"));
  assert.ok(ignore.ignoresFile("js/app.js.map"));
  // The package's serving rules: uploaded, read by the server at install, never served.
  assert.ok(!ignore.ignoresFile("switchyard.json"));
  assert.ok(!ignore.ignoresFile("docs/switchyard.json"));
  assert.ok(!ignore.ignoresFile(".well-known/apple-developer-merchantid-domain-association"));
  assert.ok(!ignore.ignoresFile("js/app.js"));
  assert.ok(!(await loadIgnore(NO_FOLDER, { sourceMaps: true })).ignoresFile("js/app.js.map"));
});

Deno.test(".switchyardignore rules follow gitignore: anchors, folders, ** and re-includes", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(
      `${dir}/.switchyardignore`,
      ["# drafts stay local", "/drafts/", "*.psd", "!keep.psd", "src/**/*.ts", "cache/"].join("\n"),
    );
    const ignore = await loadIgnore(dir);
    assert.ok(ignore.ignoresFile("drafts/a.html"));
    assert.ok(!ignore.ignoresFile("blog/drafts/a.html"), "a leading / anchors to the root");
    assert.ok(ignore.ignoresFile("img/hero.psd"));
    assert.ok(!ignore.ignoresFile("img/keep.psd"), "a later ! rule re-includes");
    assert.ok(ignore.ignoresFile("src/a/b/c.ts"));
    assert.ok(ignore.ignoresFile("src/c.ts"), "**/ matches no folder too");
    assert.ok(!ignore.ignoresFile("lib/c.ts"));
    assert.ok(ignore.ignoresFile("x/cache/data.json"), "a folder rule matches at any depth");
    assert.ok(!ignore.ignoresFile("cache"), "a folder rule does not match a file");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a file inside a left-out folder cannot be re-included, as in git", () => {
  const ignore = new Ignore(["vendor/", "!vendor/keep.js"]);
  assert.ok(ignore.ignoresFile("vendor/keep.js"));
  assert.ok(ignore.ignores("vendor", true));
});

Deno.test("glob characters: ? matches one character, [] a class, [!] its complement", () => {
  const ignore = new Ignore(["log?.txt", "v[0-9].js", "x[!a].css"]);
  assert.ok(ignore.ignoresFile("log1.txt"));
  assert.ok(!ignore.ignoresFile("log10.txt"));
  assert.ok(ignore.ignoresFile("v7.js"));
  assert.ok(!ignore.ignoresFile("vx.js"));
  assert.ok(ignore.ignoresFile("xb.css"));
  assert.ok(!ignore.ignoresFile("xa.css"));
});
