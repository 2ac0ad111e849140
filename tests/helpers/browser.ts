/**
 * Debian's Chromium driven by playwright-core (no browser download: the system binary).
 * `*.localhost` resolves to loopback inside Chromium, so app hosts work as in production.
 */
import { type Browser, chromium } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";

export function hasChromium(): boolean {
  try {
    return Deno.statSync(CHROMIUM).isFile;
  } catch {
    return false;
  }
}

/** Browser tests run wherever Chromium is installed, and always in CI (which installs it). */
export const skipBrowser = !hasChromium() && !Deno.env.get("CI");

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
    ],
  });
}
