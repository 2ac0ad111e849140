/** `deploy` from the command line: Ctrl-C handling, progress, and the result for a person. */
import { expectOf, type Flags, positiveInt } from "./args.ts";
import type { Settings } from "./config.ts";
import { deploy, type DeployResult } from "./deploy.ts";
import { commandLine } from "./invocation.ts";
import { countFiles, createProgress, formatBytes } from "./progress.ts";

export async function runDeploy(
  settings: Settings,
  flags: Flags,
  timeoutSeconds?: number,
): Promise<DeployResult> {
  // Ctrl-C aborts the uploads in flight cleanly; what arrived stays, so a rerun resumes.
  // A second Ctrl-C is someone who does not want to wait for that.
  const controller = new AbortController();
  const onInterrupt = () => controller.signal.aborted ? Deno.exit(130) : controller.abort();
  Deno.addSignalListener("SIGINT", onInterrupt);
  const progress = createProgress({ quiet: flags.quiet === true });
  const text = (name: string) => flags[name] as string | undefined;
  try {
    const expect = expectOf(text("expect"));
    return await deploy({
      ...settings,
      label: text("label"),
      message: text("message"),
      promote: flags.promote === true || expect !== undefined,
      expect,
      link: text("link"),
      force: flags.force === true,
      concurrency: flags.concurrency
        ? positiveInt("--concurrency", text("concurrency")!)
        : undefined,
      timeoutSeconds,
      progress,
      signal: controller.signal,
    });
  } finally {
    // Clears a half-drawn progress line, so an error message starts on its own line.
    progress.done();
    Deno.removeSignalListener("SIGINT", onInterrupt);
  }
}

export function printDeploy(result: DeployResult, json: boolean): void {
  if (json) return console.log(JSON.stringify(result));
  const print = (text: string) => console.log(text);
  if (result.unchanged) {
    print(
      `Nothing new to deploy: version ${result.version} of "${result.app}" already has these ` +
        `files (${countFiles(result.files)}); --force makes a new version anyway`,
    );
  } else {
    print(
      `Version ${result.version} of "${result.app}": ${countFiles(result.files)} ` +
        `(${formatBytes(result.bytes)}), ${result.uploaded} uploaded ` +
        `(${formatBytes(result.bytes_uploaded)})`,
    );
  }
  if (result.live === result.version) print(`Live: ${result.url}`);
  else {
    const live = result.live === null ? "nothing is live yet" : `version ${result.live} is live`;
    print(`Not live (${live} at ${result.url}); make it live with:`);
    print(`  ${commandLine(`promote ${result.version} --app ${result.app}`)}`);
  }
  if (result.link) print(`Test link: ${result.link} (expires ${result.link_expires_at})`);
}
