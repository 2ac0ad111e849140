/**
 * Start-up chores (lib/chores.ts): they run behind the server, a failing one is logged and
 * retried, the platform answers 503 while one fails, and shoppers never notice.
 */
import assert from "node:assert/strict";
import { StartupChores } from "../lib/chores.ts";
import { createLogger } from "../lib/log.ts";
import { UnavailableError } from "../lib/errors.ts";
import { liveApp, until } from "./helpers/fixtures.ts";
import { startServer } from "./helpers/server.ts";

/** A logger that keeps its lines. */
function memoryLog() {
  const lines: Record<string, unknown>[] = [];
  const log = createLogger({
    level: "info",
    write: (line: string) => lines.push(JSON.parse(line)),
  });
  return { log, lines };
}

/** A chore that fails its first `failures` runs. */
function flaky(name: string, failures: number, ran: string[]) {
  let runs = 0;
  return {
    name,
    run() {
      runs++;
      if (runs <= failures) return Promise.reject(new Error(`${name} run ${runs} failed`));
      ran.push(name);
      return Promise.resolve();
    },
  };
}

Deno.test("a failing chore is logged and retried, and the chores after it wait for it", async () => {
  const { log, lines } = memoryLog();
  const ran: string[] = [];
  const chores = new StartupChores(
    [flaky("bootstrap", 2, ran), flaky("demo seed", 0, ran)],
    log,
    { firstRetryMs: 5 },
  );
  chores.start();
  await until(() => Promise.resolve(lines.length >= 1), 2_000);
  await assert.rejects(chores.whenDone(), (error) => {
    assert.ok(error instanceof UnavailableError);
    assert.match(error.message, /"bootstrap" failed/);
    return true;
  });
  await chores.whenSettled();
  await chores.whenDone();
  assert.deepEqual(ran, ["bootstrap", "demo seed"]);
  const failures = lines.filter((line) => line.msg === "Start-up chore failed; retrying");
  assert.equal(failures.length, 2);
  assert.deepEqual(failures.map((line) => line.retry_in_ms), [5, 10]);
  assert.equal(failures[0].chore, "bootstrap");
});

Deno.test("while a chore fails, shoppers are served and the platform says it is starting", async () => {
  let gate: () => Promise<void> = () => Promise.resolve();
  const server = await startServer({}, { ready: () => gate() });
  const { log } = memoryLog();
  let failing = true;
  const chores = new StartupChores(
    [{
      name: "demo seed",
      run: () => failing ? Promise.reject(new Error("KV down")) : Promise.resolve(),
    }],
    log,
    { firstRetryMs: 5, maxRetryMs: 5 },
  );
  try {
    await liveApp(server, "shop", { "index.html": "<p>open</p>" });
    gate = () => chores.whenDone();
    chores.start();
    await until(async () => {
      const res = await server.api("GET", "/apps");
      await res.body?.cancel();
      return res.status === 503;
    }, 2_000);

    const page = await server.edge("shop", "/");
    assert.equal(page.status, 200);
    assert.equal(page.text(), "<p>open</p>");
    const refused = await server.api("GET", "/apps");
    assert.equal(refused.status, 503);
    const body = await refused.json();
    assert.equal(body.error.code, "starting");
    assert.equal(refused.headers.get("retry-after"), "5");
    assert.equal(refused.headers.get("x-content-type-options"), "nosniff");
    assert.match(refused.headers.get("content-security-policy") ?? "", /frame-ancestors 'none'/);
    assert.match(body.error.message, /"demo seed" failed and is being retried/);

    failing = false;
    await chores.whenSettled();
    const apps = await server.api("GET", "/apps");
    assert.equal(apps.status, 200);
    await apps.body?.cancel();
  } finally {
    chores.stop();
    await server.close();
  }
});

Deno.test("the work that waits for the first answer runs once, after it, not before", async () => {
  let runs = 0;
  const server = await startServer({}, { afterFirstAnswer: () => runs++ });
  try {
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(runs, 0, "ran before any request");
    const first = await server.edge("nobody", "/");
    assert.equal(first.status, 404);
    await until(() => Promise.resolve(runs === 1), 2_000);
    await server.edge("nobody", "/");
    await (await server.api("GET", "/apps")).body?.cancel();
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(runs, 1, "ran more than once");
  } finally {
    await server.close();
  }
});

Deno.test("stopping the chores ends their wait; a first start's run stops at a failure", async () => {
  const { log } = memoryLog();
  const ran: string[] = [];
  const chores = new StartupChores([flaky("bootstrap", 99, ran)], log, { firstRetryMs: 60_000 });
  chores.start();
  await until(() => Promise.resolve(true), 10);
  chores.stop();
  await chores.whenSettled(); // would wait the minute's retry, or for ever, if stop did not wake it
  assert.deepEqual(ran, []);

  const once = new StartupChores([flaky("bootstrap", 1, ran), flaky("demo seed", 0, ran)], log);
  await assert.rejects(once.runOnce(), /bootstrap run 1 failed/);
  assert.deepEqual(ran, [], "the chores after a failure did not run");
});
