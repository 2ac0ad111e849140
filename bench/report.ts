/** Benchmark results and their Markdown report (docs/BENCHMARKS.md). */

export interface Row {
  what: string;
  result: string;
  goal: string;
  met: boolean | null;
}

export interface Section {
  title: string;
  rows: Row[];
  method: string;
  /** Numbers another section may quote (the instruction ratio, quoted by Edge throughput). */
  figures?: Record<string, number>;
  /** Said after the method, as a list (what was tried and what it measured). */
  notes?: string[];
}

/** The middle value (the mean of the two middle ones for an even count). */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

async function run(cmd: string, args: string[]): Promise<string> {
  try {
    const out = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "null" }).output();
    return new TextDecoder().decode(out.stdout).trim();
  } catch {
    return "unknown";
  }
}

export async function machine(): Promise<string> {
  const cpu = (await Deno.readTextFile("/proc/cpuinfo").catch(() => ""))
    .match(/model name\s*:\s*(.+)/)?.[1] ?? "unknown CPU";
  const memory = Math.round(Deno.systemMemoryInfo().total / 2 ** 30);
  const os = await run("uname", ["-sr"]);
  return `${navigator.hardwareConcurrency} × ${cpu}, ${memory} GiB RAM, ${os}, Deno ${Deno.version.deno}`;
}

export function markdown(sections: Section[], machineText: string, date: string): string {
  return [header(machineText, date), ...sections.map((s) => sectionMarkdown(s, date))].join("\n");
}

function header(machineText: string, date: string): string {
  return [
    "# Benchmarks",
    "",
    "Written by `deno task bench` (do not edit by hand). Machines here are shared and noisy",
    "(±15–25 % between identical runs), so goals are judged on figures from one run, and edge",
    "figures are ratios against a reference started by the same run.",
    "",
    "Two figures say how fast a warm edge request is. The requests/s ratio against a bare",
    "`Deno.serve` is what a shopper gets, but it swings with whatever else the host runs. The",
    "user-space instruction ratio (callgrind, Edge instructions) repeats within about 0.7 %",
    "whatever the load, but leaves out the kernel. When they disagree, trust the instruction",
    "ratio to say whether a change made the edge faster or slower, and rerun the requests/s",
    "rounds on a quieter host before judging the goal.",
    "",
    "`deno task bench cold` (or any other list of sections) rewrites only the sections it runs",
    "and keeps the others as they were; each section says when it was measured.",
    "",
    `- date: ${date}`,
    `- machine: ${machineText}`,
    "",
  ].join("\n");
}

function sectionMarkdown(section: Section, date: string): string {
  const lines = [
    `## ${section.title}`,
    "",
    `Measured ${date}.`,
    "",
    "| what | result | goal | met |",
    "| --- | --- | --- | --- |",
  ];
  for (const row of section.rows) {
    const met = row.met === null ? "—" : row.met ? "yes" : "**no**";
    lines.push(`| ${row.what} | ${row.result} | ${row.goal} | ${met} |`);
  }
  lines.push("", section.method, "");
  if (section.notes?.length) lines.push(...section.notes.map((note) => `- ${note}`), "");
  return lines.join("\n");
}

/**
 * The report of a run of some sections merged into the previous report: a section run now
 * replaces the one of the same title; the others are kept as they were, in their order.
 */
export function mergeReport(
  previous: string,
  sections: Section[],
  machineText: string,
  date: string,
): string {
  const chunks = previous.split(/^(?=## )/m).slice(1);
  const titleOf = (chunk: string) => chunk.slice(3, chunk.indexOf("\n")).trim();
  // A kept section from before sections were dated was measured on the previous header's date.
  const before = /^- date: (.+)$/m.exec(previous)?.[1];
  const dated = (chunk: string) =>
    /^Measured /m.test(chunk) || !before
      ? chunk
      : chunk.replace("\n\n", `\n\nMeasured ${before}.\n\n`);
  const fresh = new Map(sections.map((s) => [s.title, sectionMarkdown(s, date)]));
  const merged = chunks.map((chunk) => {
    const replaced = fresh.get(titleOf(chunk));
    fresh.delete(titleOf(chunk));
    return replaced ?? dated(chunk).trimEnd() + "\n";
  });
  return [header(machineText, date), ...merged, ...fresh.values()].join("\n");
}
