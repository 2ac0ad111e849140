/**
 * README's quickstart, run as written: the commands between its `quickstart` markers, each in
 * bash from the repository, against the `deno task start` the quickstart itself starts. What
 * each command prints must contain the lines README shows under it, in order (`…` stands for
 * what differs from run to run). The only changes made to the text are the port (8000 becomes a
 * free one) and the token (`sy_…` becomes the one the start printed); HOME is a fresh folder, so
 * `~/my-shop` is the test's own.
 */
import assert from "node:assert/strict";
import { rawRequest } from "../helpers/http.ts";
import { freePort } from "../helpers/process.ts";

const ROOT = new URL("../../", import.meta.url);
const START = "<!-- quickstart:start -->";
const END = "<!-- quickstart:end -->";

interface Step {
  command: string;
  expected: string[];
}

/** The `$ command` lines of the console blocks between the markers, with the lines below each. */
export function quickstartSteps(readme: string): Step[] {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  assert.ok(start >= 0 && end > start, "README.md has no quickstart markers");
  const steps: Step[] = [];
  const blocks = readme.slice(start, end).matchAll(/```console\n([\s\S]*?)```/g);
  for (const [, block] of blocks) {
    for (const line of block.split("\n")) {
      if (line.startsWith("$ ")) steps.push({ command: line.slice(2), expected: [] });
      else if (line.trim() !== "") steps.at(-1)!.expected.push(line);
    }
  }
  return steps;
}

/** A shown line as a pattern: literal text, `…` anything. */
function pattern(line: string): RegExp {
  const parts = line.split("…").map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  return new RegExp(`^${parts.join(".*")}$`);
}

/** Finds each shown line, in order, in stdout or else in stderr; returns the ones not found. */
function unmatched(expected: string[], stdout: string[], stderr: string[]): string[] {
  const cursors = [0, 0];
  const missing: string[] = [];
  for (const line of expected) {
    const re = pattern(line);
    const found = [stdout, stderr].some((lines, i) => {
      const at = lines.findIndex((actual, j) => j >= cursors[i] && re.test(actual));
      if (at >= 0) cursors[i] = at + 1;
      return at >= 0;
    });
    if (!found) missing.push(line);
  }
  return missing;
}

const lines = (text: string) => text.split("\n").filter((line) => line !== "");

async function denoDir(): Promise<string> {
  const info = await new Deno.Command(Deno.execPath(), { args: ["info", "--json"] }).output();
  return JSON.parse(new TextDecoder().decode(info.stdout)).denoDir;
}

/** `deno task start` in its own process group, so stopping it stops every process under it. */
function startServer(command: string, env: Record<string, string>) {
  const child = new Deno.Command("setsid", {
    args: ["bash", "-c", command],
    cwd: ROOT,
    env,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const output = { stdout: "", stderr: "" };
  const collect = async (stream: ReadableStream<Uint8Array>, key: "stdout" | "stderr") => {
    const decoder = new TextDecoder();
    for await (const bytes of stream) output[key] += decoder.decode(bytes, { stream: true });
  };
  const done = Promise.all([collect(child.stdout, "stdout"), collect(child.stderr, "stderr")]);
  return {
    output,
    async stop() {
      await new Deno.Command("kill", { args: ["-TERM", "--", `-${child.pid}`] }).output();
      await done;
      await child.status;
    },
  };
}

Deno.test("README's quickstart runs as written and prints what README shows", async () => {
  const readme = await Deno.readTextFile(new URL("README.md", ROOT));
  const port = freePort();
  const steps = quickstartSteps(readme.replaceAll("8000", String(port)));
  assert.equal(steps[0].command, "deno task start", "the quickstart starts with deno task start");
  const home = await Deno.makeTempDir({ prefix: "sy-quickstart-" });
  const env = {
    PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
    HOME: home,
    DENO_DIR: await denoDir(),
    NO_COLOR: "1",
    PORT: String(port),
    SWITCHYARD_KV: `${home}/kv.sqlite`,
  };
  const server = startServer(steps[0].command, env);
  try {
    const started = Date.now();
    let missing = steps[0].expected;
    while (missing.length > 0 && Date.now() - started < 120_000) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      const { stdout, stderr } = server.output;
      missing = unmatched(steps[0].expected, lines(stdout), lines(stderr));
    }
    assert.deepEqual(
      missing,
      [],
      `deno task start:\n${server.output.stdout}${server.output.stderr}`,
    );
    const token = /"token":"(sy_\w+)"/.exec(server.output.stdout + server.output.stderr)![1];

    const exports: string[] = [];
    let link = "";
    for (const step of steps.slice(1)) {
      const command = step.command.replaceAll("sy_…", token);
      if (command.startsWith("export ")) exports.push(command);
      const run = await new Deno.Command("bash", {
        args: ["-c", [...exports, command].join("\n")],
        cwd: ROOT,
        env,
        clearEnv: true,
      }).output();
      const stdout = new TextDecoder().decode(run.stdout);
      const stderr = new TextDecoder().decode(run.stderr);
      const shown = `$ ${step.command}\n--- stdout\n${stdout}--- stderr\n${stderr}` +
        `--- the server's output\n${server.output.stdout}${server.output.stderr}`;
      assert.equal(run.code, 0, shown);
      assert.deepEqual(unmatched(step.expected, lines(stdout), lines(stderr)), [], shown);
      link ||= /Test link: (\S+)/.exec(stdout)?.[1] ?? "";
    }

    // What a browser shows: the test link opens version 1 on the app's host; the live
    // storefront, after the rollback, is version 1 too.
    assert.ok(link, "the quickstart made no test link");
    const url = new URL(link);
    const opened = await rawRequest(port, { path: url.pathname + url.search, host: url.host });
    assert.equal(opened.status, 303);
    const cookie = (opened.headers.get("set-cookie") ?? "").split(";")[0];
    const preview = await rawRequest(port, { path: "/", host: url.host, headers: { cookie } });
    assert.match(preview.text(), /Hello, shoppers/);
    const live = await rawRequest(port, { path: "/", host: url.host });
    assert.match(live.text(), /Hello, shoppers/);
  } finally {
    await server.stop();
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("README's Start here table keeps exactly two set-up commands", async () => {
  const readme = await Deno.readTextFile(new URL("README.md", ROOT));
  const start = readme.indexOf("## Start here");
  const section = readme.slice(start, readme.indexOf("\n## ", start));
  const rows = section.split("\n").filter((line) => line.startsWith("| ")).slice(2);
  assert.deepEqual(rows.map((row) => /`(deno task \w+)`/.exec(row)?.[1]), [
    "deno task start",
    "deno task test",
  ]);
  assert.ok(!readme.includes("../shared/"), "README names a path outside the repository");
});
