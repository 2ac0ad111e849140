/** The settings a public URL is made from (a subset of the program's configuration). */
export interface UrlSettings {
  platformHost: string;
  appsDomain: string;
  port: number;
}

/** True for host names that only mean this machine (served over plain http). */
function isLocalDomain(domain: string): boolean {
  return domain === "localhost" || domain.endsWith(".localhost") || domain === "127.0.0.1";
}

/** The public URL of app `slug`: `https://slug.domain`, or `http://slug.localhost:PORT`. */
export function appUrl(config: UrlSettings, slug: string): string {
  return isLocalDomain(config.appsDomain)
    ? `http://${slug}.${config.appsDomain}:${config.port}`
    : `https://${slug}.${config.appsDomain}`;
}

/** The public URL of the platform (admin and API). */
export function platformUrl(config: UrlSettings): string {
  return isLocalDomain(config.platformHost)
    ? `http://${config.platformHost}:${config.port}`
    : `https://${config.platformHost}`;
}
