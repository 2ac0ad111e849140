/**
 * Start-up configuration: the environment is read once, here, into a typed object (STYLE
 * "Configuration"). Every variable is listed in `CONFIG_VARIABLES` so README and the operator
 * docs can print the same table the code obeys.
 */
import { DEFAULT_PACKAGE_LIMITS, type PackageLimits } from "./package/limits.ts";
import { DEPLOY_KV } from "./kv/open.ts";
import { AddressRanges } from "./lib/addresses.ts";

export interface Config {
  port: number;
  kvPath: string;
  platformHost: string;
  appsDomain: string;
  bootstrapToken: string | undefined;
  secret: string | undefined;
  demo: boolean;
  edgeCacheBytes: number;
  revalidateMs: number;
  /** Write a log line for every edge request (else only errors). */
  edgeRequestLog: boolean;
  /** How long a shutdown waits for requests in flight before cutting them off. */
  shutdownMs: number;
  /**
   * The TLS-terminating proxy in front: only a request whose TCP peer is in it has its
   * `Forwarded: proto=` or `X-Forwarded-Proto` believed. Null: those headers are never read.
   */
  trustedProxy: AddressRanges | null;
  packageLimits: PackageLimits;
  /** `smtp://` or `smtps://` URL for invitation mail; unset means links are only returned. */
  smtpUrl: string | undefined;
  /** Sender of invitation mail. */
  mailFrom: string;
  /** GitHub sign-in (an OAuth app); null when its client id and secret are not both set. */
  github: GithubSettings | null;
  /** OpenID Connect sign-in; null when issuer, client id and secret are not all set. */
  oidc: OidcSettings | null;
  /** The clock (tests inject one to move through link expiry). */
  now: () => number;
}

export interface GithubSettings {
  clientId: string;
  clientSecret: string;
  /** Where the authorize and token endpoints are (`https://github.com`; tests: a loopback fake). */
  webUrl: string;
  /** Where the REST API is (`https://api.github.com`; tests: a loopback fake). */
  apiUrl: string;
}

export interface OidcSettings {
  /** The issuer URL; its `/.well-known/openid-configuration` says everything else. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** What the sign-in page calls this provider ("Sign in with …"). */
  name: string;
}

export interface ConfigVariable {
  name: string;
  default: string;
  meaning: string;
}

export const CONFIG_VARIABLES: ConfigVariable[] = [
  { name: "PORT", default: "8000", meaning: "listen port" },
  {
    name: "SWITCHYARD_KV",
    default: ".switchyard/kv.sqlite; on Deno Deploy `deploy`",
    meaning:
      "KV path, `:memory:`, a KV Connect URL, or `deploy` (the KV database of the Deno Deploy app)",
  },
  {
    name: "DENO_KV_ACCESS_TOKEN",
    default: "unset",
    meaning: "access token for a KV Connect URL in `SWITCHYARD_KV` (read by Deno, never logged)",
  },
  {
    name: "SWITCHYARD_PLATFORM_HOST",
    default: "localhost",
    meaning: "host name (port ignored) of the admin and merchant API",
  },
  {
    name: "SWITCHYARD_APPS_DOMAIN",
    default: "localhost",
    meaning: "app `demo` is served at `demo.<apps domain>`",
  },
  {
    name: "SWITCHYARD_BOOTSTRAP_TOKEN",
    default: "unset",
    meaning:
      "if set (≥ 32 chars), registered at start (idempotently) as an owner API token of the default account",
  },
  {
    name: "SWITCHYARD_SECRET",
    default: "generated and kept in KV on first start",
    meaning: "key for encrypting secrets at rest",
  },
  {
    name: "SWITCHYARD_DEMO",
    default: "`1`",
    meaning: "seed the demo account, catalog and starter storefront",
  },
  {
    name: "SWITCHYARD_EDGE_CACHE_MB",
    default: "128",
    meaning: "byte budget of the edge's in-memory file cache",
  },
  {
    name: "SWITCHYARD_REVALIDATE_MS",
    default: "1000",
    meaning: "how often the edge re-reads live records it has cached",
  },
  {
    name: "SWITCHYARD_EDGE_LOG",
    default: "`errors`",
    meaning:
      "`all`: a JSON line for every storefront request too (API requests are always logged); `errors`: only failures",
  },
  {
    name: "SWITCHYARD_SHUTDOWN_MS",
    default: "10000",
    meaning: "on SIGTERM or SIGINT, how long requests in flight may take before they are cut off",
  },
  {
    name: "SWITCHYARD_TRUSTED_PROXY",
    default: "unset",
    meaning:
      "address or CIDR list (`127.0.0.1`, `10.0.0.0/8,fd00::/8`) of the TLS proxy in front; only from it are `Forwarded: proto=` and `X-Forwarded-Proto` believed, so cookies get `Secure` and `__Host-`",
  },
  {
    name: "SWITCHYARD_SMTP_URL",
    default: "unset",
    meaning:
      "`smtp://user:pass@host:port` for invitations (test links, members) and emailed sign-in links; unset: links are only returned",
  },
  {
    name: "SWITCHYARD_MAIL_FROM",
    default: "`Switchyard <no-reply@localhost>`",
    meaning: "sender of invitation mail",
  },
  {
    name: "SWITCHYARD_GITHUB_CLIENT_ID",
    default: "unset",
    meaning:
      "client id of a GitHub OAuth app; GitHub sign-in is offered when it and the secret are set",
  },
  {
    name: "SWITCHYARD_GITHUB_CLIENT_SECRET",
    default: "unset",
    meaning: "client secret of that GitHub OAuth app",
  },
  {
    name: "SWITCHYARD_OIDC_ISSUER",
    default: "unset",
    meaning:
      "issuer URL of an OpenID Connect provider (discovery at `/.well-known/openid-configuration`); sign-in is offered when it, the client id and the secret are set",
  },
  {
    name: "SWITCHYARD_OIDC_CLIENT_ID",
    default: "unset",
    meaning: "client id registered at that provider",
  },
  {
    name: "SWITCHYARD_OIDC_CLIENT_SECRET",
    default: "unset",
    meaning: "client secret registered at that provider",
  },
  {
    name: "SWITCHYARD_OIDC_NAME",
    default: "`Single sign-on`",
    meaning: "what the sign-in page calls that provider (`Okta`, `Google Workspace`)",
  },
  {
    name: "SWITCHYARD_MAX_ARCHIVE_MB",
    default: "200",
    meaning: "largest package archive accepted",
  },
  { name: "SWITCHYARD_MAX_FILES", default: "20000", meaning: "most files in one package" },
  { name: "SWITCHYARD_MAX_FILE_MB", default: "25", meaning: "largest file in a package" },
  { name: "SWITCHYARD_MAX_UNPACKED_MB", default: "1024", meaning: "largest unpacked package" },
  {
    name: "SWITCHYARD_MAX_RATIO",
    default: "200",
    meaning: "largest unpacked/packed ratio of an archive",
  },
];

type Env = (name: string) => string | undefined;

function positiveNumber(env: Env, name: string, fallback: number): number {
  const raw = env(name);
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) {
    throw new Error(`"${name}" must be a positive number: "${raw}"`);
  }
  return value;
}

const MiB = 1024 * 1024;

/** Deno Deploy sets `DENO_DEPLOYMENT_ID` (Deploy Classic and Deno Deploy alike). */
function kvPath(env: Env): string {
  const onDeploy = Boolean(env("DENO_DEPLOYMENT_ID"));
  const value = env("SWITCHYARD_KV") || (onDeploy ? DEPLOY_KV : ".switchyard/kv.sqlite");
  if (value === DEPLOY_KV && !onDeploy) {
    throw new Error(
      `"SWITCHYARD_KV" is "${DEPLOY_KV}" outside Deno Deploy: use a file path, ":memory:" or a KV Connect URL`,
    );
  }
  if (/^https?:\/\//.test(value) && !env("DENO_KV_ACCESS_TOKEN")) {
    throw new Error('"DENO_KV_ACCESS_TOKEN" must be set when "SWITCHYARD_KV" is a KV Connect URL');
  }
  return value;
}

function edgeLog(env: Env): boolean {
  const value = env("SWITCHYARD_EDGE_LOG") || "errors";
  if (value !== "all" && value !== "errors") {
    throw new Error(`"SWITCHYARD_EDGE_LOG" must be "all" or "errors": "${value}"`);
  }
  return value === "all";
}

function trustedProxy(env: Env): AddressRanges | null {
  const value = env("SWITCHYARD_TRUSTED_PROXY");
  return value ? AddressRanges.parse(value, "SWITCHYARD_TRUSTED_PROXY") : null;
}

/**
 * The settings of an optional feature made of several variables: null when none is set, all of
 * them when all are, and a start-up failure naming the missing ones when only some are (a
 * half-configured provider would otherwise fail at its first sign-in, not at deploy).
 */
function allOrNone(env: Env, names: string[]): string[] | null {
  const values = names.map((name) => env(name) || "");
  if (values.every((value) => value === "")) return null;
  const missing = names.filter((_, i) => values[i] === "");
  if (missing.length > 0) {
    throw new Error(`${missing.map((name) => `"${name}"`).join(" and ")} must be set too`);
  }
  return values;
}

function github(env: Env): GithubSettings | null {
  const values = allOrNone(env, ["SWITCHYARD_GITHUB_CLIENT_ID", "SWITCHYARD_GITHUB_CLIENT_SECRET"]);
  if (values === null) return null;
  return {
    clientId: values[0],
    clientSecret: values[1],
    webUrl: "https://github.com",
    apiUrl: "https://api.github.com",
  };
}

function oidc(env: Env): OidcSettings | null {
  const values = allOrNone(env, [
    "SWITCHYARD_OIDC_ISSUER",
    "SWITCHYARD_OIDC_CLIENT_ID",
    "SWITCHYARD_OIDC_CLIENT_SECRET",
  ]);
  const name = env("SWITCHYARD_OIDC_NAME") || "Single sign-on";
  if (values === null) return null;
  let issuer: URL;
  try {
    issuer = new URL(values[0]);
  } catch {
    throw new Error(`"SWITCHYARD_OIDC_ISSUER" must be a URL: "${values[0]}"`);
  }
  if (issuer.protocol !== "https:" && !isLoopbackUrl(issuer)) {
    throw new Error(`"SWITCHYARD_OIDC_ISSUER" must be an https URL: "${values[0]}"`);
  }
  return { issuer: values[0], clientId: values[1], clientSecret: values[2], name };
}

/**
 * Plain http is believed only from this machine: a provider under development (or the test's
 * own) on loopback, where no one sits between the two ends.
 */
export function isLoopbackUrl(url: URL): boolean {
  return url.protocol === "http:" &&
    (url.hostname === "localhost" || url.hostname === "127.0.0.1" || url.hostname === "[::1]");
}

/** Reads the configuration from `env` (the process environment unless a test passes its own). */
export function loadConfig(env: Env = (name) => Deno.env.get(name)): Config {
  const bootstrapToken = env("SWITCHYARD_BOOTSTRAP_TOKEN") || undefined;
  if (bootstrapToken !== undefined && bootstrapToken.length < 32) {
    throw new Error('"SWITCHYARD_BOOTSTRAP_TOKEN" must be at least 32 characters');
  }
  const limits = DEFAULT_PACKAGE_LIMITS;
  return {
    port: positiveNumber(env, "PORT", 8000),
    kvPath: kvPath(env),
    platformHost: (env("SWITCHYARD_PLATFORM_HOST") || "localhost").toLowerCase().split(":")[0],
    appsDomain: (env("SWITCHYARD_APPS_DOMAIN") || "localhost").toLowerCase().split(":")[0],
    bootstrapToken,
    secret: env("SWITCHYARD_SECRET") || undefined,
    demo: (env("SWITCHYARD_DEMO") ?? "1") === "1",
    edgeCacheBytes: positiveNumber(env, "SWITCHYARD_EDGE_CACHE_MB", 128) * MiB,
    revalidateMs: positiveNumber(env, "SWITCHYARD_REVALIDATE_MS", 1000),
    shutdownMs: positiveNumber(env, "SWITCHYARD_SHUTDOWN_MS", 10_000),
    edgeRequestLog: edgeLog(env),
    trustedProxy: trustedProxy(env),
    packageLimits: {
      archiveBytes: positiveNumber(env, "SWITCHYARD_MAX_ARCHIVE_MB", limits.archiveBytes / MiB) *
        MiB,
      files: positiveNumber(env, "SWITCHYARD_MAX_FILES", limits.files),
      fileBytes: positiveNumber(env, "SWITCHYARD_MAX_FILE_MB", limits.fileBytes / MiB) * MiB,
      unpackedBytes: positiveNumber(env, "SWITCHYARD_MAX_UNPACKED_MB", limits.unpackedBytes / MiB) *
        MiB,
      ratio: positiveNumber(env, "SWITCHYARD_MAX_RATIO", limits.ratio),
    },
    smtpUrl: env("SWITCHYARD_SMTP_URL") || undefined,
    mailFrom: env("SWITCHYARD_MAIL_FROM") || "Switchyard <no-reply@localhost>",
    github: github(env),
    oidc: oidc(env),
    now: Date.now,
  };
}

/** The app the demo seed makes (`SWITCHYARD_DEMO`), served at `demo.<apps domain>`. */
export const DEMO_SLUG = "demo";

/** The configuration for tests: in-memory KV, demo off, small revalidation interval. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return { ...loadConfig(() => undefined), kvPath: ":memory:", demo: false, ...overrides };
}

/** Whether invitations are mailed (STYLE: optional features are functions). */
export function isSmtpConfigured(config: Config): boolean {
  return config.smtpUrl !== undefined;
}

/** Whether "Sign in with GitHub" is offered. */
export function isGithubConfigured(config: Config): boolean {
  return config.github !== null;
}

/** Whether OpenID Connect sign-in is offered. */
export function isOidcConfigured(config: Config): boolean {
  return config.oidc !== null;
}
