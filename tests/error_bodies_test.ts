/**
 * Error bodies are written in one place per surface (STYLE "Errors", docs/ARCHITECTURE.md
 * "Errors"), read from the source itself so a later change cannot quietly build one by hand:
 * the `{error: {…}}` shape exists only in `lib/error_body.ts`, and `errorBody()` is called only
 * by the mappers and the process's own last-resort answers. Each failure names file and line.
 */
import assert from "node:assert/strict";
import { folderOf, sourceFiles } from "./helpers/imports.ts";

/** Where `errorBody()` may be called, and why there. */
const MAPPERS: Record<string, string> = {
  "routes/errors.ts": "the API (and the platform's own answers)",
  "edge/errors.ts": "the edge's JSON answers",
  "lib/log.ts": "the 500 for a handler that threw, on any surface",
  "lib/shutdown.ts": "the 503 for a request that comes in while the process stops",
};

/** The one module that writes the body's shape. */
const SHAPE = "lib/error_body.ts";

/** Where Comecero's shape (`comeceroErrorBody()`) may be written: the shopper API's mapper. */
const COMECERO_MAPPER = "routes/shop/errors.ts";

// `error: {`, `"error": {`, and the same inside a JSON string (`\"error\":{`).
const BODY_LITERAL = /\berror\\?["']?\s*:\s*\{/;
const BODY_CALL = /\berrorBody\(/;
const COMECERO_CALL = /\bcomeceroErrorBody\(/;
// A doc comment or a line comment says what a body looks like; it builds nothing.
const COMMENT = /^\s*(?:\/\/|\/\*|\*)/;

/** `file:line: text` for each line of `text` that builds an error body where it may not. */
function handBuilt(path: string, text: string): string[] {
  if (path === SHAPE) return [];
  const found: string[] = [];
  text.split("\n").forEach((line, i) => {
    if (COMMENT.test(line)) return;
    const literal = BODY_LITERAL.test(line);
    const call = BODY_CALL.test(line) && !(path in MAPPERS);
    const comecero = COMECERO_CALL.test(line) && path !== COMECERO_MAPPER;
    if (literal || call || comecero) found.push(`${path}:${i + 1}: ${line.trim()}`);
  });
  return found;
}

const root = new URL("../", import.meta.url);
const files: [string, string][] = [];
for await (const path of sourceFiles(root)) {
  // The CLI is a client: it reads the API's error bodies and prints its own output.
  if (folderOf(path) === "cli") continue;
  files.push([path, await Deno.readTextFile(new URL(path, root))]);
}

Deno.test("the source walk read the mappers and the code that throws", () => {
  const paths = new Set(files.map(([path]) => path));
  for (
    const path of [SHAPE, ...Object.keys(MAPPERS), COMECERO_MAPPER, "edge/reserved.ts", "server.ts"]
  ) {
    assert.ok(paths.has(path), `${path} was not read`);
  }
});

Deno.test("no error body is built outside the mappers", () => {
  const found = files.flatMap(([path, text]) => handBuilt(path, text));
  assert.deepEqual(
    found,
    [],
    `error bodies built by hand (throw a kind from lib/errors.ts, or answer through ` +
      `routes/errors.ts or edge/errors.ts):\n${found.join("\n")}`,
  );
});

Deno.test("the check itself finds a body built by hand, and spares comments and mappers", () => {
  const handMade = [
    "const a = 1;",
    '  return Response.json({ error: { code: "x", message: "y" } }, { status: 400 });',
    '  return new Response(`{"error":{"code":"x"}}`);',
    '  return new Response("{\\"error\\":{\\"code\\":\\"x\\"}}");',
    '  return jsonResponse(404, errorBody("not_found", "No such thing"));',
    "  return Response.json(comeceroErrorBody({ type, code, message, status, reference }));",
    ' * `{"error": {"code", "message"}}` in a doc comment',
    '  log.warn("failed", { error: String(error) });',
  ].join("\n");
  assert.deepEqual(handBuilt("edge/reserved.ts", handMade).map((f) => f.split(":")[1]), [
    "2",
    "3",
    "4",
    "5",
    "6",
  ]);
  assert.deepEqual(handBuilt("edge/errors.ts", handMade).map((f) => f.split(":")[1]), [
    "2",
    "3",
    "4",
    "6",
  ]);
  assert.deepEqual(handBuilt(COMECERO_MAPPER, handMade).map((f) => f.split(":")[1]), [
    "2",
    "3",
    "4",
    "5",
  ]);
  assert.deepEqual(handBuilt(SHAPE, handMade), []);
});
