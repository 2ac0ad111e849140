import assert from "node:assert/strict";
import { PackageError } from "../lib/errors.ts";
import { finalizePackagePaths, quoteEntry, validatePackagePath } from "./paths.ts";

function refusal(fn: () => unknown): PackageError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof PackageError, `not a PackageError: ${error}`);
    return error;
  }
  assert.fail("no refusal");
}

Deno.test("validatePackagePath() accepts ordinary web paths unchanged", () => {
  for (
    const path of [
      "index.html",
      "assets/app.3f2a1c.js",
      ".well-known/security.txt",
      "a/.hidden/b",
      "...",
      "fonts/Inter Variable.woff2",
      "日本語/ページ.html",
      "emoji/🛒.svg",
    ]
  ) assert.equal(validatePackagePath(path), path);
});

Deno.test("validatePackagePath() returns the NFC form of a decomposed name", () => {
  assert.equal(validatePackagePath("cafe\u0301.js"), "caf\u00e9.js");
});

Deno.test("validatePackagePath() names the rule and the raw entry when it refuses", () => {
  const cases: [string, string][] = [
    ["", "empty_path"],
    ["a\ud800.js", "invalid_unicode"],
    ["a\udc00", "invalid_unicode"],
    ["a\0b", "control_character"],
    ["a\tb", "control_character"],
    ["a\u009fb", "control_character"],
    ["/etc/passwd", "absolute_path"],
    ["\\\\server\\share", "absolute_path"],
    ["c:\\x", "absolute_path"],
    ["Z:/x", "absolute_path"],
    ["a\\b", "backslash_path"],
    ["..", "path_escape"],
    ["a/../../b", "path_escape"],
    ["a/..", "path_escape"],
    ["a/", "trailing_slash"],
    ["a//b", "empty_segment"],
    ["./a", "dot_segment"],
    ["a/./b", "dot_segment"],
    ["a/.", "dot_segment"],
  ];
  for (const [raw, rule] of cases) {
    const error = refusal(() => validatePackagePath(raw));
    assert.deepEqual([error.rule, error.entry, error.kind], [rule, raw, "invalid_input"], raw);
  }
});

Deno.test("validatePackagePath() messages quote the entry after a colon", () => {
  const error = refusal(() => validatePackagePath("../../etc/passwd"));
  assert.equal(error.message, 'Package entry escapes the app root: "../../etc/passwd"');
});

Deno.test("validatePackagePath() counts the limits in UTF-8 bytes", () => {
  const segment = "é".repeat(127); // 254 bytes
  assert.equal(validatePackagePath(`${segment}x`), `${segment}x`);
  assert.equal(refusal(() => validatePackagePath(`${segment}xy`)).rule, "path_too_long");
  const path = `${"abc/".repeat(255)}abcd`; // 1024 bytes
  assert.equal(validatePackagePath(path), path);
  assert.equal(refusal(() => validatePackagePath(`${path}e`)).rule, "path_too_long");
});

Deno.test("validatePackagePath() lets a folder entry end with one slash", () => {
  assert.equal(validatePackagePath("assets/", "folder"), "assets");
  assert.equal(refusal(() => validatePackagePath("assets//", "folder")).rule, "empty_segment");
  assert.equal(refusal(() => validatePackagePath("../", "folder")).entry, "../");
});

Deno.test("quoteEntry() escapes characters a terminal would hide or obey", () => {
  assert.equal(
    quoteEntry("a\u0000\u001b\u007f\u0085\ud800"),
    '"a\\u0000\\u001b\\u007f\\u0085\\ud800"',
  );
  assert.ok(quoteEntry("x".repeat(5000)).length < 250);
});

Deno.test("finalizePackagePaths() strips the single top folder every file shares", () => {
  const final = finalizePackagePaths(["package/index.html", "package/js/app.js"]);
  assert.deepEqual([...final], [["package/index.html", "index.html"], [
    "package/js/app.js",
    "js/app.js",
  ]]);
});

Deno.test("finalizePackagePaths() strips only one level and only a shared folder", () => {
  assert.deepEqual(
    [...finalizePackagePaths(["dist/web/x.js", "dist/index.html"]).values()],
    ["web/x.js", "index.html"],
  );
  const mixed = finalizePackagePaths(["index.html", "assets/app.js"]);
  assert.deepEqual([...mixed.values()], ["index.html", "assets/app.js"]);
});

Deno.test("finalizePackagePaths() refuses settings/ and analytics/ at the root", () => {
  for (const folder of ["settings", "analytics"]) {
    const error = refusal(() => finalizePackagePaths(["index.html", `${folder}/x.js`]));
    assert.equal(error.rule, "reserved_folder");
    assert.equal(error.entry, `${folder}/x.js`);
    assert.match(error.message, new RegExp(`"${folder}/"`));
    assert.match(error.message, /injects/);
  }
});

Deno.test("finalizePackagePaths() refuses a reserved folder once the top folder is stripped", () => {
  const error = refusal(() =>
    finalizePackagePaths(["package/index.html", "package/settings/app.json"])
  );
  assert.deepEqual([error.rule, error.entry], ["reserved_folder", "package/settings/app.json"]);
});

Deno.test("finalizePackagePaths() allows reserved names elsewhere than a root folder", () => {
  const paths = ["index.html", "settings", "assets/settings/x.js", "Analytics/x.js"];
  assert.equal(finalizePackagePaths(paths).size, 4);
  // Every file under one "settings/" folder: it is the stripped top folder, not a reserved one.
  assert.equal(
    finalizePackagePaths(["settings/index.html"]).get("settings/index.html"),
    "index.html",
  );
});

Deno.test("finalizePackagePaths() refuses paths that collide once normalized", () => {
  const error = refusal(() => finalizePackagePaths(["index.html", "caf\u00e9", "cafe\u0301"]));
  assert.deepEqual([error.rule, error.entry], ["duplicate_entry", "cafe\u0301"]);
});

Deno.test("finalizePackagePaths() refuses a path that is both a file and a folder", () => {
  const error = refusal(() => finalizePackagePaths(["index.html", "a", "a/b/c.js"]));
  assert.deepEqual([error.rule, error.entry], ["path_conflict", "a/b/c.js"]);
});

Deno.test("finalizePackagePaths() requires index.html at the root", () => {
  assert.equal(refusal(() => finalizePackagePaths(["about.html"])).rule, "missing_index");
  assert.equal(refusal(() => finalizePackagePaths(["dist/index.htm"])).rule, "missing_index");
  assert.equal(refusal(() => finalizePackagePaths([])).rule, "empty_package");
});

Deno.test("finalizePackagePaths() validates raw paths from the manifest flow too", () => {
  const error = refusal(() => finalizePackagePaths(["index.html", "/etc/passwd"]));
  assert.deepEqual([error.rule, error.entry], ["absolute_path", "/etc/passwd"]);
});
