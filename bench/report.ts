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
