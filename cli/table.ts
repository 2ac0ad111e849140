/** Plain-text tables for a terminal: a header row, columns padded to their widest cell. */

/** Characters on screen; a wide emoji counts as one, which is close enough for names. */
const width = (text: string) => [...text].length;

export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((header, i) =>
    Math.max(width(header), ...rows.map((row) => width(row[i] ?? "")))
  );
  const line = (cells: string[]) =>
    cells.map((cell, i) =>
      i === cells.length - 1 ? cell : cell + " ".repeat(widths[i] - width(cell))
    ).join("  ").trimEnd();
  return [line(headers), ...rows.map(line)].join("\n");
}

/** `text` cut to `max` characters, with an ellipsis when cut; newlines become spaces. */
export function clip(text: string | null, max: number): string {
  if (text === null) return "";
  const flat = text.replace(/\s+/g, " ").trim();
  return width(flat) <= max ? flat : [...flat].slice(0, max - 1).join("") + "…";
}

/** `2026-11-21T14:02:11.000Z` → `2026-11-21 14:02`, in UTC as the API gives it. */
export function shortTime(iso: string | null): string {
  return iso ? iso.slice(0, 16).replace("T", " ") : "";
}
