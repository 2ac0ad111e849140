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
  const lines = [
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
    `- date: ${date}`,
    `- machine: ${machineText}`,
    "",
  ];
  for (const section of sections) {
    lines.push(
      `## ${section.title}`,
      "",
      "| what | result | goal | met |",
      "| --- | --- | --- | --- |",
    );
    for (const row of section.rows) {
      const met = row.met === null ? "—" : row.met ? "yes" : "**no**";
      lines.push(`| ${row.what} | ${row.result} | ${row.goal} | ${met} |`);
    }
    lines.push("", section.method, "");
  }
  return lines.join("\n");
}

/**
 * The report of a partial run (`deno task bench admin`) merged into the one on disk: each
 * section run replaces its namesake, every other section is kept as it was, a new one is added
 * at the end. The header (date, machine) is the new run's.
 */
export function mergeReport(existing: string | null, fresh: string): string {
  if (!existing) return fresh;
  const split = (text: string) => {
    const [head, ...rest] = text.split(/\n(?=## )/);
    return { head, sections: rest.map((body) => ({ title: body.split("\n")[0], body })) };
  };
  const old = split(existing);
  const now = split(fresh);
  const replaced = new Map(now.sections.map((section) => [section.title, section.body]));
  const kept = old.sections.map((section) => {
    const body = replaced.get(section.title) ?? section.body;
    replaced.delete(section.title);
    return body;
  });
  return [now.head, ...kept, ...replaced.values()].join("\n");
}
