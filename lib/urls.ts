import type { Config } from "../config.ts";

/** True for host names that only mean this machine (served over plain http). */
export function isLocalDomain(domain: string): boolean {
  return domain === "localhost" || domain.endsWith(".localhost") || domain === "127.0.0.1";
}

/** The public URL of app `slug`: `https://slug.domain`, or `http://slug.localhost:PORT`. */
export function appUrl(config: Config, slug: string): string {
  return isLocalDomain(config.appsDomain)
    ? `http://${slug}.${config.appsDomain}:${config.port}`
    : `https://${slug}.${config.appsDomain}`;
}

/** The public URL of the platform (admin and API). */
export function platformUrl(config: Config): string {
  return isLocalDomain(config.platformHost)
    ? `http://${config.platformHost}:${config.port}`
    : `https://${config.platformHost}`;
}
