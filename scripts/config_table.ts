/**
 * The configuration table of README.md and docs/OPERATING.md, generated from `CONFIG_VARIABLES`
 * so the docs cannot drift from the code (`tests/readme_test.ts` fails when they do).
 * `deno task docs:config` rewrites both between their `config-table` markers.
 */
import { CONFIG_VARIABLES, type ConfigVariable } from "../config.ts";

export const TABLE_START = "<!-- config-table:start -->";
export const TABLE_END = "<!-- config-table:end -->";
export const DOCS_WITH_TABLE = ["README.md", "docs/OPERATING.md"];

/** The table as `deno fmt` lays it out: cells padded to the widest in their column. */
export function renderConfigTable(variables: ConfigVariable[] = CONFIG_VARIABLES): string {
  const rows = [
    ["variable", "default", "meaning"],
    ...variables.map((v) => [`\`${v.name}\``, v.default, v.meaning]),
  ];
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((row) => [...row[i]].length)));
  const line = (cells: string[]) =>
    `| ${cells.map((cell, i) => cell + " ".repeat(widths[i] - [...cell].length)).join(" | ")} |`;
  const rule = `| ${widths.map((width) => "-".repeat(width)).join(" | ")} |`;
  return [line(rows[0]), rule, ...rows.slice(1).map(line)].join("\n");
}

/** What stands between the markers of `text`, trimmed; null without markers. */
export function tableIn(text: string): string | null {
  const start = text.indexOf(TABLE_START);
  const end = text.indexOf(TABLE_END);
  if (start < 0 || end < start) return null;
  return text.slice(start + TABLE_START.length, end).trim();
}

/** `text` with the generated table between its markers. */
export function withTable(text: string, table = renderConfigTable()): string {
  const start = text.indexOf(TABLE_START);
  const end = text.indexOf(TABLE_END);
  if (start < 0 || end < start) {
    throw new Error(`Markers missing: add ${TABLE_START} and ${TABLE_END} where the table goes`);
  }
  return `${text.slice(0, start + TABLE_START.length)}\n\n${table}\n\n${text.slice(end)}`;
}

if (import.meta.main) {
  const root = new URL("../", import.meta.url);
  for (const path of DOCS_WITH_TABLE) {
    const file = new URL(path, root);
    await Deno.writeTextFile(file, withTable(await Deno.readTextFile(file)));
    console.log(`Configuration table written: ${path}`);
  }
}
