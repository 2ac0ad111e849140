/**
 * The one client entry of the admin (islands/README.md): finds every island marker the server
 * rendered, loads the island's bundle (the page lists their URLs in a JSON script, and preloads
 * them) and hydrates the marker with the island's props. Loaded only by pages with islands.
 */
import { h, hydrate } from "preact";
import { ISLAND_MAP_ID, ISLAND_TAG } from "../../lib/islands.ts";

type IslandModule = { default: (props: Record<string, unknown>) => unknown };

function readJson<T>(id: string): T | null {
  const text = document.getElementById(id)?.textContent;
  return text ? JSON.parse(text) as T : null;
}

async function hydrateAll(): Promise<void> {
  const urls = readJson<Record<string, string>>(ISLAND_MAP_ID) ?? {};
  const markers = [...document.querySelectorAll<HTMLElement>(ISLAND_TAG)];
  await Promise.all(markers.map(async (marker) => {
    const name = marker.dataset.island ?? "";
    const url = urls[name];
    if (!url) return console.error(`No bundle for island "${name}"`);
    const props = readJson<Record<string, unknown>>(marker.dataset.props ?? "") ?? {};
    const module: IslandModule = await import(url);
    // deno-lint-ignore no-explicit-any
    hydrate(h(module.default as any, props), marker);
    marker.dataset.hydrated = "";
  }));
  // Tests (and people) can tell a page is interactive from this.
  document.documentElement.dataset.hydrated = "";
}

hydrateAll();
