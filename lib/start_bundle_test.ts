import assert from "node:assert/strict";
import {
  currentStartBundle,
  inputsDigest,
  START_DIR_NAME,
  START_ENTRY,
  START_INPUTS,
} from "./start_bundle.ts";

/** A project folder with two sources and a start bundle made from them. */
async function project(): Promise<URL> {
  const root = new URL(`file://${await Deno.makeTempDir({ prefix: "sy-start-" })}/`);
  await Deno.mkdir(new URL("edge/", root));
  await Deno.writeTextFile(new URL("program.ts", root), 'import "./edge/serve.ts";\n');
  await Deno.writeTextFile(new URL("edge/serve.ts", root), "export const served = 1;\n");
  const dir = new URL(START_DIR_NAME, root);
  await Deno.mkdir(dir);
  await Deno.writeTextFile(new URL(START_ENTRY, dir), "export {};\n");
  const files = ["edge/serve.ts", "program.ts"];
  await Deno.writeTextFile(
    new URL(START_INPUTS, dir),
    JSON.stringify({ built_at: "", files, sha256: await inputsDigest(files, root) }),
  );
  return root;
}

Deno.test("a start bundle made from the sources as they are is chosen", async () => {
  const root = await project();
  try {
    assert.equal((await currentStartBundle(root))?.href, new URL("_start/program.js", root).href);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("an edited, removed or missing source, or no bundle at all, runs from source", async () => {
  const root = await project();
  try {
    await Deno.writeTextFile(new URL("edge/serve.ts", root), "export const served = 2;\n");
    assert.equal(await currentStartBundle(root), null, "an edit without a rebuild");
    await Deno.remove(new URL("edge/serve.ts", root));
    assert.equal(await currentStartBundle(root), null, "a source removed");
    await Deno.remove(new URL(START_DIR_NAME, root), { recursive: true });
    assert.equal(await currentStartBundle(root), null, "no bundle");
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("a malformed inputs.json runs from source", async () => {
  const root = await project();
  try {
    await Deno.writeTextFile(new URL(`${START_DIR_NAME}${START_INPUTS}`, root), "{");
    assert.equal(await currentStartBundle(root), null);
    await Deno.writeTextFile(new URL(`${START_DIR_NAME}${START_INPUTS}`, root), '{"files":[]}');
    assert.equal(await currentStartBundle(root), null);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
