/**
 * What the server and the browser agree on about island markers (islands/README.md): the tag,
 * where the props are, and how props travel. Shared by `components/island.tsx`, which writes
 * the markers, and `islands/lib/client.ts`, which hydrates them.
 */

/** The marker element around an island's server-rendered HTML (`display: contents`). */
export const ISLAND_TAG = "sy-island";
/** The JSON script (before the first marker) mapping island names to bundle URLs. */
export const ISLAND_MAP_ID = "sy-islands";

/** The client entry's name among the manifest's islands (no island's name starts with `_`). */
export const CLIENT_NAME = "_client";

/** Props are JSON: strings, numbers, booleans, null, arrays and plain objects only. */
export type IslandProps = { [key: string]: PlainData };
export type PlainData = string | number | boolean | null | PlainData[] | {
  [key: string]: PlainData | undefined;
};

/**
 * Props as the text of a `<script type="application/json">`. Anything but plain data is
 * refused, naming where it is: a function cannot cross to the browser, and a Date or a Map
 * would arrive as something else. `<`, `>`, `&` and the JS line separators are escaped, so no
 * value can close the script element (`</script>`) or open a comment (`<!--`).
 */
export function serializeProps(island: string, props: Record<string, unknown>): string {
  assertPlain(island, props, "props");
  return JSON.stringify(props).replace(/[<>&\u2028\u2029]/g, (char) => ESCAPES[char]);
}

const ESCAPES: Record<string, string> = {
  "<": "\\u003c",
  ">": "\\u003e",
  "&": "\\u0026",
  "\u2028": "\\u2028",
  "\u2029": "\\u2029",
};

function assertPlain(island: string, value: unknown, where: string): void {
  if (value === null || typeof value === "string" || typeof value === "boolean") return;
  if (typeof value === "number") {
    if (Number.isFinite(value)) return;
    throw notPlain(island, where, String(value));
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => assertPlain(island, item, `${where}[${i}]`));
    return;
  }
  if (typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    for (const [key, item] of Object.entries(value)) {
      if (item !== undefined) assertPlain(island, item, `${where}.${key}`);
    }
    return;
  }
  const kind = typeof value === "object" ? value.constructor?.name ?? "object" : typeof value;
  throw notPlain(island, where, kind);
}

function notPlain(island: string, where: string, kind: string): TypeError {
  return new TypeError(
    `Island "${island}" was given a ${kind} at "${where}": island props must be plain JSON data`,
  );
}
