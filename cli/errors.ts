import { commandLine } from "./invocation.ts";

/**
 * Exit codes and the one error type the CLI reports. CI pipelines branch on the exit code, so
 * every failure maps to exactly one documented code (docs/CLI.md "Exit codes").
 */

export const ExitCode = {
  ok: 0,
  /** A bug or an answer the CLI did not expect. */
  unexpected: 1,
  /** Bad flags or configuration: missing token, app or URL; unreadable folder. */
  usage: 2,
  /** The server refused the token (401), or its scope does not allow the call (403). */
  auth: 3,
  /** No such app, version or link (404). */
  notFound: 4,
  /** The package breaks a rule, found locally or by the server; every entry is listed. */
  packageRefused: 5,
  /** The live version is not the one `--expect` named, or nothing to roll back to (409). */
  conflict: 6,
  /** The server stayed unreachable or kept failing (network errors, 5xx) after retries. */
  unavailable: 7,
  /** Stopped on purpose (Ctrl-C or an abort signal); a rerun resumes the upload. */
  interrupted: 130,
} as const;

export type ExitCodeValue = typeof ExitCode[keyof typeof ExitCode];

/**
 * A failure the CLI explains to a person: `message` is the headline, `lines` the details and
 * what to do. `data` is for scripts: it joins the `--json` error object (say, the version a
 * deploy made before its promote was refused).
 */
export class CliError extends Error {
  constructor(
    readonly exitCode: ExitCodeValue,
    message: string,
    readonly lines: string[] = [],
    readonly code = "unexpected",
    readonly data: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = "CliError";
  }
}

/** Error answered by the API: `{"error": {"code", "message", "details"}}` and its status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    /** How many times the request was sent; > 1 means an earlier try may have succeeded. */
    readonly attempts = 1,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** The exit code for an API error, by status and (for refused packages) by code. */
function exitCodeForApi(error: ApiError): ExitCodeValue {
  if (error.code.startsWith("package_")) return ExitCode.packageRefused;
  if (error.status === 401 || error.status === 403) return ExitCode.auth;
  if (error.status === 404) return ExitCode.notFound;
  if (error.status === 409) return ExitCode.conflict;
  if (error.status >= 500 || error.status === 0) return ExitCode.unavailable;
  return ExitCode.unexpected;
}

/** Turns any thrown value into a `CliError`, so `main` reports every failure the same way. */
export function toCliError(error: unknown): CliError {
  if (error instanceof CliError) return error;
  if (error instanceof ApiError) {
    const lines = [...apiDetailLines(error), ...nextSteps(error)];
    return new CliError(exitCodeForApi(error), error.message, lines, error.code);
  }
  if (error instanceof DOMException && error.name === "AbortError") {
    return new CliError(
      ExitCode.interrupted,
      "Interrupted; run the same command again to resume",
      [],
      "interrupted",
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  return new CliError(ExitCode.unexpected, `Unexpected error: ${message}`, [], "unexpected");
}

/** What a person can do about an API error, as the command to type where there is one. */
function nextSteps(error: ApiError): string[] {
  const app = /^No such app: "([^"]+)"$/.exec(error.message)?.[1];
  if (app) {
    return [
      `Create it with: ${commandLine(`apps create ${app}`)}`,
      `Or see the apps this token has: ${commandLine("apps list")}`,
    ];
  }
  if (error.status === 401) {
    return ["Check SWITCHYARD_TOKEN (or --token): the first start of the platform printed one"];
  }
  if (error.status === 403) {
    return ['Use a token whose scope allows it: "deploy" for deploying, "full" for the rest'];
  }
  return [];
}

function apiDetailLines(error: ApiError): string[] {
  const details = error.details as Record<string, unknown> | undefined;
  if (!details || typeof details !== "object") return [];
  if (typeof details.entry === "string") return [`entry: ${JSON.stringify(details.entry)}`];
  if (typeof details.hint === "string") return [details.hint];
  if (Array.isArray(details)) {
    return details.map((item) => typeof item === "string" ? item : JSON.stringify(item));
  }
  return [];
}
