/**
 * Glob matchers for the header rules of `switchyard.json`. Imported by version_files.ts only
 * when a version has such rules, so picomatch (a CommonJS package, which pulls in Deno's Node
 * compatibility: ~20 ms of a fresh isolate) is never part of the edge's start.
 */
// @ts-types="@types/picomatch"
import picomatch from "picomatch";

/** A matcher for `glob` as the rule writes it (`/assets/**`), dot files included. */
export function globMatcher(glob: string): (path: string) => boolean {
  return picomatch(glob.slice(1), { dot: true });
}
