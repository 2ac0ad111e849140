/**
 * Browser-test helpers for admin pages: axe-core's serious and critical findings, and screenshots
 * into docs/screenshots/ when `SWITCHYARD_SCREENSHOTS=1` (so an ordinary run writes nothing).
 */
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "playwright-core";

/** axe-core's serious and critical violations on the page, each as `rule: target`. */
export async function axeProblems(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .flatMap((v) => v.nodes.map((node) => `${v.id}: ${node.target.join(" ")} (${v.help})`));
}

const SHOTS = Deno.env.get("SWITCHYARD_SCREENSHOTS") === "1";

/** Saves a full-page PNG as docs/screenshots/<name>.png when screenshots are asked for. */
export async function screenshot(page: Page, name: string): Promise<void> {
  if (!SHOTS) return;
  await Deno.mkdir(new URL("../../docs/screenshots/", import.meta.url), { recursive: true });
  const path = new URL(`../../docs/screenshots/${name}.png`, import.meta.url).pathname;
  await page.screenshot({ path, fullPage: true });
}
