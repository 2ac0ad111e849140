/**
 * The `redirects` of `switchyard.json`, compiled once per version: an exact path, or a prefix
 * (`/old/*`) whose rest replaces `:splat` in the target. Checked in order, before any file.
 */
import type { RedirectRule } from "../package/site_config.ts";

export interface CompiledRedirect {
  /** The exact path, or the prefix with its trailing "/" (for `/old/*`: "/old/"). */
  path: string;
  prefix: boolean;
  to: string;
  status: number;
}

export function compileRedirects(rules: RedirectRule[]): CompiledRedirect[] {
  return rules.map((rule) => {
    const prefix = rule.from.endsWith("/*");
    return {
      path: prefix ? rule.from.slice(0, -1) : rule.from,
      prefix,
      to: rule.to,
      status: rule.status,
    };
  });
}

/** The first rule matching the decoded request path, and what `:splat` stands for. */
export function findRedirect(
  redirects: CompiledRedirect[],
  path: string,
): { rule: CompiledRedirect; splat: string } | null {
  for (const rule of redirects) {
    if (!rule.prefix) {
      if (rule.path === path) return { rule, splat: "" };
    } else if (path.startsWith(rule.path)) {
      return { rule, splat: path.slice(rule.path.length) };
    } else if (path === rule.path.slice(0, -1)) {
      return { rule, splat: "" };
    }
  }
  return null;
}

/** The redirect answer: the target with `:splat` filled in, keeping the query when it has none. */
export function redirectResponse(
  match: { rule: CompiledRedirect; splat: string },
  search: string,
): Response {
  const { rule, splat } = match;
  const encoded = splat.split("/").map(encodeURIComponent).join("/");
  let location = rule.to.replaceAll(":splat", encoded);
  if (search && !location.includes("?")) location += search;
  const permanent = rule.status === 301 || rule.status === 308;
  return new Response(null, {
    status: rule.status,
    headers: [
      ["location", location],
      // A permanent redirect is cached by browsers; a short max-age lets a merchant undo one.
      ["cache-control", permanent ? "public, max-age=300" : "no-cache"],
    ],
  });
}
